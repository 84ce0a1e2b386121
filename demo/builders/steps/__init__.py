"""The seeder's steps, one mixin per area, composed by ``demo.builders.seeder.Seeder``.

A step reads what earlier steps left on the seeder (``self.staff``, ``self.commune``,
``self.partnership``, ``self.donation``, ``self.activity`` …) and counts what it creates in
``self.created``; ``Seeder.run`` calls them in the order the money trail needs.
"""

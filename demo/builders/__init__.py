"""What seed_demo writes: fictional households (``households``) and the partnership's reported
figures around them (``seeder``, which composes the steps of ``steps`` by area)."""

"""Services of the money pages (see activities.services).

Recording a donation is outreach's ``donation_record`` (Donation lives in outreach): it is offered
here too, so that the money pages write through one package, and not copied. Allocating, changing
and removing money are the services above this module in ``activities.services``.
"""

from outreach.services import donation_record

__all__: list[str] = ["donation_record"]

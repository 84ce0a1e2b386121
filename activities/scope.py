"""How activity rows are scoped (see outreach.scope): by the partnership's commune.

Donors read aggregates of what their money paid for through reports, never these rows; only the
money trail (allocations of their own donations) is theirs to read.
"""

from activities.models import (
    Activity,
    Allocation,
    Asset,
    Distribution,
    Grant,
    GrantPayment,
    MaintenanceLog,
    Participation,
    Photo,
    Receipt,
    Verification,
    VerificationRound,
)
from outreach.scope import Role, register

register(Activity, commune="partnership__commune")
register(Participation, commune="activity__partnership__commune")
register(Photo, commune="activity__partnership__commune")
register(Distribution, commune="partnership__commune")
register(Receipt, commune="distribution__partnership__commune")
register(VerificationRound, commune="distribution__partnership__commune")
register(Verification, commune="round__distribution__partnership__commune")
register(Asset, commune="partnership__commune")
register(MaintenanceLog, commune="asset__partnership__commune")
register(Grant, commune="partnership__commune")
register(GrantPayment, commune="grant__partnership__commune")
register(
    Allocation,
    commune="donation__partnership__commune",
    roles={Role.OFFICE_STAFF},
    partner="donation__partner",
)

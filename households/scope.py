"""How household rows are scoped (see outreach.scope): by the household's commune."""

from households.models import (
    CampaignHousehold,
    Complaint,
    Concern,
    Decision,
    Household,
    HouseholdImport,
    ImportLayout,
    IncomeTable,
    MeetingVote,
    Member,
    Posting,
    PovertyStandard,
    Review,
    ReviewCampaign,
    StandardIndicator,
    Survey,
    SurveyMember,
    VillageMeeting,
)
from outreach.access import WORKERS, may
from outreach.scope import Role, register

register(Household, commune="commune")
register(Member, commune="household__commune")
register(Review, commune="household__commune")
register(Concern, commune="household__commune")
# The review campaign's steps: by the campaign's commune (donors see none of it).
for _model, _path in (
    (VillageMeeting, "campaign__commune"),
    (MeetingVote, "meeting__campaign__commune"),
    (Posting, "campaign__commune"),
    (Complaint, "campaign__commune"),
    (Decision, "campaign__commune"),
):
    register(_model, commune=_path)
# Files are imported by office staff (the import pages serve them alone).
register(HouseholdImport, commune="commune", roles={Role.OFFICE_STAFF})
register(ImportLayout, commune="commune", roles={Role.OFFICE_STAFF})
# The review campaign and its survey, by the campaign's commune.
register(ReviewCampaign, commune="commune")
register(CampaignHousehold, commune="campaign__commune")
register(Survey, commune="entry__campaign__commune")
register(SurveyMember, commune="survey__entry__campaign__commune")
# The national standards and B1 tables: everyone reads them, administrators change them.
for _reference in (PovertyStandard, StandardIndicator, IncomeTable):
    register(_reference, commune=None)


def sees_national_ids(user) -> bool:
    """Whole ID numbers are for staff and cadres of the household's commune (and administrators);
    everyone else, auditors included, sees the last three digits. The commune is checked by the
    scope of the page that shows the member."""
    return may(user, *WORKERS)

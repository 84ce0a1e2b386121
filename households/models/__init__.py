"""The households app's models, one module per area (imported here so that
``households.models.Household`` and Django's app registry find them all)."""

from households.models.campaign import (
    CampaignHousehold,
    Complaint,
    Decision,
    MeetingVote,
    Posting,
    ReviewCampaign,
    VillageMeeting,
)
from households.models.household import (
    CaseFileView,
    Concern,
    Household,
    Member,
    PolicyCategory,
    PolicyRelation,
    Poverty,
    Review,
    Status,
    national_id_validator,
)
from households.models.imports import HouseholdImport, ImportLayout
from households.models.standard import (
    Area,
    IncomeTable,
    Indicator,
    PovertyStandard,
    Service,
    StandardIndicator,
)
from households.models.survey import Survey, SurveyMember

__all__ = [
    "Area",
    "CampaignHousehold",
    "CaseFileView",
    "Complaint",
    "Concern",
    "Decision",
    "Household",
    "HouseholdImport",
    "ImportLayout",
    "IncomeTable",
    "Indicator",
    "MeetingVote",
    "Member",
    "PolicyCategory",
    "PolicyRelation",
    "Posting",
    "Poverty",
    "PovertyStandard",
    "Review",
    "ReviewCampaign",
    "Service",
    "StandardIndicator",
    "Status",
    "Survey",
    "SurveyMember",
    "VillageMeeting",
    "national_id_validator",
]

"""The review campaigns in the staff admin, to read only: every step is a service behind the
campaign's pages (households.views_campaign), and the decision alone changes households'
classifications, so nothing here adds, changes or deletes."""

from django.contrib import admin

from core.admin.display import ReadOnlyAdmin as BaseReadOnlyAdmin
from core.paginator import CappedCountPaginator
from households.models import (
    CampaignHousehold,
    Complaint,
    Decision,
    MeetingVote,
    Posting,
    ReviewCampaign,
    VillageMeeting,
)


class ReadOnlyAdmin(BaseReadOnlyAdmin):
    """Show the rows and their history; refuse every add, change and delete."""

    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.concrete_fields]


@admin.register(ReviewCampaign)
class ReviewCampaignAdmin(ReadOnlyAdmin):
    list_display = ["commune", "year", "kind", "standard", "opened_on", "closed"]
    list_filter = ["kind", "closed", "year"]
    list_select_related = ["commune", "standard"]


@admin.register(CampaignHousehold)
class CampaignHouseholdAdmin(ReadOnlyAdmin):
    list_display = ["household", "campaign", "village", "why", "state", "proposed", "resurvey"]
    list_filter = ["state", "why"]
    list_select_related = ["household", "campaign__commune", "village"]
    search_fields = ["household__code"]


@admin.register(VillageMeeting)
class VillageMeetingAdmin(ReadOnlyAdmin):
    list_display = ["village", "held_on", "chair", "present", "campaign"]
    list_select_related = ["village", "campaign__commune"]


@admin.register(MeetingVote)
class MeetingVoteAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "entry", "proposed", "votes_for", "agreed"]
    list_select_related = ["meeting__village", "entry__household", "entry__campaign__commune"]


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "village", "posted_from", "posted_until", "place"]
    list_select_related = ["campaign__commune", "village"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "complainant", "received_on", "settled_on"]
    list_select_related = ["campaign__commune"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "signed_on", "signer", "campaign"]
    list_select_related = ["campaign__commune"]

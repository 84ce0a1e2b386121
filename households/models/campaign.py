"""The review campaign of a commune and year (Decision 24/2021/QĐ-TTg), step by step.

list → survey → village meeting → public posting → commune decision. Each step is a service
with a state guard (``households.services.campaign``); only the decision changes households'
classifications. An ad-hoc review is a campaign of one household.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.fields import EventDateField
from core.models import TimeStamped, audit_user, history_field
from households.models.household import Concern, Household, Poverty
from households.models.standard import PovertyStandard
from outreach.models import Commune, Village


class ReviewCampaign(TimeStamped):
    """One commune's review for a year: the periodic one (1 September to 14 December) or an
    ad-hoc review of one household."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Periodic review")
        ADHOC = "adhoc", _("Ad-hoc review")

    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="review_campaigns",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERIODIC)
    standard = models.ForeignKey(
        PovertyStandard,
        verbose_name=_("poverty standard"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    opened_on = EventDateField(_("opened on"))
    opened_by = audit_user(_("opened by"))
    # Set by the commune decision: the campaign is then read-only.
    closed = models.BooleanField(_("closed"), default=False, editable=False)

    history = history_field()

    class Meta:
        verbose_name = _("review campaign")
        verbose_name_plural = _("review campaigns")
        ordering = ["-year", "commune_id", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year"],
                condition=Q(kind="periodic"),
                name="review_campaign_one_periodic_per_year",
                violation_error_message=_("This commune's review for this year is already open."),
            )
        ]
        indexes = [models.Index(fields=["commune", "year"])]

    def __str__(self) -> str:
        return f"{self.commune} · {self.year} · {self.get_kind_display()}"


class CampaignHousehold(TimeStamped):
    """A household on a campaign's list, and how far it has come."""

    class Why(models.TextChoices):
        POOR = "poor", _("Poor this year")
        NEAR_POOR = "near_poor", _("Near-poor this year")
        REQUESTED = "requested", _("The household asked")
        ADDED = "added", _("Added by the commune")

    class State(models.TextChoices):
        LISTED = "listed", _("To survey")
        SURVEYED = "surveyed", _("Surveyed")
        AGREED = "agreed", _("Agreed at the village meeting")
        DECIDED = "decided", _("Decided")

    campaign = models.ForeignKey(
        ReviewCampaign,
        verbose_name=_("review campaign"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="campaign_entries",
    )
    # Kept so that the list by village needs no join through the household.
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    why = models.CharField(_("why it is reviewed"), max_length=20, choices=Why.choices)
    note = models.CharField(_("reason"), max_length=255, blank=True)
    # The household's written request (Mẫu số 01), recorded on its file like a concern.
    request = models.ForeignKey(
        Concern,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("step"), max_length=20, choices=State.choices, default=State.LISTED)
    # A village meeting did not agree: the household is surveyed again.
    resurvey = models.BooleanField(_("to be surveyed again"), default=False)
    # What the survey's arithmetic gives; provisional until the decision.
    proposed = models.CharField(
        _("proposed classification"), max_length=20, choices=Poverty.choices, blank=True
    )
    added_by = audit_user(_("added by"))

    history = history_field()

    class Meta:
        verbose_name = _("household under review")
        verbose_name_plural = _("households under review")
        ordering = ["campaign_id", "village_id", "household_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "household"],
                name="campaign_household_unique",
                violation_error_message=_("This household is already on the list."),
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "state"]),
            models.Index(fields=["campaign", "village"]),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.household.code}"


class VillageMeeting(TimeStamped):
    """The village meeting (họp dân) where the list is read out and voted on."""

    campaign = models.ForeignKey(
        ReviewCampaign,
        verbose_name=_("review campaign"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = EventDateField(_("held on"), past=True)
    chair = models.CharField(_("chaired by"), max_length=120)
    supervisor = models.CharField(_("for the Fatherland Front"), max_length=120, blank=True)
    secretary = models.CharField(_("minutes taken by"), max_length=120, blank=True)
    present = models.PositiveIntegerField(_("people present"), validators=[MinValueValidator(1)])
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = audit_user(_("recorded by"))

    history = history_field()

    class Meta:
        verbose_name = _("village meeting")
        verbose_name_plural = _("village meetings")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(present__gte=1),
                name="village_meeting_someone_present",
                violation_error_message=_("Say how many people were present."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.village} · {self.held_on:%d/%m/%Y}"


class MeetingVote(models.Model):
    """How many of those present agreed with a household's proposed classification."""

    meeting = models.ForeignKey(
        VillageMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="votes"
    )
    entry = models.ForeignKey(
        CampaignHousehold,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="votes",
    )
    proposed = models.CharField(
        _("classification read out"), max_length=20, choices=Poverty.choices
    )
    votes_for = models.PositiveIntegerField(_("agreed"))
    # More than half of those present: computed by the service from the meeting's count.
    agreed = models.BooleanField(_("carried"), editable=False)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["meeting_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "entry"],
                name="meeting_vote_once_per_household",
                violation_error_message=_("This household was already voted on at this meeting."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.entry.household.code} · {self.votes_for}"


class Posting(TimeStamped):
    """The public posting of the results, at a village or at the commune."""

    campaign = models.ForeignKey(
        ReviewCampaign,
        verbose_name=_("review campaign"),
        on_delete=models.PROTECT,
        related_name="postings",
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for the commune's own notice board."),
    )
    posted_from = EventDateField(_("posted from"))
    posted_until = EventDateField(_("posted until"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    recorded_by = audit_user(_("recorded by"))

    history = history_field()

    class Meta:
        verbose_name = _("public posting")
        verbose_name_plural = _("public postings")
        ordering = ["-posted_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(posted_until__gte=F("posted_from")),
                name="posting_dates_in_order",
                violation_error_message=_("The posting cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.posted_from:%d/%m/%Y}–{self.posted_until:%d/%m/%Y}"


class Complaint(TimeStamped):
    """A complaint about the results, made while they are posted; settled before the decision."""

    campaign = models.ForeignKey(
        ReviewCampaign,
        verbose_name=_("review campaign"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    entry = models.ForeignKey(
        CampaignHousehold,
        verbose_name=_("about the household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    received_on = EventDateField(_("received on"), past=True)
    complainant = models.CharField(_("from"), max_length=120)
    text = models.TextField(_("complaint"))
    settled_on = EventDateField(_("settled on"), null=True, blank=True)
    resolution = models.TextField(_("how it was settled"), blank=True)
    recorded_by = audit_user(_("recorded by"))

    history = history_field()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["campaign", "settled_on"])]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.complainant} · {self.received_on:%d/%m/%Y}"


class Decision(TimeStamped):
    """The commune's decision recognising the poor, near-poor and average households: the only
    act that changes households' classifications."""

    campaign = models.OneToOneField(
        ReviewCampaign,
        verbose_name=_("review campaign"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    number = models.CharField(_("decision number"), max_length=60)
    signed_on = EventDateField(_("signed on"), past=True)
    signer = models.CharField(_("signed by"), max_length=120)
    signer_title = models.CharField(_("title of the signer"), max_length=120, blank=True)
    recorded_by = audit_user(_("recorded by"))

    history = history_field()

    class Meta:
        verbose_name = _("commune decision")
        verbose_name_plural = _("commune decisions")
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} · {self.signed_on:%d/%m/%Y}"

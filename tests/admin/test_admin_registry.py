"""The staff admin's registry: every model registered with a builder of one row, Django's
checks, pickers instead of selects, and every page rendering, its queries not growing with
rows."""

import datetime
import itertools

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    ForeignKeyRawIdWidget,
    ManyToManyRawIdWidget,
)
from django.core import checks
from django.db import connection
from django.forms import ModelChoiceField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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
from channel.models import (
    Delivery,
    Post,
    PostPhoto,
    PublicFaultReport,
    ReportLinkCode,
    SiteProfile,
    Subscription,
    ZaloConnection,
)
from channel.services import site_profile_update
from core.models import Job, Reminder
from households.models import (
    CaseFileView,
    Concern,
    Household,
    HouseholdImport,
    ImportLayout,
    Member,
    Review,
)
from outreach.models import (
    Commune,
    District,
    Donation,
    Partner,
    Partnership,
    Province,
    ReportLink,
    RoleAssignment,
    Village,
)
from tests import factories as f
from tests.admin.pages import _url
from tests.channel import factories as channel_f
from tests.channel.factories import notice_builders
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    AssetFactory,
    CommuneFactory,
    DistrictFactory,
    DonationFactory,
    GrantFactory,
    HouseholdFactory,
    MaintenanceLogFactory,
    MemberFactory,
    ParticipationFactory,
    PartnerFactory,
    PartnershipFactory,
    PhotoFactory,
    ProvinceFactory,
    ReceiptFactory,
    ReviewFactory,
    RoleAssignmentFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"core", "outreach", "households", "activities", "channel"}
ENDED = datetime.date(2025, 6, 30)

# --- Rows to list: each builder makes one row with every relation the list shows filled in ----


def _job():
    return Job.objects.create(kind="export", total=10, progress=5, created_by=UserFactory())


def _reminder():
    return Reminder.objects.create(kind="reviews_due", recipient=UserFactory(), period="2026-02-02")


def _province():
    return ProvinceFactory(merged_into=ProvinceFactory(), valid_until=ENDED)


def _district():
    return DistrictFactory(merged_into=DistrictFactory(), valid_until=ENDED)


def _commune():
    district = DistrictFactory()
    return CommuneFactory(
        province=district.province,
        district=district,
        merged_into=CommuneFactory(),
        valid_until=ENDED,
    )


def _village():
    return VillageFactory(merged_into=VillageFactory(), valid_until=ENDED)


def _partner():
    return PartnerFactory(parent=PartnerFactory())


def _donation():
    return AllocationFactory(donation__created_by=UserFactory()).donation


def _household():
    member = MemberFactory()
    ReviewFactory(household=member.household, reviewer=UserFactory())
    return member.household


def _review():
    return ReviewFactory(reviewer=UserFactory())


def _activity():
    activity = ActivityFactory()
    activity.villages.add(VillageFactory(commune=activity.partnership.commune))
    ParticipationFactory(activity=activity)
    return activity


def _distribution():
    return ReceiptFactory(confirmed_by=UserFactory(), confirmed_at=timezone.now()).distribution


def _receipt():
    return ReceiptFactory(confirmed_by=UserFactory(), confirmed_at=timezone.now())


def _asset():
    asset = AssetFactory()
    asset.household = HouseholdFactory(village=asset.village)
    asset.save()
    MaintenanceLogFactory(asset=asset, recorded_by=UserFactory())
    return asset


def _maintenance_log():
    return MaintenanceLogFactory(recorded_by=UserFactory())


def _grant():
    grant = GrantFactory()
    grant.activity = ActivityFactory(partnership=grant.partnership)
    grant.save()
    AllocationFactory(
        donation__partnership=grant.partnership, distribution=None, grant=grant, amount_vnd=10
    )
    return grant


_targets = itertools.cycle(["distribution", "asset", "grant"])


def _allocation():
    donation = DonationFactory(created_by=UserFactory())
    target = next(_targets)
    if target == "distribution":
        return AllocationFactory(donation=donation, created_by=UserFactory())
    if target == "asset":
        asset = AssetFactory(partnership=donation.partnership)
        return AllocationFactory(donation=donation, distribution=None, asset=asset, amount_vnd=10)
    grant = GrantFactory(partnership=donation.partnership)
    return AllocationFactory(donation=donation, distribution=None, grant=grant, amount_vnd=10)


def _case_file_view():
    return CaseFileView.objects.create(household=HouseholdFactory(), user=UserFactory())


def _report_link():
    return ReportLink.objects.create(partner=PartnerFactory(), expires_on=datetime.date(2099, 1, 1))


def _role_assignment():
    return RoleAssignmentFactory()


BUILDERS = {
    Job: _job,
    Reminder: _reminder,
    RoleAssignment: _role_assignment,
    ReportLink: _report_link,
    CaseFileView: _case_file_view,
    HouseholdImport: lambda: f.HouseholdImportFactory(
        created_by=UserFactory(), check_job=Job.objects.create(kind="household_import_preview")
    ),
    ImportLayout: lambda: ImportLayout.objects.create(
        commune=_commune(),
        columns=[{"header": "Thôn", "field": "village"}],
        updated_by=UserFactory(),
    ),
    Province: _province,
    District: _district,
    Commune: _commune,
    Village: _village,
    Partner: _partner,
    Partnership: PartnershipFactory,
    Donation: _donation,
    Household: _household,
    Member: MemberFactory,
    Review: _review,
    Activity: _activity,
    Participation: ParticipationFactory,
    Photo: PhotoFactory,
    Distribution: _distribution,
    Receipt: _receipt,
    Asset: _asset,
    MaintenanceLog: _maintenance_log,
    Grant: _grant,
    GrantPayment: lambda: f.GrantPaymentFactory(recorded_by=UserFactory()),
    SiteProfile: lambda: site_profile_update(actor=None, office_name="Văn phòng Tỉnh ủy"),
    Allocation: _allocation,
    Concern: lambda: f.ConcernFactory(handled_by=UserFactory(), recorded_by=UserFactory()),
    VerificationRound: lambda: f.VerificationRoundFactory(started_by=UserFactory()),
    Verification: lambda: f.VerificationFactory(verified_by=UserFactory()),
    Post: lambda: (
        channel_f.PostPhotoFactory(
            post__created_by=UserFactory(), post__village=None, uploaded_by=UserFactory()
        ).post
    ),
    PostPhoto: lambda: channel_f.PostPhotoFactory(uploaded_by=UserFactory()),
    Subscription: channel_f.SubscriptionFactory,
    Delivery: channel_f.DeliveryFactory,
    PublicFaultReport: lambda: channel_f.PublicFaultReportFactory(
        handled_by=UserFactory(), log=f.MaintenanceLogFactory()
    ),
    ReportLinkCode: channel_f.ReportLinkCodeFactory,
    **notice_builders(),
}


def _standard():
    from households.models import PovertyStandard

    n = PovertyStandard.objects.count()
    return PovertyStandard.objects.create(
        code=f"T-{n}",
        name=f"Chuẩn thử {n}",
        decree="Nghị định thử",
        valid_from=datetime.date(2100 + n, 1, 1),
        valid_until=datetime.date(2100 + n, 12, 31),
        income_line_rural_vnd=1_000_000,
        income_line_urban_vnd=1_200_000,
    )


def _survey():
    from households.services import survey_start

    entry = f.CampaignHouseholdFactory()
    MemberFactory(household=entry.household)
    return survey_start(actor=None, entry=entry)


def _survey_builders() -> dict:
    """The standards, the B1 tables and the surveys (households.admin_standards)."""
    from households.models import (
        IncomeTable,
        PovertyStandard,
        StandardIndicator,
        Survey,
        SurveyMember,
    )

    return {
        PovertyStandard: _standard,
        StandardIndicator: lambda: StandardIndicator.objects.create(
            standard=_standard(), code="water", service="water", deprived_when="x"
        ),
        IncomeTable: lambda: IncomeTable.objects.create(name="Bảng thử", standard=_standard()),
        Survey: _survey,
        SurveyMember: lambda: _survey().people.get(),
    }


def _campaign_builders() -> dict:
    """The review campaign's models, each a row of a campaign run to its decision."""
    from households import models as hm
    from tests.households.campaign import helpers as h

    paths = {
        hm.ReviewCampaign: "pk",
        hm.CampaignHousehold: "campaign_id",
        hm.VillageMeeting: "campaign_id",
        hm.MeetingVote: "meeting__campaign_id",
        hm.Posting: "campaign_id",
        hm.Complaint: "campaign_id",
        hm.Decision: "campaign_id",
    }

    def builder(model):
        def build():
            campaign = h.decided(f.CommuneFactory())
            return model.objects.filter(**{paths[model]: campaign.pk}).first()

        return build

    return {model: builder(model) for model in paths}


BUILDERS.update(_survey_builders())
BUILDERS.update(_campaign_builders())
MODELS = pytest.mark.parametrize("model", list(BUILDERS), ids=lambda model: model.__name__)


# --- Coverage of the registry ------------------------------------------------------------------


def test_every_model_of_the_project_is_in_the_admin():
    """A new model without an admin entry (or without a list test below) fails here."""
    models = {
        model
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        # Historical models (django-simple-history) are shown on their record's History page.
        if not model._meta.auto_created and not hasattr(model, "instance_type")
    }
    registered = {model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS}
    assert models - registered == set(), "models without an admin"
    assert registered == set(BUILDERS), "registered models without a builder in this test"


def test_admin_configuration_passes_django_checks():
    assert checks.run_checks(tags=[checks.Tags.admin]) == []


def test_no_form_offers_a_select_of_every_row(rf, admin_user):
    """Relations are picked by autocomplete (or raw id): a million households fit no <select>."""
    request = rf.get("/")
    request.user = admin_user
    pickers = (
        AutocompleteSelect,
        AutocompleteSelectMultiple,
        ForeignKeyRawIdWidget,
        ManyToManyRawIdWidget,
    )
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        form_classes = [model_admin.get_form(request, None, change=False)]
        form_classes += [
            inline_class(model, admin.site).get_formset(request, None).form
            for inline_class in model_admin.inlines
        ]
        for form_class in form_classes:
            for name, field in form_class.base_fields.items():
                if isinstance(field, ModelChoiceField):
                    widget = getattr(field.widget, "widget", field.widget)
                    assert isinstance(widget, pickers), f"{model.__name__}.{name}: {widget}"
                    checked += 1
    assert checked > 30


# --- Every page renders, lists in a bounded number of queries ----------------------------------


@MODELS
def test_changelist_queries_do_not_grow_with_rows(staff_client, model):
    build = BUILDERS[model]
    for _ in range(2):
        build()
    url = _url(model, "changelist")
    assert staff_client.get(url).status_code == 200  # warm caches (content types, sessions)

    with CaptureQueriesContext(connection) as few:
        response = staff_client.get(url)
    assert response.status_code == 200

    for _ in range(10):
        build()
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert response.status_code == 200
    # The site profile is one row however often it is written.
    single = {SiteProfile, ZaloConnection}
    assert response.context["cl"].result_count >= (1 if model in single else 12)
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


@MODELS
def test_add_page_renders_where_adding_is_allowed(staff_client, rf, admin_user, model):
    request = rf.get("/")
    request.user = admin_user
    allowed = admin.site.get_model_admin(model).has_add_permission(request)
    response = staff_client.get(_url(model, "add"))
    assert response.status_code == (200 if allowed else 403)


@MODELS
def test_change_page_renders(staff_client, model):
    obj = BUILDERS[model]()
    response = staff_client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200


def _inline_rows(model, parent) -> None:
    """Add one row to every inline of ``parent``'s change page."""
    user = UserFactory()
    if model is Household:
        MemberFactory(household=parent)
        ReviewFactory(household=parent, reviewer=user)
    elif model is Donation:
        AllocationFactory(donation=parent, amount_vnd=10, created_by=user)
    elif model is Distribution:
        ReceiptFactory(distribution=parent, confirmed_by=user, confirmed_at=timezone.now())
    elif model is Asset:
        MaintenanceLogFactory(asset=parent, recorded_by=user)
    elif model is Activity:
        ParticipationFactory(activity=parent)
        PhotoFactory(activity=parent)


@pytest.mark.parametrize(
    "model",
    [Household, Donation, Distribution, Asset, Activity],
    ids=lambda model: model.__name__,
)
def test_change_page_queries_do_not_grow_with_inline_rows(staff_client, model):
    parent = BUILDERS[model]()
    for _ in range(2):
        _inline_rows(model, parent)
    url = _url(model, "change", parent.pk)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for _ in range(10):
        _inline_rows(model, parent)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


@pytest.mark.parametrize(
    "model", [Household, Donation, Distribution, Receipt], ids=lambda model: model.__name__
)
def test_deleting_records_of_what_happened_is_refused(staff_client, model):
    obj = BUILDERS[model]()
    response = staff_client.get(_url(model, "delete", obj.pk))
    assert response.status_code == 403
    action_form = staff_client.get(_url(model, "changelist")).context["action_form"]
    actions = [] if action_form is None else action_form.fields["action"].choices
    assert "delete_selected" not in [name for name, _label in actions]
    assert model.objects.filter(pk=obj.pk).exists()

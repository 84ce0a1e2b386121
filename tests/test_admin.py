"""The staff admin: every model registered, lists that do not grow queries with rows, and writes
that go through the services (a refusal is a form error, and nothing is saved)."""

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
from django.urls import reverse
from django.utils import timezone

from activities.admin.money import AllocationInline
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
from activities.services import receipt_confirm
from channel.models import (
    Delivery,
    Post,
    PostPhoto,
    PublicFaultReport,
    ReportLinkCode,
    SiteProfile,
    Subscription,
)
from channel.services import site_profile_update
from core.models import Job, Reminder
from households.models import CaseFileView, Concern, Household, Member, Review, Status
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
from tests.channel import factories as channel_f
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    AssetFactory,
    CommuneFactory,
    DistributionFactory,
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


@pytest.fixture
def staff_client(client, admin_user):
    """A client logged in as an administrator who switched the admin to English (source text)."""
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"  # as the language switch sets it
    return client


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _form_data(response, **overrides) -> dict:
    """Return the POST data of the admin form on ``response`` as rendered, with ``overrides``."""
    data = {}

    def add(form) -> None:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(item) for item in value]
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data.update(overrides)
    return data


def _errors(response) -> str:
    """All the errors the admin page shows, main form and inlines, as one string."""
    assert response.status_code == 200, "expected the form again, with errors"
    shown = []
    for errors in response.context["errors"]:
        # A formset's own errors come as plain strings, a form's as a list.
        shown += [errors] if isinstance(errors, str) else list(errors)
    return " ".join(shown)


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
}
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
    assert response.context["cl"].result_count >= (1 if model is SiteProfile else 12)
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


# --- Households --------------------------------------------------------------------------------


def test_household_is_added_through_the_service_with_its_members(staff_client, admin_user):
    village = VillageFactory()
    page = staff_client.get(_url(Household, "add"))
    data = _form_data(
        page,
        village=village.pk,
        code="LP-0101",
        head_name="  Ma  Đình Liệu ",
        **{
            "members-TOTAL_FORMS": "1",
            "members-0-full_name": "Ma Thị Hoa",
            "members-0-sex": Member.Sex.FEMALE,
            "members-0-birth_year": "1985",
            "members-0-relation": Member.Relation.SPOUSE,
            "members-0-ethnicity": Member.Ethnicity.TAY,
        },
    )
    response = staff_client.post(_url(Household, "add"), data)
    assert response.status_code == 302, _errors(response)
    household = Household.objects.get(code="LP-0101")
    assert household.head_name == "Ma Đình Liệu"  # the service tidies the name
    assert household.commune == village.commune
    assert household.created_by == admin_user
    assert household.search_text == "lp-0101 ma dinh lieu ma thi hoa"
    assert household.members.get().full_name == "Ma Thị Hoa"


def test_duplicate_household_code_shows_the_error_and_creates_nothing(staff_client):
    existing = HouseholdFactory(code="LP-0001")
    other_village = VillageFactory(commune=existing.commune)
    page = staff_client.get(_url(Household, "add"))
    data = _form_data(
        page,
        village=other_village.pk,
        code="LP-0001",
        head_name="Lý Văn A",
        **{
            "members-TOTAL_FORMS": "1",
            "members-0-full_name": "Lý Thị B",
            "members-0-sex": Member.Sex.FEMALE,
            "members-0-birth_year": "1990",
            "members-0-relation": Member.Relation.SPOUSE,
            "members-0-ethnicity": Member.Ethnicity.DAO,
        },
    )
    response = staff_client.post(_url(Household, "add"), data)
    assert "This commune already has a household with this code." in _errors(response)
    assert Household.objects.count() == 1
    assert Member.objects.count() == 0
    # The input is kept, the member row included.
    form = response.context["adminform"].form
    assert form["head_name"].value() == "Lý Văn A"
    assert "Lý Thị B" in response.content.decode()


def test_refused_member_row_is_shown_on_the_row_and_nothing_is_saved(staff_client):
    household = HouseholdFactory(head_name="Bàn Văn Sơn")
    MemberFactory(household=household, relation=Member.Relation.HEAD)
    url = _url(Household, "change", household.pk)
    data = _form_data(
        staff_client.get(url),
        head_name="Bàn Văn Sơn Mới",
        **{
            "members-TOTAL_FORMS": "2",
            "members-1-full_name": "Bàn Văn Hai",
            "members-1-sex": Member.Sex.MALE,
            "members-1-birth_year": "1970",
            "members-1-relation": Member.Relation.HEAD,
            "members-1-ethnicity": Member.Ethnicity.DAO,
        },
    )
    response = staff_client.post(url, data)
    assert "This household already has a head." in _errors(response)
    members_formset = response.context["inline_admin_formsets"][0].formset
    assert members_formset.forms[1].errors
    household.refresh_from_db()
    assert household.head_name == "Bàn Văn Sơn"  # the household's own change was rolled back
    assert household.members.count() == 1


def test_household_search_ignores_diacritics_and_case(staff_client):
    wanted = HouseholdFactory(head_name="Ma Đình Liệu")
    HouseholdFactory(head_name="Hoàng Văn Thụ")
    response = staff_client.get(_url(Household, "changelist"), {"q": "ma dinh lieu"})
    assert list(response.context["cl"].result_list) == [wanted]
    response = staff_client.get(_url(Household, "changelist"), {"q": "MA ĐÌNH"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_household_autocomplete_ignores_diacritics(staff_client):
    wanted = HouseholdFactory(head_name="Ma Đình Liệu")
    HouseholdFactory(head_name="Hoàng Văn Thụ")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "dinh lieu",
            "app_label": "activities",
            "model_name": "receipt",
            "field_name": "household",
        },
    )
    assert [row["id"] for row in response.json()["results"]] == [str(wanted.pk)]


def test_archive_and_restore_actions(staff_client):
    households = HouseholdFactory.create_batch(2)
    url = _url(Household, "changelist")
    pks = [household.pk for household in households]
    staff_client.post(url, {"action": "archive", "_selected_action": pks})
    assert Household.objects.filter(archived=True, archived_at__isnull=False).count() == 2
    staff_client.post(url, {"action": "restore", "_selected_action": pks})
    assert Household.objects.filter(archived=False, archived_at__isnull=True).count() == 2


def test_review_is_recorded_through_the_service_and_sets_the_status(staff_client, admin_user):
    household = HouseholdFactory()
    data = _form_data(
        staff_client.get(_url(Review, "add")),
        household=household.pk,
        reviewed_on="2024-05-02",
        status=Status.NEAR_POOR,
        reason="Thu nhập tăng",
    )
    response = staff_client.post(_url(Review, "add"), data)
    assert response.status_code == 302, _errors(response)
    review = Review.objects.get()
    assert review.reviewer == admin_user
    household.refresh_from_db()
    assert household.status == Status.NEAR_POOR
    assert household.last_reviewed_on == datetime.date(2024, 5, 2)


def test_review_in_the_future_is_refused_as_a_field_error(staff_client):
    household = HouseholdFactory()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = _form_data(
        staff_client.get(_url(Review, "add")),
        household=household.pk,
        reviewed_on=tomorrow.isoformat(),
        status=Status.POOR,
        reason="…",
    )
    response = staff_client.post(_url(Review, "add"), data)
    form = response.context["adminform"].form
    assert "A review cannot be dated in the future." in str(form.errors["reviewed_on"])
    assert not Review.objects.exists()


def test_reviews_cannot_be_changed_or_deleted(staff_client):
    review = ReviewFactory()
    response = staff_client.post(_url(Review, "change", review.pk), {"reason": "changed"})
    assert response.status_code == 403
    assert staff_client.get(_url(Review, "delete", review.pk)).status_code == 403


# --- The money trail ---------------------------------------------------------------------------


def test_over_allocation_shows_what_is_left_and_saves_nothing(staff_client):
    donation = DonationFactory(value_vnd=50_000_000)
    AllocationFactory(donation=donation, amount_vnd=45_000_000)
    distribution = DistributionFactory(partnership=donation.partnership)
    data = _form_data(
        staff_client.get(_url(Allocation, "add")),
        donation=donation.pk,
        amount_vnd="10000000",
        allocated_on="2024-02-01",
        distribution=distribution.pk,
    )
    response = staff_client.post(_url(Allocation, "add"), data)
    form = response.context["adminform"].form
    assert "left to allocate" in str(form.errors["amount_vnd"])
    assert "5.000.000 ₫" in str(form.errors["amount_vnd"])
    assert form["amount_vnd"].value() == "10000000"
    assert Allocation.objects.count() == 1


def test_allocation_is_made_through_the_service(staff_client, admin_user):
    donation = DonationFactory(value_vnd=50_000_000)
    grant = GrantFactory(partnership=donation.partnership, amount_vnd=70_000_000)
    data = _form_data(
        staff_client.get(_url(Allocation, "add")),
        donation=donation.pk,
        amount_vnd="20000000",
        allocated_on="2024-06-02",
        grant=grant.pk,
    )
    response = staff_client.post(_url(Allocation, "add"), data)
    assert response.status_code == 302, _errors(response)
    allocation = Allocation.objects.get()
    assert allocation.grant == grant
    assert allocation.created_by == admin_user


def test_allocation_change_goes_through_allocation_update(staff_client):
    allocation = AllocationFactory(amount_vnd=1_000_000, donation__value_vnd=2_000_000)
    url = _url(Allocation, "change", allocation.pk)
    response = staff_client.post(url, _form_data(staff_client.get(url), amount_vnd="3000000"))
    assert "left to allocate" in _errors(response)
    response = staff_client.post(url, _form_data(staff_client.get(url), amount_vnd="1500000"))
    assert response.status_code == 302, _errors(response)
    allocation.refresh_from_db()
    assert allocation.amount_vnd == 1_500_000


def test_over_allocation_in_the_donation_inline_is_shown_on_its_row(staff_client):
    donation = DonationFactory(value_vnd=50_000_000)
    distribution = DistributionFactory(partnership=donation.partnership)
    url = _url(Donation, "change", donation.pk)
    page = staff_client.get(url)
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if isinstance(inline.opts, AllocationInline)
    )
    data = _form_data(
        page,
        note="Chuyển khoản",
        **{
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-amount_vnd": "60000000",
            f"{prefix}-0-allocated_on": "2024-02-01",
            f"{prefix}-0-distribution": str(distribution.pk),
        },
    )
    response = staff_client.post(url, data)
    assert "left to allocate" in _errors(response)
    donation.refresh_from_db()
    assert donation.note == ""  # the donation's own change was rolled back too
    assert not Allocation.objects.exists()


def test_donation_inline_allocates_and_removes_through_the_services(staff_client):
    donation = DonationFactory(value_vnd=50_000_000)
    distribution = DistributionFactory(partnership=donation.partnership)
    url = _url(Donation, "change", donation.pk)
    page = staff_client.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data = _form_data(
        page,
        **{
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-amount_vnd": "30000000",
            f"{prefix}-0-allocated_on": "2024-02-01",
            f"{prefix}-0-distribution": str(distribution.pk),
        },
    )
    assert staff_client.post(url, data).status_code == 302
    allocation = Allocation.objects.get(donation=donation)
    assert allocation.amount_vnd == 30_000_000

    data = _form_data(staff_client.get(url), **{f"{prefix}-0-DELETE": "on"})
    assert staff_client.post(url, data).status_code == 302
    assert not Allocation.objects.exists()


def test_allocation_of_a_closed_distribution_cannot_be_removed_from_the_inline(staff_client):
    allocation = AllocationFactory(distribution__status=Distribution.Status.CLOSED)
    url = _url(Donation, "change", allocation.donation_id)
    page = staff_client.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    response = staff_client.post(url, _form_data(page, **{f"{prefix}-0-DELETE": "on"}))
    assert "A closed distribution cannot change." in _errors(response)
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_donation_is_recorded_and_cannot_drop_below_what_is_allocated(staff_client, admin_user):
    partnership = PartnershipFactory()
    partner = PartnerFactory(name="BIDV chi nhánh Tuyên Quang")
    data = _form_data(
        staff_client.get(_url(Donation, "add")),
        partnership=partnership.pk,
        partner=partner.pk,
        kind=Donation.Kind.CASH,
        received_on="2024-05-10",
        value_vnd="70000000",
    )
    response = staff_client.post(_url(Donation, "add"), data)
    assert response.status_code == 302, _errors(response)
    donation = Donation.objects.get()
    assert donation.created_by == admin_user
    AllocationFactory(
        donation=donation, amount_vnd=60_000_000, distribution__partnership=partnership
    )

    url = _url(Donation, "change", donation.pk)
    response = staff_client.post(url, _form_data(staff_client.get(url), value_vnd="50000000"))
    assert "60.000.000 ₫ of this donation is already allocated" in _errors(response)
    donation.refresh_from_db()
    assert donation.value_vnd == 70_000_000

    changelist = staff_client.get(_url(Donation, "changelist")).content.decode()
    assert "70.000.000 ₫" in changelist
    assert "10.000.000 ₫" in changelist  # left to allocate


def test_grant_changelist_shows_money_the_vietnamese_way(staff_client):
    GrantFactory(amount_vnd=70_000_000)
    response = staff_client.get(_url(Grant, "changelist"))
    assert "70.000.000 ₫" in response.content.decode()


def test_grant_is_saved_through_the_service_with_the_household_village(staff_client):
    household = HouseholdFactory()
    partnership = PartnershipFactory(commune=household.commune)
    data = _form_data(
        staff_client.get(_url(Grant, "add")),
        partnership=partnership.pk,
        household=household.pk,
        purpose=Grant.Purpose.HOUSE_BUILDING,
        amount_vnd="70000000",
        approved_on="2024-06-01",
    )
    response = staff_client.post(_url(Grant, "add"), data)
    assert response.status_code == 302, _errors(response)
    assert Grant.objects.get().village == household.village


def test_grant_for_a_household_outside_the_commune_is_refused(staff_client):
    household = HouseholdFactory()
    data = _form_data(
        staff_client.get(_url(Grant, "add")),
        partnership=PartnershipFactory().pk,
        household=household.pk,
        purpose=Grant.Purpose.HOUSE_REPAIR,
        amount_vnd="1000000",
        approved_on="2024-06-01",
    )
    response = staff_client.post(_url(Grant, "add"), data)
    assert "The household is not in the partnership's commune." in _errors(response)
    assert not Grant.objects.exists()


# --- Distributions and receipts ----------------------------------------------------------------


def test_distribution_moves_through_its_states_by_actions(staff_client):
    distribution = DistributionFactory()
    receipt = ReceiptFactory(distribution=distribution)
    AllocationFactory(
        distribution=distribution,
        donation__partnership=distribution.partnership,
        amount_vnd=receipt.value_vnd,
    )
    url = _url(Distribution, "changelist")
    staff_client.post(url, {"action": "approve", "_selected_action": [distribution.pk]})
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.APPROVED
    # Closing waits for the receipt: refused until it is confirmed (or marked not delivered).
    staff_client.post(url, {"action": "close", "_selected_action": [distribution.pk]})
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.APPROVED
    receipt_confirm(actor=None, receipt=receipt)
    staff_client.post(url, {"action": "close", "_selected_action": [distribution.pk]})
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.CLOSED
    # A closed distribution is read-only.
    response = staff_client.post(_url(Distribution, "change", distribution.pk), {"title": "x"})
    assert response.status_code == 403


def test_refused_transition_is_reported_and_nothing_changes(staff_client):
    draft = DistributionFactory()
    approved = DistributionFactory(status=Distribution.Status.APPROVED)
    response = staff_client.post(
        _url(Distribution, "changelist"),
        {"action": "start_distributing", "_selected_action": [draft.pk, approved.pk]},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert any("cannot go from Draft to Distributing" in message for message in shown)
    assert any("Nothing was changed" in message for message in shown)
    approved.refresh_from_db()
    assert approved.status == Distribution.Status.APPROVED  # all or nothing


def test_distribution_is_saved_as_a_draft_through_the_service(staff_client, admin_user):
    partnership = PartnershipFactory()
    data = _form_data(
        staff_client.get(_url(Distribution, "add")),
        partnership=partnership.pk,
        title="Trao 100 suất quà",
        distributed_on="2024-01-30",
        item_description="Quà Tết",
        value_per_item_vnd="500000",
    )
    response = staff_client.post(_url(Distribution, "add"), data)
    assert response.status_code == 302, _errors(response)
    distribution = Distribution.objects.get()
    assert distribution.status == Distribution.Status.DRAFT
    assert distribution.created_by == admin_user


def test_receipt_inline_adds_through_the_service_and_shows_refusals_on_the_row(staff_client):
    distribution = DistributionFactory()
    household = HouseholdFactory(village__commune=distribution.partnership.commune)
    url = _url(Distribution, "change", distribution.pk)
    row = {
        "receipts-TOTAL_FORMS": "1",
        "receipts-0-household": str(household.pk),
        "receipts-0-quantity": "2",
    }
    response = staff_client.post(url, _form_data(staff_client.get(url), **row))
    assert response.status_code == 302, _errors(response)
    receipt = Receipt.objects.get()
    assert receipt.value_vnd == 2 * distribution.value_per_item_vnd
    assert receipt.village == household.village

    row = {
        "receipts-TOTAL_FORMS": "2",
        "receipts-1-household": str(household.pk),
        "receipts-1-quantity": "1",
    }
    response = staff_client.post(url, _form_data(staff_client.get(url), **row))
    assert "Please correct the duplicate data for household." in _errors(response)
    assert Receipt.objects.count() == 1

    stranger = HouseholdFactory()  # another commune
    row["receipts-1-household"] = str(stranger.pk)
    response = staff_client.post(url, _form_data(staff_client.get(url), **row))
    assert "The household is not in the partnership's commune." in _errors(response)
    receipts_formset = response.context["inline_admin_formsets"][0].formset
    assert receipts_formset.forms[1].non_field_errors()  # shown on the refused row
    assert Receipt.objects.count() == 1


def test_confirm_receipts_action_confirms(staff_client, admin_user):
    distribution = DistributionFactory(status=Distribution.Status.APPROVED)
    receipts = ReceiptFactory.create_batch(3, distribution=distribution)
    response = staff_client.post(
        _url(Receipt, "changelist"),
        {"action": "confirm_receipts", "_selected_action": [receipt.pk for receipt in receipts]},
        follow=True,
    )
    assert "Receipts confirmed: 3." in [str(message) for message in response.context["messages"]]
    assert Receipt.objects.filter(confirmed_by=admin_user, confirmed_at__isnull=False).count() == 3
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DISTRIBUTING


def test_confirming_receipts_of_a_draft_is_refused_and_confirms_none(staff_client):
    good = ReceiptFactory(distribution__status=Distribution.Status.APPROVED)
    bad = ReceiptFactory()  # a draft distribution
    response = staff_client.post(
        _url(Receipt, "changelist"),
        {"action": "confirm_receipts", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    shown = " ".join(str(message) for message in response.context["messages"])
    assert "must be approved before receipts are confirmed" in shown
    assert not Receipt.objects.filter(confirmed_at__isnull=False).exists()


def test_receipt_list_links_from_the_distribution_and_searches_without_diacritics(staff_client):
    receipt = ReceiptFactory(household__head_name="Lý Thị Ngân")
    ReceiptFactory()
    distributions = staff_client.get(_url(Distribution, "changelist")).content.decode()
    link = f"?distribution__id__exact={receipt.distribution_id}"
    assert link in distributions
    response = staff_client.get(_url(Receipt, "changelist") + link)
    assert list(response.context["cl"].result_list) == [receipt]
    response = staff_client.get(_url(Receipt, "changelist"), {"q": "ly thi ngan"})
    assert list(response.context["cl"].result_list) == [receipt]


# --- Assets and activities ---------------------------------------------------------------------


def test_asset_is_registered_with_its_installation_and_logged_through_the_service(staff_client):
    partnership = PartnershipFactory()
    village = VillageFactory(commune=partnership.commune)
    data = _form_data(
        staff_client.get(_url(Asset, "add")),
        partnership=partnership.pk,
        kind=Asset.Kind.SOLAR_LIGHT,
        code="PH-DEN-01",
        village=village.pk,
        installed_on="2023-09-01",
        value_vnd="2050000",
    )
    response = staff_client.post(_url(Asset, "add"), data)
    assert response.status_code == 302, _errors(response)
    asset = Asset.objects.get()
    assert asset.logs.get().kind == MaintenanceLog.Kind.INSTALLATION

    data = _form_data(
        staff_client.get(_url(MaintenanceLog, "add")),
        asset=asset.pk,
        kind=MaintenanceLog.Kind.FAULT,
        happened_on="2024-03-01",
        note="Đèn không sáng",
    )
    response = staff_client.post(_url(MaintenanceLog, "add"), data)
    assert response.status_code == 302, _errors(response)
    asset.refresh_from_db()
    assert asset.status == Asset.Status.FAULTY  # status_after left empty follows from the kind


def test_maintenance_log_before_installation_is_refused(staff_client):
    asset = AssetFactory(installed_on=datetime.date(2023, 9, 1))
    data = _form_data(
        staff_client.get(_url(MaintenanceLog, "add")),
        asset=asset.pk,
        kind=MaintenanceLog.Kind.CHECK,
        happened_on="2023-01-01",
    )
    response = staff_client.post(_url(MaintenanceLog, "add"), data)
    assert "before the asset was installed" in _errors(response)
    assert not MaintenanceLog.objects.exists()


def test_activity_villages_are_set_by_the_service(staff_client, admin_user):
    partnership = PartnershipFactory()
    inside = VillageFactory(commune=partnership.commune, name="Pác Hợp")
    outside = VillageFactory(name="Bản Khác")
    fields = {
        "partnership": partnership.pk,
        "kind": Activity.Kind.COMMUNITY_WORK,
        "title": "Ra quân vệ sinh",
        "starts_on": "2024-03-26",
        "office_staff_count": "10",
        "cadre_count": "5",
        "resident_count": "40",
    }
    page = staff_client.get(_url(Activity, "add"))
    response = staff_client.post(
        _url(Activity, "add"), _form_data(page, villages=[inside.pk, outside.pk], **fields)
    )
    assert "Bản Khác" in str(response.context["adminform"].form.errors["villages"])
    assert not Activity.objects.exists()

    response = staff_client.post(
        _url(Activity, "add"), _form_data(page, villages=[inside.pk], **fields)
    )
    assert response.status_code == 302, _errors(response)
    activity = Activity.objects.get()
    assert list(activity.villages.all()) == [inside]
    assert activity.created_by == admin_user

"""The permission matrix: every URL of the project, for every role, inside and outside its scope.

Roles: anonymous, office staff of partnership A, a cadre of A's commune, a donor, an auditor, an
administrator, and an auditor whose role expired yesterday. Every model admin's pages are checked
with one object inside A and one in partnership B. A URL pattern that the matrix does not cover
fails ``test_the_matrix_covers_every_url``.
"""

import copy
import datetime
import uuid

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
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
    InboundMessage,
    Notice,
    NoticeAttempt,
    NotifyPreference,
    Post,
    PostPhoto,
    PublicFaultReport,
    QuotaDay,
    ReceiptCheck,
    ReportLinkCode,
    SiteProfile,
    Subscription,
    ZaloConnection,
    ZaloFollower,
    ZaloTemplate,
)
from channel.services import site_profile_update
from core.models import Job, Reminder
from households import models as hm
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
from outreach.services import role_assign
from tests import factories as f
from tests.channel import factories as channel_f
from tests.matrix import collected_pages

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role
ROLES = ["anonymous", "staff", "cadre", "donor", "auditor", "admin", "expired"]


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield (
                f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<{pattern.pattern}>"
            )


# Which rows office staff of partnership A see: their communes' rows, and reference data.
SCOPED = {
    Commune,
    Village,
    Partnership,
    Donation,
    Household,
    Member,
    Review,
    Concern,
    HouseholdImport,
    ImportLayout,
    Activity,
    VerificationRound,
    Verification,
    Participation,
    Photo,
    Distribution,
    Receipt,
    Asset,
    MaintenanceLog,
    Grant,
    GrantPayment,
    Allocation,
    Post,
    PostPhoto,
    PublicFaultReport,
    # A link shows all of one partner's money: the staff of the partner's partnerships alone.
    ReportLink,
    # A Zalo follower once linked to a member, and their messages: the staff of the commune.
    ZaloFollower,
    InboundMessage,
}
# The review campaign's models, and the path from each to its campaign.
CAMPAIGN_MODELS = {
    hm.ReviewCampaign: "pk",
    hm.CampaignHousehold: "campaign_id",
    hm.VillageMeeting: "campaign_id",
    hm.MeetingVote: "meeting__campaign_id",
    hm.Posting: "campaign_id",
    hm.Complaint: "campaign_id",
    hm.Decision: "campaign_id",
}
SCOPED |= set(CAMPAIGN_MODELS)
# Reference data and shared link codes: every office staff member sees them all.
REFERENCE = {Province, District, Partner, ReportLinkCode}
# The national poverty standards and B1 tables: every office staff member reads them.
REFERENCE |= {hm.PovertyStandard, hm.StandardIndicator, hm.IncomeTable}
# The survey at the door, by its campaign's commune.
SURVEY_MODELS = {hm.Survey, hm.SurveyMember}
SCOPED |= SURVEY_MODELS


def _build(model, partnership):
    """One row of ``model`` belonging to ``partnership`` (or shared, for reference data)."""
    commune = partnership.commune
    household = lambda: f.HouseholdFactory(village__commune=commune)  # noqa: E731
    builders = {
        Province: lambda: commune.province,
        District: lambda: f.DistrictFactory(province=commune.province),
        Partner: lambda: partnership.office,
        Commune: lambda: commune,
        Village: lambda: f.VillageFactory(commune=commune),
        Partnership: lambda: partnership,
        Donation: lambda: f.DonationFactory(partnership=partnership),
        Household: household,
        Member: lambda: f.MemberFactory(household=household()),
        Review: lambda: f.ReviewFactory(household=household()),
        Concern: lambda: f.ConcernFactory(household=household()),
        HouseholdImport: lambda: f.HouseholdImportFactory(commune=commune),
        ImportLayout: lambda: ImportLayout.objects.update_or_create(
            commune=commune, defaults={"columns": [{"header": "Chủ hộ", "field": "head_name"}]}
        )[0],
        VerificationRound: lambda: f.VerificationRoundFactory(
            distribution__partnership=partnership
        ),
        Verification: lambda: f.VerificationFactory(round__distribution__partnership=partnership),
        Activity: lambda: f.ActivityFactory(partnership=partnership),
        Participation: lambda: f.ParticipationFactory(activity__partnership=partnership),
        Photo: lambda: f.PhotoFactory(activity__partnership=partnership),
        Distribution: lambda: f.DistributionFactory(partnership=partnership),
        Receipt: lambda: f.ReceiptFactory(distribution__partnership=partnership),
        Asset: lambda: f.AssetFactory(partnership=partnership),
        MaintenanceLog: lambda: f.MaintenanceLogFactory(asset__partnership=partnership),
        Grant: lambda: f.GrantFactory(partnership=partnership),
        GrantPayment: lambda: f.GrantPaymentFactory(grant__partnership=partnership),
        Allocation: lambda: f.AllocationFactory(donation__partnership=partnership),
        RoleAssignment: lambda: f.RoleAssignmentFactory(commune=commune),
        Job: lambda: Job.objects.create(kind="import"),
        Reminder: lambda: Reminder.objects.create(
            kind="reviews_due", recipient=f.UserFactory(), period=f"p{partnership.pk}"
        ),
        ReportLink: lambda: ReportLink.objects.create(
            partner=partnership.office, expires_on=datetime.date(2099, 1, 1)
        ),
        CaseFileView: lambda: CaseFileView.objects.create(household=household()),
        get_user_model(): lambda: f.UserFactory(),
        Post: lambda: channel_f.PostFactory(partnership=partnership),
        SiteProfile: lambda: site_profile_update(actor=None, office_name="Văn phòng Tỉnh ủy"),
        PostPhoto: lambda: channel_f.PostPhotoFactory(post__partnership=partnership),
        PublicFaultReport: lambda: channel_f.PublicFaultReportFactory(
            asset__partnership=partnership
        ),
        ReportLinkCode: lambda: channel_f.ReportLinkCodeFactory(),
        # Each user's own rows: only auditors and administrators read others'.
        Subscription: lambda: channel_f.SubscriptionFactory(),
        Delivery: lambda: channel_f.DeliveryFactory(post__partnership=partnership),
        Group: lambda: Group.objects.get_or_create(name=f"Nhóm {partnership.pk}")[0],
        # Notices are read in the delivery log (channel:notice-list); the admin shows them to
        # auditors and administrators only, as the users' preferences.
        Notice: lambda: Notice.objects.create(
            kind="receipt",
            key=f"receipt:matrix:{uuid.uuid4().hex}",
            household=household(),
            text="…",
        ),
        NotifyPreference: lambda: NotifyPreference.objects.create(user=f.UserFactory()),
        ZaloFollower: lambda: ZaloFollower.objects.create(
            zalo_user_id=uuid.uuid4().hex[:20], member=f.MemberFactory(household=household())
        ),
        ZaloTemplate: lambda: ZaloTemplate.objects.create(
            template_id=uuid.uuid4().hex[:12], name="Mẫu", status="ENABLE"
        ),
        ZaloConnection: lambda: ZaloConnection.objects.get_or_create(pk=ZaloConnection.PK)[0],
        NoticeAttempt: lambda: NoticeAttempt.objects.create(
            notice=_build(Notice, partnership), channel="sms"
        ),
        QuotaDay: lambda: QuotaDay.objects.get_or_create(
            channel="sms", day=datetime.date(2026, 1, partnership.pk % 28 + 1)
        )[0],
        # A message from a sender linked to a member of the commune's household.
        InboundMessage: lambda: InboundMessage.objects.create(
            message_id=uuid.uuid4().hex,
            follower=_build(ZaloFollower, partnership),
            household=household(),
        ),
        ReceiptCheck: lambda: ReceiptCheck.objects.create(
            receipt=f.ReceiptFactory(distribution__partnership=partnership),
            notice=_build(Notice, partnership),
            message=_build(InboundMessage, partnership),
            outcome="received",
        ),
    }
    builder = (
        builders.get(model) or _campaign_builder(model, commune) or _survey_builder(model, commune)
    )
    if builder is not None:
        return builder()
    if model._meta.label == "axes.AccessFailureLog":
        return model.objects.create(
            user_agent="test", ip_address="127.0.0.1", username="nobody", http_accept="*/*"
        )
    # Rows of other library models (login attempts, logins): the world fixture made them.
    return None


def _survey_builder(model, commune):
    """A row of the standards (shipped by the migrations) or of a survey in ``commune``."""
    if model in {hm.PovertyStandard, hm.StandardIndicator, hm.IncomeTable}:

        def shipped():
            # The migrations load them without history: a save gives them a past version.
            row = model.objects.order_by("pk").first()
            row.save()
            return row

        return shipped
    if model not in SURVEY_MODELS:
        return None

    def build():
        from households.services import survey_start

        entry = f.CampaignHouseholdFactory(campaign__commune=commune)
        f.MemberFactory(household=entry.household)
        survey = survey_start(actor=None, entry=entry)
        return survey if model is hm.Survey else survey.people.get()

    return build


def _campaign_builder(model, commune):
    """A row of the review campaign's models, of a campaign of ``commune`` decided."""
    if model not in CAMPAIGN_MODELS:
        return None

    def build():
        from tests.households.campaign import helpers as h

        campaign = h.decided(commune)
        return model.objects.filter(**{CAMPAIGN_MODELS[model]: campaign.pk}).first()

    return build


def _make_world():
    inside, outside = f.PartnershipFactory(), f.PartnershipFactory()
    users = {"anonymous": None}
    users["staff"] = f.UserFactory(username="m-staff", is_staff=True)
    role_assign(actor=None, user=users["staff"], role=Role.OFFICE_STAFF, partnership=inside)
    users["cadre"] = f.UserFactory(username="m-cadre")
    role_assign(actor=None, user=users["cadre"], role=Role.COMMUNE_CADRE, commune=inside.commune)
    users["donor"] = f.UserFactory(username="m-donor")
    role_assign(actor=None, user=users["donor"], role=Role.DONOR, partner=f.PartnerFactory())
    users["auditor"] = f.UserFactory(username="m-auditor", is_staff=True)
    role_assign(actor=None, user=users["auditor"], role=Role.AUDITOR)
    users["admin"] = f.UserFactory(username="m-admin", is_staff=True, is_superuser=True)
    users["expired"] = f.UserFactory(username="m-expired", is_staff=True)
    role_assign(
        actor=None,
        user=users["expired"],
        role=Role.AUDITOR,
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    # A failed and a successful login give the login-protection models a row each.
    client = Client()
    client.post(reverse("login"), {"username": "m-staff", "password": "wrong"})
    client.post(reverse("login"), {"username": "m-staff", "password": "bacung-test-pass"})
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    return {"inside": inside, "outside": outside, "users": users}


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """Make the world once for the module's cases, inside a transaction rolled back after the
    last one, so that no other module sees its rows (Django's ``setUpTestData`` does the same
    for a class). Each case runs in a savepoint of it (pytest-django's ``db``) and undoes what
    it did."""
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            rows = _make_world()
        except BaseException:
            TestCase._rollback_atomics(atomics)
            raise
    yield rows
    with django_db_blocker.unblock():
        TestCase._rollback_atomics(atomics)


@pytest.fixture
def world(db, module_world):
    # A copy for each case, as setUpTestData gives: what a case caches on a user or changes on a
    # partnership in memory does not reach the next case.
    return copy.deepcopy(module_world)


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


def _visible(role, model, where) -> bool:
    if role in {"auditor", "admin"}:
        return True
    if model in REFERENCE:
        return True
    return model in SCOPED and where == "inside"


def _expected(role, user, model_admin, action, where, request_factory) -> int:
    """The status a role should get on one admin page."""
    if role in {"anonymous", "cadre", "donor", "expired"}:
        return 302  # to the admin's login: no staff role in force
    if action in {"change", "history", "delete"} and not _visible(role, model_admin.model, where):
        return 404  # missing and forbidden look the same
    request = request_factory.get("/")
    request.user = user
    allowed = {
        "changelist": model_admin.has_view_or_change_permission(request),
        "add": model_admin.has_add_permission(request),
        "change": model_admin.has_view_or_change_permission(request),
        "history": model_admin.has_view_or_change_permission(request),
        "delete": model_admin.has_delete_permission(request),
    }[action]
    return 200 if allowed else 403


ADMIN_ACTIONS = ["changelist", "add", "change", "history", "delete"]
# Per-object pages that some admins add: django-simple-history's past version, Django's
# set-password page of a user. Their URL takes the object's id (and a version id).
EXTRA_ACTIONS = {"simple_history": "change", "password_change": "change"}


def _extra_cases():
    names = set(_all_url_names())
    for model in admin.site._registry:
        for action in EXTRA_ACTIONS:
            if f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}" in names:
                for where in ["inside", "outside"]:
                    yield pytest.param(
                        model, action, where, id=f"{model._meta.label}-{action}-{where}"
                    )


@pytest.mark.parametrize(("model", "action", "where"), list(_extra_cases()))
def test_extra_object_pages_answer_each_role_as_the_matrix_says(
    client, rf, world, model, action, where
):
    model_admin = admin.site._registry[model]
    opts = model._meta
    obj = _build(model, world[where])
    args = [obj.pk]
    if action == "simple_history":
        args.append(obj.history.latest().history_id)
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)
    for role in ROLES:
        user = world["users"][role]
        expected = _expected(role, user, model_admin, EXTRA_ACTIONS[action], where, rf)
        if action == "password_change" and expected == 200:
            # Setting someone's password needs the right to change users, not only to view.
            request = rf.get("/")
            request.user = user
            expected = 200 if model_admin.has_change_permission(request, obj) else 403
        if action == "simple_history" and model is Member and role == "auditor":
            expected = 403  # a past version shows the whole ID number (test_privacy)
        assert _get(client, user, url) == expected, f"{role} on {url}"


def _admin_cases():
    for model in admin.site._registry:
        for action in ADMIN_ACTIONS:
            for where in (
                ["inside", "outside"] if action in {"change", "history", "delete"} else [None]
            ):
                yield pytest.param(
                    model, action, where, id=f"{model._meta.label}-{action}-{where or 'list'}"
                )


@pytest.mark.parametrize(("model", "action", "where"), list(_admin_cases()))
def test_admin_pages_answer_each_role_as_the_matrix_says(client, rf, world, model, action, where):
    model_admin = admin.site._registry[model]
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_{action}"
    if where is None:
        url = reverse(name)
    else:
        obj = _build(model, world[where])
        if obj is None:
            obj = model.objects.first()
        assert obj is not None, f"give the matrix a row of {opts.label} to open"
        url = reverse(name, args=[obj.pk])
    for role in ROLES:
        user = world["users"][role]
        expected = _expected(role, user, model_admin, action, where, rf)
        assert _get(client, user, url) == expected, f"{role} on {url}"


def test_an_unknown_id_is_404_like_a_forbidden_one(client, world):
    client.force_login(world["users"]["staff"])
    missing = client.get(reverse("admin:households_household_change", args=[999_999]))
    garbage = client.get("/admin/households/household/not-a-number/change/")
    assert missing.status_code == garbage.status_code == 404


PAGES = {
    # name: (method, url kwargs, {role: status})
    "home": ("get", {}, {"anonymous": 302, "expired": 403, "*": 200}),
    "healthz": ("get", {}, {"*": 200}),
    "login": ("get", {}, {"*": 200}),
    "logout": ("post", {}, {"*": 302}),
    "set_language": ("post", {}, {"*": 302}),
    "media": (
        "get",
        {"path": "photos/none.jpg"},
        {"anonymous": 302, "donor": 403, "expired": 403, "*": 404},
    ),
    "reports:donor-report": (
        "get",
        {},
        # The world's donor has no donations yet; staff and auditors see none either.
        {"anonymous": 302, "cadre": 403, "expired": 403, "*": 404},
    ),
    "reports:summary-json": (
        "get",
        {},
        # Without ?year= the answer is 400 for those who may ask at all.
        {"anonymous": 302, "cadre": 403, "donor": 403, "expired": 403, "*": 400},
    ),
    "reports:annual-report": (
        "get",
        {"year": 2024},
        {"anonymous": 302, "cadre": 403, "donor": 403, "expired": 403, "*": 200},
    ),
    "reports:list-export": (
        "get",
        {"kind": "households", "fmt": "csv"},
        # The lists name households: not for donors (tests/test_exports.py checks each list).
        {"anonymous": 302, "donor": 403, "expired": 403, "*": 200},
    ),
    "reports:annual-report-pdf": (
        "get",
        {"year": 2024},
        {"anonymous": 302, "cadre": 403, "donor": 403, "expired": 403, "*": 200},
    ),
    "reports:shared-donor-report": ("get", {"token": "made-up"}, {"*": 404}),
    "reports:dashboard": (
        "get",
        {},
        {"anonymous": 302, "cadre": 403, "donor": 403, "expired": 403, "*": 200},
    ),
    "admin:index": (
        "get",
        {},
        {"staff": 200, "auditor": 200, "admin": 200, "*": 302},
    ),
    "admin:login": ("get", {}, {"staff": 302, "auditor": 302, "admin": 302, "*": 200}),
    "admin:logout": ("post", {}, {"*": 302}),
    "admin:password_change": ("get", {}, {"staff": 200, "auditor": 200, "admin": 200, "*": 302}),
    "admin:password_change_done": (
        "get",
        {},
        {"staff": 200, "auditor": 200, "admin": 200, "*": 302},
    ),
    "admin:jsi18n": ("get", {}, {"staff": 200, "auditor": 200, "admin": 200, "*": 302}),
    "admin:autocomplete": ("get", {}, {"staff": 403, "auditor": 403, "admin": 403, "*": 302}),
    "admin:view_on_site": (
        "get",
        {"content_type_id": 1, "object_id": 1},
        {"staff": 404, "auditor": 404, "admin": 404, "*": 302},
    ),
    "admin:app_list": (
        "get",
        {"app_label": "households"},
        {"staff": 200, "auditor": 200, "admin": 200, "*": 302},
    ),
}


# The working pages declare their entries beside their tests, one module per area
# (tests/matrix/<area>.py); an entry is (method, url kwargs, {role: status}) or a list of them, and
# its kwargs may be a function of the world (to open an object inside or outside the scope).
PAGES.update(collected_pages())


def _page_cases():
    for name, cases in PAGES.items():
        cases = cases if isinstance(cases, list) else [cases]
        for index, case in enumerate(cases):
            yield pytest.param(name, case, id=f"{name}-{index}" if len(cases) > 1 else name)


@pytest.mark.parametrize(("name", "case"), list(_page_cases()))
def test_pages_answer_each_role_as_the_matrix_says(client, world, name, case):
    method, kwargs, statuses = case
    if callable(kwargs):
        kwargs = kwargs(world)
    url = reverse(name, kwargs=kwargs or None)
    for role in ROLES:
        client.logout()
        user = world["users"][role]
        if user is not None:
            client.force_login(user)
        response = getattr(client, method)(url)
        assert response.status_code == statuses.get(role, statuses.get("*")), f"{role} on {url}"


def test_the_matrix_covers_every_url():
    admin_names = {
        f"admin:{m._meta.app_label}_{m._meta.model_name}_{action}"
        for m in admin.site._registry
        for action in ADMIN_ACTIONS
    }
    extra_names = {
        f"admin:{m._meta.app_label}_{m._meta.model_name}_{action}"
        for m in admin.site._registry
        for action in EXTRA_ACTIONS
    }
    # Django's admin redirects "<id>/" to "<id>/change/", which the change cases cover, and
    # answers any other admin URL with its catch-all (test_unknown_admin_urls_are_404).
    unnamed = {"admin:<<path:object_id>/>", "admin:<(?P<url>.*)$>"}
    covered = admin_names | extra_names | set(PAGES) | unnamed
    missing = set(_all_url_names()) - covered
    assert not missing, f"URLs without a matrix entry: {sorted(missing)}"


def test_a_staff_member_finds_only_households_of_their_communes(client, world):
    inside = f.HouseholdFactory(village__commune=world["inside"].commune, head_name="Ma Văn Một")
    outside = f.HouseholdFactory(village__commune=world["outside"].commune, head_name="Ma Văn Hai")
    client.force_login(world["users"]["staff"])
    listing = client.get(reverse("admin:households_household_changelist"), {"q": "ma van"})
    html = listing.content.decode()
    assert inside.code in html
    assert outside.code not in html
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "ma van",
            "app_label": "activities",
            "model_name": "receipt",
            "field_name": "household",
        },
    ).json()
    ids = {int(result["id"]) for result in found["results"]}
    assert inside.pk in ids
    assert outside.pk not in ids


def test_an_auditor_reads_everything_and_changes_nothing(client, world):
    household = f.HouseholdFactory(village__commune=world["outside"].commune)
    client.force_login(world["users"]["auditor"])
    url = reverse("admin:households_household_change", args=[household.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(url, {"head_name": "Đổi tên"})
    assert response.status_code == 403
    household.refresh_from_db()
    assert household.head_name != "Đổi tên"


def test_a_cadre_of_a_merged_commune_rolls_up_to_the_new_one(world):
    from outreach.scope import communes_for
    from outreach.services import unit_merge

    old = f.CommuneFactory()
    unit_merge(
        actor=None, unit=old, into=world["inside"].commune, last_day=datetime.date(2025, 6, 30)
    )
    covered = set(communes_for(get_user_model().objects.get(username="m-cadre")))
    assert covered == {world["inside"].commune.pk, old.pk}


def test_unknown_admin_urls_are_404_for_staff_and_login_for_others(client, world):
    assert _get(client, world["users"]["staff"], "/admin/no-such-page/") == 404
    assert _get(client, None, "/admin/no-such-page/") == 302

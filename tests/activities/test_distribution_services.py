"""Services and selectors of the distribution pages: recipients in bulk, confirming a sheet,
signature photos, funding a distribution, verification rounds."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from activities.models import Allocation, Distribution, Receipt, Verification, VerificationRound
from activities.selectors.distribution import (
    Criteria,
    donations_with_balance,
    recipient_candidates,
    verification_rounds,
)
from activities.services import (
    distribution_allocate,
    distribution_allocation_remove,
    distribution_recipients_add,
    receipt_signature_attach,
    receipts_confirm,
    verification_record,
    verification_round_start,
)
from core.codes import new_code
from households.models import Household, Status
from tests.factories import (
    AllocationFactory,
    DistributionFactory,
    DonationFactory,
    HouseholdFactory,
    MemberFactory,
    PartnershipFactory,
    ReceiptFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
APPROVED = Distribution.Status.APPROVED
CLOSED = Distribution.Status.CLOSED


@pytest.fixture(autouse=True)
def _english():
    """Some tests read the services' messages: read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def distribution(partnership):
    return DistributionFactory(partnership=partnership, value_per_item_vnd=500_000)


def household_in(partnership, **kwargs):
    return HouseholdFactory(village__commune=partnership.commune, **kwargs)


def png_upload(name="chu-ky.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def confirmed_receipts(distribution, count):
    return [
        ReceiptFactory(distribution=distribution, confirmed_at=timezone.now()) for _ in range(count)
    ]


# --- Recipients in bulk ------------------------------------------------------------------------


def test_recipients_are_added_in_bulk_and_those_listed_are_skipped(
    staff_user, partnership, distribution
):
    households = [household_in(partnership) for _ in range(5)]
    ReceiptFactory(distribution=distribution, household=households[0])

    result = distribution_recipients_add(
        actor=staff_user,
        distribution=distribution,
        households_queryset_or_ids=Household.objects.filter(pk__in=[h.pk for h in households]),
        quantity=2,
    )

    assert (result.added, result.skipped) == (4, 1)
    receipts = Receipt.objects.filter(distribution=distribution)
    assert receipts.count() == 5
    added = receipts.exclude(household=households[0])
    assert {r.value_vnd for r in added} == {1_000_000}
    assert {r.quantity for r in added} == {2}
    assert all(r.village_id == r.household.village_id for r in added)
    assert len({r.short_code for r in receipts}) == 5
    # Each new receipt has its history row, written by the actor.
    history = Receipt.history.filter(distribution_id=distribution.pk, history_type="+")
    assert history.exclude(household_id=households[0].pk).count() == 4
    authors = history.exclude(household_id=households[0].pk).values_list("history_user", flat=True)
    assert set(authors) == {staff_user.pk}


def test_archived_households_and_other_communes_are_left_out(partnership, distribution):
    inside = household_in(partnership)
    archived = household_in(partnership, archived=True)
    elsewhere = HouseholdFactory()

    result = distribution_recipients_add(
        actor=None,
        distribution=distribution,
        households_queryset_or_ids=[inside.pk, archived.pk, elsewhere.pk],
    )

    assert result.added == 1
    assert list(distribution.receipts.values_list("household_id", flat=True)) == [inside.pk]


def test_adding_recipients_to_a_closed_distribution_is_refused(partnership):
    closed = DistributionFactory(partnership=partnership, status=CLOSED)
    household = household_in(partnership)
    with pytest.raises(ValidationError, match="closed distribution cannot change"):
        distribution_recipients_add(
            actor=None, distribution=closed, households_queryset_or_ids=[household.pk]
        )
    assert not Receipt.objects.exists()


def test_recipients_by_criteria_are_refused_once_distributing(partnership):
    distributing = DistributionFactory(
        partnership=partnership, status=Distribution.Status.DISTRIBUTING
    )
    with pytest.raises(ValidationError):
        distribution_recipients_add(
            actor=None,
            distribution=distributing,
            households_queryset_or_ids=[household_in(partnership).pk],
        )
    assert not Receipt.objects.exists()


@pytest.mark.parametrize("quantity", [0, -2])
def test_a_quantity_below_one_is_refused(partnership, distribution, quantity):
    with pytest.raises(ValidationError):
        distribution_recipients_add(
            actor=None,
            distribution=distribution,
            households_queryset_or_ids=[household_in(partnership).pk],
            quantity=quantity,
        )
    assert not Receipt.objects.exists()


# --- Criteria ----------------------------------------------------------------------------------


def test_criteria_choose_by_status_and_village(admin_user, partnership, distribution):
    village = VillageFactory(commune=partnership.commune)
    poor_here = household_in(partnership, status=Status.POOR, village=village)
    poor_elsewhere = household_in(partnership, status=Status.POOR)
    policy_here = household_in(partnership, status=Status.POLICY, village=village)
    household_in(partnership, status=Status.NONE, village=village)

    to_add, listed = recipient_candidates(
        user=admin_user,
        distribution=distribution,
        criteria=Criteria(statuses=[Status.POOR, Status.POLICY], villages=[village]),
    )
    assert set(to_add) == {poor_here, policy_here}
    assert poor_elsewhere not in set(to_add)
    assert not listed.exists()


def test_vulnerability_criteria_take_either_and_nothing_this_year_excludes(
    admin_user, partnership, distribution
):
    disabled = household_in(partnership)
    MemberFactory(household=disabled, has_disability=True)
    makeshift = household_in(partnership, housing_condition=Household.Housing.MAKESHIFT)
    household_in(partnership, housing_condition=Household.Housing.SOLID)
    # makeshift already received something in the distribution's year.
    ReceiptFactory(
        household=makeshift,
        distribution=DistributionFactory(
            partnership=partnership, distributed_on=datetime.date(2024, 9, 2)
        ),
    )

    either = Criteria(disability=True, poor_housing=True)
    to_add, _ = recipient_candidates(user=admin_user, distribution=distribution, criteria=either)
    assert set(to_add) == {disabled, makeshift}

    first_time = Criteria(disability=True, poor_housing=True, nothing_this_year=True)
    to_add, _ = recipient_candidates(
        user=admin_user, distribution=distribution, criteria=first_time
    )
    assert set(to_add) == {disabled}


def test_households_already_listed_are_shown_apart(admin_user, partnership, distribution):
    listed_household = household_in(partnership)
    fresh = household_in(partnership)
    ReceiptFactory(distribution=distribution, household=listed_household)

    to_add, listed = recipient_candidates(
        user=admin_user, distribution=distribution, criteria=Criteria()
    )
    assert list(to_add) == [fresh]
    assert list(listed) == [listed_household]


# --- Confirming the ticked sheet ---------------------------------------------------------------


def test_ticked_receipts_are_confirmed_and_those_confirmed_before_are_counted(cadre_user):
    distribution = DistributionFactory(status=APPROVED)
    before = ReceiptFactory(distribution=distribution, confirmed_at=timezone.now())
    fresh = [ReceiptFactory(distribution=distribution) for _ in range(3)]

    result = receipts_confirm(
        actor=cadre_user,
        distribution=distribution,
        receipt_ids=[before.pk, *(r.pk for r in fresh)],
    )

    assert (result.confirmed, result.already) == (3, 1)
    for receipt in fresh:
        receipt.refresh_from_db()
        assert receipt.confirmed_by == cadre_user
        assert receipt.confirmed_at is not None
    before.refresh_from_db()
    assert before.confirmed_by is None  # untouched
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DISTRIBUTING


def test_ticking_only_confirmed_receipts_changes_nothing(cadre_user):
    distribution = DistributionFactory(status=Distribution.Status.DISTRIBUTING)
    receipts = [
        ReceiptFactory(distribution=distribution, confirmed_at=timezone.now()) for _ in range(2)
    ]
    result = receipts_confirm(
        actor=cadre_user, distribution=distribution, receipt_ids=[r.pk for r in receipts]
    )
    assert (result.confirmed, result.already) == (0, 2)
    assert not Receipt.history.filter(history_type="~").exists()


def test_confirming_a_sheet_is_recorded_in_the_history_by_its_author(cadre_user):
    distribution = DistributionFactory(status=APPROVED)
    receipt = ReceiptFactory(distribution=distribution)
    receipts_confirm(actor=cadre_user, distribution=distribution, receipt_ids=[receipt.pk])
    change = Receipt.history.get(id=receipt.pk, history_type="~")
    assert change.history_user == cadre_user
    assert change.confirmed_by_id == cadre_user.pk


@pytest.mark.parametrize("status", [Distribution.Status.DRAFT, CLOSED])
def test_confirming_a_sheet_of_a_draft_or_closed_distribution_is_refused(cadre_user, status):
    distribution = DistributionFactory(status=status)
    receipt = ReceiptFactory(distribution=distribution)
    with pytest.raises(ValidationError):
        receipts_confirm(actor=cadre_user, distribution=distribution, receipt_ids=[receipt.pk])
    receipt.refresh_from_db()
    assert receipt.confirmed_at is None


def test_receipts_of_another_distribution_are_refused_and_nothing_is_confirmed(cadre_user):
    distribution = DistributionFactory(status=APPROVED)
    mine = ReceiptFactory(distribution=distribution)
    other = ReceiptFactory(distribution=DistributionFactory(status=APPROVED))
    with pytest.raises(ValidationError):
        receipts_confirm(
            actor=cadre_user, distribution=distribution, receipt_ids=[mine.pk, other.pk]
        )
    assert not Receipt.objects.filter(confirmed_at__isnull=False).exists()


def test_confirming_nothing_is_refused(cadre_user):
    with pytest.raises(ValidationError):
        receipts_confirm(
            actor=cadre_user, distribution=DistributionFactory(status=APPROVED), receipt_ids=[]
        )


# --- Signature photos ----------------------------------------------------------------------------


def test_a_signature_photo_is_kept_on_the_receipt(cadre_user):
    receipt = ReceiptFactory(distribution__status=APPROVED)
    receipt_signature_attach(actor=cadre_user, receipt=receipt, image=png_upload())
    receipt.refresh_from_db()
    assert receipt.signature.name.startswith("signatures/")
    with receipt.signature.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (40, 20)


def test_a_file_that_is_not_an_image_is_refused_as_signature(cadre_user):
    receipt = ReceiptFactory(distribution__status=APPROVED)
    fake = SimpleUploadedFile("chu-ky.png", b"<script>alert(1)</script>", "image/png")
    with pytest.raises(ValidationError):
        receipt_signature_attach(actor=cadre_user, receipt=receipt, image=fake)
    receipt.refresh_from_db()
    assert not receipt.signature


def test_a_signature_photo_over_the_size_limit_is_refused(cadre_user, settings):
    settings.PHOTO_MAX_BYTES = 50
    receipt = ReceiptFactory(distribution__status=APPROVED)
    with pytest.raises(ValidationError) as refused:
        receipt_signature_attach(actor=cadre_user, receipt=receipt, image=png_upload())
    assert "signature" in refused.value.message_dict
    receipt.refresh_from_db()
    assert not receipt.signature


def test_a_signature_on_a_closed_distribution_is_refused(cadre_user):
    receipt = ReceiptFactory(distribution__status=CLOSED)
    with pytest.raises(ValidationError, match="closed distribution cannot change"):
        receipt_signature_attach(actor=cadre_user, receipt=receipt, image=png_upload())
    receipt.refresh_from_db()
    assert not receipt.signature


# --- Funding -----------------------------------------------------------------------------------


def test_funding_a_closed_distribution_is_refused(staff_user, partnership):
    donation = DonationFactory(partnership=partnership, value_vnd=10_000_000)
    closed = DistributionFactory(partnership=partnership, status=CLOSED)
    with pytest.raises(ValidationError, match="closed distribution cannot change"):
        distribution_allocate(
            actor=staff_user, distribution=closed, donation=donation, amount_vnd=1_000_000
        )
    assert not Allocation.objects.exists()


def test_over_allocation_is_refused_with_what_is_left(staff_user, partnership, distribution):
    donation = DonationFactory(partnership=partnership, value_vnd=10_000_000)
    distribution_allocate(
        actor=staff_user, distribution=distribution, donation=donation, amount_vnd=7_000_000
    )
    with pytest.raises(ValidationError) as refused:
        distribution_allocate(
            actor=staff_user, distribution=distribution, donation=donation, amount_vnd=4_000_000
        )
    assert "3.000.000 ₫" in str(refused.value)
    assert Allocation.objects.count() == 1


def test_an_allocation_of_a_closed_distribution_cannot_be_removed(staff_user, partnership):
    allocation = AllocationFactory(donation__partnership=partnership, distribution__status=CLOSED)
    with pytest.raises(ValidationError):
        distribution_allocation_remove(actor=staff_user, allocation=allocation)
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_only_donations_with_money_left_are_offered(staff_user, partnership, distribution):
    spent = DonationFactory(partnership=partnership, value_vnd=1_000_000)
    AllocationFactory(donation=spent, amount_vnd=1_000_000, distribution=distribution)
    partly = DonationFactory(partnership=partnership, value_vnd=5_000_000)
    AllocationFactory(donation=partly, amount_vnd=2_000_000, distribution=distribution)
    DonationFactory(partnership=PartnershipFactory(), value_vnd=9_000_000)

    offered = list(donations_with_balance(user=staff_user, distribution=distribution))

    assert offered == [partly]
    assert offered[0].remaining_vnd == 3_000_000


# --- Verification rounds -----------------------------------------------------------------------


def test_a_round_draws_a_share_of_the_confirmed_receipts(staff_user):
    distribution = DistributionFactory(status=CLOSED)
    confirmed = confirmed_receipts(distribution, 10)
    unconfirmed = ReceiptFactory(distribution=distribution)

    verification_round = verification_round_start(
        actor=staff_user, distribution=distribution, sample_percent=25
    )

    drawn = set(verification_round.verifications.values_list("receipt_id", flat=True))
    assert len(drawn) == 3  # 25% of 10, rounded up
    assert drawn <= {r.pk for r in confirmed}
    assert unconfirmed.pk not in drawn
    assert set(verification_round.verifications.values_list("outcome", flat=True)) == {
        Verification.Outcome.PENDING
    }
    assert verification_round.started_by == staff_user


def test_a_full_round_checks_every_confirmed_receipt(staff_user):
    distribution = DistributionFactory(status=CLOSED)
    confirmed_receipts(distribution, 4)
    verification_round = verification_round_start(
        actor=staff_user, distribution=distribution, sample_percent=100
    )
    assert verification_round.verifications.count() == 4


def test_a_round_before_closing_is_refused(staff_user):
    distribution = DistributionFactory(status=Distribution.Status.DISTRIBUTING)
    confirmed_receipts(distribution, 2)
    with pytest.raises(ValidationError):
        verification_round_start(actor=staff_user, distribution=distribution, sample_percent=50)
    assert not VerificationRound.objects.exists()


@pytest.mark.parametrize("percent", [0, 101])
def test_a_share_outside_one_to_a_hundred_is_refused(staff_user, percent):
    distribution = DistributionFactory(status=CLOSED)
    confirmed_receipts(distribution, 2)
    with pytest.raises(ValidationError):
        verification_round_start(
            actor=staff_user, distribution=distribution, sample_percent=percent
        )
    assert not VerificationRound.objects.exists()


def test_a_round_without_confirmed_receipts_is_refused(staff_user):
    distribution = DistributionFactory(status=CLOSED)
    ReceiptFactory(distribution=distribution)
    with pytest.raises(ValidationError):
        verification_round_start(actor=staff_user, distribution=distribution, sample_percent=50)
    assert not VerificationRound.objects.exists()


def test_visits_are_recorded_and_the_shares_add_up(staff_user, cadre_user, partnership):
    distribution = DistributionFactory(partnership=partnership, status=CLOSED)
    confirmed_receipts(distribution, 4)
    verification_round = verification_round_start(
        actor=staff_user, distribution=distribution, sample_percent=100
    )
    first, second, third, _fourth = verification_round.verifications.order_by("pk")
    verification_record(actor=cadre_user, verification=first, outcome="received")
    verification_record(actor=cadre_user, verification=second, outcome="received")
    verification_record(actor=cadre_user, verification=third, outcome="problem", note="Gạo bị ẩm")

    first.refresh_from_db()
    assert first.verified_by == cadre_user
    assert first.verified_at is not None
    [figures] = verification_rounds(user=cadre_user, distribution=distribution)
    assert (figures.sampled, figures.checked, figures.received, figures.problems) == (4, 3, 2, 1)
    assert figures.checked_percent == 75
    assert figures.received_percent == 67


@pytest.mark.parametrize(
    ("outcome", "note"), [("problem", ""), ("not_received", " "), ("pending", "x"), ("bad", "")]
)
def test_a_visit_without_an_outcome_or_the_note_it_needs_is_refused(cadre_user, outcome, note):
    verification = Verification.objects.create(
        round=VerificationRound.objects.create(
            distribution=DistributionFactory(status=CLOSED), sample_percent=100
        ),
        receipt=ReceiptFactory(confirmed_at=timezone.now()),
    )
    with pytest.raises(ValidationError):
        verification_record(actor=cadre_user, verification=verification, outcome=outcome, note=note)
    verification.refresh_from_db()
    assert verification.outcome == Verification.Outcome.PENDING


# --- At scale ----------------------------------------------------------------------------------


def _many_households(partnership, count):
    village = VillageFactory(commune=partnership.commune)
    return Household.objects.bulk_create(
        Household(
            commune=partnership.commune,
            village=village,
            code=f"SL-{n:05d}",
            head_name=f"Hộ số {n}",
            search_text=f"sl-{n:05d} ho so {n}",
        )
        for n in range(count)
    )


def test_thousands_of_recipients_are_added_with_a_few_queries(
    partnership, distribution, django_assert_max_num_queries
):
    _many_households(partnership, 2_000)
    # Inserts go in batches: 500 rows on PostgreSQL, fewer on SQLite (its limit of 999 values
    # per statement, ~60 rows of a receipt and its history); either way far from a query per
    # household.
    with django_assert_max_num_queries(100):
        result = distribution_recipients_add(
            actor=None,
            distribution=distribution,
            households_queryset_or_ids=Household.objects.filter(commune=partnership.commune),
        )
    assert result.added == 2_000
    assert Receipt.objects.filter(distribution=distribution).count() == 2_000


def test_a_round_on_thousands_of_receipts_draws_its_sample_with_a_few_queries(
    staff_user, partnership, django_assert_max_num_queries
):
    closed = DistributionFactory(partnership=partnership, status=CLOSED)
    now = timezone.now()
    Receipt.objects.bulk_create(
        Receipt(
            distribution=closed,
            household=household,
            village_id=household.village_id,
            value_vnd=closed.value_per_item_vnd,
            confirmed_at=now,
            short_code=new_code(),
        )
        for household in _many_households(partnership, 3_000)
    )
    with django_assert_max_num_queries(20):
        verification_round = verification_round_start(
            actor=staff_user, distribution=closed, sample_percent=10
        )
    assert verification_round.verifications.count() == 300

"""Verification rounds: a sample of the confirmed receipts, and the visits recorded on it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import Distribution, Verification, VerificationRound
from activities.selectors.distribution import verification_rounds
from activities.services import verification_record, verification_round_start
from tests.activities.distribution_services.helpers import CLOSED, confirmed_receipts
from tests.factories import DistributionFactory, ReceiptFactory

pytestmark = pytest.mark.django_db


# --- Verification rounds -----------------------------------------------------------------------


def test_a_round_draws_a_share_of_the_confirmed_receipts(staff_user, partnership):
    distribution = DistributionFactory(partnership=partnership, status=CLOSED)
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


def test_a_full_round_checks_every_confirmed_receipt(staff_user, partnership):
    distribution = DistributionFactory(partnership=partnership, status=CLOSED)
    confirmed_receipts(distribution, 4)
    verification_round = verification_round_start(
        actor=staff_user, distribution=distribution, sample_percent=100
    )
    assert verification_round.verifications.count() == 4


def test_a_round_before_closing_is_refused(staff_user, partnership):
    distribution = DistributionFactory(
        partnership=partnership, status=Distribution.Status.DISTRIBUTING
    )
    confirmed_receipts(distribution, 2)
    with pytest.raises(ValidationError, match="checked once the distribution is closed"):
        verification_round_start(actor=staff_user, distribution=distribution, sample_percent=50)
    assert not VerificationRound.objects.exists()


@pytest.mark.parametrize("percent", [0, 101])
def test_a_share_outside_one_to_a_hundred_is_refused(staff_user, percent, partnership):
    distribution = DistributionFactory(partnership=partnership, status=CLOSED)
    confirmed_receipts(distribution, 2)
    with pytest.raises(ValidationError, match="share to check is between 1 and 100%"):
        verification_round_start(
            actor=staff_user, distribution=distribution, sample_percent=percent
        )
    assert not VerificationRound.objects.exists()


def test_a_round_without_confirmed_receipts_is_refused(staff_user, partnership):
    distribution = DistributionFactory(partnership=partnership, status=CLOSED)
    ReceiptFactory(distribution=distribution)
    with pytest.raises(ValidationError, match="has no confirmed receipt to check"):
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
def test_a_visit_without_an_outcome_or_the_note_it_needs_is_refused(
    cadre_user, outcome, note, partnership
):
    verification = Verification.objects.create(
        round=VerificationRound.objects.create(
            distribution=DistributionFactory(partnership=partnership, status=CLOSED),
            sample_percent=100,
        ),
        receipt=ReceiptFactory(distribution__partnership=partnership, confirmed_at=timezone.now()),
    )
    refusal = (
        "Say what the visit found"
        if outcome in {"pending", "bad"}
        else "Describe what the household told you"
    )
    with pytest.raises(ValidationError, match=refusal):
        verification_record(actor=cadre_user, verification=verification, outcome=outcome, note=note)
    verification.refresh_from_db()
    assert verification.outcome == Verification.Outcome.PENDING

import pytest

from tests import factories as f


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory",
    [
        f.ReceiptFactory,
        f.GrantFactory,
        f.AllocationFactory,
        f.MaintenanceLogFactory,
        f.ReviewFactory,
        f.MemberFactory,
        f.PhotoFactory,
        f.ParticipationFactory,
    ],
)
def test_factory_builds_a_valid_row(factory):
    obj = factory()
    obj.full_clean()

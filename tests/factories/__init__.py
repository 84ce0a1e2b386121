"""factory_boy factories with Vietnamese data. Rows are built directly (not via services) so
that tests can set up any state; services are tested on their own."""

import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

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
from households.models import (
    Concern,
    Household,
    HouseholdImport,
    Member,
    Poverty,
    Review,
    Status,
)
from outreach.models import (
    Commune,
    District,
    Donation,
    Partner,
    Partnership,
    Province,
    RoleAssignment,
    Village,
)

factory.Faker._DEFAULT_LOCALE = "vi_VN"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("bacung-test-pass")


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province

    name = factory.Sequence(lambda n: f"Tỉnh {n}")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"Huyện {n}")
    province = factory.SubFactory(ProvinceFactory)


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune

    name = factory.Sequence(lambda n: f"Xã {n}")
    province = factory.SubFactory(ProvinceFactory)
    district = None


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village

    name = factory.Sequence(lambda n: f"Thôn {n}")
    commune = factory.SubFactory(CommuneFactory)


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Ngân hàng chi nhánh {n}")
    kind = Partner.Kind.BANK


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Ba cùng {n}")
    office = factory.SubFactory(PartnerFactory, kind=Partner.Kind.AGENCY)
    commune = factory.SubFactory(CommuneFactory)
    start_year = 2022


class DonationFactory(DjangoModelFactory):
    class Meta:
        model = Donation

    partnership = factory.SubFactory(PartnershipFactory)
    partner = factory.SubFactory(PartnerFactory)
    kind = Donation.Kind.CASH
    received_on = datetime.date(2024, 1, 15)
    value_vnd = 50_000_000


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    village = factory.SubFactory(VillageFactory)
    commune = factory.SelfAttribute("village.commune")
    code = factory.Sequence(lambda n: f"HH-{n:05d}")
    head_name = factory.Faker("name")
    address = factory.LazyAttribute(lambda o: f"Thôn {o.village.name}")
    housing_condition = Household.Housing.SEMI_SOLID
    poverty = Poverty.POOR


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    full_name = factory.Faker("name")
    sex = Member.Sex.FEMALE
    birth_year = 1980
    relation = Member.Relation.CHILD
    ethnicity = Member.Ethnicity.TAY


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    household = factory.SubFactory(HouseholdFactory)
    reviewed_on = datetime.date(2024, 1, 10)
    status = Status.POOR
    reason = "Thu nhập bình quân dưới chuẩn nghèo"


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    partnership = factory.SubFactory(PartnershipFactory)
    kind = Activity.Kind.COMMUNITY_WORK
    title = factory.Sequence(lambda n: f"Ra quân vệ sinh đường làng {n}")
    starts_on = datetime.date(2024, 3, 26)


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    activity = factory.SubFactory(ActivityFactory)
    name = factory.Faker("name")
    group = Participation.Group.RESIDENT


class PhotoFactory(DjangoModelFactory):
    class Meta:
        model = Photo

    activity = factory.SubFactory(ActivityFactory)
    image = factory.django.ImageField(color="red", width=40, height=30)
    caption = "Ảnh hoạt động"


class DistributionFactory(DjangoModelFactory):
    class Meta:
        model = Distribution

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Trao quà {n}")
    distributed_on = datetime.date(2024, 1, 30)
    item_description = "Quà Tết"
    value_per_item_vnd = 500_000


class ReceiptFactory(DjangoModelFactory):
    class Meta:
        model = Receipt

    distribution = factory.SubFactory(DistributionFactory)
    household = factory.SubFactory(
        HouseholdFactory,
        village__commune=factory.SelfAttribute("...distribution.partnership.commune"),
    )
    village = factory.SelfAttribute("household.village")
    quantity = 1
    value_vnd = factory.LazyAttribute(lambda o: o.quantity * o.distribution.value_per_item_vnd)


class AssetFactory(DjangoModelFactory):
    class Meta:
        model = Asset

    partnership = factory.SubFactory(PartnershipFactory)
    kind = Asset.Kind.SOLAR_LIGHT
    code = factory.Sequence(lambda n: f"DEN-{n:04d}")
    village = factory.SubFactory(
        VillageFactory, commune=factory.SelfAttribute("..partnership.commune")
    )
    installed_on = datetime.date(2023, 9, 1)
    value_vnd = 2_050_000


class MaintenanceLogFactory(DjangoModelFactory):
    class Meta:
        model = MaintenanceLog

    asset = factory.SubFactory(AssetFactory)
    kind = MaintenanceLog.Kind.CHECK
    happened_on = datetime.date(2024, 3, 1)
    status_after = Asset.Status.WORKING


class GrantFactory(DjangoModelFactory):
    class Meta:
        model = Grant
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    household = factory.SubFactory(
        HouseholdFactory, village__commune=factory.SelfAttribute("...partnership.commune")
    )
    village = factory.SelfAttribute("household.village")
    purpose = Grant.Purpose.HOUSE_BUILDING
    amount_vnd = 70_000_000
    approved_on = datetime.date(2024, 6, 1)

    # What was paid to the household, in one payment on the day of approval: all of it unless
    # told (``GrantFactory(payments=0)``: nothing paid, so nothing delivered yet).
    @factory.post_generation
    def payments(obj, create, extracted, **kwargs):
        paid = obj.amount_vnd if extracted is None else extracted
        if create and paid:
            GrantPayment.objects.create(grant=obj, paid_on=obj.approved_on, amount_vnd=paid)


class GrantPaymentFactory(DjangoModelFactory):
    class Meta:
        model = GrantPayment

    grant = factory.SubFactory(GrantFactory, payments=0)
    paid_on = factory.SelfAttribute("grant.approved_on")
    amount_vnd = 10_000_000


class AllocationFactory(DjangoModelFactory):
    class Meta:
        model = Allocation

    donation = factory.SubFactory(DonationFactory)
    amount_vnd = 1_000_000
    allocated_on = datetime.date(2024, 1, 20)
    distribution = factory.SubFactory(
        DistributionFactory, partnership=factory.SelfAttribute("..donation.partnership")
    )


class RoleAssignmentFactory(DjangoModelFactory):
    """A cadre of a commune, by default."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = RoleAssignment.Role.COMMUNE_CADRE
    commune = factory.SubFactory(CommuneFactory)


class ConcernFactory(DjangoModelFactory):
    class Meta:
        model = Concern

    household = factory.SubFactory(HouseholdFactory)
    kind = Concern.Kind.CONCERN
    raised_on = datetime.date(2024, 5, 2)
    text = "Mái nhà bị dột khi mưa to"


class HouseholdImportFactory(DjangoModelFactory):
    """A checked household file (no file on disk: for lists and scope, not for the jobs)."""

    class Meta:
        model = HouseholdImport

    commune = factory.SubFactory(CommuneFactory)
    file_name = factory.Sequence(lambda n: f"danh-sach-ho-{n}.csv")
    source = factory.Sequence(lambda n: f"household-imports/{n}/source.csv")
    status = HouseholdImport.Status.CHECKED
    rows = 3
    found_new = 2
    found_error = 1


class VerificationRoundFactory(DjangoModelFactory):
    class Meta:
        model = VerificationRound

    distribution = factory.SubFactory(DistributionFactory, status=Distribution.Status.CLOSED)
    sample_percent = 100


class VerificationFactory(DjangoModelFactory):
    class Meta:
        model = Verification

    round = factory.SubFactory(VerificationRoundFactory)
    receipt = factory.SubFactory(
        ReceiptFactory, distribution=factory.SelfAttribute("..round.distribution")
    )


def _standard(code: str = "2022-2025"):
    from households.models import PovertyStandard

    return PovertyStandard.objects.get(code=code)


class ReviewCampaignFactory(DjangoModelFactory):
    """A commune's periodic review of 2025, under the 2022-2025 standard (loaded by 0009)."""

    class Meta:
        model = "households.ReviewCampaign"

    commune = factory.SubFactory(CommuneFactory)
    year = 2025
    kind = "periodic"
    standard = factory.LazyFunction(_standard)
    opened_on = datetime.date(2025, 9, 1)


class CampaignHouseholdFactory(DjangoModelFactory):
    """A household on a campaign's list, in the campaign's commune, still to survey."""

    class Meta:
        model = "households.CampaignHousehold"

    campaign = factory.SubFactory(ReviewCampaignFactory)
    household = factory.SubFactory(
        HouseholdFactory, village__commune=factory.SelfAttribute("...campaign.commune")
    )
    village = factory.SelfAttribute("household.village")
    why = "poor"

"""Ensure every part of the demo exists, through the services wherever one exists.

Each row is looked up first by a natural key (a name, a code, a ledger reference, a title and a
date), in bulk, and only what is missing is created: a second run changes nothing and is fast.
"""

import datetime
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone

from activities.models import (
    Activity,
    Allocation,
    Asset,
    Distribution,
    Grant,
    MaintenanceLog,
    Participation,
    Photo,
    Receipt,
    Verification,
    VerificationRound,
)
from activities.services import (
    activity_photos_add,
    activity_save,
    asset_register,
    distribution_save,
    distribution_transition,
    donation_allocate,
    grant_payment_record,
    grant_save,
    maintenance_record,
    receipt_add,
    receipt_confirm,
    verification_record,
    verification_round_start,
)
from channel.models import SiteProfile, Subscription
from channel.services import site_profile_update, subscription_set
from core import roles
from core.money import format_vnd
from demo import data
from demo.builders import households as builders
from demo.builders.pictures import picture
from households.models import Concern, Household, Member, Review, Status
from households.services import concern_record, concern_update
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
from outreach.services import donation_record, role_assign, unit_end, unit_merge

# More missing households than this are written in bulk rather than one service call at a time.
BULK_THRESHOLD = 1000


class Seeder:
    """Ensure each part of the demo exists, in the order the money trail needs."""

    def __init__(self, *, households: int, today: datetime.date):
        self.households = households
        self.today = today
        self.created: Counter[str] = Counter()

    def run(self) -> None:
        self.accounts()
        self.ground()
        self.partners()
        self.role_assignments()
        self.household_rows()
        self.donations()
        self.activities()
        self.trash_bins()
        self.solar_poles()
        self.pole_maintenance()
        self.visit_2023()
        self.gifts_2024()
        self.house_grant()
        self.photos()
        self.concerns()
        self.verification_2024()
        self.subscriptions()
        self.site_profile()

    # --- People who use the system ------------------------------------------------------------

    def accounts(self) -> None:
        User = get_user_model()
        usernames = [account[0] for account in data.ACCOUNTS]
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        for username, _role, is_staff, is_superuser, last_name, first_name in data.ACCOUNTS:
            wanted = {
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@bacung.local",
                "is_staff": is_staff,
                "is_superuser": is_superuser,
                "is_active": True,
            }
            user = users.get(username)
            if user is None:
                user = User(username=username, **wanted)
                user.set_password(data.DEMO_PASSWORD)
                user.full_clean()
                user.save()
                self.created["users"] += 1
            else:
                changed = [name for name, value in wanted.items() if getattr(user, name) != value]
                for name in changed:
                    setattr(user, name, wanted[name])
                # Hashing is slow on purpose: only re-hash a password that does not match.
                if not check_password(data.DEMO_PASSWORD, user.password):
                    user.set_password(data.DEMO_PASSWORD)
                    changed.append("password")
                if changed:
                    user.save(update_fields=changed)
            users[username] = user
        self.users = users
        self.staff, self.cadre = users["staff"], users["cadre"]

    def role_assignments(self) -> None:
        """Give each account its role over the demo's ground (groups come from a migration)."""
        scopes = {
            roles.OFFICE_STAFF: {"partnership": self.partnership},
            roles.COMMUNE_CADRE: {"commune": self.commune},
            roles.DONOR: {"partner": self.partner[data.DEMO_DONOR_PARTNER]},
        }
        for username, role, *_rest in data.ACCOUNTS:
            before = RoleAssignment.objects.filter(user=self.users[username]).count()
            role_assign(actor=None, user=self.users[username], role=role, **scopes.get(role, {}))
            if RoleAssignment.objects.filter(user=self.users[username]).count() > before:
                self.created["role assignments"] += 1

    # --- The map and the partners -------------------------------------------------------------

    def _unit(self, model, lookup: dict, **fields):
        unit = model.objects.filter(**lookup).order_by("valid_until", "pk").first()
        if unit is None:
            unit = model(**lookup, **fields)
            unit.full_clean()
            unit.save()
            self.created[f"{model._meta.model_name}s"] += 1
        return unit

    def ground(self) -> None:
        self.province = self._unit(
            Province, {"name": data.PROVINCE, "valid_until": None}, code=data.PROVINCE_CODE
        )
        merged = self._unit(
            Province,
            {"name": data.MERGED_PROVINCE},
            code=data.MERGED_PROVINCE_CODE,
            note=data.MERGED_PROVINCE_NOTE,
        )
        if merged.merged_into_id is None:
            unit_merge(
                actor=self.staff, unit=merged, into=self.province, last_day=data.REFORM_LAST_DAY
            )
        district = self._unit(
            District,
            {"province": self.province, "name": data.DISTRICT},
            note=data.DISTRICT_NOTE,
        )
        if district.valid_until is None:
            # Districts were abolished, not merged: no successor to point at.
            district = unit_end(actor=self.staff, unit=district, last_day=data.REFORM_LAST_DAY)
        self.commune = self._unit(
            Commune,
            {"province": self.province, "name": data.COMMUNE},
            district=district,
            note=data.COMMUNE_NOTE,
        )
        self._unit(
            Commune, {"province": self.province, "name": data.NEIGHBOUR_COMMUNE}, district=district
        )
        self.villages = {v.name: v for v in Village.objects.filter(commune=self.commune)}
        for name, invented, _weight, _mix in data.VILLAGES:
            if name not in self.villages:
                self.villages[name] = self._unit(
                    Village, {"commune": self.commune, "name": name}, is_invented=invented
                )

    def partners(self) -> None:
        names = [name for name, *_rest in data.PARTNERS]
        self.partner = {p.name: p for p in Partner.objects.filter(name__in=names)}
        for name, short_name, kind, address in data.PARTNERS:
            if name not in self.partner:
                partner = Partner(name=name, short_name=short_name, kind=kind, address=address)
                partner.full_clean()
                partner.save()
                self.partner[name] = partner
                self.created["partners"] += 1
        office = self.partner[data.OFFICE]
        self.partnership = Partnership.objects.filter(office=office, commune=self.commune).first()
        if self.partnership is None:
            self.partnership = Partnership(
                name=data.PARTNERSHIP_NAME,
                office=office,
                commune=self.commune,
                start_year=data.PARTNERSHIP_START_YEAR,
                description=data.PARTNERSHIP_DESCRIPTION,
            )
            self.partnership.full_clean()
            self.partnership.save()
            self.created["partnerships"] += 1

    # --- Households ---------------------------------------------------------------------------

    def household_rows(self) -> None:
        existing = set(
            Household.objects.filter(
                commune=self.commune, code__startswith=data.HOUSEHOLD_CODE_PREFIX
            ).values_list("code", flat=True)
        )
        missing = [
            index
            for index in range(1, self.households + 1)
            if builders.household_code(index) not in existing
        ]
        if not missing:
            return
        taken_ids = set(
            Member.objects.filter(national_id__startswith="000").values_list(
                "national_id", flat=True
            )
        )
        plans = [builders.household_plan(i, today=self.today, taken_ids=taken_ids) for i in missing]
        if len(plans) > BULK_THRESHOLD:
            counts = builders.write_in_bulk(
                plans,
                actor=self.staff,
                reviewer=self.cadre,
                commune=self.commune,
                villages=self.villages,
            )
        else:
            counts = builders.write_with_services(
                plans, actor=self.staff, reviewer=self.cadre, villages=self.villages
            )
        self.created.update(counts)

    def _households_with_status(self, statuses, day: datetime.date, **filters):
        """Households whose latest approved review up to ``day`` decided one of ``statuses``."""
        status_then = (
            Review.objects.filter(household=OuterRef("pk"), approved=True, reviewed_on__lte=day)
            .order_by("-reviewed_on", "-pk")
            .values("status")[:1]
        )
        return (
            Household.objects.filter(commune=self.commune, archived=False, **filters)
            .annotate(status_then=Subquery(status_then))
            .filter(status_then__in=statuses)
            .order_by("code")
        )

    # --- Money in -----------------------------------------------------------------------------

    def donations(self) -> None:
        references = [spec[3] for spec in data.DONATIONS.values()]
        found = {
            d.reference: d
            for d in Donation.objects.filter(partnership=self.partnership, reference__in=references)
        }
        self.donation = {}
        for key, (partner, received_on, value, reference, note) in data.DONATIONS.items():
            donation = found.get(reference)
            if donation is None:
                donation = donation_record(
                    actor=self.staff,
                    partnership=self.partnership,
                    partner=self.partner[partner],
                    received_on=received_on,
                    value_vnd=value,
                    reference=reference,
                    note=note,
                )
                self.created["donations"] += 1
            self.donation[key] = donation

    def _fund(self, key: str, amount: int, **target) -> None:
        """Allocate from donation ``key`` whatever part of ``amount`` it has not yet given."""
        donation = self.donation[key]
        given = (
            Allocation.objects.filter(donation=donation, **target).aggregate(s=Sum("amount_vnd"))[
                "s"
            ]
            or 0
        )
        if given < amount:
            donation_allocate(
                actor=self.staff,
                donation=donation,
                amount_vnd=amount - given,
                allocated_on=donation.received_on,
                note=data.GRANT["allocation_note"] if key == "grant" else "",
                **target,
            )
            self.created["allocations"] += 1

    # --- Activities ---------------------------------------------------------------------------

    def activities(self) -> None:
        found = {
            (a.title, a.starts_on): a for a in Activity.objects.filter(partnership=self.partnership)
        }
        self.activity = {}
        for spec in data.ACTIVITIES:
            activity = found.get((spec["title"], spec["starts_on"]))
            if activity is None:
                office, cadres, residents = spec["counts"]
                names = spec.get("villages", [])
                villages = (
                    list(self.villages.values())
                    if names == data.ALL_VILLAGES
                    else [self.villages[n] for n in names]
                )
                activity = activity_save(
                    actor=self.staff,
                    activity=Activity(
                        partnership=self.partnership,
                        kind=spec["kind"],
                        title=spec["title"],
                        starts_on=spec["starts_on"],
                        ends_on=spec.get("ends_on"),
                        location=spec.get("location", ""),
                        description=spec["description"],
                        office_staff_count=office,
                        cadre_count=cadres,
                        resident_count=residents,
                    ),
                    villages=villages,
                )
                self.created["activities"] += 1
            self.activity[spec["key"]] = activity
        named = {
            spec["key"]: spec["participants"] for spec in data.ACTIVITIES if "participants" in spec
        }
        present = set(
            Participation.objects.filter(
                activity__in=[self.activity[key] for key in named]
            ).values_list("activity_id", "name")
        )
        for key, participants in named.items():
            activity = self.activity[key]
            for name, group, role in participants:
                if (activity.pk, name) not in present:
                    participation = Participation(
                        activity=activity, name=name, group=group, role=role
                    )
                    participation.full_clean()
                    participation.save()
                    self.created["participants"] += 1

    # --- Assets -------------------------------------------------------------------------------

    def _assets(self, codes: list[str], make, funding_key: str) -> list[Asset]:
        """Register the assets of ``codes`` that are missing (``make(number)`` builds one)."""
        found = {a.code: a for a in Asset.objects.filter(code__in=codes)}
        for number, code in enumerate(codes, start=1):
            if code not in found:
                found[code] = asset_register(actor=self.staff, asset=make(number, code))
                self.created["assets"] += 1
        assets = [found[code] for code in codes]
        funded = dict(
            Allocation.objects.filter(asset__in=assets)
            .values("asset")
            .annotate(s=Sum("amount_vnd"))
            .values_list("asset", "s")
        )
        for asset in assets:
            if funded.get(asset.pk, 0) < asset.value_vnd:
                self._fund(funding_key, asset.value_vnd, asset=asset)
        return assets

    def trash_bins(self) -> None:
        codes = [data.BIN_CODE.format(n) for n in range(1, data.BIN_COUNT + 1)]
        per_village = data.BIN_COUNT // len(data.VILLAGES)
        served = {}

        def make(number: int, code: str) -> Asset:
            # Four bins a village, each to one of the village's first households.
            village = self.villages[data.VILLAGES[(number - 1) // per_village][0]]
            if not served:
                for household in Household.objects.filter(
                    commune=self.commune, code__startswith=data.HOUSEHOLD_CODE_PREFIX
                ).order_by("code"):
                    served.setdefault(household.village_id, []).append(household)
            households = served[village.pk]
            return Asset(
                partnership=self.partnership,
                kind=Asset.Kind.TRASH_BIN,
                code=code,
                description=data.BIN_DESCRIPTION,
                village=village,
                household=households[(number - 1) % per_village % len(households)],
                installed_on=data.BIN_INSTALLED_ON,
                value_vnd=data.BIN_VALUE_VND,
            )

        self._assets(codes, make, "bins")

    def solar_poles(self) -> None:
        codes = [data.POLE_CODE.format(n) for n in range(1, data.POLE_COUNT + 1)]

        def make(number: int, code: str) -> Asset:
            return Asset(
                partnership=self.partnership,
                kind=Asset.Kind.SOLAR_LIGHT,
                code=code,
                description=data.POLE_DESCRIPTION,
                village=self.villages[data.VILLAGE_PAC_HOP],
                installed_on=data.POLE_INSTALLED_ON,
                value_vnd=data.POLE_VALUE_VND,
            )

        self.poles = self._assets(codes, make, "poles")

    def pole_maintenance(self) -> None:
        planned = [
            (day, number, MaintenanceLog.Kind.CHECK, data.POLE_CHECK_NOTE, False)
            for day in data.POLE_CHECK_DAYS
            for number in range(1, data.POLE_COUNT + 1)
        ]
        number, day, note = data.POLE_FAULT
        planned.append((day, number, MaintenanceLog.Kind.FAULT, note, True))
        number, day, note = data.POLE_REPAIR
        planned.append((day, number, MaintenanceLog.Kind.REPAIR, note, False))
        present = set(
            MaintenanceLog.objects.filter(asset__in=self.poles).values_list(
                "asset_id", "kind", "happened_on"
            )
        )
        for day, number, kind, note, public in sorted(planned):
            pole = self.poles[number - 1]
            if day <= self.today and (pole.pk, kind, day) not in present:
                maintenance_record(
                    actor=self.cadre,
                    asset=pole,
                    kind=kind,
                    happened_on=day,
                    note=note,
                    reported_by_public=public,
                )
                self.created["maintenance log entries"] += 1

    # --- Distributions and the grant ----------------------------------------------------------

    def _distribution(self, spec, *, value, activity, recipients, funding) -> Distribution:
        """Run a distribution through its whole workflow: listed, funded, confirmed, closed."""
        distribution = Distribution.objects.filter(
            partnership=self.partnership, title=spec["title"], distributed_on=spec["distributed_on"]
        ).first()
        if distribution is not None and distribution.status == Distribution.Status.CLOSED:
            return distribution
        if distribution is None:
            distribution = distribution_save(
                actor=self.staff,
                distribution=Distribution(
                    partnership=self.partnership,
                    activity=activity,
                    title=spec["title"],
                    distributed_on=spec["distributed_on"],
                    item_description=spec["item_description"],
                    value_per_item_vnd=value,
                    note=spec["note"],
                ),
            )
            self.created["distributions"] += 1
        # Listed and funded first: a distribution is approved only once its money covers it.
        listed = set(distribution.receipts.values_list("household_id", flat=True))
        for household in recipients():
            if household.pk not in listed:
                receipt_add(actor=self.staff, distribution=distribution, household=household)
                self.created["receipts"] += 1
        for key, amount in funding:
            self._fund(key, amount, distribution=distribution)
        if distribution.status == Distribution.Status.DRAFT:
            distribution_transition(
                actor=self.staff, distribution=distribution, to=Distribution.Status.APPROVED
            )
        start = timezone.make_aware(
            datetime.datetime.combine(spec["distributed_on"], datetime.time(8, 30))
        )
        pending = distribution.receipts.filter(confirmed_at__isnull=True).order_by(
            "household__code"
        )
        for minutes, receipt in enumerate(pending):
            receipt_confirm(
                actor=self.cadre,
                receipt=receipt,
                confirmed_at=start + datetime.timedelta(minutes=4 * minutes),
            )
        return distribution_transition(
            actor=self.staff, distribution=distribution, to=Distribution.Status.CLOSED
        )

    def visit_2023(self) -> None:
        spec = data.VISIT_2023
        self._distribution(
            spec,
            value=data.VISIT_2023_GIFT_VND,
            activity=self.activity["visit_2023"],
            recipients=lambda: self._households_with_status(
                [Status.POOR, Status.DIFFICULTY, Status.POLICY],
                spec["distributed_on"],
                village=self.villages[data.VILLAGE_PAC_HOP],
            )[: data.VISIT_2023_GIFTS],
            funding=[("visit_2023", data.VISIT_2023_GIFTS * data.VISIT_2023_GIFT_VND)],
        )

    def gifts_2024(self) -> None:
        spec = data.GIFTS_2024_DISTRIBUTION

        def recipients():
            households = list(
                self._households_with_status(
                    [Status.POLICY, Status.DIFFICULTY], spec["distributed_on"]
                )[: data.GIFTS_2024]
            )
            if len(households) < data.GIFTS_2024:
                raise CommandError(
                    f"Only {len(households)} households were policy families or in difficulty "
                    f"on {spec['distributed_on']:%d/%m/%Y}; the 2024 figure is {data.GIFTS_2024}."
                )
            return households

        self._distribution(
            spec,
            value=data.GIFT_2024_VND,
            activity=self.activity["gifts_2024"],
            recipients=recipients,
            funding=[
                ("gifts_bidv_tq", self.donation["gifts_bidv_tq"].value_vnd),
                ("gifts_bidv_md", self.donation["gifts_bidv_md"].value_vnd),
            ],
        )

    def house_grant(self) -> None:
        household = Household.objects.get(
            commune=self.commune, code=builders.household_code(data.GRANT_HOUSEHOLD_INDEX)
        )
        grant = Grant.objects.filter(
            partnership=self.partnership,
            household=household,
            purpose=Grant.Purpose.HOUSE_BUILDING,
        ).first()
        if grant is None:
            grant = grant_save(
                actor=self.staff,
                grant=Grant(
                    partnership=self.partnership,
                    household=household,
                    activity=self.activity["house_2024"],
                    purpose=Grant.Purpose.HOUSE_BUILDING,
                    description=data.GRANT["description"],
                    amount_vnd=data.GRANT_VND,
                    approved_on=data.GRANT["approved_on"],
                    completed_on=data.GRANT["completed_on"],
                ),
            )
            self.created["grants"] += 1
        self._fund("grant", grant.amount_vnd, grant=grant)
        # Paid to the family as the house was handed over: the grant is delivered as paid.
        if not grant.payments.exists():
            grant_payment_record(
                actor=self.staff,
                grant=grant,
                paid_on=data.GRANT["paid_on"],
                amount_vnd=grant.amount_vnd,
                note=data.GRANT["payment_note"],
            )
            self.created["grant payments"] += 1
        self.grant = grant

    # --- What the working pages show beyond the figures ----------------------------------------

    def photos(self) -> None:
        """Give the main activities a drawn picture each, through the photo service (checked,
        stripped and resized like any upload)."""
        have = set(
            Photo.objects.filter(activity__partnership=self.partnership).values_list(
                "activity_id", "caption"
            )
        )
        for seed, (key, photos) in enumerate(data.PHOTOS.items()):
            activity = self.activity[key]
            for caption, consent, scene in photos:
                if (activity.pk, caption) in have:
                    continue
                activity_photos_add(
                    actor=self.staff,
                    activity=activity,
                    files=[ContentFile(picture(scene, seed), name=f"{key}.jpg")],
                    caption=caption,
                    credit=data.PHOTO_CREDIT,
                    consent=consent,
                )
                self.created["photos"] += 1

    def concerns(self) -> None:
        """Record what some families told the cadres, and the follow-up of one."""
        for index, kind, day, text, follow_up in data.CONCERNS:
            household = Household.objects.get(
                commune=self.commune, code=builders.household_code(index)
            )
            if Concern.objects.filter(household=household, text=text).exists():
                continue
            concern = concern_record(
                actor=self.cadre,
                household=household,
                kind=kind,
                raised_on=day,
                text=text,
                handled_by=self.cadre,
            )
            self.created["concerns"] += 1
            if follow_up:
                status, resolution = follow_up
                concern_update(
                    actor=self.cadre,
                    concern=concern,
                    status=status,
                    resolution=resolution,
                    handled_by=self.cadre,
                    resolved_on=day + datetime.timedelta(days=18),
                )

    def verification_2024(self) -> None:
        """Re-check a sample of the 2024 gifts at the door, as a cadre's visits would: most
        received, one with a problem, the last few not visited yet."""
        spec = data.GIFTS_2024_DISTRIBUTION
        distribution = Distribution.objects.get(
            partnership=self.partnership, title=spec["title"], distributed_on=spec["distributed_on"]
        )
        if VerificationRound.objects.filter(distribution=distribution).exists():
            return
        sample = verification_round_start(
            actor=self.staff,
            distribution=distribution,
            sample_percent=data.VERIFICATION_2024_PERCENT,
            note="Kiểm tra lại tại nhà sau đợt trao quà",
        )
        self.created["verification rounds"] += 1
        checks = list(Verification.objects.filter(round=sample).order_by("pk"))
        for number, verification in enumerate(checks[:-3]):
            problem = number == 0
            verification_record(
                actor=self.cadre,
                verification=verification,
                outcome=Verification.Outcome.PROBLEM if problem else Verification.Outcome.RECEIVED,
                note="Hộp bánh trong suất quà bị móp, gia đình vẫn dùng được." if problem else "",
            )

    def subscriptions(self) -> None:
        """The donor is told of each post about its funded work; the cadre gets a daily digest
        (the e-mails are printed to the console unless EMAIL_URL is set)."""
        have = set(Subscription.objects.values_list("user_id", flat=True))
        for username, frequency in data.SUBSCRIPTIONS:
            user = self.users[username]
            if user.pk not in have:
                subscription_set(actor=user, user=user, frequency=frequency)
                self.created["news subscriptions"] += 1

    def site_profile(self) -> None:
        """Fill in the office's public profile once: an administrator's later edits are kept."""
        if not SiteProfile.objects.exists():
            site_profile_update(actor=self.users["admin"], **data.SITE_PROFILE)
            self.created["site profiles"] += 1

    # --- What the demo now holds --------------------------------------------------------------

    def summary(self) -> list[str]:
        """Read the reported figures back from the rows, as a report would."""
        assets = Asset.objects.filter(partnership=self.partnership)
        bins = assets.filter(kind=Asset.Kind.TRASH_BIN, installed_on__year=2022)
        poles = assets.filter(
            kind=Asset.Kind.SOLAR_LIGHT,
            installed_on__year=2023,
            village=self.villages[data.VILLAGE_PAC_HOP],
        )
        receipts = Receipt.objects.filter(distribution__partnership=self.partnership)
        households = Household.objects.filter(commune=self.commune)
        return [
            f"{self.commune.full_name}: {households.count()} households in "
            f"{len(self.villages)} villages",
            f"2022: {bins.count()} trash bins in {bins.values('village').distinct().count()} "
            "villages (Văn phòng Tỉnh ủy)",
            f"2023: {poles.count()} solar light poles in Pác Hợp worth "
            f"{format_vnd(poles.aggregate(s=Sum('value_vnd'))['s'])} (Agribank Tuyên Quang)",
            f"2023: {receipts.filter(distribution__distributed_on__year=2023).count()} gifts to "
            "families in Pác Hợp (Văn phòng Tỉnh ủy)",
            f"2024: {receipts.filter(distribution__distributed_on__year=2024).count()} gifts to "
            "policy families and families in difficulty (BIDV Tuyên Quang, BIDV Mỹ Đình)",
            f"2024: {format_vnd(self.grant.amount_vnd)} house-building grant to "
            f"{self.grant.household} ({self.grant.village.name})",
        ]

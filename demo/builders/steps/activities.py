"""The activities with their named participants, and the assets they left: the trash bins and
the solar poles, funded from their donations, and the poles' maintenance."""

from django.db.models import Sum

from activities.models import Activity, Allocation, Asset, MaintenanceLog, Participation
from activities.services import activity_save, asset_register, maintenance_record
from demo import data
from households.models import Household


class ActivitySteps:
    """Ensure the activities, then the assets registered and funded, then their maintenance."""

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
                    commune_id__in=self.household_communes,
                    code__startswith=data.HOUSEHOLD_CODE_PREFIX,
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

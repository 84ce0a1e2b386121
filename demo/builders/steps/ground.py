"""Who uses the demo and where: the accounts, the map, the partners and the partnership, and
each account's role over them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password

from core import roles
from demo import data
from outreach.models import (
    Commune,
    District,
    Partner,
    Partnership,
    Province,
    RoleAssignment,
    Village,
)
from outreach.services import role_assign, unit_end, unit_merge


class GroundSteps:
    """Ensure the accounts (every later step needs an actor), the map, the partners and the
    partnership, and the accounts' roles over them."""

    # --- People who use the system ------------------------------------------------------------

    def accounts(self) -> None:
        User = get_user_model()
        usernames = [account[0] for account in data.ACCOUNTS]
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        for username, _role, is_staff, is_superuser, full_name in data.ACCOUNTS:
            # The whole name in one field (core.admin.users).
            wanted = {
                "first_name": full_name,
                "last_name": "",
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
        # The map is the administrators' (outreach.scope.writable), not the office's: the
        # reform is recorded by the system, as an administrator's command would.
        if merged.merged_into_id is None:
            unit_merge(actor=None, unit=merged, into=self.province, last_day=data.REFORM_LAST_DAY)
        district = self._unit(
            District,
            {"province": self.province, "name": data.DISTRICT},
            note=data.DISTRICT_NOTE,
        )
        if district.valid_until is None:
            # Districts were abolished, not merged: no successor to point at.
            district = unit_end(actor=None, unit=district, last_day=data.REFORM_LAST_DAY)
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

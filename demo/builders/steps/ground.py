"""Who uses the demo and where: the accounts, the map, the partners and the partnership, and
each account's role over them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password

from core import roles
from demo import data
from households.services import partnership_continue
from outreach.models import (
    CodeList,
    Commune,
    Partner,
    Partnership,
    Province,
    RoleAssignment,
    Village,
)
from outreach.services import role_assign
from outreach.units import admin_units_load, villages_carry_on


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
            # The partnership's commune: Linh Phú on a first run (the reform carries the cadre
            # on with it), the new Tri Phú on a second.
            roles.COMMUNE_CADRE: {"commune": self.partnership.commune},
            roles.DONOR: {"partner": self.partner[data.DEMO_DONOR_PARTNER]},
        }
        for username, role, *_rest in data.ACCOUNTS:
            before = RoleAssignment.objects.filter(user=self.users[username]).count()
            role_assign(actor=None, user=self.users[username], role=role, **scopes.get(role, {}))
            if RoleAssignment.objects.filter(user=self.users[username]).count() > before:
                self.created["role assignments"] += 1

    # --- The map and the partners -------------------------------------------------------------

    def ground(self) -> None:
        """Load Tuyên Quang's units, old and new, from the official lists (as an administrator's
        ``load_admin_units --province`` would), and Linh Phú's villages on the old map."""
        admin_units_load(province=data.PROVINCE_CODE)
        old, new = CodeList.BEFORE_2025, CodeList.FROM_2025
        self.province = Province.objects.get(code_list=new, code=data.PROVINCE_CODE)
        self.old_commune = Commune.objects.select_related("district", "province").get(
            code_list=old, code=data.COMMUNE_CODE
        )
        self.new_commune = Commune.objects.get(code_list=new, code=data.NEW_COMMUNE_CODE)
        # The records of 2022–2024 are made on the old map; ``reform`` moves the partnership on.
        self.commune = self.old_commune
        self.household_communes = [self.old_commune.pk, self.new_commune.pk]
        self.villages = {v.name: v for v in Village.objects.filter(commune=self.old_commune)}
        for name, invented, _weight, _mix in data.VILLAGES:
            if name not in self.villages:
                village = Village(commune=self.old_commune, name=name, is_invented=invented)
                village.full_clean()
                village.save()
                self.villages[name] = village
                self.created["villages"] += 1

    def reform(self) -> None:
        """Carry Linh Phú's villages on under the new Tri Phú and the partnership with them, from
        01/07/2025 (the demo's assumption: the reports stop before the reform). Every later step
        works in the new commune."""
        villages_carry_on(communes=[self.old_commune])
        self.partnership.refresh_from_db()
        if self.partnership.commune_id != self.new_commune.pk:
            self.partnership = partnership_continue(
                actor=None,
                partnership=self.partnership,
                into=self.new_commune,
                first_day=data.REFORM_FIRST_DAY,
            )
        for user in self.users.values():
            # Scope is worked out once per user object: it has just changed.
            for cached in ("_bacung_assignments", "_bacung_communes"):
                user.__dict__.pop(cached, None)
        self._on_new_map()

    def _on_new_map(self) -> None:
        self.commune = self.new_commune
        self.villages = self.new_villages()

    def new_villages(self) -> dict:
        """Linh Phú's villages as they carried on under the new Tri Phú."""
        return {
            v.name: v
            for v in Village.objects.filter(commune=self.new_commune, valid_until__isnull=True)
        }

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
        self.partnership = Partnership.objects.filter(
            office=office, commune__in=self.household_communes
        ).first()
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

"""Fill the database with the partnership's reported figures and fictional households.

Writes go through the same services users go through wherever one exists, so the demo obeys the
same rules. Running it again changes nothing (see demo.builders.seeder).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo import data
from demo.builders.seeder import Seeder


class Command(BaseCommand):
    help = (
        "Create the demo: the Tuyên Quang office – Linh Phú partnership with its reported "
        "figures, fictional households and the demo accounts. Safe to run again: it only adds "
        "what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=data.DEFAULT_HOUSEHOLDS,
            help="How many fictional households Linh Phú should have (default %(default)s; "
            f"at least {data.MIN_HOUSEHOLDS} for the reported figures).",
        )

    def handle(self, *args, households: int, **options):
        if households < data.MIN_HOUSEHOLDS:
            raise CommandError(
                f"The reported figures (100 gifts in 2024) need at least {data.MIN_HOUSEHOLDS} "
                f"households; --households {households} is too few."
            )
        started = time.monotonic()
        with transaction.atomic():
            seeder = Seeder(households=households, today=timezone.localdate())
            seeder.run()
        self._report(seeder, time.monotonic() - started)

    def _report(self, seeder: Seeder, seconds: float) -> None:
        write = self.stdout.write
        created = {name: count for name, count in seeder.created.items() if count}
        if created:
            made = ", ".join(f"{count} {name}" for name, count in sorted(created.items()))
            write(self.style.SUCCESS(f"Created: {made}."))
        else:
            write(self.style.SUCCESS("Nothing to create: the demo data is complete."))
        for line in seeder.summary():
            write(f"  {line}")
        write(f"Accounts (password “{data.DEMO_PASSWORD}”):")
        for username, group, *_flags, full_name in data.ACCOUNTS:
            write(f"  {username:<8} {group:<14} {full_name}")
        write(f"Done in {seconds:.1f} s.")

"""Load the country's official administrative units, before and after the 2025 reform, from the
pinned ``vietnamadminunits`` package (outreach.units): the whole country, or one province of
today and the old provinces that became it. A second run changes nothing."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from outreach.units import admin_units_load


class Command(BaseCommand):
    help = (
        "Load the official provinces, districts and communes in force until 30/06/2025 and "
        "the provinces and communes since 01/07/2025, with each old commune's successor."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            default=None,
            metavar="NAME|CODE",
            help="Only this province of today (or the one an old province became), with the "
            "old provinces merged into it.",
        )

    def handle(self, *args, province=None, **options):
        try:
            report = admin_units_load(province=province)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        headers = [_("Level"), _("List"), _("Created"), _("Updated"), _("Unchanged")]
        rows = [
            [c.label, c.list_label, str(c.created), str(c.updated), str(c.unchanged)]
            for c in report.counts
        ]
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

        def line(cells):
            left = [cell.ljust(width) for cell, width in zip(cells[:2], widths[:2], strict=True)]
            right = [cell.rjust(width) for cell, width in zip(cells[2:], widths[2:], strict=True)]
            return "  ".join(left + right)

        if report.province:
            self.stdout.write(_("Province: %(name)s") % {"name": report.province})
        self.stdout.write(line(headers))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write(
            _("Villages carried on under their new commune: %(count)d")
            % {"count": report.villages_carried}
        )
        self.stdout.write(
            _("Source: vietnamadminunits %(version)s (MIT licence).") % {"version": report.version}
        )

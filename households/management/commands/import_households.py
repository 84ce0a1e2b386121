"""``manage.py import_households FILE [--header-row N] [--map "COLUMN=field" …] [--dry-run]
[--valid-only] [--commune C]`` and ``manage.py import_households --template OUT.csv``: the import
of the pages, for administrators.

The file is checked and applied by the same code as the pages' background jobs
(``households.services``), here in the foreground, and read the same way: the header found (or
``--header-row``), the fields proposed from the headers (or the commune's remembered layout, or
``--map``: the file's header, matched folded, = a field key, or nothing for "not read"). The
mapping and the rows skipped are printed; each failing row is printed with its number and
reason; the command exits with status 1 when any row failed (and, without --valid-only,
imports nothing then).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from core.models import Job
from core.text import fold
from households import imports, services
from households.models import ImportLayout
from outreach.models import Commune, Partnership


class Command(BaseCommand):
    help = "Import households from a CSV or XLSX file (or write an empty template)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the CSV or XLSX file to import")
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row, change nothing"
        )
        parser.add_argument(
            "--valid-only", action="store_true", help="import the valid rows, skip the others"
        )
        parser.add_argument(
            "--commune",
            help="the commune (id, official code or name); "
            "needed unless there is a single partnership",
        )
        parser.add_argument(
            "--template", metavar="OUT", help="write an empty file with the columns and stop"
        )
        parser.add_argument(
            "--header-row", type=int, metavar="N", help="the row number of the file's header"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=field",
            help="read the column headed COLUMN as this field (nothing after = : not read); "
            f"the fields: {', '.join(imports.BY_KEY)}",
        )

    def handle(self, *args, file=None, dry_run=False, valid_only=False, commune=None, **options):
        if options["template"]:
            Path(options["template"]).write_bytes(imports.template_csv())
            self.stdout.write(
                f"{options['template']}: {', '.join(c.header for c in imports.COLUMNS)}"
            )
            return
        if not file:
            raise CommandError("Give the file to import (or --template OUT.csv).")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        target = self._commune(commune)
        content = path.read_bytes()
        parsed = self._read(content, path.name, target, options)
        for item in parsed.layout["columns"]:
            self.stdout.write(f"{item['header']} → {item['field'] or '-'}")
        for item in parsed.skipped:
            self.stdout.write(f"Row {item['row']} skipped: {item['reason']}")
        checked = services.household_import_dry_run(commune=target, parsed=parsed)
        failed = [item for item in checked if item.has_errors]
        headers = {c["field"]: c["header"] for c in parsed.layout["columns"] if c["field"]}
        for item in failed:
            self.stderr.write(imports.row_label(item.report(headers)))
        counts = imports.counts(checked)
        self.stdout.write(services.import_summary(counts, preview=True))
        if dry_run or (failed and not valid_only):
            if failed and not dry_run:
                self.stderr.write(
                    "Nothing was imported: correct the rows above or use --valid-only."
                )
            if failed:
                raise SystemExit(1)
            return
        job = services.household_import_file(
            actor=None,
            commune=target,
            content=content,
            filename=path.name,
            valid_only=valid_only,
            layout=parsed.layout,
        )
        outcome = services.household_import_run(job_id=job.pk)
        job.refresh_from_db()
        self.stdout.write(job.message)
        if job.status != Job.Status.SUCCEEDED:
            for line in job.errors:
                self.stderr.write(str(line))
            raise SystemExit(1)
        if failed or outcome.get(imports.Outcome.ERROR):
            raise SystemExit(1)

    def _read(self, content: bytes, name: str, commune: Commune, options) -> imports.ParsedFile:
        choice = {}
        for given in options["map"]:
            header, equals, field = given.partition("=")
            if not equals or not header.strip():
                raise CommandError(f"--map takes COLUMN=field, not {given!r}.")
            field = field.strip()
            if field and field not in imports.BY_KEY:
                raise CommandError(
                    f"{field!r} is not a field. The fields: {', '.join(imports.BY_KEY)}."
                )
            choice[header.strip()] = field
        remembered = ImportLayout.objects.filter(commune=commune).first()
        try:
            return imports.read_file(
                content,
                name,
                header_row=options["header_row"],
                choice=choice,
                remembered=remembered.as_layout() if remembered else None,
            )
        except imports.MappingProblem as problem:
            raise CommandError(
                f'{problem} (--map "COLUMN=field" with the fields: {", ".join(imports.BY_KEY)})'
            ) from problem
        except imports.FileProblem as problem:
            raise CommandError(str(problem)) from problem

    def _commune(self, wanted: str | None) -> Commune:
        if not wanted:
            partnerships = list(Partnership.objects.select_related("commune")[:2])
            if len(partnerships) != 1:
                raise CommandError("Say which commune the file is for with --commune.")
            return partnerships[0].commune
        query = Q(code=wanted) | (Q(pk=int(wanted)) if wanted.isdigit() else Q(pk__in=[]))
        found = list(Commune.objects.filter(query)[:2])
        if not found:
            found = [c for c in Commune.objects.all() if fold(c.name) == fold(wanted)][:2]
        if len(found) != 1:
            raise CommandError(f"No single commune matches {wanted!r}.")
        return found[0]

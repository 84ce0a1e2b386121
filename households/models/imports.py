"""A household file uploaded for one commune: its check and its import."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Job, TimeStamped, audit_user
from outreach.models import Commune


class HouseholdImport(TimeStamped):
    """A household file uploaded for one commune, from its check (the preview) to its import.

    The background jobs that check and apply it (``core.Job``) carry only what the job page
    polls: status, progress, message and problems. What was uploaded, what the check found and
    what the import did live here (``households.imports``).
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked")
        APPLYING = "applying", _("Being imported")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")

    # A row's outcome (households.imports.Outcome) → the field counting it, as the check found
    # it and as the import did it.
    FOUND_FIELDS = {
        "new": "found_new",
        "update": "found_update",
        "unchanged": "found_unchanged",
        "error": "found_error",
    }
    APPLIED_FIELDS = {
        "new": "created",
        "update": "updated",
        "unchanged": "unchanged",
        "error": "skipped",
    }
    DEFAULT_CHUNK = 500

    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="household_imports",
    )
    # Relative to MEDIA_ROOT; no URL serves it (the file lists people).
    source = models.CharField(_("stored file"), max_length=255, blank=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CHECKING
    )
    failure = models.CharField(_("why it failed"), max_length=255, blank=True)
    # The file's headers, in its order → the column each was read as ("" when not used).
    mapping = models.JSONField(_("columns of the file"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    found_new = models.PositiveIntegerField(_("new households found"), default=0)
    found_update = models.PositiveIntegerField(_("households to update found"), default=0)
    found_unchanged = models.PositiveIntegerField(_("unchanged rows found"), default=0)
    found_error = models.PositiveIntegerField(_("rows with errors found"), default=0)
    created = models.PositiveIntegerField(_("households created"), default=0)
    updated = models.PositiveIntegerField(_("households updated"), default=0)
    unchanged = models.PositiveIntegerField(_("rows left unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    valid_only = models.BooleanField(_("only the valid rows"), default=False)
    chunk_size = models.PositiveIntegerField(_("rows per chunk"), default=DEFAULT_CHUNK)
    # How many times a worker started applying it: more than one after a worker died.
    runs = models.PositiveIntegerField(_("import runs"), default=0)
    # What the person chose on the preview page (or with the command's options): the header's
    # row (None: found by the import) and the field of columns (header → field key, "" for a
    # column not read); the proposal or the commune's remembered layout for the others.
    header_row = models.PositiveIntegerField(_("header row chosen"), null=True, blank=True)
    choice = models.JSONField(_("fields chosen"), default=dict, blank=True)
    # How the check read the file (households.imports.header.Layout.as_dict): confirming the
    # import remembers it for the commune (ImportLayout), and the import reads the file by it.
    layout = models.JSONField(_("layout found"), default=dict, blank=True)
    # The check's outcome of every row (JSON beside the stored file), shown by the preview page.
    preview = models.CharField(_("preview file"), max_length=255, blank=True, editable=False)
    check_job = models.OneToOneField(
        Job,
        verbose_name=_("check job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    apply_job = models.OneToOneField(
        Job,
        verbose_name=_("import job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = audit_user(_("created by"))

    class Meta:
        verbose_name = _("household import")
        verbose_name_plural = _("household imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chunk_size__gte=1), name="household_import_chunk_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} #{self.pk}"

    def found_counts(self) -> dict[str, int]:
        """Return what the check found: the rows of each outcome."""
        return {outcome: getattr(self, field) for outcome, field in self.FOUND_FIELDS.items()}

    def applied_counts(self) -> dict[str, int]:
        """Return what the import did, by outcome (an error row is a skipped one)."""
        return {outcome: getattr(self, field) for outcome, field in self.APPLIED_FIELDS.items()}

    def reading(self) -> dict:
        """Return how the check reads the file: the person's header row and fields."""
        return {"header_row": self.header_row, "choice": dict(self.choice)}

    def confirmed(self) -> dict:
        """Return how the import reads the file: as the check read it (its layout), so that
        what is written is what the preview showed; an import made before layouts were
        recorded reads it as the check did."""
        if not self.layout.get("columns"):
            return self.reading()
        return {
            "header_row": self.layout.get("header_row"),
            "choice": {column["header"]: column["field"] for column in self.layout["columns"]},
        }

    def headers(self) -> dict[str, str]:
        """Return each field's header as the file writes it."""
        found: dict[str, str] = {}
        for column in self.layout.get("columns", []):
            if column.get("field"):
                found.setdefault(column["field"], column["header"])
        return found


class ImportLayout(TimeStamped):
    """How a commune's own household spreadsheet is laid out, as a person last confirmed it on
    the preview page: proposed again for the commune's next file, and the layout its exports
    can be written back in.

    ``columns`` lists the file's columns in their order, each ``{"header": …, "field": …}``
    (``header`` as the file writes it, the two header rows joined by " / " where the file has
    two; ``field`` one of the import's field keys, or "" for a column that is not read)."""

    commune = models.OneToOneField(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        related_name="import_layout",
    )
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    header_depth = models.PositiveSmallIntegerField(_("header rows"), default=1)
    title_lines = models.JSONField(_("title lines"), default=list, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    person_rows = models.BooleanField(_("one row per person"), default=False)
    updated_by = audit_user(_("updated by"))

    class Meta:
        verbose_name = _("import layout")
        verbose_name_plural = _("import layouts")
        constraints = [
            models.CheckConstraint(
                condition=Q(header_row__gte=1) & Q(header_depth__gte=1) & Q(header_depth__lte=2),
                name="import_layout_rows_valid",
            )
        ]

    def __str__(self) -> str:
        return str(self.commune)

    def as_layout(self) -> dict:
        """Return the layout as the import reads it (households.imports.header)."""
        return {
            "header_row": self.header_row,
            "header_depth": self.header_depth,
            "title_lines": list(self.title_lines),
            "columns": list(self.columns),
            "person_rows": self.person_rows,
        }

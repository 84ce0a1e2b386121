"""Household imports as rows of their own; the import jobs already run become imports too.

Until now an import's state lived in its jobs' ``result`` (the commune, the stored file, the
counts, the link from the check job to the import job). Each check job, with the import job it
led to, becomes one ``HouseholdImport``, and so does each import job started without a check
(the administrators' command). The jobs' ``result`` is left as it was: nothing is lost.
"""

import posixpath

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PREVIEW, APPLY = "household_import_preview", "household_import"
FOUND = {
    "new": "found_new",
    "update": "found_update",
    "unchanged": "found_unchanged",
    "error": "found_error",
}
APPLIED = {"new": "created", "update": "updated", "unchanged": "unchanged", "error": "skipped"}
# A job's status → the import's, while the import is at that job's stage.
CHECK_STATUS = {"queued": "checking", "running": "checking", "succeeded": "checked"}
APPLY_STATUS = {"queued": "applying", "running": "applying", "succeeded": "applied"}


def _counts(item, counts, fields) -> None:
    for outcome, field in fields.items():
        setattr(item, field, int((counts or {}).get(outcome, 0)))


def _from_jobs(HouseholdImport, check, apply, communes):
    """Return the import the jobs ``check`` and ``apply`` (either may be None) describe, or None
    when its commune is gone."""
    first = check or apply
    result = first.result if isinstance(first.result, dict) else {}
    if result.get("commune") not in communes:
        return None
    last = apply or check
    item = HouseholdImport(
        commune_id=result["commune"],
        source=result.get("source", ""),
        file_name=(result.get("upload_name") or first.message or "")[:200],
        status=(APPLY_STATUS if apply else CHECK_STATUS).get(last.status, "failed"),
        check_job=check,
        apply_job=apply,
        created_by_id=first.created_by_id,
    )
    if item.status == "failed":
        item.failure = last.message[:255]
    if check is not None:
        _counts(item, result.get("counts"), FOUND)
        item.rows = int(result.get("rows", 0))
        if check.status == "succeeded" and item.source:
            item.preview = posixpath.join(posixpath.dirname(item.source), "preview.json")
    if apply is not None:
        applied = apply.result if isinstance(apply.result, dict) else {}
        _counts(item, applied.get("counts"), APPLIED)
        item.valid_only = bool(applied.get("valid_only", False))
        item.chunk_size = max(1, int(applied.get("chunk", 500)))
        item.runs = int(applied.get("runs", 0))
        item.rows = item.rows or apply.total
    return item


def _keep_skipped(apply) -> None:
    """An import job still to finish lists its skipped rows as problems from now on."""
    skipped = apply.result.get("skipped") if isinstance(apply.result, dict) else None
    if apply.status in ("queued", "running") and skipped and not apply.errors:
        apply.errors = skipped
        apply.save(update_fields=["errors"])


def imports_from_jobs(apps, schema_editor):
    Job = apps.get_model("core", "Job")
    Commune = apps.get_model("outreach", "Commune")
    HouseholdImport = apps.get_model("households", "HouseholdImport")
    communes = set(Commune.objects.values_list("pk", flat=True))
    jobs = {job.pk: job for job in Job.objects.filter(kind__in=[PREVIEW, APPLY]).order_by("pk")}
    pairs, led_to = [], set()
    for job in jobs.values():
        if job.kind == PREVIEW:
            result = job.result if isinstance(job.result, dict) else {}
            apply = jobs.get(result.get("apply_job"))
            if apply is not None and apply.kind == APPLY:
                led_to.add(apply.pk)
            else:
                apply = None
            pairs.append((job, apply))
    pairs += [(None, job) for job in jobs.values() if job.kind == APPLY and job.pk not in led_to]
    for check, apply in pairs:
        item = _from_jobs(HouseholdImport, check, apply, communes)
        if item is None:
            continue
        item.save()
        # When the file was uploaded, not when this migration ran.
        HouseholdImport.objects.filter(pk=item.pk).update(created_at=(check or apply).created_at)
        if apply is not None:
            _keep_skipped(apply)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_reminder"),
        ("households", "0006_concern_review_flag"),
        ("outreach", "0004_report_link"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HouseholdImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "source",
                    models.CharField(
                        blank=True, editable=False, max_length=255, verbose_name="stored file"
                    ),
                ),
                ("file_name", models.CharField(max_length=200, verbose_name="file name")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("checking", "Being checked"),
                            ("checked", "Checked"),
                            ("applying", "Being imported"),
                            ("applied", "Imported"),
                            ("failed", "Failed"),
                        ],
                        default="checking",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "failure",
                    models.CharField(blank=True, max_length=255, verbose_name="why it failed"),
                ),
                (
                    "mapping",
                    models.JSONField(blank=True, default=dict, verbose_name="columns of the file"),
                ),
                ("rows", models.PositiveIntegerField(default=0, verbose_name="rows")),
                (
                    "found_new",
                    models.PositiveIntegerField(default=0, verbose_name="new households found"),
                ),
                (
                    "found_update",
                    models.PositiveIntegerField(
                        default=0, verbose_name="households to update found"
                    ),
                ),
                (
                    "found_unchanged",
                    models.PositiveIntegerField(default=0, verbose_name="unchanged rows found"),
                ),
                (
                    "found_error",
                    models.PositiveIntegerField(default=0, verbose_name="rows with errors found"),
                ),
                (
                    "created",
                    models.PositiveIntegerField(default=0, verbose_name="households created"),
                ),
                (
                    "updated",
                    models.PositiveIntegerField(default=0, verbose_name="households updated"),
                ),
                (
                    "unchanged",
                    models.PositiveIntegerField(default=0, verbose_name="rows left unchanged"),
                ),
                ("skipped", models.PositiveIntegerField(default=0, verbose_name="rows skipped")),
                (
                    "valid_only",
                    models.BooleanField(default=False, verbose_name="only the valid rows"),
                ),
                (
                    "chunk_size",
                    models.PositiveIntegerField(default=500, verbose_name="rows per chunk"),
                ),
                ("runs", models.PositiveIntegerField(default=0, verbose_name="import runs")),
                (
                    "preview",
                    models.CharField(
                        blank=True, editable=False, max_length=255, verbose_name="preview file"
                    ),
                ),
                (
                    "apply_job",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="core.job",
                        verbose_name="import job",
                    ),
                ),
                (
                    "check_job",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="core.job",
                        verbose_name="check job",
                    ),
                ),
                (
                    "commune",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="household_imports",
                        to="outreach.commune",
                        verbose_name="commune",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
            ],
            options={
                "verbose_name": "household import",
                "verbose_name_plural": "household imports",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("chunk_size__gte", 1)),
                        name="household_import_chunk_positive",
                    )
                ],
            },
        ),
        migrations.RunPython(imports_from_jobs, migrations.RunPython.noop, elidable=True),
    ]

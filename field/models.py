"""What the field app keeps: one row per record a phone synced and the server applied."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import audit_user


class SyncedRecord(models.Model):
    """A record made on a phone (offline, in a village) and applied by the sync, once.

    The row is written in the same transaction as the act it stands for (a receipt confirmed, a
    log entry, a concern, a survey section), so a record is applied with its row or not at all.
    Its ``client_id`` is unique: a record sent again (a lost answer, two tabs, a retry) finds
    the row and is answered "already", and nothing new is stored. Records refused, invalid or
    in conflict leave no row: sent again, they are judged afresh.
    """

    class Kind(models.TextChoices):
        RECEIPT_CONFIRM = "receipt_confirm", _("Receipt confirmed")
        ASSET_LOG = "asset_log", _("Asset log entry")
        CONCERN = "concern", _("Concern")
        SURVEY_SECTION = "survey_section", _("Survey section")

    # Made by the phone when the person recorded it (a UUID 4).
    client_id = models.UUIDField(_("client id"), unique=True)
    user = audit_user(_("recorded by"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What it was applied to: "activities.receipt" and the row's id.
    target_model = models.CharField(_("applied to"), max_length=100, blank=True)
    target_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    # The phone's clock when the person recorded it; ``received_at`` is the server's.
    recorded_at = models.DateTimeField(_("recorded at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    # The answer the sync gave (status, message): what the phone was told.
    answer = models.JSONField(_("answer"), default=dict, blank=True)

    class Meta:
        verbose_name = _("synced record")
        verbose_name_plural = _("synced records")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["user", "received_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.client_id}"

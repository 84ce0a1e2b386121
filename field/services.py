"""The sync: a record made on a phone, applied once through the services the pages use.

``record_sync`` writes the record's ``SyncedRecord`` row first, then applies it, in one
transaction: a second request with the same client id (a replay, a lost answer, a second tab
sending at the same moment) waits on the row's unique index until the first ends, then finds it
and is answered "already". If the first was refused, in conflict or invalid, its row went with
its transaction and the second is judged afresh.

Each kind fetches its target through the requester's scope (outside it, or missing: the same
refusal), compares the version the phone downloaded with the one stored (a ``Conflict`` names
both sides, label by label), and checks the input with the pages' own forms before calling the
service, which holds the rules (a ``ValidationError`` leaves nothing).
"""

import base64
import binascii
import dataclasses
import datetime
import re
import uuid
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from activities.forms.asset import FaultForm, MaintenanceForm
from activities.models import Asset, MaintenanceLog, Receipt
from activities.services import (
    maintenance_record,
    receipt_signature_attach,
    receipts_confirm,
)
from core.services import service
from core.templatetags.people import display_name
from field import selectors
from field.models import SyncedRecord
from households.forms import ConcernForm
from households.models import Concern, Household, Survey
from households.services import concern_record, survey_save
from households.services.survey_checks import SECTION_LABELS
from outreach.scope import scoped

Kind = SyncedRecord.Kind
# How far ahead of the server's clock a phone's time may be: receipts_confirm's tolerance.
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)
# A signature photo comes as a data URL of one of the formats every photo may have.
_DATA_URL = re.compile(r"data:image/(jpeg|png|webp);base64,(.*)", re.DOTALL)


@dataclasses.dataclass(frozen=True)
class Record:
    """One record as the phone sent it, its shape checked (``field.api``)."""

    client_id: uuid.UUID
    kind: str
    recorded_at: datetime.datetime
    base_version: str | None
    data: dict
    resolve: bool = False


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What the sync answers: the HTTP status, the contract's status word and a message."""

    http: int
    status: str
    message: str


class Refused(Exception):
    """The requester may not record this (role), or the target is outside their communes or
    does not exist: the same refusal, which names nothing."""


class Conflict(Exception):
    """The target changed on the server since the phone downloaded it: nothing was applied.

    ``server`` and ``mine`` are what to show side by side: translated label → value.
    """

    def __init__(self, message: str, *, server: dict, mine: dict):
        super().__init__(message)
        self.message, self.server, self.mine = message, server, mine


def _label(model, name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _when(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}" if moment else "—"


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _locked(queryset, actor, pk: int):
    """Return the row ``pk`` of ``queryset`` in ``actor``'s scope, locked; else refuse."""
    row = scoped(queryset, actor).select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        raise Refused
    return row


def _check_clock(recorded_at: datetime.datetime) -> None:
    if recorded_at > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError(
            {
                "recorded_at": _(
                    "This was recorded in the future: check the date and time of the phone."
                )
            }
        )


def _form_errors(form) -> ValidationError:
    return ValidationError({name: list(errors) for name, errors in form.errors.items()})


# --- Receipts -------------------------------------------------------------------------------------


def signature_upload(value) -> SimpleUploadedFile | None:
    """Return the signature photo of a data URL as an upload (checked by the receipt's service
    as every photo is); refuse what is not a JPEG, PNG or WebP data URL."""
    if value in (None, ""):
        return None
    found = _DATA_URL.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        raise ValidationError(
            {"signature": _("The signature must be a photo (JPEG, PNG or WebP).")}
        )
    try:
        content = base64.b64decode(found[2], validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValidationError({"signature": _("The signature photo could not be read.")}) from error
    extension = "jpg" if found[1] == "jpeg" else found[1]
    return SimpleUploadedFile(f"signature.{extension}", content, f"image/{found[1]}")


def _receipt_sides(receipt: Receipt, record: Record, photo) -> tuple[dict, dict]:
    distribution = receipt.distribution
    household = f"{receipt.household.code} · {receipt.household.head_name}"
    server = {
        _label(Receipt, "household"): household,
        _label(Receipt, "distribution"): distribution.title,
        _label(type(distribution), "status"): distribution.get_status_display(),
    }
    if receipt.confirmed_at:
        server[_label(Receipt, "confirmed_by")] = (
            display_name(receipt.confirmed_by) if receipt.confirmed_by else "—"
        )
        server[_label(Receipt, "confirmed_at")] = _when(receipt.confirmed_at)
    if receipt.not_delivered_reason:
        server[_label(Receipt, "not_delivered_reason")] = receipt.get_not_delivered_reason_display()
        if receipt.not_delivered_note:
            server[_label(Receipt, "not_delivered_note")] = receipt.not_delivered_note
    mine = {
        _label(Receipt, "household"): household,
        _label(Receipt, "confirmed_at"): _when(record.recorded_at),
        _label(Receipt, "signature"): _yes_no(photo is not None),
    }
    return server, mine


def _receipt_conflict(receipt: Receipt, record: Record, actor, photo) -> None:
    """Refuse to confirm over a change: the distribution no longer takes confirmations, or
    someone else confirmed the receipt or marked it not delivered since the phone downloaded
    it. A change that touches neither (a note), or the person's own, is no conflict."""
    if record.resolve:
        return
    closed = not receipt.distribution.accepts_confirmation
    moved = record.base_version != selectors.receipt_version(receipt)
    taken = (receipt.confirmed_at and receipt.confirmed_by_id != actor.pk) or (
        receipt.not_delivered_reason and receipt.not_delivered_by_id != actor.pk
    )
    if not closed and not (moved and taken):
        return
    server, mine = _receipt_sides(receipt, record, photo)
    if closed:
        message = _("The distribution no longer takes confirmations: nothing of yours was applied.")
    elif receipt.confirmed_at:
        message = _("Someone else confirmed this receipt meanwhile: nothing of yours was applied.")
    else:
        message = _(
            "This receipt was marked not delivered meanwhile: nothing of yours was applied."
        )
    raise Conflict(message, server=server, mine=mine)


def _receipt_confirm(actor, record: Record) -> tuple[object, str]:
    """Confirm a receipt (with its signature photo, if one was taken) at the recorded time.

    Resolved by the person ("mine") after a conflict, it is applied on the current state when
    the rules allow it: a receipt marked not delivered is confirmed (the household came after
    all: the service takes the mark off); one that somebody else confirmed stays confirmed by
    them, at their time, and only the signature photo is kept, if the receipt has none yet
    (nothing else of the record is left to apply, and it is stored so that it is not sent
    again); a closed distribution refuses it (invalid).
    """
    receipt = _locked(
        Receipt.objects.select_related("distribution", "household", "confirmed_by"),
        actor,
        record.data["receipt"],
    )
    photo = signature_upload(record.data.get("signature"))
    _receipt_conflict(receipt, record, actor, photo)
    if receipt.confirmed_at:
        if photo is None or receipt.signature:
            return receipt, _(
                "This receipt had been confirmed already by %(name)s: nothing was changed."
            ) % {"name": display_name(receipt.confirmed_by) if receipt.confirmed_by else "—"}
        receipt_signature_attach(actor=actor, receipt=receipt, image=photo)
        return receipt, _("The receipt was confirmed already; your signature photo was kept.")
    receipts_confirm(
        actor=actor,
        distribution=receipt.distribution,
        receipt_ids=[receipt.pk],
        confirmed_at=record.recorded_at,
    )
    if photo is not None:
        receipt_signature_attach(actor=actor, receipt=receipt, image=photo)
    return receipt, _("The receipt was confirmed.")


# --- Assets ---------------------------------------------------------------------------------------


def _asset_form(actor, data: dict):
    kind = data["kind"]
    allowed = dict(selectors.asset_log_kinds(actor))
    if kind not in {MaintenanceLog.Kind.FAULT, MaintenanceLog.Kind.CHECK}:
        raise ValidationError({"kind": _("Choose a fault or a check.")})
    if kind not in allowed:
        # As on the asset's page (activities.selectors.asset.log_kinds).
        raise Refused
    values = {"happened_on": data["happened_on"], "note": data.get("note") or ""}
    if kind == MaintenanceLog.Kind.FAULT:
        return kind, FaultForm(values)
    return kind, MaintenanceForm({**values, "kind": kind})


def _asset_moved_on(asset: Asset, record: Record, actor) -> bool:
    """Tell whether someone else added to the asset's log since the phone downloaded it (the
    person's own entries, synced one after the other from the same download, are no conflict)."""
    based_on = selectors.asset_version_log(record.base_version)
    if based_on is None:
        return True
    return asset.logs.filter(pk__gt=based_on).exclude(recorded_by_id=actor.pk).exists()


def _asset_conflict(asset: Asset, record: Record, actor, kind: str, form) -> None:
    if record.resolve or not _asset_moved_on(asset, record, actor):
        return
    latest = asset.logs.order_by("-happened_on", "-pk").first()
    server = {
        _label(Asset, "code"): asset.code,
        _label(Asset, "status"): asset.get_status_display(),
    }
    if latest is not None:
        server[_label(MaintenanceLog, "kind")] = latest.get_kind_display()
        server[_label(MaintenanceLog, "happened_on")] = f"{latest.happened_on:%d/%m/%Y}"
        server[_label(MaintenanceLog, "note")] = latest.note or "—"
    happened_on = form.cleaned_data["happened_on"]
    mine = {
        _label(Asset, "code"): asset.code,
        _label(MaintenanceLog, "kind"): MaintenanceLog.Kind(kind).label,
        _label(MaintenanceLog, "happened_on"): f"{happened_on:%d/%m/%Y}",
        _label(MaintenanceLog, "note"): form.cleaned_data["note"] or "—",
    }
    raise Conflict(
        _("The asset's log moved on since you downloaded it: nothing of yours was applied."),
        server={str(k): str(v) for k, v in server.items()},
        mine={str(k): str(v) for k, v in mine.items()},
    )


def _asset_log(actor, record: Record) -> tuple[object, str]:
    """Add a fault or a check to an asset's log, as the asset's page allows the role."""
    asset = _locked(Asset.objects.all(), actor, record.data["asset"])
    kind, form = _asset_form(actor, record.data)
    if not form.is_valid():
        raise _form_errors(form)
    _asset_conflict(asset, record, actor, kind, form)
    log = maintenance_record(
        actor=actor,
        asset=asset,
        kind=kind,
        happened_on=form.cleaned_data["happened_on"],
        note=form.cleaned_data["note"],
    )
    if kind == MaintenanceLog.Kind.FAULT:
        return log, _("Thank you: the fault was reported.")
    return log, _("The log entry was added.")


# --- Concerns -------------------------------------------------------------------------------------


def _concern(actor, record: Record) -> tuple[object, str]:
    """Record what a family said; nothing on the server can conflict with a new concern."""
    household = scoped(Household.objects.all(), actor).filter(pk=record.data["household"]).first()
    if household is None:
        raise Refused
    data = record.data
    form = ConcernForm(
        {"kind": data["kind"], "raised_on": data["raised_on"], "text": data["text"]},
        household=household,
    )
    if not form.is_valid():
        raise _form_errors(form)
    concern = concern_record(actor=actor, household=household, **form.cleaned_data)
    if concern.kind == Concern.Kind.CHANGE:
        return concern, _("The change of circumstance was recorded and a review was asked for.")
    return concern, _("What the family said was recorded.")


# --- Survey sections ------------------------------------------------------------------------------


def _shown(field: forms.Field, value, tables) -> str:
    """Show an answer to a section's question as its page would (labels of the choices)."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _yes_no(value)
    labels = dict(selectors.field_choices(field, tables)) if hasattr(field, "choices") else {}
    items = value if isinstance(value, list) else [value]
    return ", ".join(labels.get(str(item), str(item)) for item in items)


def _answers(form: forms.Form, fields: dict) -> dict:
    """Return what the phone sent by the form's field names: the boxes of a question of
    several answers ("causes:land": true) back in one list. Refuse names the form has not."""
    answers: dict = {}
    unknown = []
    for key, value in fields.items():
        name, separator, choice = key.partition(selectors.CHOICE_SEPARATOR)
        field = form.fields.get(name) if name != "version" else None
        several = isinstance(field, forms.MultipleChoiceField)
        if field is None or (separator and not several):
            unknown.append(key)
        elif separator:
            chosen = answers.setdefault(name, [])
            if value is True and isinstance(chosen, list):
                chosen.append(choice)
        else:
            answers[name] = value
    if unknown:
        raise ValidationError(
            _("These fields are not part of this section: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    return answers


def _bound(survey: Survey, answers: dict) -> dict:
    data = {"version": str(survey.version)}
    for name, value in answers.items():
        if value is not None:
            data[name] = value if isinstance(value, bool | list) else str(value)
    return data


def _survey_section(actor, record: Record) -> tuple[object, str]:
    """Save one section of a household's survey, checked by the survey page's form; a survey
    saved by someone else since the download is a conflict ("mine" saves over it)."""
    section, fields = record.data["section"], record.data["fields"]
    survey = _locked(
        Survey.objects.select_related("entry__campaign__standard", "income_table"),
        actor,
        record.data["survey"],
    )
    if section not in selectors.OFFLINE_SECTIONS:
        raise ValidationError({"section": _("This section of the survey is not filled in here.")})
    definitions, tables = selectors.standard_parts([survey.entry.campaign.standard])
    standard = survey.entry.campaign.standard_id
    parts = {"survey": survey, "definition": definitions[standard], "tables": tables[standard]}
    saved = selectors.section_form(section, **parts)
    answers = _answers(saved, fields)
    if not record.resolve and _survey_moved_on(survey, record, actor):
        _survey_conflict(saved, answers, tables[standard])
    form = selectors.section_form(section, **parts, data=_bound(survey, answers))
    if not form.is_valid():
        raise _form_errors(form)
    survey_save(
        actor=actor,
        survey=survey,
        section=section,
        data=form.service_data(),
        version=survey.version,
    )
    return survey, _("Saved: %(section)s.") % {"section": SECTION_LABELS[section]}


def _survey_moved_on(survey: Survey, record: Record, actor) -> bool:
    """Tell whether someone else saved the survey since the phone downloaded it: the person's
    own sections, synced one after the other from the same download, are no conflict."""
    if record.base_version == str(survey.version):
        return False
    based_on = record.base_version or ""
    if not based_on.isdigit() or int(based_on) > survey.version:
        return True
    saves = survey.history.filter(version__gt=int(based_on))
    return saves.exclude(history_user_id=actor.pk).exists()


def _survey_conflict(saved: forms.Form, answers: dict, tables) -> None:
    server, mine = {}, {}
    for name, field in saved.fields.items():
        if name == "version":
            continue
        label = str(capfirst(field.label or name))
        server[label] = _shown(field, saved.initial.get(name), tables)
        mine[label] = _shown(field, answers.get(name), tables)
    raise Conflict(
        _("Someone else saved this survey since you downloaded it: nothing of yours was saved."),
        server=server,
        mine=mine,
    )


# --- The sync -------------------------------------------------------------------------------------

APPLY: dict[str, Callable[..., tuple[object, str]]] = {
    Kind.RECEIPT_CONFIRM: _receipt_confirm,
    Kind.ASSET_LOG: _asset_log,
    Kind.CONCERN: _concern,
    Kind.SURVEY_SECTION: _survey_section,
}


def _already(actor, row: SyncedRecord) -> Outcome:
    if row.user_id != actor.pk:
        # Another person's record: say nothing about it.
        raise Refused
    return Outcome(200, "already", _("This record was stored before: nothing new was stored."))


@service
def record_sync(*, actor, record: Record) -> Outcome:
    """Apply one record made on a phone, once; return what to answer.

    Raises ``Refused`` (role, scope), ``Conflict`` (the target changed since the download) or
    ``ValidationError`` (the rules refuse it); each leaves nothing, the ``SyncedRecord`` row
    included.
    """
    previous = SyncedRecord.objects.filter(client_id=record.client_id).first()
    if previous is not None:
        return _already(actor, previous)
    _check_clock(record.recorded_at)
    try:
        with transaction.atomic():
            row = SyncedRecord.objects.create(
                client_id=record.client_id,
                user=actor,
                kind=record.kind,
                recorded_at=record.recorded_at,
            )
    except IntegrityError:
        # The same record from another request, which has committed meanwhile.
        return _already(actor, SyncedRecord.objects.get(client_id=record.client_id))
    target, message = APPLY[record.kind](actor, record)
    outcome = Outcome(201, "stored", str(message))
    row.target_model = target._meta.label_lower
    row.target_id = target.pk
    row.answer = {"status": outcome.status, "message": outcome.message}
    row.save(update_fields=["target_model", "target_id", "answer"])
    return outcome

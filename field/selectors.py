"""What a cadre takes to the village: the households, distributions, assets and surveys of their
communes, as the offline app stores them (the sync contract, /work/notes/field-common.md).

Everything starts from ``outreach.scope.scoped``; the number of queries does not grow with the
number of rows (each list is one query, the receipts one more, the surveys' standards and B1
tables one each). Nothing private leaves: no ID numbers, phone numbers, birth years or member
lists (the survey's members section is not taken offline for that reason, and because its
members are a formset, not flat fields).
"""

import datetime
from typing import Any

from django import forms
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from activities.models import CONFIRMABLE, Asset, Distribution, MaintenanceLog, Receipt
from activities.selectors import asset as asset_selectors
from core.templatetags.people import display_name
from core.text import fold
from households import poverty
from households.forms_survey import SECTION_FORMS, initial_for
from households.models import CampaignHousehold, Concern, Household, IncomeTable, Survey
from households.models.household import Poverty
from households.services.survey_checks import SECTION_LABELS
from outreach.scope import scoped

# The survey's sections that the offline app fills in: flat fields only (see the docstring).
OFFLINE_SECTIONS = ("housing", "services", "income")
# A survey can change while its campaign is open and the village has not agreed on it yet.
_SURVEY_OPEN = (CampaignHousehold.State.LISTED, CampaignHousehold.State.SURVEYED)


def field_user(user) -> dict:
    return {"id": user.pk, "name": display_name(user)}


def asset_log_kinds(user) -> list[tuple[str, str]]:
    """Return the log entries ``user`` may add to an asset from the field: of what the asset's
    page allows the role (``activities.selectors.asset.log_kinds``), a fault or a check."""
    field = (MaintenanceLog.Kind.FAULT, MaintenanceLog.Kind.CHECK)
    allowed = set(asset_selectors.log_kinds(user))
    return [(kind.value, str(kind.label)) for kind in field if kind in allowed]


# --- Versions: opaque to the phone, compared by the sync ------------------------------------------


def receipt_version(receipt: Receipt) -> str:
    return receipt.updated_at.isoformat()


def distribution_version(distribution: Distribution) -> str:
    return distribution.updated_at.isoformat()


def asset_version(last_log_id: int | None) -> str:
    """The asset's latest log entry, which sets its state (a check that changes no state still
    moves it on); the sync reads back the id (``asset_version_log``)."""
    return f"log-{last_log_id or 0}"


def asset_version_log(version: str | None) -> int | None:
    """Return the id of the latest log entry a version names, or None if it names none."""
    number = (version or "").removeprefix("log-")
    return int(number) if number.isdigit() else None


def survey_version(survey: Survey) -> int:
    return survey.version


# --- The lists ------------------------------------------------------------------------------------


def _households(user) -> list[dict]:
    rows = (
        scoped(Household.objects.filter(archived=False), user)
        .order_by("code")
        .values(
            "pk",
            "code",
            "head_name",
            "village__name",
            "poverty",
            "policy_family",
            "in_difficulty",
        )
    )
    labels = dict(Poverty.choices)
    return [
        {
            "id": row["pk"],
            "code": row["code"],
            "head": row["head_name"],
            "village": row["village__name"],
            "poverty": row["poverty"],
            "poverty_label": str(labels.get(row["poverty"], "")),
            "policy_family": row["policy_family"],
            "in_difficulty": row["in_difficulty"],
            "search": fold(f"{row['head_name']} {row['code']} {row['village__name']}"),
        }
        for row in rows
    ]


def _receipt(receipt: Receipt, items: str) -> dict:
    confirmed_by = receipt.confirmed_by
    return {
        "id": receipt.pk,
        "household": receipt.household_id,
        "household_code": receipt.household.code,
        "head": receipt.household.head_name,
        "items": f"{receipt.quantity} × {items}",
        "confirmed": receipt.confirmed_at is not None,
        "confirmed_at": (
            timezone.localtime(receipt.confirmed_at).isoformat() if receipt.confirmed_at else None
        ),
        "confirmed_by": display_name(confirmed_by) if confirmed_by else None,
        "not_delivered": bool(receipt.not_delivered_reason),
        "version": receipt_version(receipt),
    }


def _distributions(user) -> list[dict]:
    receipts = scoped(Receipt.objects.select_related("household", "confirmed_by"), user).order_by(
        "household__code", "pk"
    )
    distributions = (
        scoped(Distribution.objects.filter(status__in=CONFIRMABLE), user)
        .order_by("-distributed_on", "-pk")
        .prefetch_related(Prefetch("receipts", queryset=receipts))
    )
    return [
        {
            "id": distribution.pk,
            "code": distribution.short_code,
            "title": distribution.title,
            "status": distribution.status,
            "status_label": distribution.get_status_display(),
            "distributed_on": distribution.distributed_on.isoformat(),
            "version": distribution_version(distribution),
            "receipts": [
                _receipt(receipt, distribution.item_description)
                for receipt in distribution.receipts.all()
            ],
        }
        for distribution in distributions
    ]


def _assets(user) -> list[dict]:
    assets = (
        scoped(Asset.objects.exclude(status=Asset.Status.REMOVED), user)
        .select_related("village")
        .annotate(last_log_id=Max("logs__pk"))
        .order_by("code")
    )
    return [
        {
            "id": asset.pk,
            "code": asset.code,
            "name": asset.description or asset.get_kind_display(),
            "kind": asset.kind,
            "kind_label": asset.get_kind_display(),
            "village": asset.village.name,
            "status": asset.status,
            "status_label": asset.get_status_display(),
            "version": asset_version(asset.last_log_id),
        }
        for asset in assets
    ]


# --- The survey's sections, from the survey pages' own forms --------------------------------------


def section_form(
    section: str,
    *,
    survey: Survey,
    definition: poverty.Definition,
    tables: list[IncomeTable],
    data: dict | None = None,
) -> forms.Form:
    """Return the survey page's form of ``section`` (households.forms_survey), set up as the
    page sets it up: the standard decides the services' questions, the B1 tables the income's.

    Unbound, it describes the section (``survey_sections``); bound to what the phone sent, it
    checks it as the page checks what is typed (``field.services``).
    """
    kwargs: dict[str, Any] = {"initial": initial_for(survey, section)}
    if section == "services":
        kwargs.update(
            uses_waste="waste" in definition.indicators,
            uses_information_means="information_means" in definition.indicators,
        )
    elif section == "income":
        kwargs["tables"] = tables
    return SECTION_FORMS[section](data, **kwargs)


def field_choices(field: forms.Field, tables: list[IncomeTable]) -> list[list[str]]:
    if isinstance(field, forms.ModelChoiceField):
        # From the tables already loaded, not the field's queryset (a query per survey).
        return [[str(table.pk), str(table)] for table in tables]
    return [[str(value), str(label)] for value, label in field.choices if value != ""]


def _json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return value


# A question of several answers (information means, causes, needs) goes offline as one yes/no
# box per answer, named "<field>:<answer>"; the sync puts the ticked answers back in a list.
CHOICE_SEPARATOR = ":"


def _boxes(name: str, field: forms.Field, value, tables: list[IncomeTable]) -> list[dict]:
    label = capfirst(field.label or name)
    chosen = {str(item) for item in value or []}
    return [
        {
            "name": f"{name}{CHOICE_SEPARATOR}{choice}",
            "label": f"{label}: {text}",
            "group": name,
            "group_label": str(label),
            "required": False,
            "type": "checkbox",
            "value": choice in chosen,
        }
        for choice, text in field_choices(field, tables)
    ]


def describe_field(name: str, field: forms.Field, value, tables: list[IncomeTable]) -> list[dict]:
    """Describe one form field as the offline app draws it (the contract's types: text,
    number, date, select of ``choices``, checkbox for yes/no); a question of several answers
    becomes a checkbox per answer (``_boxes``)."""
    if isinstance(field, forms.MultipleChoiceField):
        return _boxes(name, field, value, tables)
    described: dict[str, Any] = {
        "name": name,
        "label": str(capfirst(field.label or name)),
        "required": field.required,
    }
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        described.update(type="select", choices=field_choices(field, tables))
        value = None if value in (None, "") else str(_json_value(value))
    elif isinstance(field, forms.BooleanField):
        described["type"] = "checkbox"
        value = bool(value)
    elif isinstance(field, forms.DateField):
        described["type"] = "date"
    elif isinstance(field, forms.IntegerField):
        described["type"] = "number"
    else:
        described["type"] = "text"
    described["value"] = _json_value(value)
    return [described]


def section_fields(form: forms.Form, tables: list[IncomeTable]) -> list[dict]:
    """Describe the fields of a section's form, with their saved values (not the version)."""
    described = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        value = form.initial.get(name, field.initial)
        described += describe_field(name, field, value() if callable(value) else value, tables)
    return described


def _survey_sections(survey: Survey, definition, tables: list[IncomeTable]) -> list[dict]:
    sections = []
    for section in OFFLINE_SECTIONS:
        form = section_form(section, survey=survey, definition=definition, tables=tables)
        sections.append(
            {
                "name": section,
                "label": str(SECTION_LABELS[section]),
                "done": section in survey.sections_done,
                "fields": section_fields(form, tables),
            }
        )
    return sections


def open_surveys(user) -> QuerySet:
    """Return the surveys ``user`` may still fill in: of open campaigns in their communes, of
    households the village has not yet agreed on."""
    return scoped(
        Survey.objects.filter(entry__campaign__closed=False, entry__state__in=_SURVEY_OPEN), user
    )


def standard_parts(standards) -> tuple[dict, dict]:
    """Return each standard's definition and B1 tables (by standard id), in two queries."""
    definitions = {standard.pk: poverty.from_row(standard) for standard in standards}
    tables: dict[int, list[IncomeTable]] = {pk: [] for pk in definitions}
    for table in IncomeTable.objects.filter(standard_id__in=definitions).order_by("name"):
        tables[table.standard_id].append(table)
    return definitions, tables


def _surveys(user) -> list[dict]:
    surveys = list(
        open_surveys(user)
        .select_related("entry__campaign__commune", "entry__campaign__standard", "income_table")
        .prefetch_related("entry__campaign__standard__indicators")
        .order_by("entry__household_id", "pk")
    )
    standards = {survey.entry.campaign.standard for survey in surveys}
    definitions, tables = standard_parts(standards) if surveys else ({}, {})
    return [
        {
            "id": survey.pk,
            "household": survey.entry.household_id,
            "campaign": str(survey.entry.campaign),
            "version": survey_version(survey),
            "sections": _survey_sections(
                survey,
                definitions[survey.entry.campaign.standard_id],
                tables[survey.entry.campaign.standard_id],
            ),
        }
        for survey in surveys
    ]


def field_data(*, user) -> dict:
    """Return what ``user`` takes offline (the sync contract's data.json), of their scope only."""
    return {
        "user": field_user(user),
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "households": _households(user),
        "distributions": _distributions(user),
        "assets": _assets(user),
        "surveys": _surveys(user),
        "choices": {
            "concern_kinds": [[value, str(label)] for value, label in Concern.Kind.choices],
            "asset_log_kinds": [list(kind) for kind in asset_log_kinds(user)],
        },
    }

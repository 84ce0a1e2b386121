"""Helpers of the write matrix (names kept from tests/test_admin_write_matrix.py, which the
modules here were split from): the roles and what each may choose, the scoped fields of a
form and rows inside and outside to point them at, the cases drawn from the admin's registry,
a whole add form, a service call that must be refused."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.utils import timezone

from activities.models import Allocation, Asset, Distribution
from channel.models import PublicFaultReport
from households.models import HouseholdImport, ImportLayout, Review
from outreach.models import Donation, Partnership, ReportLink, RoleAssignment, Village
from outreach.scope import rule_for
from tests import factories as f
from tests.admin.pages import _errors, _form_data, _url
from tests.test_permission_matrix import REFERENCE, SCOPED, _build

Role = RoleAssignment.Role
ROLES = ["staff", "cadre", "auditor", "donor", "admin"]
INVALID = "Select a valid choice"
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)
# Rows the scope keeps from cadres even in their own commune: money, imports, faults, links.
STAFF_ONLY = {Donation, Allocation, HouseholdImport, ImportLayout, PublicFaultReport, ReportLink}
# Reference data read by all but chosen, here, only among the user's own rows: a link shows all
# of a partner's money, so it is for the partners of the user's partnerships alone.
OWN_ONLY_FIELDS = {(ReportLink, "partner")}


def _client(client, user):
    client.logout()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _accepted(role: str, model, related, field: str, where: str) -> bool:
    """Whether ``role`` may choose a row of ``related`` from ``where`` (the expectation, stated
    apart from the code under test)."""
    if role in {"admin", "auditor"}:
        return True
    if role == "donor":
        return related in REFERENCE and (model, field) not in OWN_ONLY_FIELDS
    if (model, field) in OWN_ONLY_FIELDS:
        return role == "staff" and where == "inside"
    if related in REFERENCE:
        return True
    if role == "cadre" and related in STAFF_ONLY:
        return False
    return related in SCOPED and where == "inside"


def _scoped_fields(form):
    """The form's model-choice fields whose model has a scope rule."""
    return [
        (name, field)
        for name, field in form.fields.items()
        if isinstance(field, ModelChoiceField) and rule_for(field.queryset.model) is not None
    ]


def _targets(world, related):
    made = {}
    for where in ("inside", "outside"):
        target = _build(related, world[where])
        assert target is not None, f"give the matrix a row of {related._meta.label} to point at"
        made[where] = target
    return made


def _value(field, target):
    from django.forms import ModelMultipleChoiceField

    return [str(target.pk)] if isinstance(field, ModelMultipleChoiceField) else str(target.pk)


def _snapshot(model, pk):
    return model._base_manager.filter(pk=pk).values().first()


def _fk_models():
    """Every model the admin registers, with a reason to skip those without scoped links."""
    for model in admin.site._registry:
        links = [
            field
            for field in model._meta.get_fields()
            if (field.many_to_one or field.one_to_one or field.many_to_many)
            and field.concrete
            and rule_for(field.related_model) is not None
        ]
        inline_links = [
            inline
            for inline in admin.site._registry[model].inlines
            if any(
                field.is_relation and field.concrete and rule_for(field.related_model) is not None
                for field in inline.model._meta.get_fields()
                if field.related_model is not model
            )
        ]
        if links or inline_links:
            yield model, None
        else:
            yield model, "no foreign key to a scoped model: nothing to point outside"


def _cases(kinds):
    for model, skip in _fk_models():
        for kind in kinds:
            for role in ROLES:
                marks = [pytest.mark.skip(reason=skip)] if skip else []
                yield pytest.param(
                    model, role, kind, id=f"{model._meta.label}-{kind}-{role}", marks=marks
                )


def _check_fields(client, url, response, world, role, model, count_model, *, keep_pk=None):
    """POST the rendered form once per scoped field, outside then inside; assert the outcome."""
    form = response.context["adminform"].form
    fields = [(name, field, None, 0) for name, field in _scoped_fields(form)]
    for formset in (i.formset for i in response.context["inline_admin_formsets"]):
        for index, inline_form in enumerate(formset.forms):
            if inline_form.instance.pk is None:
                fields += [
                    (name, field, formset, index) for name, field in _scoped_fields(inline_form)
                ]
                break
    checked = 0
    for name, field, formset, index in fields:
        related = field.queryset.model
        owner = formset.model if formset is not None else model
        for where, target in _targets(world, related).items():
            html_name = f"{formset.prefix}-{index}-{name}" if formset is not None else name
            before_count = count_model._base_manager.count()
            before_target = _snapshot(related, target.pk)
            before_row = _snapshot(model, keep_pk) if keep_pk else None
            data = _form_data(response, **{html_name: _value(field, target)})
            answer = client.post(url, data)
            shown = _errors(answer) if answer.status_code == 200 else ""
            refused = INVALID in shown
            accepted = _accepted(role, owner, related, name, where)
            label = f"{role}: {owner._meta.label}.{name} → {related._meta.label} {where}"
            assert refused is not accepted, f"{label}: {shown[:300] or answer.status_code}"
            if not accepted:
                assert count_model._base_manager.count() == before_count, label
                assert _snapshot(related, target.pk) == before_target, label
                if keep_pk:
                    assert _snapshot(model, keep_pk) == before_row, label
            checked += 1
    return checked


def _action_cases():
    for model, model_admin in admin.site._registry.items():
        names = [name for name in (model_admin.actions or []) if name != "delete_selected"]
        # A library's model (login attempts, beat schedules) has no rule: nobody but auditors and
        # administrators sees a row of it (the GET matrix proves it), so no row is "outside".
        marks = (
            [pytest.mark.skip(reason="no scope rule: no row belongs to another partnership")]
            if rule_for(model) is None
            else []
        )
        for name in names:
            for role in ROLES:
                yield pytest.param(
                    model, name, role, id=f"{model._meta.label}-{name}-{role}", marks=marks
                )


def _post(client, model, data, *args):
    view = "change" if args else "add"
    return client.post(_url(model, view, *args), data)


def _add_data(world, where, model):
    """A whole valid add form of ``model`` whose links all point ``where``."""
    partnership = world[where]
    commune = partnership.commune
    today = timezone.localdate().isoformat()
    if model is Asset:
        village = f.VillageFactory(commune=commune)
        return {
            "partnership": partnership.pk,
            "village": village.pk,
            "kind": Asset.Kind.SOLAR_LIGHT,
            "code": f"T-{where}-1",
            "installed_on": today,
            "status": "installed",
        }
    if model is Distribution:
        return {
            "partnership": partnership.pk,
            "title": f"Quà {where}",
            "item_description": "Gạo",
            "value_per_item_vnd": "100000",
            "distributed_on": today,
            "receipts-TOTAL_FORMS": "0",
            "receipts-INITIAL_FORMS": "0",
        }
    if model is Donation:
        return {
            "partnership": partnership.pk,
            "partner": f.PartnerFactory().pk,
            "kind": "cash",
            "received_on": today,
            "value_vnd": "1000000",
        }
    if model is Village:
        return {"commune": commune.pk, "name": f"Thôn {where} mới"}
    if model is Partnership:
        return {
            "name": f"Kết nghĩa {where}",
            "office": f.PartnerFactory().pk,
            "commune": commune.pk,
            "start_year": "2024",
        }
    if model is ReportLink:
        return {"partner": partnership.office.pk, "expires_on": TOMORROW.isoformat(), "note": "x"}
    if model is Review:
        household = f.HouseholdFactory(village__commune=commune)
        return {
            "household": household.pk,
            "reviewed_on": today,
            "classification": "poor",
            "reason": "Khảo sát",
            "approved": "on",
        }
    raise AssertionError(model)


OUTSIDE = "outside your communes"


def _refused(call, *models):
    counts = [model.objects.count() for model in models]
    with pytest.raises(ValidationError, match=OUTSIDE):
        call()
    assert [model.objects.count() for model in models] == counts

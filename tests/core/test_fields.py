"""``as_field`` writes a filter form's field exactly as crispy's ``as_crispy_field`` does (same
elements, attributes, values and text; whitespace aside), for every filter of the project, empty
and filled in, and leaves anything it does not write itself to crispy."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.utils import translation

from core.templatetags.fields import as_field
from tests import factories as f
from tests.core.test_dates import FILTER_SETS


def _normal(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html)).strip()
    return re.sub(r"\s*(<|>)\s*", r"\1", html)


def _form_class(filter_class) -> type:
    fields = {}
    for name, declared in filter_class.base_filters.items():
        field = declared.field
        if isinstance(field, forms.ModelChoiceField) and field.queryset is None:
            # Scoped choices are set by the page for its user: here, all of the model's rows.
            model = filter_class._meta.model._meta.get_field(declared.field_name).related_model
            field.queryset = model._default_manager.all()
        fields[name] = field
    return type("Filters", (forms.Form,), fields)


def _filled(form_class) -> dict:
    """A value for every field: a choice of each select, a ticked box, tricky text."""
    data = {}
    for name, field in form_class.base_fields.items():
        if isinstance(field.widget, forms.CheckboxInput):
            data[name] = "on"
        elif isinstance(field.widget, forms.Select):
            values = [str(v) for v, _label in field.widget.choices if str(v) not in ("", "None")]
            data[name] = values[-1] if values else ""
        else:
            data[name] = 'Mã "hộ" <b> & 2'
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("filter_class", FILTER_SETS, ids=str)
@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_as_field_writes_what_crispy_writes(filter_class, filled):
    f.VillageFactory.create_batch(2)
    form_class = _form_class(filter_class)
    with translation.override("vi"):
        ours = form_class(_filled(form_class) if filled else None)
        theirs = form_class(_filled(form_class) if filled else None)
        for name in form_class.base_fields:
            assert _normal(as_field(ours[name])) == _normal(as_crispy_field(theirs[name])), name


def test_the_plain_fields_are_written_here_and_the_values_escaped():
    class Form(forms.Form):
        q = forms.CharField(required=False, label="Tìm <kiếm>")
        kind = forms.ChoiceField(required=False, choices=[("", "Tất cả"), ("a", "A & B")])
        ticked = forms.BooleanField(required=False, label="Có")

    form = Form({"q": '"><script>', "kind": "a", "ticked": "on"})
    html = _normal(as_field(form["q"]) + as_field(form["kind"]) + as_field(form["ticked"]))
    assert 'value="&quot;&gt;&lt;script&gt;"' in html
    assert "Tìm &lt;kiếm&gt;" in html
    assert '<option value="a" selected>A &amp; B</option>' in html
    assert 'class="checkboxinput form-check-input" id="id_ticked" checked>' in html
    assert "<script>" not in html


def test_a_field_with_errors_help_or_a_required_mark_goes_to_crispy():
    class Form(forms.Form):
        year = forms.IntegerField(required=False, help_text="Năm dương lịch")
        name = forms.CharField(label="Tên")
        count = forms.IntegerField(required=False)

    form = Form({"name": "", "count": "nhiều"})
    assert not form.is_valid()
    for name in ("year", "name", "count"):
        assert _normal(as_field(form[name])) == _normal(as_crispy_field(form[name]))
    html = _normal(as_field(form["name"]) + as_field(form["count"]) + as_field(form["year"]))
    assert "asteriskField" in html
    assert "is-invalid" in html
    assert "Năm dương lịch" in html


@pytest.mark.django_db
def test_the_registry_filters_are_all_written_here():
    from core.templatetags.fields import _plain
    from households.filters import HouseholdFilter, ReviewQueueFilter

    for filter_class in (HouseholdFilter, ReviewQueueFilter):
        form = _form_class(filter_class)()
        assert [name for name in form.fields if not _plain(form[name])] == []

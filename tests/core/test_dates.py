"""Dates are typed and shown day/month/year whatever the browser's language (issue 16).

Every date field of every form and filter is core.fields.PlausibleDateField in a
DayMonthYearInput text box, never the browser's <input type="date">, whose picker follows the
phone's language (an English phone shows 12/02/2026 for 2 December).
"""

import datetime
import importlib
import pkgutil
import re

import django_filters
import pytest
from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminDateWidget
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from core.fields import DayMonthYearInput, PlausibleDateField, parse_day_month_year
from core.filters import FilterSet
from tests import test_permission_matrix as matrix
from tests.test_get_forms import STAFF_GET_PAGES, staff_page

PACKAGES = ("core", "outreach", "households", "activities", "channel", "reports", "field", "demo")
DECEMBER_2 = datetime.date(2026, 12, 2)


def _import_everything() -> None:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".migrations" not in module.name and ".management." not in module.name:
                importlib.import_module(module.name)


def _subclasses(base: type) -> set[type]:
    found, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return {cls for cls in found if cls.__module__.split(".")[0] in PACKAGES}


_import_everything()
FORMS = sorted(_subclasses(forms.BaseForm), key=lambda cls: f"{cls.__module__}.{cls.__name__}")
FILTER_SETS = sorted(
    _subclasses(django_filters.FilterSet), key=lambda cls: f"{cls.__module__}.{cls.__name__}"
)


def _is_admin(cls: type) -> bool:
    # The admin keeps its own date widget (a text box too, with its calendar).
    return ".admin" in cls.__module__ or cls.__module__.startswith("config.admin")


def _date_fields(fields: dict) -> dict:
    return {
        name: field
        for name, field in fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
    }


def test_the_walk_finds_the_forms_and_filters_with_dates():
    names = {cls.__name__ for cls in FORMS}
    assert {"ActivityForm", "DistributionForm", "ConcernForm", "MembersForm"} <= names
    assert {"HouseholdFilter", "ReceiptFilter"} <= {cls.__name__ for cls in FILTER_SETS}
    with_dates = [cls for cls in FORMS if _date_fields(cls.base_fields)]
    assert len(with_dates) >= 15


@pytest.mark.parametrize("form_class", [c for c in FORMS if not _is_admin(c)], ids=str)
def test_every_date_of_every_form_is_typed_day_month_year(form_class):
    for name, field in _date_fields(form_class.base_fields).items():
        where = f"{form_class.__module__}.{form_class.__name__}.{name}"
        assert isinstance(field, PlausibleDateField), f"{where} is a {type(field).__name__}"
        assert isinstance(field.widget, DayMonthYearInput), f"{where}: {type(field.widget)}"
        assert field.widget.input_type == "text"
        assert field.widget.attrs.get("type") != "date"


def _empty_choice(field):
    """The label of ``field``'s choice that narrows nothing, if it has one."""
    if isinstance(field, forms.ModelChoiceField) or hasattr(field, "empty_label"):
        return field.empty_label
    choices = getattr(field.widget, "choices", None) or []
    return next((text for value, text in choices if value in ("", None)), None)


@pytest.mark.parametrize("filter_class", FILTER_SETS, ids=str)
def test_every_filter_set_takes_the_house_defaults(filter_class):
    assert issubclass(filter_class, FilterSet), "derive list filters from core.filters.FilterSet"
    for name, declared in filter_class.base_filters.items():
        field = declared.field
        if isinstance(field, forms.DateField):
            assert isinstance(field, PlausibleDateField), name
            assert isinstance(field.widget, DayMonthYearInput), name
        label = _empty_choice(field)
        if label is not None:
            with translation.override("vi"):
                label = str(label)
            assert label not in {"Chưa xác định", "---------"}, f"{filter_class.__name__}.{name}"


def test_a_model_date_field_in_a_new_filter_set_gets_the_day_month_year_box():
    from activities.models import Distribution

    class New(FilterSet):
        class Meta:
            model = Distribution
            fields = ["distributed_on"]

    field = New().form.fields["distributed_on"]
    assert isinstance(field, PlausibleDateField)
    assert 'type="text"' in str(New().form["distributed_on"])


def test_a_yes_no_filter_offers_all_yes_and_no():
    from activities.filters.distribution import ReceiptFilter

    with translation.override("vi"):
        html = str(ReceiptFilter(data={}, villages=None).form["confirmed"])
    assert [
        text for _value, text in re.findall(r'<option value="(.*?)".*?>(.*?)</option>', html)
    ] == [
        "Tất cả",
        "Có",
        "Không",
    ]
    assert "Chưa xác định" not in html


def test_a_choice_filter_without_its_own_empty_label_says_all():
    from activities.models import Distribution

    class New(FilterSet):
        status = django_filters.ChoiceFilter(choices=Distribution.Status.choices)

        class Meta:
            model = Distribution
            fields = ["status"]

    with translation.override("vi"):
        assert "Tất cả" in str(New(data={}).form["status"])


@pytest.mark.parametrize(
    "typed",
    ["2/12/2026", "02/12/2026", "2-12-2026", "02.12.2026", "02122026", "2026-12-02", " 2/12/2026 "],
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_ways_people_type_a_date_are_read_day_first(typed, language):
    with translation.override(language):
        assert PlausibleDateField().clean(typed) == DECEMBER_2


@pytest.mark.parametrize(
    "typed",
    [
        "12/2026",
        "31/02/2026",
        "2/13/2026",
        "20261202",
        "2/12/26",
        "hôm qua",
        "2026/12/02",
        "٢/١٢/٢٠٢٦",
    ],
)
def test_anything_else_is_refused_with_a_translated_example(typed):
    # In Vietnamese: "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 02/12/2026."
    with translation.override("en"):
        with pytest.raises(forms.ValidationError, match="day/month/year") as refused:
            PlausibleDateField().clean(typed)
        # The message is lazy: read it in the language of the request.
        assert refused.value.messages == ["Enter the date as day/month/year, e.g. 02/12/2026."]
    with translation.override("vi"):
        assert refused.value.messages == ["Nhập ngày theo dạng ngày/tháng/năm, ví dụ 02/12/2026."]
    assert refused.value.code == "invalid"
    assert parse_day_month_year(typed) is None


def test_the_box_shows_day_month_year_with_the_keypad_and_a_pattern():
    with translation.override("en"):
        html = PlausibleDateField().widget.render("day", DECEMBER_2)
    assert 'type="text"' in html
    assert 'value="02/12/2026"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="off"' in html
    pattern = re.search(r'pattern="([^"]+)"', html).group(1)
    # The browser anchors the pattern; what it lets through, the server reads, and back.
    for typed in ["2/12/2026", "2-12-2026", "2026-12-02", "02122026"]:
        assert re.fullmatch(pattern.replace(r"\/", "/"), typed), typed
    assert not re.fullmatch(pattern.replace(r"\/", "/"), "12/2026")


def test_a_browser_date_picker_given_to_the_field_is_replaced():
    class Picker(forms.DateInput):
        input_type = "date"

    assert isinstance(PlausibleDateField(widget=Picker()).widget, DayMonthYearInput)
    assert isinstance(PlausibleDateField(widget=Picker).widget, DayMonthYearInput)
    field = PlausibleDateField(widget=forms.DateInput(attrs={"type": "date"}))
    assert isinstance(field.widget, DayMonthYearInput)
    # The admin's own text box stays.
    assert isinstance(PlausibleDateField(widget=AdminDateWidget).widget, AdminDateWidget)


def test_a_refused_date_is_shown_again_as_typed():
    class Form(forms.Form):
        day = PlausibleDateField()

    form = Form(data={"day": "31/02/2026"})
    assert not form.is_valid()
    assert 'value="31/02/2026"' in str(form["day"])


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_shown_day_month_year_in_both_languages(language):
    template = Template(
        '{{ day|date:"SHORT_DATE_FORMAT" }} {{ day|date }} {{ at|date:"SHORT_DATETIME_FORMAT" }}'
    )
    at = datetime.datetime(2026, 12, 2, 9, 5, tzinfo=datetime.UTC)
    with translation.override(language), timezone.override(datetime.UTC):
        assert template.render(Context({"day": DECEMBER_2, "at": at})) == (
            "02/12/2026 02/12/2026 02/12/2026 09:05"
        )


def test_the_languages_read_dates_day_first():
    from django.utils.formats import get_format

    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            assert get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y", language


# --- The pages, as the browser receives them ------------------------------------------------------
module_world, world = matrix.module_world, matrix.world
DATE_PICKER = re.compile(r'<input[^>]*type="(?:date|datetime-local|month)"', re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), STAFF_GET_PAGES)
def test_no_page_draws_the_browser_date_picker(client, world, name, kwargs):
    response = staff_page(client, world, name, kwargs)
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode()
    assert not DATE_PICKER.search(html), DATE_PICKER.search(html).group(0)
    if name.startswith("admin:"):
        return
    for box in re.findall(r'<input[^>]*placeholder="dd/mm/yyyy"[^>]*>', html):
        assert 'inputmode="numeric"' in box


@pytest.mark.django_db
def test_a_form_saves_a_date_typed_day_first_on_an_english_page(client, staff_user, partnership):
    """An English page (the browser asks for English and the user chose it) still reads
    02/12/2026 as 2 December."""
    from tests import factories as f

    village = f.VillageFactory(commune=partnership.commune)
    household = f.HouseholdFactory(village=village)
    client.force_login(staff_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    url = reverse("households:concern-create", args=[household.pk])
    page = client.get(url)
    assert 'placeholder="dd/mm/yyyy"' in page.content.decode()
    response = client.post(
        url, {"kind": "concern", "raised_on": "2/12/2026", "text": "Mái nhà dột."}, follow=True
    )
    assert response.status_code == 200
    concern = household.concerns.get()
    assert concern.raised_on == datetime.date(2026, 12, 2)

"""``{{ field|as_field }}``: a form field as crispy-forms' Bootstrap 5 pack renders it, built in
Python for the plain widgets of the list pages' filter forms.

crispy's ``as_crispy_field`` renders each field through three nested templates and the widget's
own, about 0.4 ms a field; a filter form of nine fields is a fifth of a list page's time. For a
field with nothing special about it (a text, number, date, e-mail or search box, a select or a
checkbox with Django's own widget templates and render(); no errors, help text, required mark
or form helper) this writes the same elements, attributes and text from the same widget context
(``Widget.get_context``, so values, ``selected``, ``checked`` and attributes are Django's). Any
other field goes to crispy unchanged. tests/core/test_fields.py compares the two on every filter
form of the project.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.conf import settings
from django.forms import BoundField, CheckboxInput, Select, Widget
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "date", "email", "search", "checkbox")
}
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _join(parts) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _attrs(attrs: dict) -> SafeString:
    """Django's ``attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    return _join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> SafeString:
    value = widget["value"]
    shown = "" if value is None else format_html(' value="{}"', str(value))
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        shown,
        _attrs(widget["attrs"]),
    )


def _option(option: dict) -> SafeString:
    return format_html(
        '<option value="{}"{}>{}</option>',
        str(option["value"]),
        _attrs(option["attrs"]),
        option["label"],
    )


def _select(widget: dict) -> SafeString:
    groups = []
    for group_name, options, _index in widget["optgroups"]:
        choices = _join(_option(option) for option in options)
        if group_name:
            choices = format_html('<optgroup label="{}">{}</optgroup>', str(group_name), choices)
        groups.append(choices)
    return format_html(
        '<select name="{}"{}>{}</select>', widget["name"], _attrs(widget["attrs"]), _join(groups)
    )


def _plain(field: BoundField) -> bool:
    """Whether ``field`` is one this module writes exactly as crispy would."""
    widget = field.field.widget
    if field.is_hidden or field.errors or field.help_text or field.field.required:
        return False
    if getattr(field.form, "helper", None) is not None or not field.auto_id or not field.label:
        return False
    if field.field.localize or getattr(widget, "allow_multiple_selected", False):
        return False
    # A widget that changes its value or markup in render() (django-filter's BooleanWidget)
    # is rendered by it.
    if type(widget).render is not Widget.render or type(widget)._render is not Widget._render:
        return False
    if isinstance(widget, Select):
        return (
            widget.template_name == _SELECT_TEMPLATE
            and widget.option_template_name == _OPTION_TEMPLATE
        )
    return widget.template_name in _INPUT_TEMPLATES and getattr(widget, "input_type", None)


def _widget_html(field: BoundField, extra_class: str) -> SafeString:
    """The widget as crispy's ``crispy_field`` leaves it: the widget's own class, then its name in
    lower case, then Bootstrap's class; the attributes in the order Django writes them then."""
    widget = field.field.widget
    name = type(widget).__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    css = (f"{css} {name}" if name not in css else css) if css else name
    css = " ".join([css, *(c for c in extra_class.split() if c not in css.split())])
    attrs = {**widget.attrs, "class": css, **field.build_widget_attrs({}, widget)}
    if "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    data = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    return _select(data) if isinstance(widget, Select) else _input(data)


@register.filter
def as_field(field: BoundField) -> SafeString:
    """Render ``field`` as ``as_crispy_field`` does, faster for a plain field."""
    if not isinstance(field, BoundField) or not _plain(field):
        return as_crispy_field(field)
    css = field.css_classes()
    wrapper = f" {css}" if css else ""
    label = field.label
    if isinstance(field.field.widget, CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}'
            '<label for="{}" class="form-check-label">{}</label></div></div>',
            field.auto_id,
            wrapper,
            _widget_html(field, "form-check-input"),
            field.id_for_label,
            label,
        )
    extra = "form-select" if isinstance(field.field.widget, Select) else "form-control"
    return format_html(
        '<div id="div_{}" class="mb-3{}"><label for="{}" class="form-label">{}</label>{}</div>',
        field.auto_id,
        wrapper,
        field.id_for_label,
        label,
        _widget_html(field, extra),
    )

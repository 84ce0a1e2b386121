"""Helpers of the admin tests: an admin URL, the POST data of the form a page shows, the
errors it shows (names kept from tests/test_admin.py, which the modules here were split from)."""

import datetime

from django.urls import reverse


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _form_data(response, **overrides) -> dict:
    """Return the POST data of the admin form on ``response`` as rendered, with ``overrides``."""
    data = {}

    def add(form) -> None:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(item) for item in value]
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data.update(overrides)
    return data


def _errors(response) -> str:
    """All the errors the admin page shows, main form and inlines, as one string."""
    assert response.status_code == 200, "expected the form again, with errors"
    shown = []
    for errors in response.context["errors"]:
        # A formset's own errors come as plain strings, a form's as a list.
        shown += [errors] if isinstance(errors, str) else list(errors)
    return " ".join(shown)

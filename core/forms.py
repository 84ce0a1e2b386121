"""Crispy helpers for every form in the project. Whoever writes the ``<form>`` tag writes its CSRF
token.

Crispy adds ``{% csrf_token %}`` to the fields it draws unless the helper's method is GET or
``disable_csrf`` is set, even when the template writes the ``<form>`` tag itself
(``form_tag = False``). A page that draws a helper with the default method inside its own
``<form method="get">`` then puts the token in the URL, and from there in server logs, browser
history and Referer headers. Forms therefore build their helper here, never a plain
``FormHelper``:

- ``FieldsHelper`` draws the fields only. The template writes the ``<form>``, and
  ``{% csrf_token %}`` too when the form is a POST.
- ``SearchHelper`` draws a whole filter or search form as a GET, with no token.

``attach_error`` shows a service's refusal on the form that sent the input (views and the admin).
``LoginForm`` and ``AdminLoginForm`` are the login pages' forms.
"""

import datetime

from axes.conf import settings as axes_settings
from axes.helpers import get_failure_limit
from crispy_forms.helper import FormHelper
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms import BaseForm
from django.utils.translation import gettext_lazy, ngettext


class FieldsHelper(FormHelper):
    """Draw a form's fields without the ``<form>`` tag, and never a CSRF token."""

    form_tag = False
    disable_csrf = True


class SearchHelper(FormHelper):
    """Draw a whole filter or search form: ``<form method="get">`` without a CSRF token."""

    disable_csrf = True

    def __init__(self, form=None):
        super().__init__(form)
        self.form_method = "get"


def attach_error(form: BaseForm, error: ValidationError) -> None:
    """Add a service's error to ``form``: on a field the form shows, otherwise at the top."""
    items = error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.error_list)]
    for field, errors in items:
        form.add_error(field if field in form.fields else None, ValidationError(errors))


class _LoginNameLength:
    """Refuse a login name longer than any user's before the password is checked.

    Django's login form only tells the browser the limit; a longer name reached the backends, and
    django-axes' record of the failed attempt (255 characters at most) broke the page with a
    database error. A field error keeps the name away from the backends and from django-axes.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        limit = field.max_length or 150
        field.validators.append(
            MaxLengthValidator(
                limit,
                message=gettext_lazy("A login name has at most %(limit_value)d characters."),
            )
        )


def attempts_left(request, username: str) -> int | None:
    """Return how many more wrong passwords lock ``username`` out from this connection, or None
    when django-axes does not count them (it is off, or the address is on its allow list)."""
    if not axes_settings.AXES_ENABLED or not axes_settings.AXES_LOCK_OUT_AT_FAILURE:
        return None
    credentials = {"username": username}
    # django-axes stores the count of this request's failure on it; it is None when the failure
    # was not counted (an allowed address).
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return None
    return max(get_failure_limit(request, credentials) - failures, 0)


def _lock_minutes() -> int:
    cooloff = axes_settings.AXES_COOLOFF_TIME
    return int(cooloff.total_seconds() // 60) if isinstance(cooloff, datetime.timedelta) else 0


class LoginForm(_LoginNameLength, AuthenticationForm):
    """The login page's form: a plain word when the password is wrong, and how many tries are
    left before django-axes locks the account on this connection (AXES_* in the settings)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "The login name or the password is not right. Check them (capital letters count) "
            "and try again."
        ),
    }

    def get_invalid_login_error(self):
        message = str(self.error_messages["invalid_login"])
        left = attempts_left(self.request, self.cleaned_data.get("username") or "")
        if left:
            message += " " + ngettext(
                "You have %(count)d more try; after that the account is locked for "
                "%(minutes)d minutes on this connection.",
                "You have %(count)d more tries; after that the account is locked for "
                "%(minutes)d minutes on this connection.",
                left,
            ) % {"count": left, "minutes": _lock_minutes()}
        return ValidationError(message, code="invalid_login")


class AdminLoginForm(_LoginNameLength, AdminAuthenticationForm):
    """The admin's login form."""

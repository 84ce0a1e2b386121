"""One HTTP call to a provider, with its failures sorted into the engine's errors.

A timeout, a connection refused, a server error (5xx) and a rate limit (429, with the time it
resets) are ``Later``; anything else comes back to the provider's module, which reads the
provider's own error codes. Requests and answers are never logged: they hold tokens and keys.
"""

import datetime
import email.utils
import time

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from channel.notify.errors import Later


def _retry_after(response: requests.Response) -> float | None:
    """Return the seconds to wait that a 429 answer gives (Retry-After or X-RateLimit-Reset)."""
    value = response.headers.get("Retry-After")
    if value:
        if value.strip().isdigit():
            return float(value)
        when = email.utils.parsedate_to_datetime(value)
        if when is not None:
            return max(0.0, (when - datetime.datetime.now(datetime.UTC)).total_seconds())
    reset = response.headers.get("X-RateLimit-Reset")
    if reset and reset.strip().replace(".", "", 1).isdigit():
        reset_at = float(reset)
        # Either seconds from now or a Unix time, as providers differ.
        return max(0.0, reset_at - time.time()) if reset_at > 10**9 else reset_at
    return None


def call(method: str, url: str, *, provider: str, **kwargs) -> requests.Response:
    """Send one request; raise ``Later`` for what may pass, return the answer otherwise."""
    try:
        response = requests.request(method, url, timeout=settings.NOTIFY_TIMEOUT, **kwargs)
    except requests.Timeout as error:
        raise Later(_("%(provider)s did not answer in time.") % {"provider": provider}) from error
    except requests.RequestException as error:
        raise Later(
            _("%(provider)s could not be reached (%(error)s).")
            % {"provider": provider, "error": type(error).__name__}
        ) from error
    if response.status_code == 429:
        raise Later(
            _("%(provider)s asks to slow down (too many messages).") % {"provider": provider},
            retry_after=_retry_after(response),
        )
    if response.status_code >= 500:
        raise Later(
            _("%(provider)s answered with a server error (HTTP %(status)s).")
            % {"provider": provider, "status": response.status_code}
        )
    return response


def json_of(response: requests.Response) -> dict:
    """Return the answer's JSON object, or an empty one if it is not JSON."""
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}

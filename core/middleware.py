"""Vietnamese first: the interface language is the one the user chose, else Vietnamese. A write
that lost a race answers 409 and a message in it, not a server error. Pages go out compressed."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from core.services import BUSY_MESSAGE, Busy, is_transient

logger = logging.getLogger(__name__)


class ChosenLanguageMiddleware:
    """Activate the language chosen with the language switch (its cookie), else LANGUAGE_CODE.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a cadre whose phone
    is set to English would get English pages unasked; here only the switch changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class BusyMiddleware:
    """Answer HTTP 409 with a message when a view's write kept losing a race for its rows.

    A service retries a deadlock, a serialisation failure or a lock timeout itself and then
    raises ``Busy``; the same errors met outside a service (a view's own query, the admin's
    transaction around a service) arrive here as they are. Either way the transaction was rolled
    back, so the page says that nothing was saved and offers the way back to try again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_transient(exception):
            return None
        logger.warning(
            "%s %s answered 409: %s", request.method, request.path, exception.__cause__ or exception
        )
        message = exception.message if isinstance(exception, Busy) else str(BUSY_MESSAGE)
        if not request.accepts("text/html") and request.accepts("application/json"):
            return JsonResponse({"error": "busy", "message": message}, status=409)
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = ""
        return render(request, "409.html", {"message": message, "back": back}, status=409)


class PageGZipMiddleware(GZipMiddleware):
    """Compress pages and JSON for the browsers that accept gzip; leave files alone.

    A list page is 30 to 40 KB of HTML and 5 KB compressed: on a phone's mobile data in the
    mountains that is most of the wait. Static files never get here (whitenoise answers them
    first, with the .br and .gz copies collectstatic made). Streamed answers (photos, PDFs,
    workbooks, the icon) are compressed already or are files: they keep their length and ranges.

    BREACH (guessing a secret in a compressed page from its length over many requests): the
    CSRF token in each form is masked anew in every answer, Django's gzip adds 0 to 100 random
    bytes to each answer ("Heal the Breach"), and the session cookie is SameSite=Lax, so another
    site cannot make the thousands of logged-in requests in the background that the attack needs.
    """

    compressible = ("text/", "application/json", "application/javascript", "application/manifest")

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if response.streaming or not content_type.startswith(self.compressible):
            return response
        return super().process_response(request, response)

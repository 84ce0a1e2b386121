"""The field app's pages: the app shell, the service worker and the web app manifest.

The shell is one page that works without a network once the service worker has kept it: its
scripts (static/js/field/) draw the households, receipts, assets and surveys from the data kept
in IndexedDB, and the outbox of records made offline. The service worker and the manifest are
public (config/urls.py): a browser fetches them without asking who is logged in.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from field.strings import client_strings
from outreach.access import WORKERS, serves

THEME_COLOUR = "#8b1e1e"  # the top bar's red (static/css/bacung.css --bc-red)
BACKGROUND_COLOUR = "#f6f7f5"  # the page background
# What the shell needs to open offline: kept by the service worker when it is installed.
SHELL_STATIC = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "css/bacung.css",
    "css/field.css",
    "js/field/outbox.js",
    "js/field/session.js",
    "js/field/app.js",
    "icons/icon-192.png",
    "favicon.ico",
)


@require_GET
@ensure_csrf_cookie  # the scripts send the csrftoken cookie's value with every synced record
@serves(*WORKERS)
def app(request):
    """Serve the offline app's shell to office staff and commune cadres."""
    context = {
        "strings": client_strings(),
        "config": {
            "data_url": reverse("field:data"),
            "sync_url": reverse("field:sync"),
            "app_url": reverse("field:app"),
            "login_url": f"{reverse('login')}?next={reverse('field:app')}",
        },
    }
    return render(request, "field/app.html", context)


def _precache() -> list[dict]:
    """List the shell's static files for Workbox's precache, each with a revision.

    In production the file names carry their content's hash (ManifestStaticFilesStorage), so
    the URL is the revision; with DEBUG on they do not, and the content's hash stands in.
    """
    entries = []
    for name in SHELL_STATIC:
        revision = None
        if not _hashed():
            path = finders.find(name)
            if path:
                with open(path, "rb") as handle:
                    revision = hashlib.sha256(handle.read()).hexdigest()[:16]
        entries.append({"url": static(name), "revision": revision})
    return entries


def _hashed() -> bool:
    """Tell whether static files are served under names that carry their content's hash."""
    return isinstance(staticfiles_storage, ManifestFilesMixin)


@require_GET
def service_worker(request):
    """Serve the service worker at the site's root, so that it may control every page."""
    context = {
        "precache": json.dumps(_precache()),
        "workbox": static("vendor/workbox/workbox-sw.js"),
        "workbox_prefix": static("vendor/workbox/workbox-sw.js").rsplit("/", 1)[0] + "/",
        "outbox": static("js/field/outbox.js"),
        "config": json.dumps(
            {
                "app_url": reverse("field:app"),
                "sync_url": reverse("field:sync"),
                "static_url": settings.STATIC_URL,
                # Hashed names never change content: cache-first. Unhashed (DEBUG): revalidate.
                "static_hashed": _hashed(),
                "offline_title": _("Offline"),
                "offline_text": _(
                    "There is no signal and this page was not kept on the phone. Open the "
                    "offline work page: it works without a signal once its data is downloaded."
                ),
            }
        ),
    }
    response = render(request, "field/sw.js", context, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    # The browser asks for a new worker on each visit: a long cache would keep an old one alive.
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


@require_GET
def manifest(request):
    """Serve the web app manifest that lets a phone install the field app."""
    body = {
        "name": "Ba Cùng",
        "short_name": "Ba Cùng",
        "description": _("Field work for commune cadres, also where there is no signal."),
        "lang": get_language(),
        "start_url": reverse("field:app"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(
        body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "max-age=86400"
    return response

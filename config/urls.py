from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest
from django.urls import include, path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from activities.media import media
from channel import views as channel_views
from core import views as core_views
from core.forms import LoginForm
from field import views as field_views
from outreach.access import ALL_ROLES, public, serves


@public
@require_GET
def favicon(request: HttpRequest) -> FileResponse:
    """Answer the browsers that ask for /favicon.ico whatever the page links (PDFs, JSON, feeds).

    The file is static/favicon.ico, which pages link through {% static %}. Not a permanent
    redirect to its hashed name: browsers keep such a redirect for good, and a fresh STATIC_ROOT
    has no file of that name once the icon changes.
    """
    found = finders.find("favicon.ico")
    if not found:
        raise Http404
    response = FileResponse(open(found, "rb"))  # noqa: SIM115 (FileResponse closes it)
    # Private: a logged-in browser's request renews its session cookie on the way out.
    patch_cache_control(response, private=True, max_age=24 * 60 * 60)
    return response


urlpatterns = [
    path("", serves(*ALL_ROLES)(core_views.home), name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    # Background jobs (imports, large exports): each user follows their own.
    path("jobs/<int:pk>/", serves(*ALL_ROLES)(core_views.job_detail), name="job-detail"),
    path("jobs/<int:pk>/status.json", serves(*ALL_ROLES)(core_views.job_status), name="job-status"),
    path(
        "jobs/<int:pk>/download", serves(*ALL_ROLES)(core_views.job_download), name="job-download"
    ),
    path(
        "accounts/login/",
        public(auth_views.LoginView.as_view(authentication_form=LoginForm)),
        name="login",
    ),
    path("accounts/logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("households/", include("households.urls")),
    # The field app: its shell and API under field/, its service worker and manifest at the root
    # (a service worker controls the pages below its own address: here, all of them).
    path("field/", include("field.urls")),
    path("sw.js", public(field_views.service_worker), name="service-worker"),
    path("manifest.webmanifest", public(field_views.manifest), name="manifest"),
    # "Verify it's us": the address printed on every sheet, receipt and label.
    path("verify/", channel_views.verify, name="verify"),
    path("", include("channel.urls")),
    path("", include("activities.urls")),
]


# Uploaded photos show households: served after a role and scope check (activities.media), never
# by a bare proxy location.
urlpatterns += [path("media/<path:path>", media, name="media")]

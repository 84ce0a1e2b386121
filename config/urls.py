from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from activities.media import media
from channel import views as channel_views
from core import views as core_views
from outreach.access import ALL_ROLES, public, serves

urlpatterns = [
    path("", serves(*ALL_ROLES)(core_views.home), name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # Background jobs (imports, large exports): each user follows their own.
    path("jobs/<int:pk>/", serves(*ALL_ROLES)(core_views.job_detail), name="job-detail"),
    path("jobs/<int:pk>/status.json", serves(*ALL_ROLES)(core_views.job_status), name="job-status"),
    path(
        "jobs/<int:pk>/download", serves(*ALL_ROLES)(core_views.job_download), name="job-download"
    ),
    path("accounts/login/", public(auth_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("households/", include("households.urls")),
    # "Verify it's us": the address printed on every sheet, receipt and label.
    path("verify/", channel_views.verify, name="verify"),
    path("", include("channel.urls")),
    path("", include("activities.urls")),
]


# Uploaded photos show households: served after a role and scope check (activities.media), never
# by a bare proxy location.
urlpatterns += [path("media/<path:path>", media, name="media")]

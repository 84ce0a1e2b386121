from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from activities.media import media
from core import views as core_views
from outreach.access import ALL_ROLES, public, serves

urlpatterns = [
    path("", serves(*ALL_ROLES)(core_views.home), name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", public(auth_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("households/", include("households.urls")),
    path("", include("activities.urls")),
]


# Uploaded photos show households: served after a role and scope check (activities.media), never
# by a bare proxy location.
urlpatterns += [path("media/<path:path>", media, name="media")]

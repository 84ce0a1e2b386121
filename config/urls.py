from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.static import serve

from core import views as core_views
from outreach.access import ALL_ROLES, public, serves
from outreach.scope import Role

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


# Uploaded photos show households: they are served after a role check, never by a bare proxy
# location. Donors see consented photos through reports, not here.
@serves(Role.OFFICE_STAFF, Role.COMMUNE_CADRE, Role.AUDITOR)
def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns += [path("media/<path:path>", media, name="media")]

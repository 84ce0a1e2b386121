"""Reports: the donor's money trail (dashboards, the annual report and exports come next)."""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("donor/", views.donor_report, name="donor-report"),
    path("summary.json", views.summary_json, name="summary-json"),
]

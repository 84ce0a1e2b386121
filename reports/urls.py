"""Reports: the donor's money trail (dashboards, the annual report and exports come next)."""

from django.urls import path

from reports import export_views, views

app_name = "reports"
urlpatterns = [
    path("donor/", views.donor_report, name="donor-report"),
    path("summary.json", views.summary_json, name="summary-json"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("shared/<str:token>/", views.shared_donor_report, name="shared-donor-report"),
    path("annual/<int:year>/", views.annual_report_view, name="annual-report"),
    path("annual/<int:year>.pdf", views.annual_report_pdf_view, name="annual-report-pdf"),
    path("export/<slug:kind>.<slug:fmt>", export_views.list_export, name="list-export"),
]

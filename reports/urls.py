"""Reports: the dashboard, the donor's money trail, the annual report, downloads and exports."""

from django.urls import path

from reports import export_views, views, views_review

app_name = "reports"
urlpatterns = [
    path("donor/", views.donor_report, name="donor-report"),
    path("donor/report.<slug:fmt>", views.donor_report_download, name="donor-report-download"),
    path("donor/photos/<int:pk>/<slug:size>", views.donor_photo, name="donor-photo"),
    path("summary.json", views.summary_json, name="summary-json"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard.<slug:fmt>", views.dashboard_download, name="dashboard-download"),
    path("shared/<str:token>/", views.shared_donor_report, name="shared-donor-report"),
    path(
        "shared/<str:token>/report.<slug:fmt>",
        views.shared_donor_report_download,
        name="shared-donor-report-download",
    ),
    path(
        "shared/<str:token>/photos/<int:pk>/<slug:size>",
        views.shared_donor_photo,
        name="shared-donor-photo",
    ),
    path("annual/<int:year>/", views.annual_report_view, name="annual-report"),
    path("annual/<int:year>.pdf", views.annual_report_pdf_view, name="annual-report-pdf"),
    path("annual/<int:year>.xlsx", views.annual_report_xlsx_view, name="annual-report-xlsx"),
    path("export/<slug:kind>.<slug:fmt>", export_views.list_export, name="list-export"),
    # A commune's households in the layout of its own spreadsheet (households.ImportLayout).
    path(
        "export/commune/<int:commune>/households.xlsx",
        export_views.layout_export,
        name="layout-export",
    ),
    # The yearly review tables (?commune=<id>&year=YYYY; the province's: ?province=<id>).
    path("review/", views_review.review_tables_view, name="review-tables"),
    path(
        "review/tables.<slug:fmt>",
        views_review.review_tables_download,
        name="review-tables-download",
    ),
    path("review/lists.xlsx", views_review.review_lists_download, name="review-lists-download"),
    path("review/province/", views_review.review_tables_province, name="review-tables-province"),
]

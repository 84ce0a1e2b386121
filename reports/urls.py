"""Reports (dashboards, donor reports, the annual report, exports) are mounted here."""

app_name = "reports"
urlpatterns: list = []

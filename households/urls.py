"""Routes of the household pages (names: ``households:<entity>-<action>``)."""

app_name = "households"
urlpatterns: list = []

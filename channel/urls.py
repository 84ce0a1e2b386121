"""Routes of the connection channel (names: ``channel:<entity>-<action>``)."""

app_name = "channel"
urlpatterns: list = []

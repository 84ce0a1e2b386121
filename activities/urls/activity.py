"""Routes of the activity pages (names: ``activities:<entity>-<action>``)."""

urlpatterns: list = []

"""Routes of the money pages (names: ``activities:<entity>-<action>``)."""

urlpatterns: list = []

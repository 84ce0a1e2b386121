"""Routes of the asset pages (names: ``activities:<entity>-<action>``)."""

urlpatterns: list = []

"""Routes of the distribution pages (names: ``activities:<entity>-<action>``)."""

urlpatterns: list = []

"""Services of the asset pages (see activities.services)."""

__all__: list[str] = []

"""Services of the money pages (see activities.services)."""

__all__: list[str] = []

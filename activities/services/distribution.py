"""Services of the distribution pages (see activities.services)."""

__all__: list[str] = []

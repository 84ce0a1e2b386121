"""Services of the activity pages (see activities.services)."""

__all__: list[str] = []

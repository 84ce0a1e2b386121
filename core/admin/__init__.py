"""core's admin: the pages of its own models, and the admin machinery every app builds on.

- ``core.admin.services``: saves and actions through services, read-only history pages.
- ``core.admin.display``: money columns, list filters, read-only inlines.
- ``core.admin.registrations``: background jobs and reminders, to look at (imported here so that
  Django's admin autodiscovery, which imports ``core.admin``, finds them).
- ``core.admin.users``: users with one full-name field, family name first.
"""

from core.admin import registrations, users

__all__ = ["registrations", "users"]

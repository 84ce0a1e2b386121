"""Markers a view carries to say whom it serves (checked by outreach.access.AccessMiddleware)."""


def public(view):
    """Declare that a view needs no login and no role (log in, health check, public pages)."""
    view.bacung_public = True
    return view


def declaration(view) -> tuple[bool, frozenset | None]:
    """Return (is public, roles served) as declared on a view function or its class."""
    for target in (view, getattr(view, "view_class", None)):
        if target is None:
            continue
        if getattr(target, "bacung_public", False):
            return True, None
        roles = getattr(target, "bacung_roles", None)
        if roles is not None:
            return False, roles
    return False, None

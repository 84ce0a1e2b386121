"""Permission-matrix entries of the working pages, one module per area.

Each module defines ``PAGES = {url name: (method, kwargs, {role: status})}`` (or a list of such
cases for one name). ``kwargs`` may be a function ``world -> dict``: ``world["inside"]`` is the
partnership of the matrix's staff user and cadre, ``world["outside"]`` another one, and
``world["users"][role]`` the users (roles: anonymous, staff, cadre, donor, auditor, admin,
expired). ``"*"`` is the status of every role not named. tests/test_permission_matrix.py runs them.
"""

import importlib
import pkgutil


def collected_pages() -> dict:
    """Return the entries of every module of this package, merged."""
    pages: dict = {}
    for module in pkgutil.iter_modules(__path__):
        entries = importlib.import_module(f"{__name__}.{module.name}").PAGES
        duplicate = set(entries) & set(pages)
        assert not duplicate, f"declared twice: {duplicate}"
        pages.update(entries)
    return pages

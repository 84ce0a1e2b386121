"""Permission-matrix entries of the yearly review tables (tests/reports/review_tables)."""

TABLES = {"anonymous": 302, "donor": 403, "expired": 403, "*": 200}
PAGES = {
    "reports:review-tables": ("get", {}, TABLES),
    "reports:review-tables-download": ("get", {"fmt": "xlsx"}, TABLES),
    # Names: donors are refused like anything outside their scope.
    "reports:review-lists-download": (
        "get",
        {},
        {"anonymous": 302, "donor": 404, "expired": 403, "*": 200},
    ),
    "reports:review-tables-province": (
        "get",
        {},
        {"anonymous": 302, "cadre": 403, "donor": 403, "expired": 403, "*": 200},
    ),
}

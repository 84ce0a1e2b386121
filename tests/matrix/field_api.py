"""The field app: its shell for office staff and commune cadres (administrators always), its
service worker and manifest for everyone (they hold no data). Its JSON API answers the others in
JSON, never with the login page (the phone's outbox acts on it). The matrix's POST has no body:
those who may sync get 400 (malformed), not a stored record."""

_WORKERS_ONLY = {"anonymous": 401, "donor": 403, "auditor": 403, "expired": 403}

PAGES = {
    "field:app": (
        "get",
        {},
        {"anonymous": 302, "donor": 403, "auditor": 403, "expired": 403, "*": 200},
    ),
    "field:data": ("get", {}, {**_WORKERS_ONLY, "*": 200}),
    "field:sync": ("post", {}, {**_WORKERS_ONLY, "*": 400}),
    "service-worker": ("get", {}, {"*": 200}),
    "manifest": ("get", {}, {"*": 200}),
}

"""Permission-matrix entries of the activity pages."""

from tests.factories import ActivityFactory


def _activity(where):
    return lambda world: {"pk": ActivityFactory(partnership=world[where]).pk}


_READERS = {"anonymous": 302, "donor": 403, "expired": 403}
_WRITERS = {"anonymous": 302, "staff": 200, "admin": 200, "*": 403}

PAGES = {
    "activities:activity-list": ("get", {}, {**_READERS, "*": 200}),
    "activities:activity-create": ("get", {}, _WRITERS),
    "activities:activity-detail": [
        ("get", _activity("inside"), {**_READERS, "*": 200}),
        ("get", _activity("outside"), {**_READERS, "staff": 404, "cadre": 404, "*": 200}),
    ],
    "activities:activity-update": [
        ("get", _activity("inside"), _WRITERS),
        ("get", _activity("outside"), {**_WRITERS, "staff": 404}),
    ],
}

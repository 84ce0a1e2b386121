"""Permission-matrix entries of the household export in a commune's own layout.

Like the list exports it is not for donors; staff and cadres download their commune's, and get
404 for another commune's (auditors and administrators read every commune); a commune without
a layout has nothing to download (404 for everyone).
"""

from households.models import ImportLayout
from tests import factories as f


def _layout(where):
    def build(world):
        commune = world[where].commune
        ImportLayout.objects.update_or_create(
            commune=commune,
            defaults={"columns": [{"header": "Họ tên chủ hộ", "field": "head_name"}]},
        )
        f.HouseholdFactory(village__commune=commune)
        return {"commune": commune.pk}

    return build


PAGES = {
    "reports:layout-export": [
        ("get", _layout("inside"), {"anonymous": 302, "donor": 403, "expired": 403, "*": 200}),
        (
            "get",
            _layout("outside"),
            {
                "anonymous": 302,
                "donor": 403,
                "expired": 403,
                "staff": 404,
                "cadre": 404,
                "*": 200,
            },
        ),
        # No layout: nothing to download.
        (
            "get",
            lambda world: {"commune": world["inside"].commune.pk},
            {"anonymous": 302, "donor": 403, "expired": 403, "*": 404},
        ),
    ],
}

"""Permission-matrix entries of the connection channel.

The feed and a post are read by office staff, cadres, donors and auditors (a post of another
partnership answers 404, and the world's donor reads only posts about their own funded work);
posting is office staff's. The verification page, public posts and the asset fault report page are
public ({"*": ...}); the queue of public fault reports is the office's and the auditors'.
"""

from channel.models import Post
from tests import factories as f
from tests.channel.factories import PostFactory, PostPhotoFactory, PublicFaultReportFactory

OUT = {"anonymous": 302, "expired": 403}
READERS = {**OUT, "*": 200}
STAFF_ONLY = {**OUT, "*": 403, "staff": 200, "admin": 200}
QUEUE = {**OUT, "*": 403, "staff": 200, "auditor": 200, "admin": 200}


def _post(where, **fields):
    return lambda world: {"pk": PostFactory(partnership=world[where], **fields).pk}


def _public_post(is_public):
    return lambda world: {
        "code": PostFactory(partnership=world["inside"], is_public=is_public).short_code
    }


def _public_photo(world):
    post = PostFactory(partnership=world["inside"], is_public=True)
    return {"pk": PostPhotoFactory(post=post).pk, "size": "thumb"}


def _asset_code(world):
    return {"code": f.AssetFactory(partnership=world["inside"]).short_code}


def _report(where):
    return lambda world: {"pk": PublicFaultReportFactory(asset__partnership=world[where]).pk}


def _donor_post(world):
    """A post about another donor's funded work: the world's donor does not read it."""
    donation = f.DonationFactory(partnership=world["inside"])
    post = PostFactory(
        partnership=world["inside"], audience=Post.Audience.PARTNER, partner=donation.partner
    )
    return {"pk": post.pk}


PAGES = {
    "channel:post-list": ("get", {}, READERS),
    "channel:post-create": ("get", {}, STAFF_ONLY),
    "channel:subscription": ("get", {}, READERS),
    "channel:post-detail": [
        ("get", _post("inside"), {**READERS, "donor": 404}),
        ("get", _post("outside"), {**READERS, "staff": 404, "cadre": 404, "donor": 404}),
        ("get", _donor_post, {**READERS, "cadre": 404, "donor": 404}),
    ],
    "channel:post-public": [
        ("get", _public_post(True), {"*": 200}),
        ("get", _public_post(False), {"*": 404}),
    ],
    "channel:post-photo": [
        ("get", _public_photo, {"*": 200}),
        ("get", {"pk": 999_999, "size": "thumb"}, {"*": 404}),
    ],
    "verify": ("get", {}, {"*": 200}),
    "channel:verify": ("get", {}, {"*": 200}),
    "channel:asset-report": [
        ("get", _asset_code, {"*": 200}),
        ("get", {"code": "NOSUCH22"}, {"*": 404}),
    ],
    "channel:fault-report-list": ("get", {}, QUEUE),
    "channel:fault-report-detail": [
        ("get", _report("inside"), QUEUE),
        ("get", _report("outside"), {**QUEUE, "staff": 404}),
    ],
    # An empty decision comes back with its errors (200); auditors change nothing (403).
    "channel:fault-report-handle": [
        ("post", _report("inside"), STAFF_ONLY),
        ("post", _report("outside"), {**STAFF_ONLY, "staff": 404}),
    ],
    # A report sent without a photo: nothing to serve.
    "channel:fault-report-photo": (
        "get",
        _report("inside"),
        {**QUEUE, "staff": 404, "auditor": 404, "admin": 404},
    ),
}

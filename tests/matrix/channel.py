"""Permission-matrix entries of the connection channel.

The feed and a post are read by office staff, cadres, donors and auditors (a post of another
partnership answers 404, and the world's donor reads only posts about their own funded work);
posting is office staff's. The verification page, public posts and the asset fault report page are
public ({"*": ...}); the queue of public fault reports is the office's and the auditors'.
"""

import uuid

from channel.models import InboundMessage, Notice, NoticeKind, Post, ZaloFollower
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


def _notice(where):
    def build(world):
        household = f.HouseholdFactory(village__commune=world[where].commune)
        notice = Notice.objects.create(
            kind=NoticeKind.RECEIPT, key=f"matrix:{household.pk}", household=household, text="…"
        )
        return {"pk": notice.pk}

    return build


def _message(where):
    """A message from a sender linked to a member of a household of ``where``'s commune."""

    def build(world):
        member = f.MemberFactory(household__village__commune=world[where].commune)
        follower = ZaloFollower.objects.create(zalo_user_id=uuid.uuid4().hex[:20], member=member)
        message = InboundMessage.objects.create(
            message_id=uuid.uuid4().hex,
            event_name="user_send_text",
            sender_id=follower.zalo_user_id,
            follower=follower,
            household=member.household,
            text="Nhà tôi bị dột.",
            status=InboundMessage.Status.QUEUED,
        )
        return {"pk": message.pk}

    return build


def _concern(where):
    return lambda world: {
        "pk": f.ConcernFactory(household__village__commune=world[where].commune).pk
    }


def _distribution(where):
    return lambda world: {"pk": f.DistributionFactory(partnership=world[where]).pk}


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
    # The delivery log: a household's notice is read by the office staff of its commune.
    "channel:notice-list": ("get", {}, QUEUE),
    "channel:notice-detail": [
        ("get", _notice("inside"), QUEUE),
        ("get", _notice("outside"), {**QUEUE, "staff": 404}),
    ],
    # A draft distribution tells nobody: the page comes back with the refusal (302).
    "channel:distribution-notify": [
        ("post", _distribution("inside"), {**STAFF_ONLY, "staff": 302, "admin": 302}),
        ("post", _distribution("outside"), {**STAFF_ONLY, "staff": 404, "admin": 302}),
    ],
    # Zalo's webhook: anyone may call it, only a signed event is taken (401 without).
    "channel:zalo-webhook": ("post", {}, {"*": 401}),
    # Connecting the OA is the administrators'; the callback without its state is refused (400).
    "channel:zalo-connect": ("get", {}, {**OUT, "*": 403, "admin": 200}),
    "channel:zalo-callback": ("get", {}, {**OUT, "*": 403, "admin": 400}),
    "admin:channel_zalotemplate_fetch": (
        "post",
        {},
        {"anonymous": 302, "expired": 302, "cadre": 302, "donor": 302, "*": 403, "admin": 302},
    ),
    # The messages families sent: the office's queue, read by auditors.
    "channel:inbound-list": ("get", {}, QUEUE),
    "channel:inbound-detail": [
        ("get", _message("inside"), QUEUE),
        ("get", _message("outside"), {**QUEUE, "staff": 404}),
    ],
    # A sender linked already: back to the message (302).
    "channel:inbound-link": [
        ("post", _message("inside"), {**STAFF_ONLY, "staff": 302, "admin": 302}),
        ("post", _message("outside"), {**STAFF_ONLY, "staff": 404, "admin": 302}),
    ],
    "channel:concern-answer": [
        ("post", _concern("inside"), STAFF_ONLY),
        ("post", _concern("outside"), {**STAFF_ONLY, "staff": 404}),
    ],
}

"""What the channel's tasks run in the background: the notices of new posts and the daily digest
(each post to each user at most once, by the channel the user prefers: channel.notify), and the
processing of uploaded photos.

Apart from the services, which queue the tasks (``channel.tasks``): the tasks import this module
and the services import the tasks, with no cycle between them. ``channel.services`` offers these
functions too, for the commands and the tests that call them directly.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from channel.models import Delivery, ImageState, Post, PostPhoto, PublicFaultReport, Subscription
from channel.notify import uses
from channel.notify.service import office_name
from channel.selectors import post_visible_to, visible_posts
from core import images
from core.services import service

# A post still reaches a daily-digest subscriber this long after it was published.
DIGEST_LOOKBACK = datetime.timedelta(days=7)


def _link(site_url: str, path: str) -> str:
    # The configured public address first, as in every notice's footer (its /verify/ link):
    # the address a request came by may be an internal one (a proxy, a test client).
    return f"{(getattr(settings, 'SITE_URL', '') or site_url).rstrip('/')}{path}"


# A subscriber is reached by e-mail or by a mobile number (Zalo, SMS): NotifyPreference.
REACHABLE = Q(user__email__gt="") | Q(user__notify_preference__phone__gt="")


def _claim(post: Post, user, *, digest: bool) -> bool:
    """Record that ``post`` goes to ``user``; False if it went already (or is being sent).

    On PostgreSQL a second worker's insert waits for the first one's transaction and then fails
    on the unique constraint: the post is sent once even when two workers run the same task.
    """
    try:
        with transaction.atomic():
            Delivery.objects.create(post=post, user=user, digest=digest)
    except IntegrityError:
        return False
    return True


def post_notify(*, post_id: int, site_url: str = "") -> int:
    """Send a post to each subscriber who may read it and wants each post; return how many.

    Each notice is recorded inside the transaction that records its delivery, and its sending
    queued when that commits (channel.notify): if recording fails the delivery is rolled back
    and a retry sends it; if it was recorded, no run sends it again. Not a ``@service``: one
    transaction per recipient, so that one bad address stops nobody else.
    """
    post = Post.objects.select_related("partnership", "village", "partner").filter(pk=post_id)
    post = post.first()
    if post is None:
        return 0
    subscriptions = (
        Subscription.objects.filter(REACHABLE, frequency=Subscription.Frequency.IMMEDIATE)
        .exclude(user__channel_deliveries__post=post)
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    link = _link(site_url, reverse("channel:post-detail", args=[post.pk]))
    office = office_name()
    # A partnership's subscribers are its staff, cadres and donors: dozens, so one scope check
    # each (the same rule as the feed, not a copy of it) costs little in a background task.
    for subscription in subscriptions:
        user = subscription.user
        if not user.is_active or not post_visible_to(user=user, post=post):
            continue
        with transaction.atomic():
            if not _claim(post, user, digest=False):
                continue
            uses.post_notice(post=post, user=user, link=link, office=office)
        sent += 1
    return sent


def digest_send(*, now: datetime.datetime | None = None, site_url: str = "") -> int:
    """Send each daily-digest subscriber the posts of the last week they may read and have not
    been sent yet, in one notice; return how many notices went."""
    now = now or timezone.now()
    office = office_name()
    feed = _link(site_url, reverse("channel:post-list"))
    subscriptions = (
        Subscription.objects.filter(REACHABLE, frequency=Subscription.Frequency.DAILY)
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    for subscription in subscriptions:
        user = subscription.user
        if not user.is_active:
            continue
        posts = list(
            visible_posts(user)
            .filter(published_at__gte=now - DIGEST_LOOKBACK, published_at__lte=now)
            .exclude(deliveries__user=user)
            .order_by("published_at", "pk")[:50]
        )
        with transaction.atomic():
            posts = [post for post in posts if _claim(post, user, digest=True)]
            if not posts:
                continue
            entries = [
                (post, _link(site_url, reverse("channel:post-detail", args=[post.pk])))
                for post in posts
            ]
            uses.digest_notice(user=user, entries=entries, link=feed, office=office)
        sent += 1
    return sent


@service
def post_photo_process(*, actor, photo: PostPhoto) -> PostPhoto:
    """Turn a post's photo upright, strip its EXIF (GPS included) and make its smaller copies."""
    return images.photo_process(photo)


@service
def fault_photo_process(*, actor, report: PublicFaultReport) -> PublicFaultReport:
    """Strip the EXIF (GPS included) of a reported fault's photo and turn it upright."""
    report = PublicFaultReport.objects.select_for_update().get(pk=report.pk)
    if report.photo_state != ImageState.PENDING or not report.photo:
        return report
    result = images.stored_image_process(report.photo)
    report.photo_state = ImageState.FAILED if result is None else ImageState.READY
    report.save(update_fields=["photo", "photo_state", "updated_at"])
    return report


def posts_unsent(*, since: datetime.datetime, before: datetime.datetime, limit: int) -> list[int]:
    """Return the posts published between ``since`` and ``before`` that went to nobody although
    a subscriber (from before the post) who wants each post may read it: their notification
    was lost with the broker. One query per such subscriber, only when a post is
    in that case."""
    candidates = list(
        Post.objects.filter(published_at__gte=since, published_at__lt=before)
        .exclude(deliveries__digest=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not candidates:
        return []
    subscriptions = (
        Subscription.objects.filter(REACHABLE, frequency=Subscription.Frequency.IMMEDIATE)
        .filter(user__is_active=True)
        .select_related("user")
    )
    unsent: set[int] = set()
    for subscription in subscriptions:
        unsent.update(
            visible_posts(subscription.user)
            .filter(pk__in=candidates, published_at__gte=subscription.created_at)
            .values_list("pk", flat=True)
        )
    return sorted(unsent)

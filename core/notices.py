"""The one way for any app to send a notice to a user, whoever delivers it.

Apps below the channel (households' review reminders, activities' donor digest) name the notice
and its data here; the channel app registers the sender that picks Zalo, SMS or e-mail by the
person's preference and what is configured (channel.notify). Without it (a project that does not
install the channel) the notice goes by e-mail. Either way the caller's transaction decides: a
notice queued in a transaction that rolls back is not sent.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet


@dataclass(frozen=True)
class Notice:
    """What a caller wants said: the kind of notice, to whom, and in which words.

    ``subject`` and ``body`` are the e-mail's, already rendered; ``data`` holds the values a
    template message (Zalo's ZNS) or a short message is filled with; ``key`` makes the notice
    idempotent: a second notice with the same key to the same person is not sent again.
    """

    kind: str
    user: object
    key: str
    subject: str
    body: str
    data: dict = field(default_factory=dict)
    link: str = ""


_sender: Callable[[Notice], object] | None = None
_reachable: Callable[[QuerySet], QuerySet] | None = None


def register_sender(sender: Callable[[Notice], object]) -> None:
    """Make ``sender`` deliver every notice (called once by the channel app when it is ready)."""
    global _sender  # one registry for the process, set at start-up
    _sender = sender


def register_reachable(reachable: Callable[[QuerySet], QuerySet]) -> None:
    """Make ``reachable`` decide which users a notice can reach (set by the channel app, which
    knows their mobile numbers as well as their e-mail addresses)."""
    global _reachable  # one registry for the process, set at start-up
    _reachable = reachable


def reachable(users: QuerySet) -> QuerySet:
    """Keep the ``users`` a notice can reach: by e-mail, or whatever the channel app knows."""
    if _reachable is not None:
        return _reachable(users)
    return users.exclude(email="")


def notify(notice: Notice) -> object:
    """Send ``notice`` through the registered sender, or by e-mail once the transaction commits."""
    if _sender is not None:
        return _sender(notice)
    if notice.user.email:
        transaction.on_commit(
            lambda: send_mail(notice.subject, notice.body, None, [notice.user.email])
        )
    return None

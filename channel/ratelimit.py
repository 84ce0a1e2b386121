"""Per-client limits on the public pages, counted in the Django cache.

The cache is Redis when ``REDIS_URL`` is set, so every web process counts the same client
together; the demo keeps it in memory. Windows are fixed (a key per client, scope and window):
cheap, and good enough to make guessing codes pointless (31^8 codes, a few dozen guesses an hour).

The client is named as django-axes names it (``settings.AXES_CLIENT_IP_CALLABLE``: the last
``X-Forwarded-For`` entry behind our proxy), hashed so that the cache holds no addresses.
"""

import dataclasses
import hashlib
import time

from django.conf import settings
from django.core.cache import cache


@dataclasses.dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``seconds`` for one client in one scope."""

    scope: str
    count: int
    seconds: int


# Unknown codes on the verification page and the asset report page (genuine ones are not
# counted: a villager checking a real sheet is never stopped by someone else's guesses).
LOOKUP_MISSES = Limit("lookup-miss", count=20, seconds=600)
# Fault reports sent from a label, per client.
FAULT_REPORTS = Limit("fault-report", count=5, seconds=3600)


def client_key(request) -> str:
    """Return a stable, anonymous name of the client that sent ``request``."""
    address = settings.AXES_CLIENT_IP_CALLABLE(request) or "unknown"
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]


def _key(limit: Limit, request) -> str:
    window = int(time.time() // limit.seconds)
    return f"channel-rl:{limit.scope}:{client_key(request)}:{window}"


def exceeded(limit: Limit, request) -> bool:
    """Tell whether the client has used up ``limit`` in the current window (counts nothing)."""
    return (cache.get(_key(limit, request)) or 0) >= limit.count


def hit(limit: Limit, request) -> None:
    """Count one hit of the client against ``limit``."""
    key = _key(limit, request)
    # add() creates the counter only if missing; incr() is atomic in Redis and in memory.
    cache.add(key, 0, timeout=limit.seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=limit.seconds)

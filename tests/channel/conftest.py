import uuid

import pytest


@pytest.fixture(autouse=True)
def _own_rate_limit_counters(settings):
    """Give each test an empty cache of its own: the public pages count guesses in the cache,
    and one test's guesses must not lock the next one out (nor wipe a shared Redis)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"channel-test-{uuid.uuid4().hex}",
        }
    }

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


@pytest.fixture
def standin(settings):
    """The stand-in for Zalo and the SMS provider (tests/channel/standin.py), with the
    settings pointed at it: the app set up, eSMS as the SMS provider, no quota."""
    from tests.channel import standin as module

    server = module.Standin().start()
    settings.ZALO_APP_ID = module.APP_ID
    settings.ZALO_APP_SECRET = module.APP_SECRET
    settings.ZALO_OA_SECRET = module.OA_SECRET
    settings.ZALO_OAUTH_URL = f"{server.url}/v4/oa/access_token"
    settings.ZALO_OPENAPI_URL = server.url
    settings.ZALO_ZNS_URL = server.url
    settings.SMS_PROVIDER = "esms"
    settings.SMS_URL = server.url
    settings.SMS_API_KEY = module.SMS_API_KEY
    settings.SMS_SECRET_KEY = module.SMS_SECRET_KEY
    settings.SMS_BRANDNAME = "VP TINH UY"
    settings.NOTIFY_DAILY_QUOTA = {}
    settings.NOTIFY_TIMEOUT = 2.0
    yield server
    server.stop()


@pytest.fixture
def zalo_connected(standin, db):
    """The OA connected: tokens the stand-in accepts, stored as the admin's callback would."""
    from channel.notify.zalo import zalo_tokens_store

    access, refresh = standin.issue_tokens()
    zalo_tokens_store(actor=None, access_token=access, refresh_token=refresh)
    return standin

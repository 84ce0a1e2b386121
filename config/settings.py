"""Ba Cùng settings: one module, configured from the environment.

Every environment variable is read once, in the block below, with its default and why.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Environment -------------------------------------------------------------------------------
# Off unless asked for: a production server that forgets the variable must not leak tracebacks.
DEBUG = _env_bool("DEBUG", False)
# The demo key is public (it is in this file); the app refuses to run with it when DEBUG is off.
DEMO_SECRET_KEY = "bacung-demo-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
# Host names this site answers to, comma-separated.
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
# Origins trusted for CSRF behind a proxy, e.g. "https://bacung.example.vn".
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")
# Unset: a SQLite file under var/ (the demo). Set: e.g. postgres://user:pass@host:5432/bacung.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Unset: Celery tasks run eagerly in-process. Set: e.g. redis://127.0.0.1:6379/0.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds after which a task taken by a worker that died (killed, machine lost) goes back to the
# queue for another worker. Longer than the longest task (a 50,000-row import takes minutes);
# tests of killed workers lower it to a few seconds.
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
# Seconds without a sign of life after which a running job (its worker killed) or a queued one
# (its message lost while the broker was away), and a photo still pending, are queued again by
# the recovery that celery beat runs every minute. Longer than a job's longest step and than
# jobs usually wait for a free worker; tests of killed workers lower it to a few seconds.
JOB_STALE_AFTER = int(os.environ.get("JOB_STALE_AFTER", "180"))
# Runs of a job after which it is marked failed, with the reason shown on its page, instead of
# being tried again (a file that kills its worker every time must not loop for ever).
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "5"))
# Uploaded photos and generated files.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Where collectstatic gathers the static files that whitenoise serves (DEBUG off).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
# Unset: e-mails are printed to the console. Set: e.g. smtp://user:pass@mail.example.vn:587.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
# The site's address as people reach it: links in reminder e-mails, which are read off the site.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Sender of the system's e-mails.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ba Cùng <no-reply@bacung.local>")
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (production default: on).
BEHIND_TLS_PROXY = _env_bool("BEHIND_TLS_PROXY", not DEBUG)
# Minutes without a request after which a user must log in again (shared phones in the field).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
# Attempts in all at a service's transaction when the database answers that it lost a race
# (deadlock, serialisation failure, lock timeout; SQLite: "database is locked"); after the last
# one the user is told that nothing was saved and to try again (HTTP 409). 1: no retry.
SERVICE_RETRIES = int(os.environ.get("SERVICE_RETRIES", "3"))

# --- Notifications (channel.notify): Zalo, SMS brandname, e-mail --------------------------------
# The office's Zalo app and Official Account (developers.zalo.me): app id and secret, and the
# OA's secret key that signs the webhook's events. Unset: Zalo is not used.
ZALO_APP_ID = os.environ.get("ZALO_APP_ID", "")
ZALO_APP_SECRET = os.environ.get("ZALO_APP_SECRET", "")
ZALO_OA_SECRET = os.environ.get("ZALO_OA_SECRET", "")
# Zalo's servers, overridable so that a test or a staging site points them at a stand-in.
ZALO_OAUTH_URL = os.environ.get("ZALO_OAUTH_URL", "https://oauth.zaloapp.com/v4/oa/access_token")
ZALO_OPENAPI_URL = os.environ.get("ZALO_OPENAPI_URL", "https://openapi.zalo.me").rstrip("/")
ZALO_ZNS_URL = os.environ.get("ZALO_ZNS_URL", "https://business.openapi.zalo.me").rstrip("/")
# Days after a follower's last message in which the OA may answer them (Zalo's consultation
# window: free for 48 hours, paid up to 7 days).
ZALO_OA_WINDOW_DAYS = int(os.environ.get("ZALO_OA_WINDOW_DAYS", "7"))
# SMS brandname: "esms" (eSMS.vn) or "speedsms" (SpeedSMS.vn); unset: no SMS. SMS_URL defaults
# to the provider's own server; the API key (and eSMS's secret key) and the registered brandname.
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "").strip().lower()
SMS_URL = os.environ.get("SMS_URL", "").rstrip("/")
SMS_API_KEY = os.environ.get("SMS_API_KEY", "")
SMS_SECRET_KEY = os.environ.get("SMS_SECRET_KEY", "")
SMS_BRANDNAME = os.environ.get("SMS_BRANDNAME", "")
# Messages a channel may send per day (the provider's quota and the office's budget):
# "zns=500,oa=2000,sms=200"; a channel not named has no limit here.
NOTIFY_DAILY_QUOTA = {
    name.strip(): int(limit)
    for name, _sep, limit in (
        item.partition("=") for item in _env_list("NOTIFY_DAILY_QUOTA", "zns=500,sms=200")
    )
}
# When care messages are not sent (local time, "22:00-07:00"): they wait for the end of it.
# Empty: any time.
NOTIFY_QUIET_HOURS = os.environ.get("NOTIFY_QUIET_HOURS", "22:00-07:00").strip()
# Seconds a provider has to answer before the send counts as failed for now (and is retried).
NOTIFY_TIMEOUT = float(os.environ.get("NOTIFY_TIMEOUT", "10"))

if SMS_PROVIDER not in {"", "esms", "speedsms"}:
    raise ImproperlyConfigured(
        f"SMS_PROVIDER is {SMS_PROVIDER!r}: use esms or speedsms, or leave it unset for no SMS."
    )
if not DEBUG and SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the public demo key. Set the SECRET_KEY environment variable "
        "(or DEBUG=1 for a local demo)."
    )

# --- Applications ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "config.apps.BaCungAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # History: django-simple-history rather than django-auditlog, because it keeps a full snapshot
    # of the row at every change in a real table per model. Reports can then ask "what was this
    # household's status on 31/12/2023" with an ordinary query (Household.history.as_of(…)),
    # and the admin shows each record's history with who changed which fields, out of the box.
    # django-auditlog stores only a JSON diff per change, which answers "who changed what" but
    # not "what was it on that date" without replaying every diff.
    "simple_history",
    # Locks an account out after repeated failed logins (AXES_* below).
    "axes",
    # Working pages: django-filter for list filters, crispy-forms (Bootstrap 5) for form layout.
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    # Periodic jobs (reminders, digests) on a schedule kept in the database, so staff change it in
    # the admin; the default schedules are created after every migrate (config.celery).
    "config.celery.PeriodicJobsConfig",
    "core",
    "outreach",
    "households",
    "activities",
    "reports",
    "channel",
    "field",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON gzipped (after whitenoise, which answers static files itself; why BREACH
    # is not a worry here: core.middleware).
    "core.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logs out a session idle longer than SESSION_IDLE_MINUTES (writes the session at most once a
    # minute for it: core.idle).
    "core.idle.IdleSessionMiddleware",
    # Deny by default: a view that does not declare the roles it serves is refused.
    "outreach.access.AccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A write that kept losing a race with another answers 409 and a message, never a 500.
    "core.middleware.BusyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Makes the logged-in user the author of the history rows a request writes.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout raised by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "outreach.context_processors.roles",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------------
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: the reports' grouped queries are estimated costly enough for
        # PostgreSQL to compile them, which took 1.5 s for a query that runs in 1 ms (a staff
        # dashboard: 9 s with JIT, 0.2 s without; issue 19). POSTGRES_JIT=on gives it back. Sent
        # as a connection option; behind PgBouncer, set jit in postgresql.conf instead.
        jit = "on" if _env_bool("POSTGRES_JIT", False) else "off"
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c jit={jit}"
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "bacung.sqlite3",
            # Waiting for a lock beats failing when a task and a request write at once.
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username and IP before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out for 30 minutes.
# The pair, not the address alone: a commune office shares one address behind its router, and one
# cadre's typos must not lock out the others; nor the username alone, which anybody could lock out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The page tells the user how long the lock lasts: change it there with AXES_COOLOFF_TIME.
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A successful login forgets the earlier failures of that username and address.
AXES_RESET_ON_SUCCESS = True


def _client_ip(request) -> str | None:
    """Return the client's address for django-axes.

    Behind our proxy every request comes from the proxy's address, which would make the lockout
    one per username for the whole world; the proxy appends the real client as the last entry of
    X-Forwarded-For (earlier entries are the client's to forge, so they are not trusted).
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if BEHIND_TLS_PROXY and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


AXES_CLIENT_IP_CALLABLE = _client_ip
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time -------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# dd/mm/yyyy in both languages (config/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

# --- Static and media files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# With DEBUG off, collectstatic names each file by its content's hash and writes .br (Brotli is
# installed) and .gz copies; whitenoise serves the smallest the browser accepts and lets it keep
# hashed files for good (max-age ten years, immutable), so a page seen once costs only its HTML.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The DejaVu fonts are read from static/ by the PDF writer (core.pdf), never sent to a browser:
# compressing them was most of collectstatic's time (1.4 MB through Brotli at its best, twice).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf"]

# Uploads: photos from phones are a few MB; anything far bigger is refused before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Per photo: bigger files or more pixels than this are refused with a clear message.
PHOTO_MAX_BYTES = 15 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000

# --- Reports -----------------------------------------------------------------------------------
# A list export longer than this many rows is made by a background job with a progress bar.
REPORTS_EXPORT_TASK_ROWS = 5_000

# --- Forms -------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# A list filter's choice that narrows nothing (core.filters), instead of "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

# --- Cache -------------------------------------------------------------------------------------
# Shared by every web process through Redis when there is one (rate limits must count across
# processes); the demo keeps it in memory.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bacung",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- E-mail ------------------------------------------------------------------------------------
if EMAIL_URL:
    vars().update(dj_email_url.parse(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker the demo runs every task in-process, and errors surface where they happen.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = not REDIS_URL
# A task is acknowledged after it ran, so a worker that dies mid-task leaves it for another one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Redis has no acknowledgements of its own: a task taken and not acknowledged within the
# visibility timeout is handed to another worker. Abandoned tasks are looked for at least every
# ten seconds (kombu's default sweep is every 100), and at every worker's start.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": min(10, CELERY_VISIBILITY_TIMEOUT),
    "unacked_restore_throttle": 1,
}
CELERY_RESULT_EXPIRES = datetime.timedelta(days=1)
# celery beat reads the schedule from the database (django-celery-beat), edited in the admin.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Security ----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# The session ends after SESSION_IDLE_MINUTES without a request (core.idle.IdleSessionMiddleware,
# which writes the session's "last seen" time at most once a minute instead of the row on every
# request), and when the browser closes: a phone left on a table in the commune office does not
# stay logged in. The row's own expiry is a backstop a minute later, so clearsessions removes it.
SESSION_COOKIE_AGE = (SESSION_IDLE_MINUTES + 1) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Content-Security-Policy (django-csp 4): scripts, styles and images only from this site, so an
# injected <script> or inline handler does not run. Pages and the admin have no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
X_FRAME_OPTIONS = "DENY"
# A refused form (expired or sent from another site) is explained in the user's language.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging -----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes reports every login attempt at INFO; lockouts come as warnings.
    "loggers": {
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
        # fpdf2 subsets the PDF font with fontTools, which narrates every glyph at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# --- History -----------------------------------------------------------------------------------
# A past version may be read, never restored from the history page: that would bypass the
# services and their rules (a household's status only changes through a review).
SIMPLE_HISTORY_REVERT_DISABLED = True

"""One settings module for every way the tracker runs, driven by environment variables.

Embedded default (nothing set): SQLite file in the project, Celery tasks run eagerly
in-process, DEBUG on. Full stack: DATABASE_URL and REDIS_URL select PostgreSQL and Redis;
production sets DEBUG=0, SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envfloat(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Keys that were ever written in this repository or its docs: known to anyone who reads it.
_PUBLIC_KEYS = ("change-me", "insecure-development-key", "django-insecure")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used for local development: any production deployment runs with DEBUG off.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
elif not DEBUG and any(marker in SECRET_KEY for marker in _PUBLIC_KEYS):
    raise ImproperlyConfigured(
        "SECRET_KEY is a placeholder that is public: set a long random value."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",
    "simple_history",
    "axes",
    "stances",
    "ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.reject_nul",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]
# A deployment can require sign-in to read anything (READ_REQUIRES_LOGIN=1); views that
# must stay open (health check, login) are marked @login_not_required.
READ_REQUIRES_LOGIN = envbool("READ_REQUIRES_LOGIN", False)
if READ_REQUIRES_LOGIN:
    MIDDLEWARE.append("django.contrib.auth.middleware.LoginRequiredMiddleware")

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.csp_nonce",
            ],
            # {% partialdef %} everywhere without a {% load %}, as in Django 6 core.
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while an eager ingest writes; the busy timeout makes
    # concurrent writers wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker, result backend and cache ---------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache may evict (it should: maxmemory with allkeys-lru), the broker must never lose a
# message (noeviction): in production they are two Redis instances, the cache's named by
# REDIS_CACHE_URL (docker-compose.yml runs both). Without it the cache shares REDIS_URL.
REDIS_CACHE_URL = os.environ.get("REDIS_CACHE_URL", "") or REDIS_URL
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered page regions, keyed on the state of the data (so never stale): kept in each
# process, in front of the shared cache, to save a network round trip per region.
# A computed region larger than this is not put in the shared cache (it is still served):
# the keys are the readers' filters, so a probe must not be able to fill Redis.
CACHE_MAX_ENTRY_BYTES = envint("CACHE_MAX_ENTRY_BYTES", 1_000_000)
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": envint("PAGES_CACHE_ENTRIES", 500)},
}

# Celery, configured as its guide recommends for work that must not be lost: a task is
# acknowledged only after it ran, a worker killed mid-task gives it back to the queue, and
# the worker takes one message at a time. Tasks are idempotent, which makes that safe.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is one ingest item (a fetch of at most INGEST_FETCH_TOTAL_TIMEOUT, then extraction):
# far within these. At the soft limit the item fails with that reason; the hard limit kills
# a task that ignored it.
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis gives the task of a lost (killed) worker to another after this long. It must exceed
# the hard time limit (or a task still running would be run twice) and any retry countdown
# (at most 60 s): a minute over the time limit, so a lost worker costs about six minutes.
CELERY_VISIBILITY_TIMEOUT = envint("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# A deployment (or a test driving its own worker) can keep its tasks on a queue of its own.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Each feed has its own interval; this only asks, every minute, which ones are due.
    "ingest-feeds-poll-due": {"task": "ingest.tasks.feeds_poll_due", "schedule": 60.0},
    # Re-sends the items of a run that stopped moving (its messages were lost).
    "ingest-runs-resume": {
        "task": "ingest.tasks.runs_resume",
        "schedule": envfloat("INGEST_RESUME_EVERY", 60.0),
    },
}
# Subscribers' e-mail digest of changes of position, once a day at this hour (UTC).
DIGEST_HOUR_UTC = envint("DIGEST_HOUR_UTC", 7)
CELERY_BEAT_SCHEDULE["digests"] = {
    "task": "stances.digests_send_all",
    "schedule": crontab(hour=DIGEST_HOUR_UTC, minute=0),
}

# --- Auth, i18n, static ---------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Readers and curators sign in on the site's own page (the admin's refuses non-staff), and
# land on the overview (Django's default, /accounts/profile/, does not exist here).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins from one client
# address, whatever the usernames tried (spraying one password over many names), that address
# is locked out for AXES_COOLOFF_MINUTES. The address is the client's, not the proxy's:
# behind BEHIND_TLS_PROXY the last X-Forwarded-For entry the proxy appended
# (config/client_ip.py), so one client's failures never lock anyone else out, and guessing at
# a curator's name from elsewhere does not lock the curator out.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1 if envbool("BEHIND_TLS_PROXY", False) else 0)
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# --- Tracker --------------------------------------------------------------------------
DEFAULT_TOPIC = os.environ.get("DEFAULT_TOPIC", "ukraine-troop-deployment")
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/")
# Reports of the same claim this many days apart are one stance with several sources.
CORROBORATION_WINDOW_DAYS = envint("CORROBORATION_WINDOW_DAYS", 3)
# Stances about one country this many days apart that disagree are flagged as disputed.
DISPUTE_WINDOW_DAYS = envint("DISPUTE_WINDOW_DAYS", 14)
REVIEW_PAGE_SIZE = envint("REVIEW_PAGE_SIZE", 25)

# --- Ingest -------------------------------------------------------------------------------
# Largest file, page or feed taken in, counted after decompression.
INGEST_MAX_BYTES = envint("INGEST_MAX_BYTES", 5 * 1024 * 1024)
# Uploaded and command-line files wait here for a worker (deleted once done): a folder the
# web process and the workers share. Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE are
# streamed to a temporary file as they arrive, then moved here: never held in memory.
INGEST_UPLOAD_DIR = Path(os.environ.get("INGEST_UPLOAD_DIR") or BASE_DIR / "uploads")
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 64 * 1024)
# Extraction reads at most this many characters of an article (a long feature is ~60,000).
EXTRACTION_MAX_CHARS = envint("EXTRACTION_MAX_CHARS", 200_000)
# What one article may propose: stances (distinct country, speaker, position), and sentences
# of evidence per stance; the excess is reported on the article, not stored.
EXTRACTION_MAX_PROPOSALS = envint("EXTRACTION_MAX_PROPOSALS", 60)
EXTRACTION_MAX_SENTENCES_PER_STANCE = envint("EXTRACTION_MAX_SENTENCES_PER_STANCE", 5)
# Sentences kept per article for a curator to place ("needs a position"); the excess is
# noted on the article. A flood of them means the article is not news but a list.
EXTRACTION_MAX_CANDIDATES = envint("EXTRACTION_MAX_CANDIDATES", 50)
INGEST_FETCH_CONNECT_TIMEOUT = envfloat("INGEST_FETCH_CONNECT_TIMEOUT", 5.0)
INGEST_FETCH_READ_TIMEOUT = envfloat("INGEST_FETCH_READ_TIMEOUT", 15.0)
# A server trickling bytes resets the read timeout forever; this bounds the whole download.
INGEST_FETCH_TOTAL_TIMEOUT = envfloat("INGEST_FETCH_TOTAL_TIMEOUT", 30.0)
INGEST_FETCH_MAX_REDIRECTS = envint("INGEST_FETCH_MAX_REDIRECTS", 5)
# Tries of a fetch that failed for a passing network reason (timeouts, 502/503/504).
INGEST_FETCH_RETRIES = envint("INGEST_FETCH_RETRIES", 3)
INGEST_USER_AGENT = os.environ.get(
    "INGEST_USER_AGENT", "StanceTracker/0.1 (news ingest; +https://tracker.example.org)"
)
# FOR TESTS ONLY: addresses (IPs or networks) fetching may reach although they are not public,
# e.g. 127.0.0.1 for a test's own HTTP server. Empty in every deployment.
INGEST_FETCH_ALLOW = envlist("INGEST_FETCH_ALLOW")
# New entries taken from one feed per poll; the rest wait for the next poll.
INGEST_FEED_MAX_ENTRIES = envint("INGEST_FEED_MAX_ENTRIES", 100)
# Texts whose SimHashes differ in at most this many of 64 bits are near-duplicates: a wire
# story with its own intro and sign-off is ~5-10 bits from its twin, other stories 20-35.
INGEST_NEAR_DUPLICATE_BITS = envint("INGEST_NEAR_DUPLICATE_BITS", 10)
# A run whose items have not moved for this long has lost its messages and is re-sent (beat
# asks every INGEST_RESUME_EVERY seconds). No item runs longer than the time limit, and a lost
# worker's task comes back after the visibility timeout: so, by default, that timeout.
INGEST_STALL_MINUTES = envfloat("INGEST_STALL_MINUTES", CELERY_VISIBILITY_TIMEOUT / 60)
# An item whose tries never end this many times (its worker killed, or stopped at the hard
# time limit) fails with that reason rather than being sent again forever.
INGEST_ITEM_MAX_LOST_TRIES = envint("INGEST_ITEM_MAX_LOST_TRIES", 3)

# --- E-mail ---------------------------------------------------------------------------
# Printed to the console unless an SMTP server is configured (EMAIL_HOST and friends).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Stance tracker <tracker@localhost>")
# Links in e-mails need the site's address: no request to take it from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A watched country silent this many days gets a "no news" notice in the digest.
QUIET_NOTICE_DAYS = envint("QUIET_NOTICE_DAYS", 30)
# The overview and timeline mark changes of position recorded within this many days.
RECENT_CHANGE_DAYS = envint("RECENT_CHANGE_DAYS", 7)

# --- Security -------------------------------------------------------------------------
# A strict policy: scripts and styles only from our own origin (htmx is served locally) or
# carrying the per-request nonce; no eval, no inline handlers, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Origins (https://news.example.org) whose pages may frame the /embed/ pages; empty, the
# default, lets no one. Every other page stays unframable whatever this says.
EMBED_ALLOWED_ORIGINS = envlist("EMBED_ALLOWED_ORIGINS")
for _origin in EMBED_ALLOWED_ORIGINS:
    # Written into a CSP header: a space, quote or semicolon would add to the policy.
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?", _origin):
        raise ImproperlyConfigured(
            f"EMBED_ALLOWED_ORIGINS: {_origin!r} is not an origin (scheme://host[:port])."
        )
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if envbool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

"""Settings, all read from the environment (documented in .env.example)."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from settings_app import release
from settings_app.env import envbool, envint, envlist, envstr, read_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
read_dotenv(BASE_DIR / ".env")

DEBUG = envbool("DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-0123456789"
# .env.example's placeholder starts with "change-me": a copied example file must not go live.
if not DEBUG and SECRET_KEY.startswith("change-me"):
    raise ImproperlyConfigured(
        "SECRET_KEY is still the .env.example placeholder: set a long random value."
    )

# Comma-separated Fernet keys; the first encrypts, all decrypt (rotation).
SECRETS_ENCRYPTION_KEYS = envlist("SECRETS_ENCRYPTION_KEYS")
if not SECRETS_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("SECRETS_ENCRYPTION_KEYS must be set when DEBUG is off.")
    SECRETS_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
    ]
for _key in SECRETS_ENCRYPTION_KEYS:
    try:
        Fernet(_key.encode())
    except ValueError:
        raise ImproperlyConfigured(
            "SECRETS_ENCRYPTION_KEYS must be comma-separated Fernet keys (generate one with "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())')."
        ) from None

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    # Wraps the template loaders (cached filesystem and app folders) in its partials loader.
    "template_partials",
    "ninja",
    "axes",
    "catalog",
    "accounts",
    "orgs",
    "scim",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "settings_app.headers.headers_middleware",
    "settings_app.middleware.api_error_envelope",
    "scim.middleware.scim_error_bodies",
    "settings_app.middleware.method_not_allowed_page",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "settings_app.guards.refuse_unstorable_text",
    "catalog.caching.versions_per_request",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "settings_app.middleware.LoginRequiredMiddleware",
    "settings_app.middleware.PlatformRefreshMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "settings_app.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "orgs.context_processors.active_org",
                "settings_app.fragments.csrf",
            ],
            "builtins": [
                "template_partials.templatetags.partials",
                "django_htmx.templatetags.django_htmx",
                "settings_app.time_tags",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # runserver starts a thread per request and each would keep its own connection open:
        # in development connections close after every request.
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server and a management command share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "settings_app.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "chatmodels",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# What is kept in the cache (catalog/caching.py) is only kept if every process sees the same
# cache: Redis, or the single process of development. Otherwise every read asks the database.
SHARED_CACHE = bool(REDIS_URL) or DEBUG
# Part of every cached entry's name: a deploy that changes the code never reads older entries.
RELEASE = release.CODE
if SHARED_CACHE:
    # Sessions are read from the cache (written through to the database): a logout or a
    # password change, which deletes or cycles the session, is seen by every process at once.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/settings/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Failed logins are counted per account and per client address in the cache (shared through
# Redis by every app server); past the limit both are refused until the cool-off ends.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "settings_app.throttle.login_username"
AXES_LOCKOUT_CALLABLE = "settings_app.throttle.locked_out"
# The cache handler keeps nothing in axes' tables: their admin pages would always be empty.
AXES_ENABLE_ADMIN = False
# Not "AXES: BEGIN …" on every start of every command; lockouts are still logged as warnings.
AXES_VERBOSE = False
# One development process may count in its own memory; production shares counts through Redis.
SILENCED_SYSTEM_CHECKS = ["axes.W001"] if DEBUG else []
AXES_CLIENT_IP_CALLABLE = "settings_app.throttle.client_address"
# Reverse proxies in front of the app that append to X-Forwarded-For: behind them the client
# address is the one the outermost proxy recorded, else every client would share one count.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

TIME_ZONE = "UTC"
USE_I18N = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
# The access matrix posts one field per ticked cell: a page of 50 members by 50+ models.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 6000

# Model sources (SPEC section 4).
LITELLM_PROXY_URL = envstr("LITELLM_PROXY_URL").rstrip("/")
LITELLM_API_KEY = envstr("LITELLM_API_KEY")
CATALOG_URL = envstr("CATALOG_URL")
PLATFORM_MODELS_TTL = envint("PLATFORM_MODELS_TTL", 60)
# Upper bound, in seconds, for any page waiting on the proxy.
PLATFORM_MODELS_TIMEOUT = 2.0
INFERENCE_CREDITS_PER_DOLLAR = envint("INFERENCE_CREDITS_PER_DOLLAR", 100)
# Seconds the model gateway may keep an access answer (GET /api/v1/gateway/access): an
# allowlist change, a revoked key or a deactivated account reaches the gateway within this.
GATEWAY_ACCESS_TTL = envint("GATEWAY_ACCESS_TTL", 5)
if not 0 <= GATEWAY_ACCESS_TTL <= 5:
    raise ImproperlyConfigured("GATEWAY_ACCESS_TTL must be between 0 and 5 seconds.")

# Email (invitations). EMAIL_URL: smtp://user:password@host:port (smtps:// for implicit TLS,
# ?tls=1 for STARTTLS); without it, development prints mail to the console.
EMAIL_URL = envstr("EMAIL_URL")
if EMAIL_URL:
    _email = urlsplit(EMAIL_URL)
    if _email.scheme not in {"smtp", "smtps"} or not _email.hostname:
        raise ImproperlyConfigured("EMAIL_URL must look like smtp://user:password@host:port.")
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = parse_qs(_email.query).get("tls", ["0"])[0] in {"1", "true", "yes"}
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Dreadnode <noreply@localhost>")
# Days an invitation can be accepted.
INVITATION_TTL_DAYS = envint("INVITATION_TTL_DAYS", 14)

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # Off only behind plain-HTTP loopback (the benchmark); production serves HTTPS.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Only this site's own files, no inline script or style: injected markup can't run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}

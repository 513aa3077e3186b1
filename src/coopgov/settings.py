"""coopgov settings, read from the environment in this one module.

Every value has a default that serves the demo on SQLite; production sets at least
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL. See docs/operator-guide.md.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

# Lets model, form and admin classes be subscripted for type checking.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("COOPGOV_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Under pytest the PostgreSQL connection pool is off: race tests run one connection per thread
# (32 and more at once, some held inside a transaction on a barrier), which a pool of
# DATABASE_POOL_MAX connections would starve. tests/core/test_settings.py checks the pool of
# production in a fresh process.
TESTING = "pytest" in sys.modules
# Outside DEBUG a real secret is required: the fallback only serves the demo and the tests.
# The fallback starts with "django-insecure-" so that `check --deploy` flags it.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-coopgov-demo-key-" + "x" * 30
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# HTTPS is assumed in production: cookies are secure, HSTS is sent, HTTP is redirected.
HTTPS = env_bool("COOPGOV_HTTPS", not DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    "coopgov.core",
    "coopgov.bodies",
    "coopgov.meetings",
    "coopgov.dossiers",
    "coopgov.strategy",
    "coopgov.offers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "coopgov.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Headers of every answer, refusals of the hygiene middleware included.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "coopgov.core.hygiene.InputHygieneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coopgov.core.middleware.LoginRequiredMiddleware",
    "coopgov.core.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "coopgov.core.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "coopgov.urls"
WSGI_APPLICATION = "coopgov.wsgi.application"
ASGI_APPLICATION = "coopgov.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coopgov.core.context_processors.shell",
            ],
        },
    }
]

# Database: SQLite under var/ by default, PostgreSQL (or another) through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'coopgov.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Choice lists iterate their querysets: a server-side cursor per select costs three round
    # trips to return a few dozen rows. Exports stay bounded, so client-side cursors serve all
    # (and PgBouncer in transaction mode, which cannot keep a cursor across transactions, works).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Each worker process holds at most DATABASE_POOL_MAX connections in psycopg's pool, shared
    # by its threads and given back at the end of each request (Django requires
    # CONN_MAX_AGE=0 with a pool). DATABASE_POOL=off when PgBouncer pools instead: then each
    # request opens its own connection to PgBouncer. See docs/operator-guide.md.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if env_bool("DATABASE_POOL", True) and not TESTING:
        from psycopg_pool import ConnectionPool

        DATABASES["default"]["OPTIONS"] = {
            **DATABASES["default"].get("OPTIONS", {}),
            "pool": {
                "min_size": int(os.environ.get("DATABASE_POOL_MIN") or "2"),
                "max_size": int(os.environ.get("DATABASE_POOL_MAX") or "8"),
                # A request waits this long for a free connection, then fails.
                "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT") or "10"),
                # A connection the server closed (restart, idle timeout) is replaced, not used.
                "check": ConnectionPool.check_connection,
            },
        }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers work beside a writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000;"
        ),
    }
    # Tests use a file too, so that WAL and write locking behave as in production; one file
    # per test process, so that two test runs never share (or delete) each other's database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"coopgov-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache is shared by every worker process: django-allauth counts login attempts in it, and
# a count per process would multiply the limit by the number of workers. It lives in the
# database (table created by migration core.0008), so it needs no other service. The plan
# figures cached there (keyed on the last audit event) are then computed once for all workers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "coopgov_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}

AUTH_USER_MODEL = "auth.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login; accounts are created by the secretariat, not by sign-up.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_ADAPTER = "coopgov.core.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[coopgov] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "coopgov"
# The client address that login throttling counts on. By default the TCP peer: a header is
# trusted only when the operator says which proxies set it, since anyone can send one.
# COOPGOV_TRUSTED_PROXY_COUNT: the number of proxies of one's own that append to
# X-Forwarded-For (1 for the nginx of the operator guide); COOPGOV_TRUSTED_CLIENT_IP_HEADER:
# a header that a trusted proxy sets to the client address (e.g. X-Real-IP), used instead.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("COOPGOV_TRUSTED_PROXY_COUNT") or "0")
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("COOPGOV_TRUSTED_CLIENT_IP_HEADER") or None

# Personal API tokens expire: after API_TOKEN_DAYS unless their owner chooses another lifetime,
# never later than API_TOKEN_MAX_DAYS after their creation.
API_TOKEN_MAX_DAYS = max(1, int(os.environ.get("COOPGOV_API_TOKEN_MAX_DAYS") or "365"))
API_TOKEN_DAYS = min(
    API_TOKEN_MAX_DAYS, max(1, int(os.environ.get("COOPGOV_API_TOKEN_DAYS") or "90"))
)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"  # never served by URL: files go through access-checking views
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

# Email: SMTP when EMAIL_HOST is set, the console otherwise (the demo).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 30,
            },
        }
        if EMAIL_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
del EMAIL_HOST  # deprecated as a Django setting since 6.1: MAILERS holds it
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "coopgov <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. The CSP forbids inline scripts and styles: JavaScript lives in static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("COOPGOV_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Structured logging: one JSON object per line in production, readable lines in DEBUG.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Pagination of every list, in pages and in the API.
PAGE_SIZE = 50
NINJA_PAGINATION_PER_PAGE = PAGE_SIZE
API_PREFIX = "/api/"
# The public address of this site, for links in emails and calendar files.
SITE_URL = os.environ.get("COOPGOV_SITE_URL", "http://127.0.0.1:8000")

# Each app that has a part in the demo cooperative adds its loader, called in this order
# with the organisation and the named cast (see coopgov.core.demo).
DEMO_LOADERS = [
    "coopgov.bodies.demo.load",
    "coopgov.meetings.demo.load",
    "coopgov.dossiers.demo.load",
    "coopgov.strategy.demo.load",
    "coopgov.offers.demo.load",
    "coopgov.meetings.demo.write_minutes",
]

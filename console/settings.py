"""Settings for the console and the embedded sandbox, driven by environment variables.

Every variable is optional: an empty environment gives a safe local setup (DEBUG off,
SQLite under var/, a secret key generated on first run and kept there).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))


def _env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_number(name, default, kind=float):
    """A number from the environment; a malformed one stops startup, naming the variable."""
    value = os.environ.get(name, "") or str(default)
    try:
        return kind(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


def _env_flag(name, default):
    """1 or 0 from the environment (empty: the default); anything else stops startup."""
    value = os.environ.get(name, "")
    if value not in ("", "0", "1"):
        raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}.")
    return default if value == "" else value == "1"


def _secret_key():
    """SECRET_KEY from the environment, else one generated once and kept in DATA_DIR.

    With DATABASE_URL the database may be shared by several instances, which must sign
    sessions and sandbox tokens alike: a key generated per data volume would differ.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    if os.environ.get("DATABASE_URL"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DATABASE_URL is: every instance that shares the "
            "database must sign sessions and sandbox tokens with the same key. Generate one "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') and give the "
            "same value to every instance."
        )
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        # O_EXCL: when two processes start at once, the first one's key wins.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key


DEBUG = os.environ.get("DEBUG", "") == "1"
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_htmx",
    "console",
    "sandbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "console.access.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "console.presenting.PresentationMiddleware",
]

ROOT_URLCONF = "console.urls"
WSGI_APPLICATION = "console.wsgi.application"

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
                "console.views.common.shared_context",
                "console.presenting.context",
            ],
        },
    }
]

# SQLite by default, in WAL mode with immediate transactions and a busy timeout so that
# the console and the sandbox pools can write concurrently; PostgreSQL via DATABASE_URL.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Each gunicorn thread keeps its connection instead of opening one (and
            # running the PRAGMAs) per request.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            # A file, not memory, so that live-server tests get one connection per thread;
            # one per process, so that two test runs never share it.
            "TEST": {"NAME": str(DATA_DIR / f"test-db-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Upstream content is shown as text; this header is the second line of defence: no inline
# or foreign script, style or connection, no framing (the sandbox's pages get it too).
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
# Behind TLS (TLS=1, usually with a proxy that sets X-Forwarded-Proto): Secure cookies,
# plain HTTP redirected to HTTPS, and HSTS (HSTS_SECONDS, 0 to leave it out).
if os.environ.get("TLS", "") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Plain HTTP on loopback stays: the container's health check, and the console calling
    # the sandbox's own pool (its token and API paths; that pool is bound to 127.0.0.1).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^oauth/token$", r"^v1/"]
    SECURE_HSTS_SECONDS = _env_number("HSTS_SECONDS", 60 * 60 * 24 * 365, int)
# includeSubDomains and preload bind every other host of the parent domain, for good:
# that is the domain owner's decision, not this app's, so their reminders are silenced.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# A shared deployment (CONSOLE_LOGIN_REQUIRED=1): every console page needs a person signed
# in with Django's authentication (people are managed in /admin/, the first one made with
# `manage.py createsuperuser`); five failed sign-ins for one username from one address lock
# it out for 15 minutes (django-axes, in the database: every instance sees them).
CONSOLE_LOGIN_REQUIRED = _env_flag("CONSOLE_LOGIN_REQUIRED", False)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "index"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every command
AXES_LOCKOUT_CALLABLE = "console.access.locked_out"
# The sandbox's developer accounts use the same lockout (sandbox/auth/guard.py); axes keeps
# a failed request's form, so the token endpoint's secrets are masked there too.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "client_secret", "refresh_token"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- The console ---------------------------------------------------------------------

PORT = _env_number("PORT", 8000, int)
# Where the console calls the embedded sandbox: the root of its own gunicorn pool
# (sandbox.wsgi on SANDBOX_PORT, started by `make run` and the Docker image), so that it
# keeps threads of its own and answers like an OrderCloud host (GET /v1/me).
SANDBOX_BASE_URL = os.environ.get(
    "SANDBOX_BASE_URL", f"http://127.0.0.1:{_env_number('SANDBOX_PORT', PORT + 1, int)}"
)
# Extra environments, from server configuration only: a JSON list of
# {"id": "...", "name": "...", "base_url": "https://..."}. Kept as the raw text: the
# console's app parses and checks it at startup and names what is wrong (bad JSON too).
CONSOLE_ENVIRONMENTS = os.environ.get("CONSOLE_ENVIRONMENTS", "")
UPSTREAM_CONNECT_TIMEOUT = _env_number("UPSTREAM_CONNECT_TIMEOUT", 5)
UPSTREAM_READ_TIMEOUT = _env_number("UPSTREAM_READ_TIMEOUT", 30)
UPSTREAM_MAX_BYTES = _env_number("UPSTREAM_MAX_BYTES", 32 * 1024 * 1024, int)
# History (console/history.py): each browser session keeps its exchanges, response bodies
# included, for HISTORY_MAX_AGE seconds, at most HISTORY_MAX_ENTRIES of them and
# HISTORY_MAX_BYTES in all (the oldest go first); signing out keeps them, the session's end
# or "Clear history" removes them.
HISTORY_MAX_AGE = _env_number("HISTORY_MAX_AGE", SESSION_COOKIE_AGE, int)
HISTORY_MAX_ENTRIES = _env_number("HISTORY_MAX_ENTRIES", 100, int)
HISTORY_MAX_BYTES = _env_number("HISTORY_MAX_BYTES", 64 * 1024 * 1024, int)
# Response bodies up to this size get the full viewer (highlighting, folding, search);
# larger ones a bounded preview and the download.
VIEWER_MAX_BYTES = _env_number("VIEWER_MAX_BYTES", 10 * 1024 * 1024, int)

# --- The embedded sandbox --------------------------------------------------------------

# SANDBOX_ENABLED=0 switches it off: no routes, no environment, no pool of its own.
SANDBOX_ENABLED = _env_flag("SANDBOX_ENABLED", True)

SANDBOX_USERNAME = os.environ.get("SANDBOX_USERNAME", "demo")
SANDBOX_PASSWORD = os.environ.get("SANDBOX_PASSWORD", "demo-password")
# The seeded "default access" application. ClientIDs are public identifiers, not secrets;
# a fixed default lets the console pre-fill it without importing the sandbox.
SANDBOX_CLIENT_ID = os.environ.get("SANDBOX_CLIENT_ID", "8836BE8D-710A-4D2D-98BF-EDBE7227E3BB")

# --- The sandbox's developer dashboard (/sandbox/dashboard/) ----------------------------

# Verification codes go out through Django's email framework (MAILERS): printed on the
# server's output by default (`make run` shows them); with EMAIL_HOST set, sent over SMTP.
# `check --deploy` asks a deployment with the sandbox on for EMAIL_HOST; with it off,
# nothing sends mail.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": _env_number("EMAIL_PORT", 587, int),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": os.environ.get("EMAIL_USE_TLS", "1") == "1",
                "timeout": 10,
            },
        }
    }
elif SANDBOX_ENABLED:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sandbox@localhost")
DASHBOARD_CODE_MINUTES = _env_number("DASHBOARD_CODE_MINUTES", 15, int)
# Where the dashboard's "Use in console" points when the sandbox's own pool serves it
# (under the console's /sandbox/ it is the console's own root).
CONSOLE_URL = os.environ.get("CONSOLE_URL", "")

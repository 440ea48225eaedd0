"""One typed settings module, read from the environment (django-environ).

Every value has a working local default: SQLite, console e-mail, tasks run in-process.
Production sets DEBUG=false, SECRET_KEY, SITE_URL, EMAIL_URL, ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Off unless asked for: the Makefile and the test suite set DEBUG=true for local work.
DEBUG: bool = env.bool("DEBUG", default=False)
# With DEBUG on, a 404 still shows the service's own page (opcc.middleware.ServiceNotFoundPageMiddleware) unless this is set.
DEBUG_TECHNICAL_404: bool = env.bool("DEBUG_TECHNICAL_404", default=False)

if DEBUG:
    SECRET_KEY: str = env.str(
        "SECRET_KEY", default="local-development-only-not-a-secret-0123456789abcdefghijklmnop"
    )
else:
    # Required when DEBUG is off: a missing key is a start-up error, never a silent default.
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "Set the SECRET_KEY environment variable for production, or DEBUG=true for local work "
            "(`make setup` writes a local .env with DEBUG=true; `make run` and `make test` set it too)."
        )

ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Demo mode shows the demo sign-in list and labels every page as demonstration data.
DEMO_MODE: bool = env.bool("DEMO_MODE", default=DEBUG)

OFFICE_NAME = env.str("OFFICE_NAME", default="West Mercia Police and Crime Commissioner")
SERVICE_NAME = env.str("SERVICE_NAME", default="Commissioning and grants")
# Prefix of 360Giving grant identifiers (360G-<prefix>-<id>); registered with 360Giving in production.
GRANT_ID_PREFIX = env.str("GRANT_ID_PREFIX", default="wmpcc")
# Open data. The office's org-id as funder and buyer: a placeholder in the 360G- form until the
# office's registered identifier is confirmed (set FUNDER_ORG_ID in production).
FUNDER_ORG_ID = env.str("FUNDER_ORG_ID", default=f"360G-{GRANT_ID_PREFIX}-office")
# ONS code of West Mercia's police force area (beneficiaryLocation with geoCodeType PFA).
POLICE_FORCE_AREA_CODE = env.str("POLICE_FORCE_AREA_CODE", default="E23000016")
# ONS codes (E22...) of the community safety partnerships by area slug, e.g. CSP_GEOCODES=herefordshire=E22000...;
# where one is missing, beneficiaryLocation gives the partnership's name without a code.
CSP_GEOCODES: dict = env.dict("CSP_GEOCODES", default={})
# OCDS ocid prefix (registered with the Open Contracting Partnership in production).
OCDS_OCID_PREFIX = env.str("OCDS_OCID_PREFIX", default="ocds-wmpcc0")
# A payment may be dated up to this many days after its award ends (invoices for the last period arrive late).
PAYMENT_GRACE_DAYS: int = env.int("PAYMENT_GRACE_DAYS", default=90)
# The address links in emails and in the published open-data files are built from. Required when DEBUG is off:
# a local default would publish links to nowhere.
SITE_URL: str = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
if not SITE_URL:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Set the SITE_URL environment variable for production to the service's public address, like "
        "https://commissioning.westmercia-pcc.example: links in emails and the open-data files are built from it."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    # Domain apps, in dependency order: each may import only from those above it.
    "opcc",
    "funding",
    "commissioning",
    "grants",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "opcc.middleware.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "opcc.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "opcc.middleware.SecurityHeadersMiddleware",
    "opcc.middleware.ServiceNotFoundPageMiddleware",
    # Axes must be last: it turns a locked-out sign-in into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "opcc.urls"
WSGI_APPLICATION = "opcc.wsgi.application"

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
                "opcc.context_processors.service",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite serialises writers; wait for the lock rather than fail at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif "postgresql" in DATABASES["default"]["ENGINE"] and env.bool("POSTGRES_JIT_OFF", default=True):
    # PostgreSQL's JIT compiles any query whose estimated cost passes jit_above_cost: for this app's short
    # queries over a few hundred thousand rows it spends 25 ms compiling to save one (bench/RESULTS.md).
    # Set POSTGRES_JIT_OFF=false behind a pooler that refuses the startup "options" parameter.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "opcc.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CSRF_FAILURE_VIEW = "opcc.views.pages.csrf_failure"
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

# Sessions end after two hours without activity, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)
# Idle timeout: opcc.middleware.SessionRefreshMiddleware pushes the expiry back at most once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# Lock-out after repeated failed sign-ins: per account and address, for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "opcc.views.auth.locked_out"
AXES_VERBOSE = False
# How many reverse proxies the office runs in front of the app (0: none, clients connect directly).
# Every place that needs the client's address (the lock-out, the rate limits, the logs) asks
# opcc.client_ip.client_address, which believes only the X-Forwarded-For entries these proxies appended.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "opcc.client_ip.client_address"

OTP_TOTP_ISSUER = OFFICE_NAME

# Requests a minute per client address (see opcc/ratelimit.py).
RATE_LIMIT_SIGN_IN = env.int("RATE_LIMIT_SIGN_IN", default=20)
RATE_LIMIT_PASSWORD_RESET = env.int("RATE_LIMIT_PASSWORD_RESET", default=5)
RATE_LIMIT_OPEN_DATA = env.int("RATE_LIMIT_OPEN_DATA", default=60)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # documents are served only through the permission-checked view
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
WHITENOISE_USE_FINDERS = DEBUG

DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
if not DEBUG and (
    "EMAIL_URL" not in os.environ or EMAIL_CONFIG["EMAIL_BACKEND"].endswith("console.EmailBackend")
):
    from django.core.exceptions import ImproperlyConfigured

    # The console backend prints every email, password-reset and invitation links included, into the logs.
    raise ImproperlyConfigured(
        "Set the EMAIL_URL environment variable for production to the mail server, like "
        "smtp+tls://user:password@smtp.example:587: without one every email, links included, would be printed "
        "into the logs."
    )
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="commissioning@westmercia-pcc.example")

CRISPY_TEMPLATE_PACK = "gds"
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
# crispy-forms-gds styles text, email and password inputs; every other kind of input is a GOV.UK input too.
CRISPY_CLASS_CONVERTERS = {
    name: "govuk-input"
    for name in (
        "numberinput",
        "urlinput",
        "telinput",
        "dateinput",
        "datetimeinput",
        "timeinput",
        "searchinput",
    )
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://opcc")}

# Celery: with no broker configured every task runs in-process, synchronously.
_BROKER = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not _BROKER
# In-process mode still gives Celery a URL, so nothing tries to reach a broker that is not there.
CELERY_BROKER_URL: str = (
    _BROKER or "memory://localhost/"
)  # with a host, kombu does not warn that none was given
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {
    "flush-outbox": {"task": "opcc.tasks.flush_outbox", "schedule": 300.0},
}

# Production hardening: applied whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "refusals": {"()": "opcc.log_filters.NoTracebackForRefusals"},
        "client": {"()": "opcc.log_filters.WithClientAddress"},
    },
    "formatters": {"plain": {"format": "%(message)s%(client)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"filters": ["refusals"]},
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # In-process (eager) tasks would log a line per email; a real worker logs through Celery's own setup.
        "celery.app.trace": {"level": "WARNING"},
    },
}

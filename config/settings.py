"""Settings for the whole project, in one module.

Every value that differs between a laptop and production is read from an
environment variable here, with a safe embedded default: SQLite and a
filesystem broker under ``var/``, and mail written as files to ``var/mail/``.
"""

import email.utils
from pathlib import Path

import environ
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# --- Core --------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY",
    # Only good for a laptop; production sets SECRET_KEY (see README).
    default="insecure-local-only-7q1c0m1u5b0r4s4r3g10n3n-do-not-use-in-production",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "federation.apps.FederationAdminConfig",  # django.contrib.admin with our AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_tables2",
    "django_filters",
    "import_export",
    "django_celery_beat",
    "django_celery_results",
    "simple_history",
    "axes",
    "csp",
    "federation",
    "goals",
    "internalcontrol",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A signed-in user with no role or group sees only the page that says so.
    "federation.navigation.NoRoleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its response.
    "axes.middleware.AxesMiddleware",
]

# Measuring tools (bench, load test, scaled data, the floor view and the Server-Timing header: tests/devtools/)
# only on a developer's machine (DEBUG=1) or for a benchmark run (BENCH=1); never in production.
DEVTOOLS = DEBUG or env.bool("BENCH", default=False)
if DEVTOOLS:
    INSTALLED_APPS.append("tests.devtools")
    # Outermost, so its timing covers the whole stack.
    MIDDLEWARE.insert(0, "tests.devtools.middleware.ServerTimingMiddleware")

# Widgets render through the project templates, so templates/django/forms/widgets/ (the same markup
# with its includes inlined, faster on pages with many forms) overrides Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "federation.context_processors.navigation",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Web server, worker and beat share the file: wait for locks instead
        # of failing, and let readers go on while one process writes.
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so a real Celery worker started by a test sees it;
    # one per test run (TEST_DB_SUFFIX), so two runs side by side do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db{env.str('TEST_DB_SUFFIX', default='')}.sqlite3")}
else:
    # One test database per run here too (TEST_DB_SUFFIX), so parallel runs do not collide.
    _suffix = env.str("TEST_DB_SUFFIX", default="").replace("-", "_")
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}{_suffix}"}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters bound by the server, and a statement run five times on a connection prepared there (psycopg's
    # threshold; Django turns preparing off unless asked): PostgreSQL then neither parses nor plans the pages'
    # queries again, which was a quarter to a half of their query time (docs/performance.md). Off with
    # DATABASE_PREPARED_STATEMENTS=0, e.g. behind a PgBouncer in transaction mode.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"] = {
            **DATABASES["default"].get("OPTIONS", {}),
            "server_side_binding": True,
            "prepare_threshold": 5,
        }
# Connections kept between requests: on PostgreSQL no new connection per request, on SQLite its page cache
# stays warm (a new connection starts cold and reads the schema again).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------

# Django's cache (django-axes and any {% cache %} fragment): per process by default; in production one
# shared cache for all web workers (CACHE_URL=redis://host:6379/1).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://boras")}

# --- Authentication ------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses logins for a while after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after 5 failed attempts for the same username from the same
# address, logins are refused for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "federation:landing"  # each role lands where its work is
LOGOUT_REDIRECT_URL = "/accounts/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time and formats -------------------------------------------------

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
# The app's "today" (federation.dates.today) is the day in TIME_ZONE; tests set a date here to stand on another day.
FIXED_TODAY = None
USE_I18N = True
USE_TZ = True
# Off, so years and ids read 2019, not 2 019; quantities use |intcomma or
# |floatformat:"g", which group thousands the Swedish way (27 531).
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- Static and uploaded files --------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
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

# --- Mail ---------------------------------------------------------------------

MAIL_DIR = VAR_DIR / "mail"
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    # Each mail is written as a file a person can open in var/mail/.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(MAIL_DIR)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Boråsregionen <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# --- Celery -------------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # A broker that needs no server: messages are files in one folder.
    BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    for _folder in (BROKER_DIR, BROKER_DIR / "control"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # An unacknowledged message (a worker killed mid-task) is delivered again after this long: matched to
    # the reminder mails' send lease (below), so recovery takes minutes, not Redis's default hour.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int(
            "CELERY_VISIBILITY_TIMEOUT", default=env.int("REMINDER_SEND_LEASE", default=300) + 60
        )
    }
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker process prepares the report renderers when it starts (about 0.5 s, FederationConfig.ready): room
# for that on a loaded machine before Celery gives up on the process (its default is 4 s).
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 20
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic tasks, defined once here. After migrate they are created in
# django-celery-beat's tables if missing (never overwritten), so the
# förbundsdirektör can change their times in the admin and keep the change.
PERIODIC_TASKS = {
    "Påminnelser: svep": {
        "task": "federation.tasks.sweep_reminders",
        "crontab": {"minute": "5", "hour": "6-20"},
    },
    "Påminnelser: omförsök": {
        "task": "federation.tasks.retry_reminder_mails",
        "crontab": {"minute": "*"},
    },
}

# --- Reminders --------------------------------------------------------------------

# What needs reminding comes from the providers the apps register (federation/registry.py).
# Retry a failed mail after 60 s, 120 s, 240 s … (at most an hour apart).
REMINDER_RETRY_BACKOFF = env.int("REMINDER_RETRY_BACKOFF", default=60)
# A mail is never given up: after the first failures it is retried every this many seconds at most.
REMINDER_RETRY_MAX = env.int("REMINDER_RETRY_MAX", default=3600)
# A mail being sent is leased to one worker for this many seconds; when a worker dies mid-send, the mail is
# picked up again (by the retry task every minute) as soon as the lease has expired.
REMINDER_SEND_LEASE = env.int("REMINDER_SEND_LEASE", default=300)
# A mail still failing after this many seconds is reported once to the förbundsdirektör and to ADMINS.
REMINDER_FAILURE_REPORT_AFTER = env.int("REMINDER_FAILURE_REPORT_AFTER", default=2 * 3600)
# Told when reminder mails keep failing, e.g. ADMINS="Drift <drift@example.org>,it@example.org".
ADMINS = [email.utils.parseaddr(address) for address in env.list("ADMINS", default=[])]

# --- Internal control (internalcontrol app) ----------------------------------------

# Colour bands of the risk value S×K: (from, to, tone, word).
RISK_BANDS = [(1, 3, "green", "Låg"), (4, 8, "yellow", "Medel"), (9, 16, "red", "Hög")]
# An åtgärd is due this many months after the check that found the avvikelse (the 2019 plan: six).
DEVIATION_FOLLOW_UP_MONTHS = env.int("DEVIATION_FOLLOW_UP_MONTHS", default=6)
# Largest evidence file accepted (bytes); MEDIA_ROOT above holds the files.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)

# --- Year-end report (issue 6) ------------------------------------------------------

# The sections come from the builders the apps register (federation/registry.py).
# Exports larger than this many table rows (a PDF row counts as 6, see
# federation/reports/formats.py) run as a Celery task; smaller ones download directly.
REPORT_DIRECT_EXPORT_MAX_ROWS = env.int("REPORT_DIRECT_EXPORT_MAX_ROWS", default=400)

# --- Third-party apps --------------------------------------------------------------

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- Logging --------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Security -------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # a working day
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Behind HTTPS in production (HTTPS=1): secure cookies, redirect to HTTPS, HSTS.
# Off by default so the embedded default and the tests run on plain http://127.0.0.1.
HTTPS = env.bool("HTTPS", default=False)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): everything from our own origin only, no
# inline script except with the per-request nonce, no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        # Inline style attributes are used by server-rendered SVG charts.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

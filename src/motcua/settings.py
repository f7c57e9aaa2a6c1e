"""Motcua settings, read from environment variables (12-factor) with safe embedded defaults.

With no environment at all, the project runs on the embedded default: SQLite in WAL mode under ``var/``,
media files in ``var/media``, e-mail written to ``var/outbox``. Production sets ``DEBUG=0``, a real
``SECRET_KEY``, ``DATABASE_URL=postgres://…`` and ``ALLOWED_HOSTS``.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str | None:
    """A rate such as ``60/min`` (periods ``s``, ``min``, ``h``, ``day``); empty or ``off``: no limit."""
    value = os.environ.get(name, default).strip()
    if value.lower() in {"", "off", "0"}:
        return None
    if not re.fullmatch(r"[1-9][0-9]{0,8}/[smhd][a-z]*", value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 60/min (or empty), not {value!r}.")
    return value


DEBUG = env_bool("DEBUG", True)
# The demo site: `make run` serves it as production does (DEBUG=0) and says so here, which allows the demo
# accounts and certificates (motcua.core.demo.demo_allowed) and a secret key kept in var/. Never production.
MOTCUA_DEMO = env_bool("MOTCUA_DEMO", False)


def demo_secret_key(path: Path) -> str:
    """The demo site's own secret key: made at random the first time, then kept in ``path`` (owner only)."""
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
                file.write(get_random_secret_key())
        except FileExistsError:
            pass  # another process made it first: use theirs
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if MOTCUA_DEMO:
        SECRET_KEY = demo_secret_key(VAR_DIR / "secret_key")
    elif not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    else:
        # Only for the embedded development default; never used with DEBUG off.
        SECRET_KEY = "motcua-insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served as our own static files
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "motcua.core",
    "motcua.accounts",
    "motcua.workcalendar",
    "motcua.catalog",
    "motcua.forms",
    "motcua.audit",
    "motcua.notifications",
    "motcua.dossiers",
    "motcua.documents",
    "motcua.payments",
    "motcua.payments.contrib.sandbox",  # the sandbox gateway (plays VNPay's part offline)
    "motcua.delivery",
    "motcua.engagement",  # satisfaction ratings (petitions, dialogues, consultations to come)
    "motcua.stats",  # after the apps whose changes it counts: its receivers run after theirs
    "motcua.demo",  # load_demo, which imports the domain apps above
    "motcua.backup",  # manage.py backup / restore / verify_backup
    "motcua.backoffice",
    "motcua.portal",
    "motcua.api",
]

MIDDLEWARE = [
    # First: the request id, access line and metrics of every request, whatever answers it below.
    "motcua.core.middleware.ObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above the rest, so that every HTML answer gets the policy, error pages and refusals included.
    "motcua.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages this process served already, answered before the session, CSRF, authentication and
    # messages middleware, which would do nothing for them (core.pagecache).
    "motcua.core.pagecache.LocalPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.portal.middleware.ChosenLanguageMiddleware",
    "motcua.api.middleware.RefuseNulMiddleware",  # after the language: its 400 speaks the caller's
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out sessions idle longer than MOTCUA_OFFICER_IDLE_MINUTES / MOTCUA_CITIZEN_IDLE_MINUTES.
    "motcua.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the request into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

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
                "motcua.portal.context_processors.site",
                "motcua.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            # Django's SQLite backend, with writers taking turns through a lock file (motcua/core/sqlite).
            "ENGINE": "motcua.core.sqlite",
            "NAME": VAR_DIR / "motcua.sqlite3",
            # Kept open between requests: opening one (with its pragmas and functions) cost more CPU than
            # the whole of a cached page (bench/burst.py's profile: 12 % of the server's samples).
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE avoids upgrade deadlocks.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Django's default for SQLite, said out loud: tools that recognise SQLite by Django's own engine
            # name (pytest-django's per-worker database names) would otherwise make up a file name.
            "TEST": {"NAME": ":memory:"},
        }
    }
# A streaming replica of the PostgreSQL primary (bản sao chỉ đọc): reads of the statistics and the public
# catalogue go there, everything else (every write, and whatever must read its own writes) to the primary;
# the rule is motcua.core.dbrouter's. Unset: one database, as before. docs/sizing.md says when it helps.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
# After a person wrote, their browser reads only the primary for this long (longer than the replica's lag).
MOTCUA_REPLICA_PIN_SECONDS = int(os.environ.get("MOTCUA_REPLICA_PIN_SECONDS", "10"))
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL: the primary the replica copies.")
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True
    )
    # Tests run against one database: the replica's alias is the same test database (Django's TEST MIRROR).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["motcua.core.dbrouter.PrimaryReplicaRouter"]
    # Before the session and authentication, so that each of the request's reads follows one rule.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "motcua.core.dbrouter.ReadYourWritesMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------------------------------------
# In-process by default; REDIS_URL shares one cache between every worker in production.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = os.environ.get("MOTCUA_CACHE_DIR", "")
if REDIS_URL:
    # Redis down: pages are served without the cache; the rate limits refuse (motcua.core.cache). A down
    # server answers "connection refused" at once; one that does not answer at all is given a second.
    CACHES = {
        "default": {
            "BACKEND": "motcua.core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
elif CACHE_DIR:
    # Shared by every worker process of one machine, without a cache server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "motcua"}}

# --- Internationalisation -------------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "vi")
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

# --- Accounts -------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out accounts before any password is checked.
    "motcua.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "portal:home"
# Officers (and system administrators) must confirm a one-time code (TOTP) after their password.
MOTCUA_OFFICER_2FA_REQUIRED = env_bool("MOTCUA_OFFICER_2FA_REQUIRED", True)
# How long an e-mail verification link stays valid.
MOTCUA_EMAIL_VERIFICATION_DAYS = int(os.environ.get("MOTCUA_EMAIL_VERIFICATION_DAYS", "3"))
# Lockout (django-axes): this many failed logins of one account lock it for this many minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("MOTCUA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MOTCUA_LOCKOUT_MINUTES", "15")))
# By account: django-axes adds up the failures from every address and browser, so rotating them does
# not help an attacker; W006 assumes per-record counting.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# A lock lasts its cool-off from the last counted failure; tries during it do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "motcua.accounts.views.lockout_response"
AXES_VERBOSE = False
# django-axes asks the project's one rule for the client's address (X-Forwarded-For from trusted proxies).
AXES_CLIENT_IP_CALLABLE = "motcua.core.net.client_ip"
# A signed-in session unused this long is signed out (sliding: each request renews it); officers and
# administrators get the shorter time.
MOTCUA_OFFICER_IDLE_MINUTES = int(os.environ.get("MOTCUA_OFFICER_IDLE_MINUTES", "30"))
MOTCUA_CITIZEN_IDLE_MINUTES = int(os.environ.get("MOTCUA_CITIZEN_IDLE_MINUTES", "240"))
# Password reset e-mails: at most this many requests an hour for one e-mail address, and from one client.
MOTCUA_PASSWORD_RESET_PER_EMAIL = int(os.environ.get("MOTCUA_PASSWORD_RESET_PER_EMAIL", "5"))
MOTCUA_PASSWORD_RESET_PER_IP = int(os.environ.get("MOTCUA_PASSWORD_RESET_PER_IP", "20"))
# API tokens: the days one stays valid, and how many live tokens one account may hold at a time.
MOTCUA_API_TOKEN_DAYS = int(os.environ.get("MOTCUA_API_TOKEN_DAYS", "30"))
MOTCUA_API_TOKEN_LIMIT = int(os.environ.get("MOTCUA_API_TOKEN_LIMIT", "10"))
# National e-ID login (VNeID style, OpenID Connect); off while the issuer is empty.
MOTCUA_OIDC_ISSUER = os.environ.get("MOTCUA_OIDC_ISSUER", "")
MOTCUA_OIDC_CLIENT_ID = os.environ.get("MOTCUA_OIDC_CLIENT_ID", "")
MOTCUA_OIDC_CLIENT_SECRET = os.environ.get("MOTCUA_OIDC_CLIENT_SECRET", "")
MOTCUA_OIDC_PERSONAL_ID_CLAIM = os.environ.get("MOTCUA_OIDC_PERSONAL_ID_CLAIM", "personal_id")
MOTCUA_OIDC_SCOPES = os.environ.get("MOTCUA_OIDC_SCOPES", "openid profile email phone")
MOTCUA_OIDC_NAME = os.environ.get("MOTCUA_OIDC_NAME", "VNeID")

# --- Files ----------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# The embedded default serves static files straight from the apps (no collectstatic step).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Dossier papers, receipts and results are personal data: they live in a separate storage that no URL serves;
# only permission-checked views stream them. Production points both at S3-compatible buckets (the private
# one without public access) by setting MOTCUA_S3_BUCKET (and MOTCUA_S3_PRIVATE_BUCKET).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
S3_BUCKET = os.environ.get("MOTCUA_S3_BUCKET", "")
S3_PRIVATE_BUCKET = os.environ.get("MOTCUA_S3_PRIVATE_BUCKET", S3_BUCKET)
_S3_OPTIONS = {
    "endpoint_url": os.environ.get("MOTCUA_S3_ENDPOINT_URL") or None,
    "region_name": os.environ.get("MOTCUA_S3_REGION") or None,
    "access_key": os.environ.get("MOTCUA_S3_ACCESS_KEY") or None,
    "secret_key": os.environ.get("MOTCUA_S3_SECRET_KEY") or None,
    "file_overwrite": False,
}
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_S3_OPTIONS, "bucket_name": S3_BUCKET}}
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "private": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_S3_OPTIONS,
                "bucket_name": S3_PRIVATE_BUCKET,
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
            },
        }
        if S3_PRIVATE_BUCKET
        else {"BACKEND": "motcua.core.storage.PrivateFileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Where `manage.py backup` and `restore` find pg_dump, pg_restore and psql (default: on the PATH); their major
# version must be the server's or newer.
MOTCUA_PG_BINDIR = os.environ.get("MOTCUA_PG_BINDIR", "")

# --- E-mail ---------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "outbox"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Motcua <no-reply@motcua.local>")

# --- Background tasks ------------------------------------------------------------------------------------
# "inprocess" (embedded default): a small thread pool inside the web process runs tasks after the commit
# that queued them. "celery" (production): tasks go to the broker (Redis) and Celery workers run them.
# "eager" (tests): tasks run at once, in the caller's thread, after the commit.
MOTCUA_TASKS = os.environ.get(
    "MOTCUA_TASKS", "celery" if os.environ.get("CELERY_BROKER_URL") else "inprocess"
)
MOTCUA_TASK_THREADS = int(os.environ.get("MOTCUA_TASK_THREADS", "2"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
# A task is acknowledged once it has run, and given back to the queue when its worker dies under it (a
# killed prefork child); a worker killed outright leaves it unacknowledged, and Redis hands it to another
# worker after the visibility timeout. Every task is safe to run twice (motcua.core.tasks). A delayed task
# (a retry's countdown) longer than the timeout is handed out again meanwhile: harmless for the same reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("MOTCUA_TASK_VISIBILITY_SECONDS", "3600")),
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "motcua"
CELERY_TIMEZONE = TIME_ZONE
# Celery beat: the notifications outbox is swept every minute for deliveries whose retry time has come.
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {"task": "motcua.notifications.send_due_deliveries", "schedule": 60.0},
    "tasks-kept-while-redis-was-down": {"task": "motcua.core.redispatch", "schedule": 60.0},
    "deadline-watch": {"task": "motcua.dossiers.warn_deadlines", "schedule": 1800.0},
    "audit-anchor": {"task": "motcua.audit.send_anchor", "schedule": 86400.0},
    "payments-expire": {"task": "motcua.payments.expire", "schedule": 300.0},
    # Files stored by a process that died before committing their row (a killed app worker), app by app.
    "dossiers-orphan-files": {"task": "motcua.dossiers.delete_orphan_files", "schedule": 86400.0},
    "documents-orphan-files": {"task": "motcua.documents.delete_orphan_files", "schedule": 86400.0},
    "petitions-orphan-files": {"task": "motcua.engagement.delete_orphan_files", "schedule": 86400.0},
}
# Where the daily anchor of the audit log goes (mailboxes outside the reach of the database's owners).
MOTCUA_AUDIT_ANCHOR_EMAILS = env_list("MOTCUA_AUDIT_ANCHOR_EMAILS", "")

# --- Notifications --------------------------------------------------------------------------------------
# The portal's public address: links in e-mails, SMS and the QR code of receipts point here.
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")

# Live dialogue sessions (portal.live, served by ``uvicorn motcua.asgi:application``): how often each process
# reads whether a watched session changed, and where browsers open the stream. Empty: this site's own address
# (production: nginx sends /doi-thoai/<id>/su-kien/ to the live service); the demo serves it on its own port.
MOTCUA_LIVE_POLL_SECONDS = float(os.environ.get("MOTCUA_LIVE_POLL_SECONDS", "0.5"))
MOTCUA_LIVE_URL = os.environ.get("MOTCUA_LIVE_URL", "").rstrip("/")

# Results by post (motcua.delivery). The sandbox postal service inside Motcua (/buu-chinh/sandbox/) speaks
# the protocol of delivery/contrib/sandbox/protocol.py: on in development and on the demo site, never in
# production unless asked. Its shared secret signs bookings and notices (HMAC-SHA256); the demo one is
# published.
MOTCUA_POSTAL_SANDBOX = env_bool("MOTCUA_POSTAL_SANDBOX", DEBUG or MOTCUA_DEMO)
MOTCUA_POSTAL_SANDBOX_SECRET = os.environ.get("MOTCUA_POSTAL_SANDBOX_SECRET", "motcua-demo-postal-secret")
# Where the sandbox carrier answers (default: this site, MOTCUA_PUBLIC_URL).
MOTCUA_POSTAL_SANDBOX_URL = os.environ.get("MOTCUA_POSTAL_SANDBOX_URL", "")
# The postal service new parcels go with: "sandbox", or "manual" (the desk books at the post-office counter).
MOTCUA_POSTAL_SERVICE = os.environ.get(
    "MOTCUA_POSTAL_SERVICE", "sandbox" if MOTCUA_POSTAL_SANDBOX else "manual"
)
# SMS costs money per message; e-mail and the in-app inbox carry the same news.
MOTCUA_SMS_ENABLED = env_bool("MOTCUA_SMS_ENABLED", False)
MOTCUA_SMS_BACKEND = os.environ.get("MOTCUA_SMS_BACKEND", "motcua.notifications.sms.LoggingSmsBackend")
MOTCUA_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_NOTIFY_MAX_ATTEMPTS", "5"))
# How long a worker's claim on a delivery it is sending holds: longer than any send takes (EMAIL_TIMEOUT);
# past it, the worker is presumed dead and another one sends.
MOTCUA_NOTIFY_CLAIM_SECONDS = int(os.environ.get("MOTCUA_NOTIFY_CLAIM_SECONDS", "600"))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

# --- Payments: the sandbox gateway ---------------------------------------------------------------------
# A gateway inside Motcua that speaks the VNPay protocol for real (payment page, IPN, refund and querydr API)
# so that a payment runs offline through the real adapter. Served in development, on the demo site and in
# tests; never in production (its URLs answer 404 when off). Its merchant code and hash secret are public
# demo values: an integrator signs test callbacks with them.
MOTCUA_PAYMENT_SANDBOX = env_bool("MOTCUA_PAYMENT_SANDBOX", DEBUG or MOTCUA_DEMO)
MOTCUA_PAYMENT_SANDBOX_MERCHANT = os.environ.get("MOTCUA_PAYMENT_SANDBOX_MERCHANT", "MOTCUA01")
MOTCUA_PAYMENT_SANDBOX_SECRET = os.environ.get("MOTCUA_PAYMENT_SANDBOX_SECRET", "MOTCUA-SANDBOX-DEMO-SECRET")
# VNPay registers the IPN address per merchant, not per request: the sandbox calls this one.
MOTCUA_PAYMENT_SANDBOX_IPN_URL = os.environ.get(
    "MOTCUA_PAYMENT_SANDBOX_IPN_URL", MOTCUA_PUBLIC_URL.rstrip("/") + "/thanh-toan/sandbox/ipn/"
)

# --- Dossiers -------------------------------------------------------------------------------------------
# Size limits of the papers an applicant attaches, in megabytes: one file, and all files of one dossier.
MOTCUA_MAX_FILE_MB = int(os.environ.get("MOTCUA_MAX_FILE_MB", "10"))
MOTCUA_MAX_DOSSIER_MB = int(os.environ.get("MOTCUA_MAX_DOSSIER_MB", "50"))
# Per account: drafts not yet sent, and megabytes of files in its dossiers not yet finished.
MOTCUA_MAX_OPEN_DRAFTS = int(os.environ.get("MOTCUA_MAX_OPEN_DRAFTS", "20"))
MOTCUA_MAX_ACCOUNT_MB = int(os.environ.get("MOTCUA_MAX_ACCOUNT_MB", "500"))
# Dotted path of a callable ``scan(fileobj, name) -> str | None`` that returns a reason to refuse an infected
# file (e.g. a clamd client); empty: no virus scan.
MOTCUA_VIRUS_SCANNER = os.environ.get("MOTCUA_VIRUS_SCANNER", "")
# The dossier code: agency identifier, reception date and the agency's sequence number of that day.
MOTCUA_DOSSIER_CODE_FORMAT = os.environ.get("MOTCUA_DOSSIER_CODE_FORMAT", "{agency_code}-{yymmdd}-{seq:04d}")
# Public tracking by code: at most this many look-ups per client address and minute (code guessing).
MOTCUA_TRACKING_RATE = int(os.environ.get("MOTCUA_TRACKING_RATE", "20"))

# --- Engagement: petitions and feedback ---------------------------------------------------------------------
# The agency whose moderators receive petitions and feedback (its identifier code); empty: the first
# top-level agency of the tree (the province's People's Committee in the demo).
MOTCUA_PETITION_RECEPTION_AGENCY = os.environ.get("MOTCUA_PETITION_RECEPTION_AGENCY", "")
# Sending: at most this many petitions and feedback per client address, and per account, an hour (flooding).
MOTCUA_PETITION_RATE = int(os.environ.get("MOTCUA_PETITION_RATE", "10"))
# Dialogue sessions: at most this many questions per client address, and per account, an hour (flooding).
MOTCUA_DIALOGUE_QUESTION_RATE = int(os.environ.get("MOTCUA_DIALOGUE_QUESTION_RATE", "10"))

# --- Engagement: consultation on drafts (góp ý dự thảo) -----------------------------------------------------
# Commenting: at most this many comments per client address, and per account, an hour (flooding).
MOTCUA_CONSULTATION_COMMENT_RATE = int(os.environ.get("MOTCUA_CONSULTATION_COMMENT_RATE", "20"))

# --- Electronic results ----------------------------------------------------------------------------------
# Signing certificates: the demo CA and agency certificates live here (made by setup_demo_pki / on demand
# with DEBUG); production registers its certificates (PKCS#12 files or a PKCS#11 token) in the admin.
MOTCUA_PKI_DIR = Path(os.environ.get("MOTCUA_PKI_DIR", VAR_DIR / "pki"))
MOTCUA_PKI_PASSPHRASE = os.environ.get("MOTCUA_PKI_PASSPHRASE", "motcua-demo")
# PEM files of the root certificates that verification trusts; the demo CA only where it is allowed.
MOTCUA_TRUSTED_ROOTS = env_list("MOTCUA_TRUSTED_ROOTS", "")
MOTCUA_TRUST_DEMO_CA = env_bool("MOTCUA_TRUST_DEMO_CA", DEBUG or MOTCUA_DEMO)
# An RFC 3161 time-stamping authority (TSA): with one, results are PAdES B-T, their signing time vouched for
# by the TSA (its root goes in MOTCUA_TRUSTED_ROOTS). Without one, B-B. A TSA that does not answer stops the
# signature: the approval is refused and can be repeated, rather than a result issued without its timestamp.
MOTCUA_TSA_URL = os.environ.get("MOTCUA_TSA_URL", "")
MOTCUA_TSA_USERNAME = os.environ.get("MOTCUA_TSA_USERNAME", "")
MOTCUA_TSA_PASSWORD = os.environ.get("MOTCUA_TSA_PASSWORD", "")
MOTCUA_TSA_TIMEOUT = float(os.environ.get("MOTCUA_TSA_TIMEOUT", "10"))
MOTCUA_VERIFY_RATE = int(os.environ.get("MOTCUA_VERIFY_RATE", "30"))
MOTCUA_VERIFY_MAX_MB = int(os.environ.get("MOTCUA_VERIFY_MAX_MB", "20"))

# --- Security -------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Production is served over HTTPS: secure cookies, HTTP redirected to HTTPS, and HSTS so that browsers never
# try plain HTTP again. HTTPS=0 says the site is served over plain HTTP on purpose (the demo of `make run`,
# a benchmark on loopback); without it, the start-up check (motcua.core.checks) refuses plain HTTP.
HTTPS = env_bool("HTTPS", True)
_PRODUCTION_HTTPS = not DEBUG and HTTPS
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE = _PRODUCTION_HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _PRODUCTION_HTTPS)
# The probes and the metrics answer on plain HTTP too (a load balancer or Prometheus asks gunicorn directly).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if _PRODUCTION_HTTPS else 0))
# Off unless every subdomain of the site's domain is on HTTPS too (other systems of the province may not be).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_FAILURE_VIEW = "motcua.errors.csrf_failure"  # the portal's explanation, not Django's technical page
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed (motcua.core.net); empty: none,
# the client is the TCP peer. Behind deploy/nginx.conf on the same machine: 127.0.0.1.
MOTCUA_TRUSTED_PROXIES = env_list("MOTCUA_TRUSTED_PROXIES", "")

# --- API ------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "motcua.core.rest.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "motcua.core.rest.parsers.JSONParser",
        "motcua.core.rest.parsers.FormParser",
        "motcua.core.rest.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "motcua.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "motcua.core.rest.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Per account, per client address for anonymous calls, and stricter for the POSTs that create something
    # (a draft, an upload, a token: views with throttle_scope = "create"); counted in the shared cache.
    "DEFAULT_THROTTLE_CLASSES": [
        "motcua.api.throttling.AnonRateThrottle",
        "motcua.api.throttling.UserRateThrottle",
        "motcua.api.throttling.CreateRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("MOTCUA_API_RATE_ANON", "60/min"),
        "user": env_rate("MOTCUA_API_RATE_USER", "300/min"),
        "create": env_rate("MOTCUA_API_RATE_CREATE", "20/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Motcua API",
    "DESCRIPTION": "Public REST API of the Motcua one-stop e-government portal (cổng dịch vụ công).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set that several fields use (procedure.authority_level, agency.level; a
    # petition's kind, category and status in its several shapes).
    "ENUM_NAME_OVERRIDES": {
        "AuthorityLevelEnum": "motcua.catalog.models.AuthorityLevel",
        # Its name before the petitions' actions came (a field "action" too).
        "ActionEnum": "motcua.dossiers.models.DossierAction",
        "PetitionKindEnum": "motcua.engagement.models.PetitionKind",
        "PetitionCategoryEnum": "motcua.engagement.models.PetitionCategory",
        "PetitionStatusEnum": "motcua.engagement.models.PetitionStatus",
        "PetitionOfficerActionEnum": "motcua.engagement.petition_serializers.ACTION_CHOICES",
        "DialogueSessionStatusEnum": "motcua.engagement.models.SessionStatus",
        "DialogueQuestionStatusEnum": "motcua.engagement.models.QuestionStatus",
        "DialogueQuestionActionEnum": "motcua.engagement.dialogue_serializers.QUESTION_ACTION_CHOICES",
        "DialogueSessionActionEnum": "motcua.engagement.dialogue_serializers.SESSION_ACTION_CHOICES",
        # Consultations on drafts (góp ý dự thảo).
        "ConsultationCommentStatusEnum": "motcua.engagement.models.CommentStatus",
        "ConsultationPhaseEnum": "motcua.engagement.models.ConsultationPhase",
    },
    # /api/docs/ loads Swagger UI from our static files, never from a CDN (and never asks the public
    # validator service to check the schema).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Every operation documents the throttles' 429, and the 401 when it needs credentials.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "motcua.api.schema.document_common_answers",
    ],
}

# --- Motcua ---------------------------------------------------------------------------------------------
MOTCUA_SITE_NAME = os.environ.get("MOTCUA_SITE_NAME", "Cổng Dịch vụ công tỉnh Hải Đông")
OTP_TOTP_ISSUER = MOTCUA_SITE_NAME  # the name authenticator apps show next to the code
# The longest search query accepted; longer ones are refused with a clear message, not truncated.
MOTCUA_SEARCH_MAX_LENGTH = int(os.environ.get("MOTCUA_SEARCH_MAX_LENGTH", "200"))
# How long anonymous public pages (catalogue pages, catalogue API) stay cached (0 turns it off); any
# catalogue write invalidates them, so this only bounds memory, not staleness.
MOTCUA_PAGE_CACHE_SECONDS = int(os.environ.get("MOTCUA_PAGE_CACHE_SECONDS", "600"))
# Each process also keeps the pages it served last in its own memory, up to this much (core.pagecache).
MOTCUA_PAGE_CACHE_LOCAL_KB = int(os.environ.get("MOTCUA_PAGE_CACHE_LOCAL_KB", "16384"))
# …and trusts the data's revision it last read this long before reading it again, for those pages only.
MOTCUA_PAGE_CACHE_CONFIRM_SECONDS = float(os.environ.get("MOTCUA_PAGE_CACHE_CONFIRM_SECONDS", "1"))
# Office hours of the one-stop desks, as opening-closing pairs in the order of the day; deadlines count only
# these hours on working days. Checked when the process starts (motcua.workcalendar.apps).
MOTCUA_OFFICE_HOURS = os.environ.get("MOTCUA_OFFICE_HOURS", "08:00-12:00,13:00-17:00")
# Serve MEDIA_ROOT from Django itself (embedded default and the demo); production serves it from nginx or S3.
MOTCUA_SERVE_MEDIA = env_bool("MOTCUA_SERVE_MEDIA", DEBUG or MOTCUA_DEMO)

# --- Observability --------------------------------------------------------------------------------------
# Logs: "text" (default) is one readable line for a terminal; "json" one JSON object a line for a log
# collector (production). Every record carries the request id (X-Request-ID) and, in a task, the task's
# name and id.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "motcua.core.logs.ContextFilter"}},
    "formatters": {
        "text": {"()": "motcua.core.logs.TextFormatter"},
        "json": {"()": "motcua.core.logs.json_formatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per request (core.middleware); MOTCUA_ACCESS_LOG=0 leaves it to nginx's log.
        "motcua.access": {} if env_bool("MOTCUA_ACCESS_LOG", True) else {"level": "WARNING"},
        # WeasyPrint logs each rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pyHanko logs a traceback for every untrusted upload, which verification reports itself.
        "pyhanko": {"level": "ERROR"},
    },
}
# Celery workers keep the logging above (the request id of the request that queued a task included).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# /metrics (Prometheus): readable from these addresses or networks, or with this bearer token.
MOTCUA_METRICS_ALLOWED_IPS = env_list("MOTCUA_METRICS_ALLOWED_IPS", "127.0.0.1")
MOTCUA_METRICS_TOKEN = os.environ.get("MOTCUA_METRICS_TOKEN", "")
# PROMETHEUS_MULTIPROC_DIR (read by prometheus_client itself, set by deploy/gunicorn.conf.py): the folder
# where the processes of one machine keep their metrics, so that a scrape adds them up (core.metrics).

# --- Payments -------------------------------------------------------------------------------------------
# A real merchant account's secret is in the environment variable its admin row names (the sandbox's demo
# merchant code and secret are above, with the sandbox gateway).
# How long a payer has to pay once they leave for the gateway (vnp_ExpireDate); then the payment expires.
MOTCUA_PAYMENT_EXPIRY_MINUTES = int(os.environ.get("MOTCUA_PAYMENT_EXPIRY_MINUTES", "15"))
# A bank transfer by VietQR stays pending until the bank statement that shows it is imported: the payer may
# transfer in the evening or at the weekend and the finance officer imports the statement on the next working
# day, so it needs days, not minutes (3 days = 4320 minutes covers a transfer made on a Friday evening).
MOTCUA_VIETQR_EXPIRY_MINUTES = int(os.environ.get("MOTCUA_VIETQR_EXPIRY_MINUTES", str(3 * 24 * 60)))

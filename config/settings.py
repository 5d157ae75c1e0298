"""Settings for the resolution workbench, read from the environment.

Development (the default) works with no environment at all: SQLite in the project folder,
DEBUG on, a throwaway secret key. Production (``DJANGO_ENV=production`` or ``DEBUG=0``)
refuses to start unless ``SECRET_KEY`` and ``ALLOWED_HOSTS`` are set, and turns on every
HTTPS protection that ``manage.py check --deploy`` asks for.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
import django
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from config.caches import cache_from_url, code_version, session_engine

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = os.environ.get("DJANGO_ENV", "").lower() == "production"
DEBUG = env_flag("DEBUG", default=not PRODUCTION)
if not DEBUG:
    PRODUCTION = True

if PRODUCTION:
    try:
        SECRET_KEY = os.environ["SECRET_KEY"]
        ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
    except KeyError as missing:
        raise ImproperlyConfigured(
            f"{missing.args[0]} must be set in the environment when running in production."
        ) from None
    if not SECRET_KEY or not ALLOWED_HOSTS:
        raise ImproperlyConfigured("SECRET_KEY and ALLOWED_HOSTS must not be empty in production.")
else:
    # Only ever used on a developer's machine: production refuses to start without its own.
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "csp",
    "axes",
    "resolutions",
]

MIDDLEWARE = [
    # First: it times the whole request, logs it, and answers 503 when the database is gone.
    "resolutions.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A NUL in the address gets a 400 page before anything can take it to the database.
    "resolutions.middleware.NullCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # What is made for a logged-in user is theirs alone: Cache-Control: private, no-store.
    "resolutions.middleware.PrivateResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks, so that it sees the result of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "resolutions.context_processors.inbox",
                "resolutions.context_processors.live_events",
            ],
            "builtins": ["template_partials.templatetags.partials"],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if env_flag("DATABASE_POOL", default=False) and DATABASES["default"]["ENGINE"].endswith(
    "postgresql"
):
    # Under ASGI (config/asgi.py turns this on) the pages run on the process's kept threads
    # and the event streams on one shared thread and in the event loop: connections come
    # from one pool of at most DATABASE_POOL_SIZE per process (psycopg_pool), taken for a
    # request and given back when it ends, so the streams and the pages share them.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": int(os.environ.get("DATABASE_POOL_SIZE", "10")),
        "timeout": 10,
    }
# Under ASGI, how many requests each app process serves at once (config/asgi.py); the
# others wait their turn in its event loop, and event streams are not counted.
# Behind a proxy that buffers requests and responses (deploy/nginx/workbench.conf): a slow
# client talking to the app directly would hold one of them while its body or page trickles.
_worker_threads = os.environ.get("WORKER_THREADS", "").strip() or "4"
if not _worker_threads.isdigit() or int(_worker_threads) < 1:
    raise ImproperlyConfigured(
        "WORKER_THREADS must be a whole number of requests each app process serves at once, "
        f"1 or more; it is {_worker_threads!r}."
    )
WORKER_THREADS = int(_worker_threads)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT compilation: PostgreSQL compiles a query whose estimated cost is high, and for
    # the margin of a paragraph with thousands of notes (sub-queries for who may read each)
    # compiling took 3.9 s of a query that then ran in 0.25 s (EXPLAIN ANALYZE, 100,000
    # notes). The app's queries are short; compiled code pays off only for long analyses.
    # Random reads priced as on an SSD with the data in memory (the default, 4, prices a
    # spinning disk): with it, PostgreSQL hashed the whole notes table to join each note of
    # one paragraph to its thread, rather than looking each thread up by its id (40 → 12 ms
    # for a margin's counts at 100,000 notes). And no parallel workers within one query:
    # the requests of many delegates at once already use every core, and starting workers
    # cost more than the short queries gain (55 → 20 ms for a margin's threads).
    # Added to any ``?options=`` the DATABASE_URL gives, which come last and so prevail.
    given = DATABASES["default"].setdefault("OPTIONS", {}).get("options", "")
    DATABASES["default"]["OPTIONS"]["options"] = (
        "-c jit=off -c random_page_cost=1.1 -c max_parallel_workers_per_gather=0 " + given
    ).strip()
    # Prepared statements: a query's values go to the server apart from its text, and a
    # query a connection has run DATABASE_PREPARE_THRESHOLD times is prepared: PostgreSQL
    # plans its first five runs with their values, then keeps one plan for that connection
    # if it costs no more, and every later request on the connection reuses it, whoever
    # the reader. Planning the visibility rules cost more than running them: 5.7 ms of
    # planning for 0.4 ms of running the header's unread count, on every page. Kept
    # connections (CONN_MAX_AGE, or the pool) keep their plans. DATABASE_PREPARE_THRESHOLD=off
    # sends values in the query's text and prepares nothing, as a PgBouncer in transaction
    # mode without prepared statements (before 1.21, or max_prepared_statements = 0) needs.
    prepare_threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "").strip().lower() or "5"
    if prepare_threshold != "off":
        if not prepare_threshold.isdigit() or int(prepare_threshold) < 1:
            raise ImproperlyConfigured(
                "DATABASE_PREPARE_THRESHOLD must be a whole number of runs, 1 or more, or "
                f"off; it is {prepare_threshold!r}."
            )
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(prepare_threshold)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the busy timeout makes a second writer
    # wait for the first instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not the in-memory default: concurrent requests in the tests then
    # meet the same locking (WAL, busy timeout) as a real server does. One file per test
    # run, so that two runs on one machine never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"workbench-test-{os.getpid()}.sqlite3")
    }

# The margins' and the notes list's queries are built and compiled once per process and
# shape, then run with each reader's values (resolutions/prepared.py).
# PREPARED_QUERIES_CHECK=1 builds each again on every run and fails when it differs from the
# one prepared; the tests turn it on.
PREPARED_QUERIES_CHECK = env_flag("PREPARED_QUERIES_CHECK", default=False)

# The cache holds only what can be worked out again (the reading page as rendered for each
# reader), under keys that change whenever their data change, so no process ever needs to
# tell another to forget something. CACHE_URL unset (or locmem://): each process keeps its
# own in memory, CACHE_MAX_ENTRIES at most, emptied by a restart. redis://host:port/db (or
# rediss:// for TLS): one Redis shared by every app process, so a page rendered by one
# server is served by the others. dummy:// caches nothing. Keys start with CACHE_KEY_PREFIX,
# so that several apps can share one Redis, then with a digest of this release's code and
# templates, so that servers running two releases during a deploy never take each other's
# entries.
CACHES = {
    "default": cache_from_url(
        os.environ.get("CACHE_URL", "").strip(),
        key_prefix=":".join(
            [
                os.environ.get("CACHE_KEY_PREFIX", "").strip() or "workbench",
                code_version(
                    BASE_DIR / "resolutions",
                    BASE_DIR / "templates",
                    BASE_DIR / "static",
                    extra=django.get_version(),
                ),
            ]
        ),
        max_entries=int(os.environ.get("CACHE_MAX_ENTRIES", "2000")),
    ),
    # What depends on the release and the settings alone (the layout's links to static
    # files and to the site's sections), kept by each process for its whole life.
    "process": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "process",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
    # Pages the same for every reader but the header, kept whole for each reader by each
    # process (``pages.shared.reader_page``): a few tens of kilobytes each.
    "reader_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "reader-pages",
        "TIMEOUT": 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("READER_PAGES_KEPT", "500"))},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "resolutions.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "resolutions.backends.DelegateBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "resolutions:home"
LOGOUT_REDIRECT_URL = "resolutions:home"

# Sessions live in the database (SESSION_STORE=db, the default), so any app process behind
# a load balancer can serve any request; SESSION_STORE=cache keeps them in the cache only
# (a Redis restart logs everyone out) and cached_db in both. Production refuses either of
# the last two on a cache that is each process's own.
SESSION_ENGINE = session_engine(
    os.environ.get("SESSION_STORE", ""), CACHES["default"], production=PRODUCTION
)
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# How many proxies in front of the app add the address they were reached from to
# X-Forwarded-For: `make serve` sets 1, for its TLS proxy. 0 (the default) means clients
# connect to the app itself, and X-Forwarded-For, which anyone can send, is never read.
_trusted_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "").strip() or "0"
if not _trusted_proxies.isdecimal():
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT must be a whole number of proxies: 0 when clients connect to the "
        "app directly, 1 behind one proxy that adds to X-Forwarded-For."
    )
TRUSTED_PROXY_COUNT = int(_trusted_proxies)

# Locks an account out from one address after five failed logins, for fifteen minutes from
# the fifth: the same account from any other address, and any other account from that
# address, still get in. A try during the lock is refused without being counted, so it
# cannot make the lock last longer. The address comes through the trusted proxies.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "resolutions.login_attempts.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Over-long usernames are cut before axes records them (its column holds 255 characters).
AXES_USERNAME_CALLABLE = "resolutions.login_attempts.attempted_username"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # A nonce lets a printable page name itself in its running header (@page rules),
        # without allowing any other inline style.
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "resolutions.views.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [
        origin.strip()
        for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
        if origin.strip()
    ]

# E-mail: printed on stdout (Django's console backend) until a mail server is named; then
# sent by SMTP. The address in every link an e-mail holds is SITE_URL's.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "workbench@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# An e-mail sent at once is sent while the request that caused it is answered: a mail
# server that does not answer must not hold the delegate's page for longer than this.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# One line of JSON per record, on stdout, where a process manager or a container runtime
# collects it. Each request is logged once by resolutions.middleware (request id, user id,
# method, path, status, duration); request bodies, query strings and SQL parameters never
# are, so neither notes nor passwords reach the logs. The secret in a private calendar
# address is taken out of every path logged (resolutions.redaction): by the access log
# itself, and by a filter on each of Django's loggers that print one ("Not Found: /...")
# and on the console handler, for any other record it writes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "resolutions.middleware.JsonFormatter"}},
    "filters": {"secrets": {"()": "resolutions.redaction.RedactSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Through the root handler only: Django's own console handler would repeat each line.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A logger's filters see only its own records, not its children's: each is named.
        "django.request": {"filters": ["secrets"]},
        "django.security.csrf": {"filters": ["secrets"]},
        # At DEBUG this logger writes every SQL statement with its parameters: note texts.
        "django.db.backends": {"level": "WARNING"},
        # The runserver's own access line would repeat ours.
        "django.server": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
            "filters": ["secrets"],
        },
    },
}

AXES_VERBOSE = False

"""Kompass settings: everything that differs between machines comes from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kompass_site.env import env, env_bool, env_choice, env_int, env_list, env_rate

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "kompass_site.apps.KompassStaticFilesConfig",  # django.contrib.staticfiles
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "django_tables2",
    "simple_history",
    "corsheaders",
    "axes",
    "django_otp",
    "kompass_site.apps.AuthenticatorAppsConfig",  # django_otp.plugins.otp_totp
    "kompass_site.apps.RecoveryCodesConfig",  # django_otp.plugins.otp_static
    "evaluations",
    "comparisons",
    "api",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The language from the address: /en/… English, everything else Swedish (kompass_site/urls.py).
    # First, so that every answer is in it (the cached pages, the 400 and 413 pages), never in the
    # language this thread's previous request left active. It reads no session.
    "django.middleware.locale.LocaleMiddleware",
    # Before anything that answers on its own (a 400, a 429), so those carry CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "kompass_site.middleware.RequestSizeLimitMiddleware",
    "kompass_site.middleware.RejectControlCharactersMiddleware",
    # Whole public pages stored compressed, so above the compression (kompass_site/caching.py).
    "kompass_site.caching.PublicPageCacheMiddleware",
    # Brotli or gzip (kompass_site/compression.py).
    "kompass_site.compression.CompressionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor login (kompass_site/twofactor/): which device verified the session, and the
    # end of a session that should have been verified and was not.
    "django_otp.middleware.OTPMiddleware",
    "kompass_site.twofactor.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kompass_site.middleware.ContentSecurityPolicyMiddleware",
    "kompass_site.middleware.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kompass_site.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns its lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kompass_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "kompass_site.languages.language_links",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "kompass_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        # A connection that died with a database restart is replaced before the request uses it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "kompass_site.db.postgresql"
    # PostgreSQL compiles a query it estimates costly (JIT): worth it for an analysis running
    # for minutes, not for a page's. It added 35 ms to the start page's 20 ms query at 10,000
    # evaluations. Options the address gives (`?options=...`) come after, so they win.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"-c jit=off {_options.get('options', '')}".strip()
# How long a new connection is retried while PostgreSQL restarts, before the 503 page.
DATABASE_CONNECT_RETRY_SECONDS = env_int("DATABASE_CONNECT_RETRY_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Public pages and derived figures are cached under the data version (kompass_site/caching.py):
# in each process's memory by default, in Redis (shared by every app server) with REDIS_URL.
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    )
    | {"KEY_PREFIX": env("CACHE_KEY_PREFIX", "kompass")}
}
# Derived figures (means, rankings: `per_data_version`) in files that every process of the
# machine shares, so that those computed once after a publish (comparisons/warming.py) serve
# every worker; in Redis too with REDIS_URL.
FIGURE_CACHE_DIR = env("FIGURE_CACHE_DIR", str(BASE_DIR / "var" / "figures"))
CACHES["figures"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": FIGURE_CACHE_DIR,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
) | {"KEY_PREFIX": env("CACHE_KEY_PREFIX", "kompass")}
# Entries are keyed on the data version, so these only bound how long old ones linger.
PAGE_CACHE_SECONDS = DERIVED_CACHE_SECONDS = 24 * 3600
# How long browsers and proxies may keep a public page before asking again (ETag, 304).
PUBLIC_MAX_AGE = int(env("PUBLIC_MAX_AGE", "300"))
# Rewritten once every change of public data is committed, so that every process of this
# machine reads the data version again (evaluations/dataversion.py; with REDIS_URL the stamp is
# kept in Redis instead). Every process that changes data (the service, manage.py) writes it.
DATA_VERSION_STAMP = Path(env("DATA_VERSION_STAMP", str(BASE_DIR / "var" / "dataversion.stamp")))
# Full downloads, built once per data version (kompass_site/prebuilt.py).
DOWNLOADS_ROOT = Path(env("DOWNLOADS_ROOT", str(BASE_DIR / "var" / "downloads")))
# After each committed change of the data, a thread of the process that made it builds the full
# downloads of the new version (opendata/prebuild.py), so that no visitor waits for them. On in
# production, off with DEBUG and in tests unless a test turns it on.
PREBUILD_AFTER_CHANGE = env_bool("PREBUILD_AFTER_CHANGE", not DEBUG)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Swedish first: Swedish at /, English under /en/, whatever language the browser asks for;
# the translations are locale/<language>/LC_MESSAGES/django.po, compiled by `make static`.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Where `make backup` (manage.py backup) writes.
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "backups")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "kompass_site.storage.IncrementalCompressedManifestStorage",
        )
    },
}
# Without a collected, hashed STATIC_ROOT (development, tests) WhiteNoise serves from the finders.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)

# Security: production (DEBUG off) gets the strict defaults; each can be relaxed from the
# environment for a deployment that terminates TLS elsewhere.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer or monitor may ask gunicorn for /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of ours uses, refused for the page and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# Sessions are for staff only (public pages set no cookie): a working day, then log in again.
SESSION_COOKIE_AGE = 9 * 60 * 60
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Staff login throttled by django-axes: an account, and an address, is locked after
# LOGIN_FAILURE_LIMIT failures for LOGIN_LOCKOUT_MINUTES (each further failure restarts the
# time). A locked login is refused before its password is hashed. Superusers see the attempts
# and lift a lockout in the admin (Axes → Access attempts: delete the row). nginx also allows
# only 10 login POSTs a minute per address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kompass_site.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kompass_site.throttling.client_ip"
# The failure log line names the account and the address (axes masks both by default): the
# operator needs them to see an attack. The password is never logged or stored.
AXES_SENSITIVE_PARAMETERS: list[str] = []

# Two-factor login (kompass_site/twofactor/, django-otp): with TWO_FACTOR_REQUIRED (on unless
# DEBUG) every account that may publish (Publicerare, superusers) gives a code from an
# authenticator app, or a recovery code, after its password; wrong codes count as failed
# logins above.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Kompass"

# Request bodies: nginx refuses more than 2 MB (client_max_body_size); Django refuses a larger
# Content-Length with 413 before reading it (RequestSizeLimitMiddleware), and keeps what it
# accepts in memory, so no upload is spooled to disk. The report upload's own limit is 1 MB.
MAX_REQUEST_BYTES = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

# Second person: whoever last edited a draft cannot publish it alone; another Publicerare must.
# On in production, off with DEBUG (one person developing) and in tests unless a test turns it on.
PUBLISH_NEEDS_SECOND_PERSON = env_bool("PUBLISH_NEEDS_SECOND_PERSON", not DEBUG)

# A 500 is logged with its traceback (stderr); with ADMINS set it is also mailed to them.
ADMINS = [(address, address) for address in env_list("ADMINS")]
SERVER_EMAIL = env("SERVER_EMAIL", "root@localhost")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)

# Open data (issue 14): the API and the full downloads may be read by scripts on any site.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api/v1|data)/"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
CORS_PREFLIGHT_MAX_AGE = 86400
# Requests per client IP address to /api/v1/; the client is the address that the last of
# NUM_PROXIES reverse proxies (nginx: 1) put in X-Forwarded-For, else REMOTE_ADDR.
API_RATE_LIMIT = env_rate("API_RATE_LIMIT", "120/min")
NINJA_NUM_PROXIES = env_int("NUM_PROXIES", 0)
# The full downloads and preview images, built once per data version (opendata/).
OPEN_DATA_DIR = Path(env("OPEN_DATA_DIR", str(BASE_DIR / "var" / "open-data")))
# The site's public address, for files made outside a request (manage.py build_open_data).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
# Where visitors write about accessibility and personal data (/om/); without it, "SKR".
CONTACT_EMAIL = env("CONTACT_EMAIL")
# Preview images are drawn by plotly's own image export (kaleido) in this browser.
CHROMIUM_PATH = env("CHROMIUM_PATH", "/usr/bin/chromium")

LOG_LEVEL = env_choice("LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s: %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        # stderr: journald adds the time. The handler's level is LOG_LEVEL, so records that
        # propagate from Django's loggers obey it too.
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "level": LOG_LEVEL},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's default handlers (a second console handler under DEBUG): every
        # record reaches the console once, through the root.
        "django": {"handlers": ["mail_admins"], "propagate": True},
        # One line per request is gunicorn's access log; Django's would repeat each 4xx.
        "django.request": {"level": "ERROR"},
        # runserver's request lines (make serve), as Django's default has them.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# /.well-known/security.txt (RFC 9116) lists these, e.g. mailto:security@kompass.example.se;
# without one it is a 404.
SECURITY_CONTACTS = env_list("SECURITY_CONTACT")

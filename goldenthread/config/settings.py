"""One settings file; everything that differs between machines comes from the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONCE

from goldenthread.config.env import env_bool, env_int, env_list, env_str, generated_secret

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("GOLDENTHREAD_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "") or generated_secret(VAR_DIR / "secret_key")
# Keys the pseudonyms in analysts' exports; separate from SECRET_KEY so either can rotate.
PSEUDONYM_KEY = env_str("PSEUDONYM_KEY", "") or generated_secret(VAR_DIR / "pseudonym_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "goldenthread.core",
    "goldenthread.accounts",
    "goldenthread.audit",
    "goldenthread.reference",
    "goldenthread.records",
    "goldenthread.access",
    "goldenthread.casework",
    "goldenthread.ssd",
    "goldenthread.analytics",
    "goldenthread.returns",
    "goldenthread.web",
    "goldenthread.synth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "goldenthread.web.middleware.OneTransactionPerRequest",  # wraps the session save too
    "django.contrib.sessions.middleware.SessionMiddleware",
    "goldenthread.web.middleware.IdleTimeout",  # saves the session once a minute, not always
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "goldenthread.web.middleware.SecurityHeadersMiddleware",
    # Last, so a locked-out sign-in is answered before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "goldenthread.config.urls"
WSGI_APPLICATION = "goldenthread.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "goldenthread" / "web" / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "goldenthread.web.jinja2env.environment",
                    "context_processors": ["goldenthread.web.context.csp",
                                           "goldenthread.web.context.shell"]},
    },
]


def _database() -> dict[str, object]:
    default_sqlite = f"sqlite:///{VAR_DIR / 'goldenthread.sqlite3'}"
    config: dict[str, object] = dict(dj_database_url.parse(
        env_str("DATABASE_URL", default_sqlite), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at the start
        # of a transaction so two writers queue instead of failing half-way.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;",
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out sign-ins first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# Two-factor sign-in (TOTP). The local demo may turn it off; production never should.
OTP_REQUIRED = env_bool("GOLDENTHREAD_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "goldenthread"

# Lock-out after repeated failures (django-axes): 5 failures from one address, or against
# one username, lock it for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from it once collected
_GOVUK_DIST = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
_MOJ_DIST = BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj"
# npm's GOV.UK and MOJ Frontend builds, as /static/govuk/ and /static/moj/; our own CSS and
# the script that starts both are in goldenthread/web/static/goldenthread/.
STATICFILES_DIRS = [(prefix, path) for prefix, path in (("govuk", _GOVUK_DIST),
                                                        ("moj", _MOJ_DIST)) if path.exists()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Served over HTTPS in production; GOLDENTHREAD_HTTPS=0 for the local demo on plain http.
HTTPS = env_bool("GOLDENTHREAD_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ENGINE = "goldenthread.web.sessions"  # Django's db sessions, read without the ORM
# The age above is an idle timeout: web.middleware.IdleTimeout saves a signed-in session
# again (pushing its expiry on) once this many seconds have passed since its last save,
# rather than on every request (one UPDATE a page). A session so ends between AGE - REFRESH
# and AGE seconds after the last request: never later than AGE.
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# A strict Content-Security-Policy: our own scripts and styles only; the one inline script
# (GOV.UK's js-enabled class) carries a per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# The local authority this installation serves (DfE 3-digit LA number and ONS code).
LA_CODE = env_str("GOLDENTHREAD_LA_CODE", "352")
LA_ONS_CODE = env_str("GOLDENTHREAD_LA_ONS_CODE", "E08000003")
LA_NAME = env_str("GOLDENTHREAD_LA_NAME", "Synthetic City Council")

"""Configuration read from the environment, with safe defaults for the embedded set-up."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("HELPLINE_INSTANCE_DIR", PROJECT_ROOT / "instance"))


def database_url(raw: str | None) -> str:
    """Return the SQLAlchemy URL for DATABASE_URL, defaulting to the embedded SQLite file."""
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'helpline.db'}"
    # psycopg 3 is the driver we ship; accept the usual postgres:// spellings.
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or a random key kept in the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings of a running helpline app."""

    SECRET_KEY = None  # filled in by load()
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    LANGUAGES = ("fr", "en")
    TIMEZONE = "Europe/Brussels"
    PHONE_REGION = "BE"
    WTF_CSRF_TIME_LIMIT = None  # a call can last long; the session bounds the token instead
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
    TRIAGE_RULES_DIR = os.environ.get("TRIAGE_RULES_DIR")  # None: the shipped rule set
    REFERRAL_ANSWER_DAYS = int(os.environ.get("REFERRAL_ANSWER_DAYS", "7"))
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID")
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN")
    TWILIO_PHONE_NUMBER = os.environ.get("TWILIO_PHONE_NUMBER")
    REDIS_URL = os.environ.get("REDIS_URL")
    # Unanswered attempts to call a missed caller back before the callback is marked unreachable.
    CALLBACK_MAX_ATTEMPTS = int(os.environ.get("CALLBACK_MAX_ATTEMPTS", "3"))
    # E-mail through SMTP; without MAIL_SERVER the app is in console mode (messages kept, shown
    # on /mail/console, never sent).
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _flag("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "helpline@localhost")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "20"))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "6"))  # then the message is failed
    MAIL_RETRY_MINUTES = int(os.environ.get("MAIL_RETRY_MINUTES", "5"))  # doubled after each failure
    # The base of every link sent out (the structure's answer page).
    HELPLINE_PUBLIC_URL = os.environ.get("HELPLINE_PUBLIC_URL", "http://127.0.0.1:5000")
    HELPLINE_CONTACT_PHONE = os.environ.get("HELPLINE_CONTACT_PHONE", "+32 2 000 00 00")
    REFERRAL_LINK_DAYS = int(os.environ.get("REFERRAL_LINK_DAYS", "60"))  # an answer link lasts this long
    STRUCTURE_CONFIRM_DAYS = int(os.environ.get("STRUCTURE_CONFIRM_DAYS", "180"))  # details older: stale

    @classmethod
    def load(cls) -> dict:
        """Return this configuration as a mapping, resolving values that need the environment."""
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        values["SECRET_KEY"] = _secret_key()
        values["SQLALCHEMY_DATABASE_URI"] = database_url(os.environ.get("DATABASE_URL"))
        return values


class TestConfig(Config):
    """Settings for the test suite: the database URL is given by the fixtures."""

    TESTING = True
    SECRET_KEY_FOR_TESTS = "test-secret-key"

    @classmethod
    def load(cls) -> dict:
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        values["SECRET_KEY"] = cls.SECRET_KEY_FOR_TESTS
        values["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        return values

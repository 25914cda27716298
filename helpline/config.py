"""The helpline's settings: every environment variable it reads, with its type and default.

`Config.load()` reads the environment once, when `create_app` runs (never at import), and parses
each variable to its type; a bad value stops the start with a `SettingError` naming the variable
and the value. `TestConfig` gives the suite the defaults without reading the environment. The
README's configuration table is generated from `SETTINGS` (`python -m helpline.config`) and a test
checks it is up to date.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingError(ValueError):
    """An environment variable whose value cannot be used, named in the message."""


def whole_number(raw: str) -> int:
    """Parse a whole number (0 or more)."""
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError("expected a whole number") from None
    if value < 0:
        raise ValueError("expected a whole number (0 or more)")
    return value


def positive_number(raw: str) -> int:
    """Parse a whole number of at least 1."""
    value = whole_number(raw)
    if value < 1:
        raise ValueError("expected a whole number of at least 1")
    return value


_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off", ""}


def flag(raw: str) -> bool:
    """Parse a yes/no setting (1/0, true/false, yes/no, on/off)."""
    value = raw.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError("expected 1 or 0 (yes/no, true/false, on/off)")


def text(raw: str) -> str:
    """Keep the value as it is, without surrounding spaces."""
    return raw.strip()


def optional_text(raw: str) -> str | None:
    """Keep the value, an empty one meaning 'not set'."""
    return raw.strip() or None


def rate_limit(raw: str) -> str:
    """Check a Flask-Limiter rate ('10 per minute;50 per hour')."""
    from limits import parse_many

    try:
        parse_many(raw)
    except ValueError:
        raise ValueError("expected a rate such as '10 per minute;50 per hour'") from None
    return raw.strip()


def database_url(raw: str | None, instance_dir: Path | None = None) -> str:
    """Return the SQLAlchemy URL for DATABASE_URL, defaulting to the embedded SQLite file."""
    if not raw:
        return f"sqlite:///{(instance_dir or PROJECT_ROOT / 'instance') / 'helpline.db'}"
    # psycopg 3 is the driver we ship; accept the usual postgres:// spellings.
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


@dataclass(frozen=True)
class Setting:
    """One environment variable: its parser, its default, and what the README says about it."""

    name: str
    parse: Callable[[str], Any]
    default: Any
    meaning: str
    shown_default: str = ""  # the README's words for the default, when the value does not say it

    def read(self, environ: Mapping[str, str]) -> Any:
        """Return the parsed value from environ, or the default when it is not set."""
        raw = environ.get(self.name)
        if raw is None:
            return self.default
        try:
            return self.parse(raw)
        except ValueError as exc:
            raise SettingError(f"{self.name}: {exc}, got {raw!r}") from None

    def default_text(self) -> str:
        """Return the default as the README shows it."""
        if self.shown_default:
            return self.shown_default
        if isinstance(self.default, bool):
            return f"`{int(self.default)}`"
        return "absent" if self.default is None else f"`{self.default}`"


SETTINGS: tuple[Setting, ...] = (
    # Where the app keeps its state
    Setting(
        "DATABASE_URL",
        optional_text,
        None,
        "SQLAlchemy URL of the database, e.g. `postgresql://user@host:5432/helpline`",
        "`sqlite:///instance/helpline.db`",
    ),
    Setting(
        "SECRET_KEY",
        optional_text,
        None,
        "signs sessions and CSRF tokens; **set it in production** (the same on every node)",
        "a random key kept in `instance/secret_key`",
    ),
    Setting(
        "HELPLINE_INSTANCE_DIR",
        optional_text,
        None,
        "folder of the embedded database, the generated secret key, backups and candidate rule sets",
        "`instance/` in the checkout",
    ),
    # A database that fails or hangs: the app answers 503 within these bounds (helpline/database.py).
    Setting("DATABASE_CONNECT_TIMEOUT", positive_number, 3, "seconds to wait for a database connection"),
    Setting("DATABASE_STATEMENT_TIMEOUT", positive_number, 10, "seconds one SQL statement may run (PostgreSQL)"),
    Setting(
        "DATABASE_PING_TIMEOUT",
        positive_number,
        2,
        "seconds a pooled connection has to answer before it is replaced (PostgreSQL)",
    ),
    Setting(
        "REDIS_URL",
        optional_text,
        None,
        "Redis for the job queue (RQ) and the rate limits shared by every process and node",
        "absent: jobs run in-process (`helpline jobs run-due`), limits in each process's memory",
    ),
    Setting(
        "RATELIMIT_KEY_PREFIX",
        text,
        "helpline",
        "prefix of the rate-limit keys in Redis (one per installation sharing a Redis)",
    ),
    # Serving
    Setting(
        "TRUSTED_PROXIES",
        whole_number,
        0,
        "number of reverse proxies in front of the app whose `X-Forwarded-For/-Proto/-Host/-Port` "
        "are believed (1 behind one nginx); client address, URLs and webhook signatures use them",
    ),
    Setting(
        "TWILIO_TRUSTED_PROXIES",
        whole_number,
        None,
        "deprecated alias of `TRUSTED_PROXIES`, used when that one is not set",
    ),
    Setting("SESSION_COOKIE_SECURE", flag, False, "`1` when served over HTTPS (secure cookies and HSTS)"),
    Setting("WEB_WORKERS", positive_number, 2, "gunicorn worker processes started by `make serve`"),
    # Sessions and login
    Setting("IDLE_TIMEOUT_MINUTES", positive_number, 30, "minutes without a request before a session ends"),
    Setting("PASSWORD_RESET_HOURS", positive_number, 24, "hours a password reset link lasts"),
    Setting("SESSION_MAX_HOURS", positive_number, 12, "hours after login when a session ends, however active"),
    Setting(
        "LOGIN_RATE_LIMIT",
        rate_limit,
        "10 per minute;50 per hour",
        "failed login attempts allowed per account, then even the right password waits "
        "(shared by every process with Redis)",
    ),
    Setting(
        "LOGIN_ADDRESS_RATE_LIMIT",
        rate_limit,
        "60 per minute;300 per hour",
        "login attempts allowed per client address (looser: a team may share one address)",
    ),
    # Triage and referrals
    Setting(
        "TRIAGE_RULES_DIR",
        optional_text,
        None,
        "folder of the triage rule set to use",
        "the shipped rule set (`triage_rules/rulesets/default`)",
    ),
    Setting(
        "TRIAGE_CANDIDATES_DIR",
        optional_text,
        None,
        "folder of the candidate rule sets (admin page)",
        "`rulesets/` in the instance folder",
    ),
    Setting("REFERRAL_ANSWER_DAYS", whole_number, 7, "days a structure has to answer a referral"),
    Setting(
        "ANSWER_RATE_LIMIT",
        rate_limit,
        "30 per minute;300 per day",
        "requests per client address on the structures' answer pages",
    ),
    # Follow-ups
    Setting(
        "FOLLOWUP_MAX_ATTEMPTS",
        positive_number,
        3,
        "attempts to reach a person before the follow-up is marked unreachable",
    ),
    Setting("FOLLOWUP_RETRY_WINDOW_DAYS", positive_number, 7, "days the attempts are spread over"),
    Setting("FOLLOWUP_CLAIM_MINUTES", positive_number, 120, "minutes after which an unfinished claim is released"),
    Setting("FOLLOWUP_QUEUE", text, "helpline-followups", "the RQ queue name when `REDIS_URL` is set"),
    # Mail and links sent out
    Setting(
        "MAIL_SERVER",
        optional_text,
        None,
        "SMTP server for e-mail",
        "absent: console mode (messages kept and shown on `/mail/console`, never sent)",
    ),
    Setting("MAIL_PORT", positive_number, 25, "SMTP port"),
    Setting("MAIL_USE_TLS", flag, False, "`1` for STARTTLS"),
    Setting("MAIL_USE_SSL", flag, False, "`1` for SMTP over TLS"),
    Setting("MAIL_USERNAME", optional_text, None, "SMTP login"),
    Setting("MAIL_PASSWORD", optional_text, None, "SMTP password"),
    Setting("MAIL_DEFAULT_SENDER", text, "helpline@localhost", "the From address of e-mail"),
    Setting("MAIL_TIMEOUT", positive_number, 20, "seconds before an SMTP connection gives up"),
    Setting("MAIL_MAX_ATTEMPTS", positive_number, 6, "attempts to send a message before it is marked failed"),
    Setting("MAIL_RETRY_MINUTES", positive_number, 5, "minutes before the first retry (doubled after each failure)"),
    Setting("HELPLINE_PUBLIC_URL", text, "http://127.0.0.1:5000", "the base of every link sent out (answer pages)"),
    Setting("HELPLINE_CONTACT_PHONE", text, "+32 2 000 00 00", "the helpline's number shown to structures"),
    Setting("REFERRAL_LINK_DAYS", positive_number, 60, "days a structure's answer link lasts"),
    Setting("STRUCTURE_CONFIRM_DAYS", positive_number, 180, "days after which a structure's details are stale"),
    Setting(
        "CALLBACK_MAX_ATTEMPTS",
        positive_number,
        3,
        "unanswered attempts to call a missed caller back before the callback is marked unreachable",
    ),
    # Case management
    Setting(
        "CASE_REASSESSMENT_MONTHS",
        positive_number,
        6,
        "months after which a case is reassessed, even when nothing happens",
    ),
    Setting(
        "CASE_PLAN_REVIEW_MONTHS",
        positive_number,
        3,
        "months after which the service plan is reviewed with the person (the next review date proposed)",
    ),
    Setting("CASE_REOPEN_MONTHS", positive_number, 6, "months after its closure during which a case can be reopened"),
    # Privacy
    Setting(
        "ERASURE_LEDGER",
        optional_text,
        None,
        "file where erasures are noted (person ids and dates only) so a restore applies them again",
        "`erasures.log` in the instance folder",
    ),
    Setting(
        "READ_ALERT_PER_HOUR",
        whole_number,
        100,
        "records one user opens in an hour before the coordinators are notified (0: never)",
    ),
    Setting("SEARCH_RATE_LIMIT", rate_limit, "30 per minute;300 per hour", "person searches one user may make"),
    Setting("RETENTION_MONTHS", positive_number, 60, "months after the last contact before a person is pseudonymised"),
    Setting(
        "BACKUP_DIR", optional_text, None, "folder `helpline backup` writes to", "`backups/` in the instance folder"
    ),
    # Telephony
    Setting(
        "TWILIO_ACCOUNT_SID", optional_text, None, "Twilio account", "absent: console mode, nothing leaves the machine"
    ),
    Setting("TWILIO_AUTH_TOKEN", optional_text, None, "Twilio auth token (signs the webhooks)", "absent: console mode"),
    Setting("TWILIO_PHONE_NUMBER", optional_text, None, "the helpline's Twilio number", "absent: console mode"),
    Setting(
        "TWILIO_API_BASE_URL",
        optional_text,
        None,
        "another base URL for Twilio's REST API (tests, regions)",
        "Twilio's",
    ),
    Setting("TWILIO_QUEUE_NAME", text, "infirmieres", "the Twilio queue callers wait in"),
    Setting(
        "TELEPHONY_PUBLIC_URL",
        optional_text,
        None,
        "public base URL Twilio calls (webhook URLs and signatures); overrides the proxy headers",
        "rebuilt from the request (and `TRUSTED_PROXIES`)",
    ),
    Setting("HELPLINE_OPENING_HOURS", text, "mon-fri 09:00-17:00", "when calls go to the nurses' queue"),
    Setting("VOICEMAIL_ENABLED", flag, False, "`1` to offer voicemail after hours"),
    Setting("TRANSFER_RING_SECONDS", positive_number, 25, "seconds a warm transfer rings before giving up"),
    Setting(
        "TELEPHONY_INBOUND_SYNCHRONOUS_COMMIT",
        flag,
        False,
        "`1` to wait for PostgreSQL's disk flush when recording an inbound call",
    ),
)


def _secret_key(instance_dir: Path) -> str:
    """Return a random key kept in the instance folder, created on first use."""
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def read_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return every setting of SETTINGS parsed from environ (the process environment by default)."""
    environ = os.environ if environ is None else environ
    return {setting.name: setting.read(environ) for setting in SETTINGS}


def read_setting(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """Return one setting parsed from environ (for a command that does not build the app)."""
    setting = next(s for s in SETTINGS if s.name == name)
    return setting.read(os.environ if environ is None else environ)


class Config:
    """Settings of a running helpline app: fixed values here, the environment's in `load()`."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    LANGUAGES = ("fr", "en")
    TIMEZONE = "Europe/Brussels"
    PHONE_REGION = "BE"
    WTF_CSRF_TIME_LIMIT = None  # a call can last long; the session bounds the token instead
    SESSION_COOKIE_HTTPONLY = True
    # Bounds on one request (a 100 MB form was once parsed in full): the HSDS import is the largest upload.
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 500_000  # one form field
    MAX_FORM_PARTS = 1_000
    SESSION_COOKIE_SAMESITE = "Lax"
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # A moving window: "10 per minute" means any 60 seconds, not a count reset on the minute.
    RATELIMIT_STRATEGY = "moving-window"

    @classmethod
    def fixed(cls) -> dict[str, Any]:
        """Return the values that do not come from the environment."""
        return {k: getattr(cls, k) for k in dir(cls) if k.isupper()}

    @classmethod
    def raw(cls, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Return the fixed values and the environment's, before `resolve`."""
        return {**cls.fixed(), **read_environment(environ)}

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Return the settings, reading the environment now."""
        return cls.resolve(cls.raw(environ))

    @staticmethod
    def resolve(values: dict[str, Any]) -> dict[str, Any]:
        """Fill in the values that depend on others (paths, URLs, aliases)."""
        instance_dir = Path(values.get("HELPLINE_INSTANCE_DIR") or PROJECT_ROOT / "instance")
        values["HELPLINE_INSTANCE_DIR"] = str(instance_dir)
        if not values.get("SQLALCHEMY_DATABASE_URI"):
            values["SQLALCHEMY_DATABASE_URI"] = database_url(values.get("DATABASE_URL"), instance_dir)
        if not values.get("SECRET_KEY"):
            values["SECRET_KEY"] = _secret_key(instance_dir)
        if values.get("TRUSTED_PROXIES") == 0 and values.get("TWILIO_TRUSTED_PROXIES"):
            values["TRUSTED_PROXIES"] = values["TWILIO_TRUSTED_PROXIES"]
        # Limits live where the jobs do: shared by every process with Redis, per process without.
        values.setdefault("RATELIMIT_STORAGE_URI", values.get("REDIS_URL") or "memory://")
        values.setdefault("RATELIMIT_KEY_PREFIX", "helpline")
        if not values.get("ERASURE_LEDGER") and not values.get("TESTING"):  # the suite names one when it needs it
            values["ERASURE_LEDGER"] = str(instance_dir / "erasures.log")
        values["REMEMBER_COOKIE_HTTPONLY"] = True
        values["REMEMBER_COOKIE_SAMESITE"] = values.get("SESSION_COOKIE_SAMESITE", "Lax")
        values["REMEMBER_COOKIE_SECURE"] = bool(values.get("SESSION_COOKIE_SECURE"))
        return values


class TestConfig(Config):
    """Settings for the test suite: the defaults, never the environment; the fixtures give the database."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # The suite logs in many times from one address: tests that check the limits switch them on.
    RATELIMIT_ENABLED = False

    @classmethod
    def raw(cls, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Return the defaults (or an environment given explicitly) under the tests' fixed values."""
        return {**read_environment(environ or {}), **cls.fixed()}


def settings_for(overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return the app's settings: the environment's (or the tests' defaults) with overrides."""
    if overrides is None:
        return Config.load()
    base = TestConfig if overrides.get("TESTING") else Config
    return Config.resolve({**base.raw(), **overrides})


def markdown_table() -> str:
    """Return the README's configuration table."""
    rows = ["| variable | meaning | default |", "| --- | --- | --- |"]
    rows += [f"| `{s.name}` | {s.meaning} | {s.default_text()} |" for s in SETTINGS]
    return "\n".join(rows)


if __name__ == "__main__":  # python -m helpline.config > the README's table
    print(markdown_table())

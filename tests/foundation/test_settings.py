"""The settings module: every variable declared once, parsed at create_app with an error naming it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpline import create_app
from helpline.config import SETTINGS, Config, SettingError, TestConfig, markdown_table

ROOT = Path(__file__).resolve().parents[2]


def _production_app(tmp_path, **overrides):
    """Create an app that reads the environment (not the tests' defaults), on a throw-away database."""
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", **overrides})


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """Start from an environment without any helpline setting."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    monkeypatch.setenv("HELPLINE_INSTANCE_DIR", str(tmp_path / "instance"))
    return monkeypatch


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("REFERRAL_ANSWER_DAYS", "abc", "REFERRAL_ANSWER_DAYS: expected a whole number, got 'abc'"),
        ("TRUSTED_PROXIES", "-1", "TRUSTED_PROXIES: expected a whole number (0 or more), got '-1'"),
        ("WEB_WORKERS", "0", "WEB_WORKERS: expected a whole number of at least 1, got '0'"),
        (
            "SESSION_COOKIE_SECURE",
            "maybe",
            "SESSION_COOKIE_SECURE: expected 1 or 0 (yes/no, true/false, on/off), got 'maybe'",
        ),
        (
            "LOGIN_RATE_LIMIT",
            "ten a minute",
            "LOGIN_RATE_LIMIT: expected a rate such as '10 per minute;50 per hour', got 'ten a minute'",
        ),
    ],
)
def test_a_bad_value_stops_the_start_naming_the_variable_and_the_value(environment, tmp_path, name, value, message):
    environment.setenv(name, value)
    with pytest.raises(SettingError) as error:
        _production_app(tmp_path)
    assert str(error.value) == message


def test_settings_are_read_when_the_app_is_created_not_at_import(environment, tmp_path):
    environment.setenv("SESSION_COOKIE_SECURE", "1")
    environment.setenv("REFERRAL_ANSWER_DAYS", "12")
    environment.setenv("TRUSTED_PROXIES", "1")
    app = _production_app(tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["REFERRAL_ANSWER_DAYS"] == 12 and app.config["TRUSTED_PROXIES"] == 1
    environment.setenv("SESSION_COOKIE_SECURE", "0")
    assert _production_app(tmp_path).config["SESSION_COOKIE_SECURE"] is False


def test_overrides_given_to_create_app_win_over_the_environment(environment, tmp_path):
    environment.setenv("REFERRAL_ANSWER_DAYS", "12")
    assert _production_app(tmp_path, REFERRAL_ANSWER_DAYS=3).config["REFERRAL_ANSWER_DAYS"] == 3


def test_the_tests_settings_ignore_the_environment(environment, tmp_path):
    environment.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    environment.setenv("REFERRAL_ANSWER_DAYS", "abc")
    values = TestConfig.load()
    assert values["REDIS_URL"] is None and values["RATELIMIT_STORAGE_URI"] == "memory://"
    assert values["REFERRAL_ANSWER_DAYS"] == 7 and values["RATELIMIT_ENABLED"] is False


def test_redis_url_gives_the_rate_limits_their_storage(environment):
    environment.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    assert Config.load()["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def test_the_deprecated_twilio_trusted_proxies_still_counts(environment):
    environment.setenv("TWILIO_TRUSTED_PROXIES", "2")
    assert Config.load()["TRUSTED_PROXIES"] == 2
    environment.setenv("TRUSTED_PROXIES", "1")
    assert Config.load()["TRUSTED_PROXIES"] == 1


def test_the_readme_table_is_generated_from_the_settings():
    readme = (ROOT / "README.md").read_text()
    assert markdown_table() in readme, "run `python -m helpline.config` and paste its table into README.md"
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in readme


def test_no_module_but_the_settings_reads_the_environment():
    readers = re.compile(r"os\.environ\.get|os\.environ\[|os\.getenv")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("helpline", "models", "triage_rules")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "config.py" and readers.search(path.read_text())
    ]
    assert offenders == []

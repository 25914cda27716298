"""Login protections: rate limit, idle timeout, disabled accounts, second factor, cookies, headers."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa

from models import AuditEvent, User, db
from tests.conftest import PASSWORD, make_user
from tests.security.conftest import as_user

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _login(client, user, password=PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}])
def test_login_attempts_beyond_the_limit_are_refused(client, app_config):
    user = make_user("nurse")
    answers = [_login(client, user, "wrong-password").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert _login(client, user).status_code == 429  # even the right password waits


BEHIND_A_PROXY = {
    "TRUSTED_PROXIES": 1,
    "RATELIMIT_ENABLED": True,
    "LOGIN_RATE_LIMIT": "3 per minute",
    "LOGIN_ADDRESS_RATE_LIMIT": "6 per minute",
}


def _login_from(client, user, address, password="wrong-password"):
    return client.post("/login", data={"email": user.email, "password": password}, headers={"X-Forwarded-For": address})


@pytest.mark.parametrize("app_config", [BEHIND_A_PROXY])
def test_guessing_one_account_from_many_addresses_meets_the_account_limit(client, app_config):
    nurse, colleague = make_user("nurse"), make_user("nurse")
    answers = [_login_from(client, nurse, f"198.51.100.{n}").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]
    assert _login_from(client, nurse, "198.51.100.9", PASSWORD).status_code == 429  # the right one waits too
    assert _login_from(client, colleague, "198.51.100.1", PASSWORD).status_code == 302  # not the team


@pytest.mark.parametrize("app_config", [BEHIND_A_PROXY])
def test_a_team_behind_one_address_is_not_locked_out_by_one_account(client, app_config):
    team = [make_user("nurse") for _ in range(3)]
    assert [_login_from(client, team[0], "203.0.113.7").status_code for _ in range(4)][-1] == 429
    client.post("/logout")
    assert _login_from(client, team[1], "203.0.113.7", PASSWORD).status_code == 302
    client.post("/logout")
    answers = [_login_from(client, team[2], "203.0.113.7").status_code for _ in range(3)]
    assert answers == [200, 200, 429]  # the address's 6 attempts (3 failures, a success, 2 failures) are spent
    assert _login_from(client, team[2], "203.0.113.8", PASSWORD).status_code == 302


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXIES": 1}])
def test_the_audit_trail_records_the_client_behind_the_proxy_not_the_proxy(client, app_config):
    nurse = make_user("nurse")
    client.post(
        "/login",
        data={"email": nurse.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "192.0.2.1, 198.51.100.23"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login"))
    assert event.ip == "198.51.100.23"  # the hop the proxy wrote; the client's own claim is not believed


@pytest.mark.parametrize("app_config", [{"IDLE_TIMEOUT_MINUTES": 30}])
def test_a_session_idle_longer_than_the_timeout_is_logged_out(client, app_config):
    as_user(client, make_user("nurse"))
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("app_config", [{"IDLE_TIMEOUT_MINUTES": 30}])
def test_activity_within_the_timeout_keeps_the_session(client, app_config):
    as_user(client, make_user("nurse"))
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 29 * 60
    assert client.get("/").status_code == 200


def test_a_disabled_account_cannot_log_in_and_is_logged_out(client, login_as):
    user = login_as("nurse")
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302
    response = _login(client, user)
    assert response.status_code == 200 and "/login" not in response.headers.get("Location", "")


def test_second_factor_enrolment_then_login_asks_for_the_code(client, login_as, monkeypatch):
    user = login_as("nurse")
    client.get("/account/two-factor")
    with client.session_transaction() as session:
        secret = session["totp_enrol"]
    assert (
        client.post(
            "/account/two-factor", data={"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"}
        ).status_code
        == 200
    )
    assert client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    db.session.refresh(user)
    assert user.totp_secret == secret
    client.post("/logout")
    later = time.time() + 30  # the next login comes a time step later: a code is accepted once
    monkeypatch.setattr(time, "time", lambda: later)
    response = _login(client, user)
    assert response.headers["Location"].endswith("/login/code")
    assert client.get("/").status_code == 302  # not logged in yet
    wrong = client.post("/login/code", data={"code": "12345x"})
    assert wrong.status_code == 200 and "code-error" in wrong.get_data(as_text=True)
    assert client.post("/login/code", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.get("/").status_code == 200


def test_an_admin_resets_a_lost_second_factor(client, world):
    world.other.totp_secret = pyotp.random_base32()
    db.session.commit()
    as_user(client, world.users["admin"])
    assert client.post(f"/admin/users/{world.other.id}/reset-two-factor").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.other.id).totp_secret is None


def test_session_cookie_is_httponly_and_samesite(client):
    user = make_user("nurse")
    cookie = _login(client, user).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_session_cookie_is_secure_when_configured(client, app_config):
    user = make_user("nurse")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD}, base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_pages_carry_a_content_security_policy_without_unsafe_inline(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "on…= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_needs_unsafe_inline():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{path.relative_to(TEMPLATES)}: {what}")
    assert not found, "\n".join(found)


def test_health_check_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["database"] == "ok"

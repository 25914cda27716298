"""Sessions that end: background polls are not activity, an absolute lifetime, logout and password
changes end sessions, unknown accounts cost a hash check, TOTP codes are accepted once."""

from __future__ import annotations

import re
import time

import pyotp
import sqlalchemy as sa

from helpline.auth import passwords
from models import Notification, User, db
from support import PASSWORD
from tests.conftest import make_user


def _login(client, user):
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def _age_session(client, **seconds):
    with client.session_transaction() as session:
        for key, ago in seconds.items():
            session[key] = time.time() - ago


def test_screen_pop_polls_do_not_keep_an_idle_session_open(app, client):
    user = make_user("nurse")
    _login(client, user)
    _age_session(client, last_seen=20 * 60)
    assert client.get("/telephony/incoming.json", headers={"Accept": "application/json"}).status_code == 200
    _age_session(client, last_seen=31 * 60)  # the poll did not refresh it
    assert client.get("/calls/new").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_even_when_active(app, client):
    user = make_user("nurse")
    _login(client, user)
    _age_session(client, login_at=13 * 3600)
    response = client.get("/calls/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_cookie_copied_before_logout_no_longer_works(app):
    user = make_user("nurse")
    first = app.test_client()
    _login(first, user)
    copy = app.test_client()
    copy.set_cookie("session", first.get_cookie("session").value)
    assert copy.get("/calls/new").status_code == 200
    first.post("/logout")
    assert copy.get("/calls/new").status_code == 302


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(app):
    user = make_user("nurse")
    mine, other = app.test_client(), app.test_client()
    _login(mine, user)
    _login(other, user)
    wrong = mine.post(
        "/account/password",
        data={"current_password": "not-it", "new_password": "a-new-long-secret-1", "confirm": "a-new-long-secret-1"},
    )
    assert wrong.status_code == 200 and "Ce n’est pas votre mot de passe actuel" in wrong.get_data(as_text=True)
    common = mine.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "1234567890", "confirm": "1234567890"}
    )
    assert common.status_code == 200 and "mots de passe courants" in common.get_data(as_text=True)
    done = mine.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a-new-long-secret-1", "confirm": "a-new-long-secret-1"},
    )
    assert done.status_code == 302
    assert mine.get("/calls/new").status_code == 200  # this session carries on
    assert other.get("/calls/new").status_code == 302  # the other one ended


def test_an_admin_cannot_set_another_users_password_but_sends_a_reset_link(app, client):
    from models import OutboxMessage

    nurse = make_user("nurse")
    nurse_client = app.test_client()
    _login(nurse_client, nurse)
    admin = make_user("admin")
    _login(client, admin)
    refused = client.post(
        f"/admin/users/{nurse.id}",
        data={
            "email": nurse.email,
            "name": nurse.name,
            "roles": ["nurse"],
            "active": "y",
            "capacity": "40",
            "password": "a-new-long-secret-2",
        },
    )
    assert refused.status_code == 422 and "lien" in refused.get_data(as_text=True)
    assert client.post(f"/admin/users/{nurse.id}/reset-link").status_code == 302
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == nurse.email))
    link = re.search(r"https?://\S+/account/reset/\S+", message.body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert app.test_client().get(path).status_code == 200  # the link is the credential: no login needed
    weak = nurse_client.post(path, data={"new_password": "password123", "confirm": "password123"})
    assert weak.status_code == 422
    done = app.test_client().post(path, data={"new_password": "a-new-long-secret-3", "confirm": "a-new-long-secret-3"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert nurse_client.get("/calls/new").status_code == 302  # her sessions ended
    again = app.test_client().post(path, data={"new_password": "another-long-secret", "confirm": "another-long-secret"})
    assert again.status_code == 302 and "/login" in again.headers["Location"]  # the link served once
    db.session.expire_all()
    from helpline.auth.passwords import verify_password

    assert verify_password(db.session.get(User, nurse.id).password_hash, "a-new-long-secret-3")


def test_granting_clinical_access_notifies_the_coordinators(app, client):
    coordinator = make_user("coordinator")
    admin = make_user("admin")
    _login(client, admin)
    response = client.post(
        f"/admin/users/{admin.id}",
        data={
            "email": admin.email,
            "name": admin.name,
            "roles": ["admin", "coordinator"],
            "active": "y",
            "capacity": "40",
        },
    )
    assert response.status_code == 302
    notices = db.session.scalars(sa.select(Notification).where(Notification.user_id == coordinator.id)).all()
    assert len(notices) == 1 and "coordinator" in notices[0].message


def test_a_common_password_is_refused_for_a_new_account(app, client):
    _login(client, make_user("admin"))
    response = client.post(
        "/admin/users/new",
        data={
            "email": "n@test.invalid",
            "name": "N",
            "roles": ["nurse"],
            "active": "y",
            "capacity": "40",
            "password": "password123",
        },
    )
    assert response.status_code != 302
    assert db.session.scalar(sa.select(User).where(User.email == "n@test.invalid")) is None


def test_an_unknown_account_costs_a_hash_check_like_a_wrong_password(app, client, monkeypatch):
    checked = []
    real = passwords.verify_password

    def counting(password_hash, password):
        checked.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr("helpline.auth.routes.verify_password", counting)
    client.post("/login", data={"email": "nobody@test.invalid", "password": "whatever-it-is"})
    assert checked == [passwords.dummy_hash()]


def test_a_totp_code_is_accepted_once(app):
    secret = pyotp.random_base32()
    user = make_user("nurse", totp_secret=secret)
    code = pyotp.TOTP(secret).now()
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert first.post("/login/code", data={"code": code}).status_code == 302
    replay = second.post("/login/code", data={"code": code})
    assert replay.status_code == 200  # refused: the form again
    assert second.get("/calls/new").status_code == 302


def test_replacing_the_authenticator_key_needs_the_password(app, client):
    secret = pyotp.random_base32()
    user = make_user("nurse")
    _login(client, user)
    db.session.get(User, user.id).totp_secret = secret
    db.session.commit()
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    with client.session_transaction() as session:
        new_secret = session["totp_enrol"]
    refused = client.post("/account/two-factor", data={"code": pyotp.TOTP(new_secret).now()})
    assert refused.status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret
    accepted = client.post("/account/two-factor", data={"code": pyotp.TOTP(new_secret).now(), "password": PASSWORD})
    assert accepted.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == new_secret


def test_a_reset_link_expires(app, monkeypatch):
    from helpline.auth.reset import reset_token

    user = make_user("nurse")
    with app.test_request_context():
        token = reset_token(user)
    later = time.time() + 25 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    response = app.test_client().post(
        f"/account/reset/{token}", data={"new_password": "a-new-long-secret-4", "confirm": "a-new-long-secret-4"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == user.password_hash

"""Admins manage staff accounts; every change to a user is in the audit trail."""

from __future__ import annotations

import sqlalchemy as sa

from models import AuditEvent, User, db
from tests.security.conftest import as_user


def _account(**fields):
    data = {
        "email": "nouvelle@test.invalid",
        "name": "Nouvelle Infirmière",
        "roles": ["nurse"],
        "capacity": "40",
        "active": "y",
        "password": "long-enough-password",
    }
    data.update(fields)
    return data


def test_an_admin_creates_then_disables_an_account_and_both_are_audited(client, world):
    admin = world.users["admin"]
    as_user(client, admin)
    assert client.post("/admin/users/new", data=_account()).status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "nouvelle@test.invalid"))
    assert user.role_list == ["nurse"] and user.active
    edited = _account(roles=["nurse", "coordinator"], password="")
    edited.pop("active")
    assert client.post(f"/admin/users/{user.id}", data=edited).status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.role_list == ["nurse", "coordinator"] and not user.active
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "user", AuditEvent.object_id == user.id)
    ).all()
    grants = [e.detail["roles"] for e in events if e.action == "grant_roles"]
    assert grants == [["nurse"], ["coordinator"]]  # access to health data given: audited as such too
    events = [e for e in events if e.action != "grant_roles"]
    assert [e.action for e in events] == ["create", "update"] and all(e.user_id == admin.id for e in events)
    assert set(events[1].detail["fields"]) == {"roles", "active"}


def test_an_account_form_with_a_taken_email_and_no_role_names_both_fields(client, world):
    as_user(client, world.users["admin"])
    response = client.post("/admin/users/new", data=_account(email=world.users["nurse"].email, roles=[]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "email-error" in html and "roles-error" in html
    assert 'value="Nouvelle Infirmière"' in html


def test_an_admin_cannot_remove_their_own_admin_access(client, world):
    admin = world.users["admin"]
    as_user(client, admin)
    response = client.post(f"/admin/users/{admin.id}", data=_account(email=admin.email, roles=["nurse"]))
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, admin.id).has_role("admin")

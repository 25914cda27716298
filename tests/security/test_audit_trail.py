"""The audit trail: reads and changes are recorded, and nothing in the app can alter it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from helpline.audit import AuditTrailReadOnly, record
from models import AuditEvent, Call, Referral, db
from tests.conftest import ON_POSTGRES
from tests.security.conftest import as_user


def _events(**where):
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(stmt))


def test_reading_a_person_is_logged_with_who_and_which_person(client, world):
    nurse = world.users["nurse"]
    as_user(client, nurse)
    assert client.get(f"/persons/{world.person.id}").status_code == 200
    events = _events(action="read", object_type="person")
    assert [(e.user_id, e.person_id, e.object_id) for e in events] == [(nurse.id, world.person.id, world.person.id)]


def test_reading_a_call_is_logged(client, world):
    as_user(client, world.users["coordinator"])
    assert client.get(f"/calls/{world.call.id}").status_code == 200
    [event] = _events(action="read", object_type="call")
    assert event.person_id == world.person.id and event.user_id == world.users["coordinator"].id


def test_logging_a_call_records_its_creation_automatically(client, login_as, log_call):
    nurse = login_as("nurse")
    assert log_call().status_code == 302
    call = db.session.scalar(sa.select(Call))
    [created] = _events(action="create", object_type="call")
    assert created.object_id == call.id and created.person_id == call.person_id and created.user_id == nurse.id
    assert _events(action="create", object_type="person")


def test_any_change_to_a_referral_is_recorded_with_the_fields_not_the_values(app, world):
    referral = db.session.get(Referral, world.referral.id)
    referral.status = "accepted"
    referral.message = "secret note"
    db.session.commit()
    [event] = _events(action="update", object_type="referral")
    assert event.detail == {"fields": ["message", "status"]}
    assert event.person_id == world.person.id
    assert "secret" not in str(event.detail)


def test_an_explicitly_recorded_change_is_not_recorded_twice(app, world):
    referral = db.session.get(Referral, world.referral.id)
    referral.status = "declined"
    db.session.flush()
    record("update", "referral", referral.id, person_id=referral.person_id, detail={"status": "declined"})
    db.session.commit()
    [event] = _events(action="update", object_type="referral")
    assert event.detail == {"status": "declined"}


def test_deleting_an_audited_row_is_recorded(app, world):
    db.session.delete(db.session.get(type(world.task), world.task.id))  # tasks are not audited: nothing
    db.session.delete(db.session.get(type(world.followup), world.followup.id))
    db.session.commit()
    assert [e.object_id for e in _events(action="delete")] == [world.followup.id]


def test_the_app_refuses_to_change_or_delete_an_audit_event(app, world):
    record("read", "person", world.person.id, person_id=world.person.id)
    db.session.commit()
    event = _events()[-1]
    event.action = "nothing"
    with pytest.raises(AuditTrailReadOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditTrailReadOnly):
        db.session.commit()
    db.session.rollback()


@pytest.mark.skipif(not ON_POSTGRES, reason="the append-only trigger exists on PostgreSQL only")
def test_postgresql_refuses_updates_and_deletes_of_the_audit_table(app, world):
    record("read", "person", world.person.id, person_id=world.person.id)
    db.session.commit()
    for statement in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            db.session.execute(sa.text(statement))
        db.session.rollback()


def test_no_route_edits_or_deletes_the_audit_trail(app, client, world):
    audit_rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule]
    assert audit_rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in audit_rules)
    record("read", "person", world.person.id, person_id=world.person.id)
    db.session.commit()
    before = [(e.id, e.action, e.object_type, e.object_id, e.user_id) for e in _events()]
    for role in ("coordinator", "admin"):
        for rule in app.url_map.iter_rules():
            if "POST" not in rule.methods or rule.arguments - {"user_id"}:
                continue
            as_user(client, world.users[role])
            url = rule.rule.replace("<int:user_id>", str(world.other.id))
            try:
                client.post(url, data={"action": "delete"})
            except Exception:  # a view failing on an empty form is not what this test checks
                pass
    db.session.expire_all()
    after = [(e.id, e.action, e.object_type, e.object_id, e.user_id) for e in _events()]
    assert after[: len(before)] == before


def test_coordinators_search_the_trail_by_user_person_and_date(client, world):
    nurse, coordinator = world.users["nurse"], world.users["coordinator"]
    as_user(client, nurse)
    client.get(f"/persons/{world.person.id}")
    as_user(client, coordinator)
    today = db.session.scalar(sa.select(AuditEvent.at).order_by(AuditEvent.id.desc())).date().isoformat()
    page = client.get(f"/admin/audit?user_id={nurse.id}&person_id={world.person.id}&date_from={today}&date_to={today}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"#{world.person.id}" in html and nurse.name in html
    empty = client.get(f"/admin/audit?person_id={world.person.id + 999}").get_data(as_text=True)
    assert f"#{world.person.id}<" not in empty
    refused = client.get("/admin/audit?date_from=2024-02-10&date_to=2024-02-01")
    assert "date_to-error" in refused.get_data(as_text=True)


def test_the_trail_names_actions_and_records_in_words_not_codes(client, world):
    nurse, coordinator = world.users["nurse"], world.users["coordinator"]
    as_user(client, nurse)
    client.get(f"/persons/{world.person.id}")
    as_user(client, coordinator)
    html = client.get(f"/admin/audit?user_id={nurse.id}&person_id={world.person.id}").get_data(as_text=True)
    row = next(line for line in html.split("<tr>") if f"#{world.person.id}" in line and "Consultation" in line)
    assert "<td>Consultation</td>" in row and "<td>Personne #" in row
    assert "<td>read</td>" not in html and ">person #" not in html
    assert '<option value="read">Consultation</option>' in html

"""GDPR: consents, access export, erasure by pseudonymisation, retention."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from helpline.privacy.retention import run_retention
from models import AuditEvent, Call, Case, Consent, Person, db, utcnow
from tests.security.conftest import as_user, make_call, make_person


def test_a_consent_is_recorded_with_its_date_who_and_purpose(client, world):
    nurse = world.users["nurse"]
    as_user(client, nurse)
    response = client.post(
        f"/privacy/persons/{world.person.id}/consents",
        data={"purpose": "sms", "granted": "yes", "given_on": "2024-03-01", "note": "par téléphone"},
    )
    assert response.status_code == 302
    consent = db.session.scalar(sa.select(Consent).where(Consent.purpose == "sms"))
    assert (consent.granted, consent.given_on, consent.recorded_by_id) == (True, dt.date(2024, 3, 1), nurse.id)


def test_a_consent_without_answer_or_date_is_refused_naming_the_fields(client, world):
    as_user(client, world.users["nurse"])
    response = client.post(f"/privacy/persons/{world.person.id}/consents", data={"purpose": "sms"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "granted-error" in html and "given_on-error" in html


def test_the_access_export_holds_the_persons_complete_data_and_is_audited(client, world):
    coordinator = world.users["coordinator"]
    as_user(client, coordinator)
    response = client.get(f"/privacy/persons/{world.person.id}/export.json")
    data = response.get_json(force=True)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert data["person"]["last_name"] == "Testeuse"
    assert [c["id"] for c in data["calls"]] == [world.call.id]
    assert data["calls"][0]["summary"] and data["referrals"][0]["structure"] == "Service test"
    assert data["cases"][0]["plans"][0]["items"][0]["need"] == "Aide ménagère"
    assert "password_hash" not in str(data)
    page = client.get(f"/privacy/persons/{world.person.id}/export")
    assert page.status_code == 200 and "Testeuse" in page.get_data(as_text=True)
    exports = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert len(exports) == 2 and all(e.user_id == coordinator.id for e in exports)


def test_erasure_removes_identity_and_notes_but_keeps_the_figures(client, world):
    as_user(client, world.users["coordinator"])
    refused = client.post(f"/privacy/persons/{world.person.id}/erase", data={"reason": ""})
    assert refused.status_code == 422 and "reason-error" in refused.get_data(as_text=True)
    response = client.post(f"/privacy/persons/{world.person.id}/erase", data={"reason": "Demande du 01/03"})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(Person, world.person.id)
    assert person.pseudonymised_at and "Testeuse" not in (person.first_name + person.last_name)
    assert person.phone is None and person.birth_date is None and person.age >= 80 and person.postcode == "4020"
    call = db.session.get(Call, world.call.id)
    assert call.summary == "" and call.caller_name is None and call.caller_phone is None
    assert call.triage_input["request"] == {"topics": ["carer_support"], "summary": ""}
    assert (call.route, call.started_at) == ("external", world.call.started_at)  # the figures stay right
    assert db.session.scalar(sa.select(sa.func.count(Call.id))) == 1
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "pseudonymise"))
    assert event.detail == {"reason": "Demande du 01/03"} and event.user_id == world.users["coordinator"].id
    assert (
        client.post("/persons/search", data={"q": "Testeuse"}).get_data(as_text=True).count(f"/persons/{person.id}")
        == 0
    )


def _old_person(nurse, years: int, **fields) -> Person:
    when = utcnow() - dt.timedelta(days=365 * years)
    person = make_person(last_name="Ancienne", last_name_key="ancienne", last_contact_at=when, **fields)
    make_call(person, nurse, started_at=when)
    db.session.commit()
    return person


def test_retention_dry_run_lists_and_the_run_pseudonymises_persons_past_the_period(app, runner, world):
    old = _old_person(world.users["nurse"], 6)
    followed = _old_person(world.users["nurse"], 7)
    db.session.add(Case(person_id=followed.id, status="active"))
    db.session.commit()
    dry = runner.invoke(args=["retention", "run", "--dry-run", "--months", "60"])
    assert dry.exit_code == 0 and f"person #{old.id} " in dry.output and "1 person(s) would be" in dry.output
    assert "Ancienne" not in dry.output
    db.session.expire_all()
    assert db.session.get(Person, old.id).pseudonymised_at is None
    real = runner.invoke(args=["retention", "run", "--months", "60"])
    assert real.exit_code == 0 and "1 person(s) pseudonymised" in real.output
    db.session.expire_all()
    assert db.session.get(Person, old.id).pseudonymised_at is not None
    assert db.session.get(Person, followed.id).pseudonymised_at is None  # an open case keeps the record
    assert db.session.get(Person, world.person.id).pseudonymised_at is None  # recent contact
    assert run_retention(60, dry_run=True) == []


def test_the_persons_page_links_to_the_privacy_pages_each_role_may_open(client, world):
    as_user(client, world.users["coordinator"])
    html = client.get(f"/persons/{world.person.id}").get_data(as_text=True)
    assert f"/privacy/persons/{world.person.id}/export" in html and f"/privacy/persons/{world.person.id}/erase" in html
    as_user(client, world.users["nurse"])
    html = client.get(f"/persons/{world.person.id}").get_data(as_text=True)
    assert f"/privacy/persons/{world.person.id}/consents" in html and "/erase" not in html

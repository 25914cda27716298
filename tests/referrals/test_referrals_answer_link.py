"""The structure answers its referral through the signed link in its message, without an account."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from answer_support import answer, form_token, link_path, outbox_for, refer

from models import AuditEvent, Notification, Referral, Structure, db


@pytest.fixture
def structure_client(app):
    """A browser of the structure: no login, no cookie of the nurse."""
    return app.test_client()


@pytest.fixture
def referral(client, directory, external_call):
    return refer(client, external_call, directory["local"])[0]


def test_saving_a_referral_queues_its_message_without_health_data(referral, external_call):
    message = outbox_for(referral)
    assert message.status == "waiting" and message.to_address == "accueil@demo.invalid"
    person = external_call.person
    assert person.display_name not in message.body and "Répit demandé" not in message.body
    assert "/answer/" in message.body and str(referral.id) in message.subject


def test_link_shows_only_the_referral_without_login(referral, structure_client, external_call):
    page = structure_client.get(link_path(referral))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert external_call.person.display_name in html and "Répit demandé pour le fils." in html
    assert external_call.person.postcode in html
    assert external_call.summary not in html  # the call itself is not disclosed
    assert 'name="decision"' in html
    read = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "read", AuditEvent.object_type == "referral")
    )
    assert read.user_id is None and read.ip == "127.0.0.1"


def test_accepting_updates_the_lifecycle_notifies_the_nurse_and_is_audited(referral, structure_client, external_call):
    response = answer(structure_client, link_path(referral), decision="accepted")
    assert response.status_code == 302
    db.session.expire_all()
    referral = db.session.get(Referral, referral.id)
    assert referral.status == "accepted"
    last = referral.events[-1]
    assert (last.to_status, last.by_id, last.via) == ("accepted", None, "link")
    notice = db.session.scalar(sa.select(Notification).where(Notification.user_id == referral.created_by_id))
    assert notice is not None and str(referral.id) in notice.message
    audit = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "update", AuditEvent.object_type == "referral", AuditEvent.object_id == referral.id
        )
    )
    assert audit.detail["via"] == "link" and audit.ip == "127.0.0.1" and audit.user_id is None


def test_the_nurse_sees_who_answered(client, referral, structure_client):
    answer(structure_client, link_path(referral), decision="accepted")
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "answered by the structure via link" in page or "répondu par la structure via le lien" in page


def test_decline_for_no_capacity_updates_the_structure(referral, structure_client):
    response = answer(
        structure_client, link_path(referral), decision="declined", reason="no_capacity", wait_time="3 mois"
    )
    assert response.status_code == 200  # closed: the thank-you page
    db.session.expire_all()
    referral = db.session.get(Referral, referral.id)
    assert (referral.status, referral.reason) == ("declined", "no_capacity")
    structure = db.session.get(Structure, referral.structure_id)
    assert structure.capacity_available == 0 and structure.capacity_updated_at is not None
    assert structure.wait_time == "3 mois" and structure.assured_date is not None


def test_decline_needs_a_reason_and_keeps_what_was_typed(referral, structure_client):
    response = answer(structure_client, link_path(referral), decision="declined", note="Texte gardé")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Texte gardé" in html and 'id="reason-error"' in html
    assert db.session.get(Referral, referral.id).status == "sent"


def test_contact_then_done_close_the_referral_and_the_link(referral, structure_client):
    path = link_path(referral)
    answer(structure_client, path, decision="accepted")
    assert answer(structure_client, path, decision="contacted").status_code == 302
    done = answer(structure_client, path, decision="done", outcome="successful")
    assert done.status_code == 200
    db.session.expire_all()
    referral = db.session.get(Referral, referral.id)
    assert referral.status == "done" and referral.outcome == "successful"
    assert referral.first_contact_at is not None
    assert structure_client.get(path).status_code == 410


def test_a_decision_already_taken_is_refused(referral, structure_client):
    path = link_path(referral)
    first = structure_client.get(path).get_data(as_text=True)
    token = form_token(first)
    assert structure_client.post(path, data={"csrf": token, "decision": "accepted"}).status_code == 302
    # The same form posted again (replayed), then a fresh one with the same decision: both refused.
    assert structure_client.post(path, data={"csrf": token, "decision": "accepted"}).status_code == 409
    assert answer(structure_client, path, decision="accepted").status_code == 422
    assert answer(structure_client, path, decision="declined", reason="other", note="x").status_code == 422
    events = db.session.get(Referral, referral.id).events
    assert [e.to_status for e in events] == ["sent", "accepted"]


def test_a_post_without_the_form_token_is_refused(referral, structure_client):
    response = structure_client.post(link_path(referral), data={"decision": "accepted"})
    assert response.status_code == 409
    assert db.session.get(Referral, referral.id).status == "sent"


def test_expired_link_is_refused(referral, structure_client, monkeypatch, app):
    path = link_path(referral)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=app.config["REFERRAL_LINK_DAYS"] + 1)
    monkeypatch.setattr("helpline.referrals.links.utcnow", lambda: later)
    assert structure_client.get(path).status_code == 410
    assert structure_client.post(path, data={"decision": "accepted"}).status_code == 410
    assert db.session.get(Referral, referral.id).status == "sent"


def test_link_reaches_its_referral_and_nothing_else(client, directory, external_call, structure_client):
    first, second = refer(client, external_call, directory["local"], directory["wide"])
    path = link_path(first)
    assert structure_client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 404
    assert structure_client.get(f"/referrals/{first.id}").status_code == 302  # to the login page
    assert structure_client.get(f"/referrals/{second.id}").status_code == 302
    assert structure_client.get(f"/persons/{first.person_id}").status_code == 302
    html = structure_client.get(path).get_data(as_text=True)
    assert "Aidants Région" not in html and f"/referrals/{first.id}" not in html


def test_closed_referral_refuses_its_link(client, referral, structure_client):
    client.post(f"/referrals/{referral.id}/status", data={"status": "declined", "reason": "no_capacity"})
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).status == "declined"
    assert structure_client.get(link_path(referral)).status_code == 410


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "ANSWER_RATE_LIMIT": "3 per minute"}])
def test_answer_page_is_rate_limited(referral, structure_client):
    path = link_path(referral)
    codes = [structure_client.get(path).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_an_unanswered_referral_reminds_its_structure_once(app, referral):
    from helpline.referrals.reminders import remind_structures
    from models import OutboxMessage, utcnow

    assert remind_structures(utcnow()) == 0  # not overdue yet
    later = referral.sent_at + dt.timedelta(days=app.config["REFERRAL_ANSWER_DAYS"], hours=1)
    assert remind_structures(later) == 1
    assert remind_structures(later + dt.timedelta(days=3)) == 0
    reminders = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "referral_reminder")).all()
    assert len(reminders) == 1 and reminders[0].object_id == referral.id
    assert "/answer/" in reminders[0].body


def test_fhir_task_follows_the_structure_answers(referral, structure_client):
    from helpline.fhir.resources import task

    path = link_path(referral)
    steps = [
        ({"decision": "accepted"}, "accepted", "accepted"),
        ({"decision": "contacted"}, "in-progress", "first-contact"),
        (
            {"decision": "done", "outcome": "unsuccessful", "reason": "person_refused"},
            "failed",
            "completed-unsuccessful",
        ),
    ]
    assert task(referral).businessStatus.coding[0].code == "awaiting-answer"
    for data, status, business in steps:
        answer(structure_client, path, **data)
        db.session.expire_all()
        resource = task(db.session.get(Referral, referral.id))
        assert (resource.status, resource.businessStatus.coding[0].code) == (status, business)


def test_capacity_stated_by_the_structure_shows_with_its_date_when_choosing(
    client, referral, structure_client, external_call
):
    answer(structure_client, link_path(referral), decision="declined", reason="no_capacity", wait_time="3 mois")
    page = client.get("/referrals/new", query_string={"call_id": external_call.id, "lang": "en"})
    html = page.get_data(as_text=True)
    assert "0 places available" in html or "0 place disponible" in html
    assert "3 mois" in html


def test_admin_sees_the_structures_whose_details_are_stale(app, client, login_as, directory):
    from helpline.formatting import local_now

    fresh = directory["local"]
    fresh.assured_date = local_now().date()
    old = directory["wide"]
    old.assured_date = local_now().date() - dt.timedelta(days=app.config["STRUCTURE_CONFIRM_DAYS"] + 1)
    db.session.commit()
    client.post("/logout")
    login_as("admin")
    html = client.get("/directory/stale").get_data(as_text=True)
    assert "Aidants Région" in html and "Transport Démo" in html  # confirmed long ago, never confirmed
    assert "Répit Local" not in html and "Aidants Fermés" not in html  # fresh, inactive


def test_stale_structure_is_asked_once_a_quarter_and_confirms_through_its_link(app, directory, structure_client):
    from helpline.directory.confirm import ask_to_confirm
    from models import OutboxMessage

    today = dt.date(2026, 3, 2)
    first = ask_to_confirm(today)
    assert first == 4  # the active structures, never confirmed (the inactive one is not asked)
    assert ask_to_confirm(today + dt.timedelta(days=20)) == 0  # same quarter: not again
    message = db.session.scalar(
        sa.select(OutboxMessage).where(
            OutboxMessage.kind == "confirm_details", OutboxMessage.object_id == directory["local"].id
        )
    )
    path = message.body[message.body.index("/answer/details/") :].split()[0]
    page = structure_client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Répit Local" in html
    token = form_token(html)
    response = structure_client.post(path, data={"csrf": token, "capacity_available": "2", "wait_time": "1 semaine"})
    assert response.status_code == 200
    db.session.expire_all()
    structure = db.session.get(Structure, directory["local"].id)
    assert (structure.capacity_available, structure.wait_time) == (2, "1 semaine")
    assert structure.assured_date is not None
    assert structure_client.post(path, data={"csrf": "0" * 64, "capacity_available": "9"}).status_code == 409

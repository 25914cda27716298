"""The relay: a call about a person in active case management reaches her case manager, who acknowledges it."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from cases_support import add_case, add_person

from helpline.cases.relay import RECENT_RELAYS, sent_by
from models import AuditEvent, Call, Case, Notification, OutboxMessage, Relay, db, utcnow
from support import call_form


def _followed(staff) -> Case:
    """Return an active case of Camille's, about a person with a referral consent."""
    return add_case(staff["cm1"], person=add_person(first="Odette", last="Suivie", by=staff["nurse"]))


def _log(client, person, **overrides) -> Call:
    data = call_form(person_id=str(person.id), first_name="", last_name="", birth_date="", **overrides)
    response = client.post("/calls/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(sa.select(Call).order_by(Call.id.desc()))


def test_relayed_call_reaches_the_case_manager_and_she_acknowledges_it(client, staff, switch_to):
    case = _followed(staff)
    switch_to(staff["nurse"])

    call = _log(
        client,
        case.person,
        route="relay",
        rupture_events=["unplanned_hospitalisation"],
        summary="Hospitalisée hier soir après une chute.",
    )

    assert (call.route, call.priority, call.team_review) == ("relay", "high", False)
    relay = db.session.scalar(sa.select(Relay))
    assert (relay.call_id, relay.case_id, relay.to_user_id, relay.kind) == (call.id, case.id, staff["cm1"].id, "relay")
    notice = db.session.scalar(sa.select(Notification).where(Notification.user_id == staff["cm1"].id))
    assert notice.link == f"/cases/{case.id}" and "Odette" in notice.message and notice.read_at is None

    switch_to(staff["cm1"])
    home = client.get("/").get_data(as_text=True)
    assert f"/cases/relays/{relay.id}/acknowledge" in home and "Hospitalisation non programmée" in home
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'id="relay-{relay.id}"' in page and "Hospitalisée hier soir" in page
    assert "Hospitalisation non programmée" in page
    assert client.get(f"/calls/{call.id}").status_code == 200

    response = client.post(f"/cases/relays/{relay.id}/acknowledge", data={"next": f"/cases/{case.id}"})

    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.id}")
    db.session.refresh(relay)
    db.session.refresh(notice)
    assert relay.acknowledged_by_id == staff["cm1"].id and relay.acknowledged_at is not None
    assert notice.read_at is not None
    assert f"/cases/relays/{relay.id}/acknowledge" not in client.get("/").get_data(as_text=True)

    switch_to(staff["nurse"])
    receipt = "pris en compte par Camille Test"
    assert receipt in client.get("/").get_data(as_text=True)
    assert receipt in client.get(f"/calls/{call.id}").get_data(as_text=True)
    told = db.session.scalar(sa.select(Notification).where(Notification.user_id == staff["nurse"].id))
    assert told.link == f"/calls/{call.id}" and "Camille Test" in told.message


def test_emergency_about_a_followed_person_notifies_her_case_manager(client, staff, switch_to):
    case = _followed(staff)
    switch_to(staff["nurse"])

    call = _log(client, case.person, route="emergency", red_flags=["chest_pain"], summary="Douleur thoracique.")

    assert call.route == "emergency"
    relay = db.session.scalar(sa.select(Relay))
    assert (relay.call_id, relay.kind, relay.to_user_id) == (call.id, "emergency", staff["cm1"].id)
    notice = db.session.scalar(sa.select(Notification).where(Notification.user_id == staff["cm1"].id))
    assert "urgence" in notice.message.lower()


def test_a_call_about_a_person_without_an_active_case_is_not_relayed(client, staff, switch_to):
    closed = add_case(staff["cm1"], status="closed", person=add_person(by=staff["nurse"]))
    switch_to(staff["nurse"])

    call = _log(client, closed.person)

    assert call.route == "external"
    assert db.session.scalar(sa.select(sa.func.count(Relay.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0


def test_case_managers_read_the_calls_about_their_own_persons_only(client, staff, switch_to):
    mine, theirs = _followed(staff), add_case(staff["cm2"], person=add_person(first="Autre", by=staff["nurse"]))
    switch_to(staff["nurse"])
    my_call = _log(client, mine.person, route="relay")
    their_call = _log(client, theirs.person, route="relay")

    switch_to(staff["cm1"])

    assert client.get(f"/calls/{my_call.id}").status_code == 200
    assert client.get(f"/calls/{their_call.id}").status_code == 403
    denied = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "denied"))
    assert (denied.object_type, denied.object_id, denied.user_id) == ("call", their_call.id, staff["cm1"].id)
    assert client.get("/calls/").status_code == 403  # no list of every call


def test_only_the_persons_case_manager_acknowledges(client, staff, switch_to):
    case = _followed(staff)
    switch_to(staff["nurse"])
    _log(client, case.person, route="relay")
    relay = db.session.scalar(sa.select(Relay))

    switch_to(staff["cm2"])

    assert client.post(f"/cases/relays/{relay.id}/acknowledge").status_code == 403
    db.session.refresh(relay)
    assert relay.acknowledged_at is None


def test_a_call_cannot_be_relayed_for_a_person_without_a_case_manager(client, staff, switch_to):
    person = add_person(by=staff["nurse"])
    switch_to(staff["nurse"])

    response = client.post(
        "/calls/new",
        data=call_form(
            person_id=str(person.id), first_name="", last_name="", route="relay", override_reason="Suivie ailleurs."
        ),
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "pas de gestionnaire de cas à qui relayer" in page and "Suivie ailleurs." in page
    assert db.session.scalar(sa.select(sa.func.count(Call.id))) == 0


@pytest.mark.parametrize(
    "app_config", [{"MAIL_SERVER": "127.0.0.1", "HELPLINE_PUBLIC_URL": "https://helpline.example"}]
)
def test_with_mail_configured_the_case_manager_is_also_mailed_without_health_details(client, staff, switch_to):
    case = _followed(staff)
    switch_to(staff["nurse"])

    _log(client, case.person, route="relay", summary="Hospitalisée hier soir.")

    message = db.session.scalar(sa.select(OutboxMessage))
    relay = db.session.scalar(sa.select(Relay))
    assert (message.to_address, message.kind, message.object_id) == (staff["cm1"].email, "relay", relay.id)
    assert f"https://helpline.example/cases/{case.id}" in message.body
    assert "Hospitalisée" not in message.body and "Odette" not in message.body


def test_without_mail_configured_only_the_notification_is_added(client, staff, switch_to):
    case = _followed(staff)
    switch_to(staff["nurse"])

    _log(client, case.person, route="relay")

    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 1


def test_a_relayed_unplanned_hospitalisation_puts_her_in_hospital_once_and_the_case_manager_sees_it(
    client, staff, switch_to
):
    from helpline.formatting import to_local
    from models import CareSetting

    case = _followed(staff)
    switch_to(staff["nurse"])
    call = _log(client, case.person, route="relay", rupture_events=["unplanned_hospitalisation"], summary="Chute.")
    _log(client, case.person, route="relay", rupture_events=["unplanned_hospitalisation"], summary="Encore là-bas.")
    _log(client, case.person, route="relay", rupture_events=[], summary="Question sur les aides.")

    (setting,) = db.session.scalars(sa.select(CareSetting)).all()  # the second report finds her in hospital
    assert (setting.kind, setting.case_id, setting.ended_on, setting.recorded_by_id) == (
        "hospital",
        case.id,
        None,
        staff["nurse"].id,
    )
    assert setting.started_on == to_local(call.started_at).date()
    assert setting.note == f"Hospitalisation non programmée signalée par l'appel #{call.id}."
    switch_to(staff["cm1"])
    assert "Hôpital" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_type == "care_setting")).all()
    assert [(e.action, e.user_id) for e in events] == [("create", staff["nurse"].id)]


def _hours(n: int) -> dt.timedelta:
    return dt.timedelta(hours=n)


def test_the_nurse_sees_her_latest_relays_recent_or_old(client, staff, switch_to):
    case = _followed(staff)
    switch_to(staff["nurse"])
    for n in range(7):
        _log(client, case.person, route="relay", summary=f"Appel relayé {n}.")
    relays = list(db.session.scalars(sa.select(Relay).order_by(Relay.id)))
    now = utcnow()
    # One relay of this week, six older than the recent window: the latest five mix both.
    for n, relay in enumerate(relays):
        relay.created_at = now - (RECENT_RELAYS + _hours(n + 1) if n < 6 else _hours(1))
    db.session.commit()
    newest_first = sorted(relays, key=lambda r: r.created_at, reverse=True)

    assert [r.id for r in sent_by(staff["nurse"], limit=5)] == [r.id for r in newest_first[:5]]

    # Enough relays in the window: they are the latest ones.
    for n, relay in enumerate(relays):
        relay.created_at = now - _hours(n + 1)
    db.session.commit()
    assert [r.id for r in sent_by(staff["nurse"], limit=5)] == [r.id for r in relays[:5]]
    assert sent_by(staff["cm1"], limit=5) == []

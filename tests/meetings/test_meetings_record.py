"""The meeting's record (date, attendees, decisions with reasons, tasks) and the cases followed this week."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from helpline.formatting import add_months
from helpline.meetings.record import followed_this_week
from models import Case, FollowUp, Meeting, MeetingDecision, Relay, ReviewItem, Task, db, utcnow
from support import PASSWORD, agreement_form, make_user

ALL_CRITERIA = {
    "autonomy_problem": "y",
    "medical_problem": "y",
    "support_inadequate": "y",
    "no_coordinator_in_entourage": "y",
}


def _as(client, user):
    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return user


def _start(client, coordinator, *others, day="2026-03-02"):
    response = client.post(
        "/meeting/start", data={"held_on": day, "attendees": [str(u.id) for u in (coordinator, *others)]}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(sa.select(Meeting))


def _active_case(person_id=None, manager=None, **fields) -> Case:
    from helpline.persons.service import set_names
    from models import Person

    if person_id is None:
        person = Person(birth_date=dt.date(1939, 4, 3), postcode="4020")
        set_names(person, "Suivie", "Testeuse")
        db.session.add(person)
        db.session.flush()
        person_id = person.id
    case = Case(
        person_id=person_id,
        status="active",
        case_manager_id=(manager or make_user("case_manager")).id,
        opened_at=utcnow(),
        assigned_at=fields.pop("assigned_at", utcnow()),
        **fields,
    )
    db.session.add(case)
    db.session.commit()
    return case


def test_months_are_added_to_the_same_day_or_the_months_last(app):
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 8, 15), 6) == dt.date(2027, 2, 15)


def test_decisions_taken_during_a_meeting_are_recorded_in_it_with_their_reasons(client, nurse, logged):
    validated = logged(route="case_management", **ALL_CRITERIA)
    reoriented = logged(route="case_management", **ALL_CRITERIA)
    coordinator = _as(client, make_user("coordinator", name="Claude Coord"))
    manager = make_user("case_manager", name="Camille Gestion")
    meeting = _start(client, coordinator, nurse, manager)
    items = {i.call_id: i for i in db.session.scalars(sa.select(ReviewItem))}

    client.post(f"/meeting/items/{items[validated.id].id}/validate", data=agreement_form())
    client.post(
        f"/meeting/items/{items[reoriented.id].id}/reorient",
        data={"new_route": "external", "reason": "Le CPAS suit déjà la situation."},
    )
    client.post(
        f"/meeting/items/{items[reoriented.id].id}/tasks",
        data={"title": "Rappeler la fille", "due_date": "2026-03-05", "assignee": str(nurse.id)},
    )

    db.session.expire_all()
    decisions = db.session.scalars(sa.select(MeetingDecision).order_by(MeetingDecision.id)).all()
    assert [(d.person_id, d.reason) for d in decisions] == [
        (validated.person_id, ""),
        (reoriented.person_id, "Le CPAS suit déjà la situation."),
    ]
    assert "Gestion de cas" in decisions[0].decision and "Structure externe" in decisions[1].decision
    assert {u.id for u in meeting.attendees} == {coordinator.id, nurse.id, manager.id}
    assert client.post(f"/meeting/{meeting.id}/close").status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).closed_at is not None
    assert "02/03/2026" in client.get("/meeting/past").get_data(as_text=True)
    page = client.get(f"/meeting/{meeting.id}").get_data(as_text=True)
    assert "Le CPAS suit déjà la situation." in page and "Camille Gestion" in page


def test_a_meeting_without_attendees_is_refused_keeping_the_date(client, login_as):
    login_as("coordinator")

    response = client.post("/meeting/start", data={"held_on": "2026-03-02"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Cochez qui participe à la réunion." in page and 'value="2026-03-02"' in page
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_cases_followed_this_week_are_those_with_a_relay_a_rupture_an_overdue_review_or_an_unmet_need(app, nurse):
    from models import Call

    relayed, overdue, unmet, quiet = (_active_case() for _ in range(4))
    db.session.query(Case).filter(Case.id == overdue.id).update({"assigned_at": utcnow() - dt.timedelta(days=200)})
    call = Call(
        direction="incoming",
        channel="phone",
        started_at=utcnow(),
        caller_type="carer",
        person_id=relayed.person_id,
        nurse_id=nurse.id,
        route="relay",
        rupture_events=["unplanned_hospitalisation"],
    )
    db.session.add(call)
    db.session.flush()
    db.session.add(Relay(call_id=call.id, case_id=relayed.id, to_user_id=relayed.case_manager_id, kind="relay"))
    db.session.add(
        FollowUp(
            person_id=unmet.person_id,
            case_id=unmet.id,
            offset_days=30,
            due_date=dt.date(2026, 1, 5),
            status="done",
            completed_at=utcnow() - dt.timedelta(days=2),
            new_needs=True,
        )
    )
    db.session.commit()

    found = {f.case.id: f.reasons for f in followed_this_week()}

    # Assigned 200 days ago and never reassessed nor reviewed with the person: both are overdue.
    assert found == {
        relayed.id: ["relay", "rupture"],
        overdue.id: ["reassessment_overdue", "plan_review_overdue"],
        unmet.id: ["unmet_need"],
    }
    assert quiet.id not in found


def test_a_decision_on_a_followed_case_is_recorded_with_a_task_and_read_by_those_concerned(client, nurse, app):
    manager, other = make_user("case_manager", name="Camille Gestion"), make_user("case_manager", name="Dom Autre")
    case = _active_case(manager=manager, assigned_at=utcnow() - dt.timedelta(days=200))
    coordinator = _as(client, make_user("coordinator"))
    meeting = _start(client, coordinator, manager)
    assert f'id="followed-{case.id}"' in client.get("/meeting/").get_data(as_text=True)

    response = client.post(
        f"/meeting/cases/{case.id}/decision",
        data={
            "decision": "Réévaluer à domicile avant la fin du mois.",
            "reason": "Dernière évaluation trop ancienne.",
            f"case{case.id}-title": "Appeler la fille pour fixer la visite",
            f"case{case.id}-due_date": "2026-03-04",
            f"case{case.id}-assignee": str(nurse.id),
        },
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    decision = db.session.scalar(sa.select(MeetingDecision))
    assert (decision.case_id, decision.reason) == (case.id, "Dernière évaluation trop ancienne.")
    task = db.session.scalar(sa.select(Task))
    assert (task.assignee_id, task.meeting_id, task.person_id) == (nurse.id, meeting.id, case.person_id)

    _as(client, manager)
    assert "Réévaluer à domicile" in client.get("/meeting/mine").get_data(as_text=True)
    assert client.get(f"/meeting/{meeting.id}").status_code == 200
    _as(client, nurse)  # she was given the task
    assert "Réévaluer à domicile" in client.get("/meeting/mine").get_data(as_text=True)
    _as(client, other)
    assert "Réévaluer à domicile" not in client.get("/meeting/mine").get_data(as_text=True)
    assert client.get(f"/meeting/{meeting.id}").status_code == 403
    assert client.get("/meeting/").status_code == 403


def test_a_decision_needs_its_text_and_keeps_what_was_typed(client, app):
    case = _active_case(assigned_at=utcnow() - dt.timedelta(days=200))
    coordinator = _as(client, make_user("coordinator"))
    _start(client, coordinator)

    response = client.post(f"/meeting/cases/{case.id}/decision", data={"decision": "", "reason": "Motif gardé."})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="decision-error">Décision : Écrivez la décision' in page and "Motif gardé.</textarea>" in page
    assert db.session.scalar(sa.select(sa.func.count(MeetingDecision.id))) == 0

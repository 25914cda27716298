"""A case over time: reassignment (one case, a whole caseload) with caps checked, and reopening."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from cases_support import add_case, make_user

from helpline.followups.cancellation import CASE_REOPENED
from models import Case, CaseEvent, FollowUp, Notification, db, utcnow


def test_coordinator_reassigns_an_active_case_with_a_note(client, staff, switch_to):
    staff["cm2"].case_manager_profile = "social_worker"
    db.session.commit()
    case = add_case(staff["cm1"])
    switch_to(staff["coordinator"])
    form = client.get(f"/cases/{case.id}/reassign").get_data(as_text=True)
    assert "Dominique Test (Assistant·e social·e)" in form

    response = client.post(
        f"/cases/{case.id}/reassign",
        data={"case_manager_id": str(staff["cm2"].id), "note": "Congé de maternité de Camille."},
    )

    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.case_manager_id == staff["cm2"].id and case.status == "active"
    event = db.session.scalar(sa.select(CaseEvent))
    assert (event.kind, event.from_user_id, event.to_user_id, event.note) == (
        "reassigned",
        staff["cm1"].id,
        staff["cm2"].id,
        "Congé de maternité de Camille.",
    )
    assert db.session.scalar(sa.select(Notification).where(Notification.user_id == staff["cm2"].id))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Dossier réattribué" in page and "Congé de maternité de Camille." in page
    switch_to(staff["cm1"])
    assert client.get(f"/cases/{case.id}").status_code == 403  # no longer hers


def test_reassignment_without_a_note_or_to_a_full_case_manager_is_refused(client, staff, switch_to):
    case = add_case(staff["cm1"])
    staff["cm2"].capacity = 0
    db.session.commit()
    switch_to(staff["coordinator"])

    no_note = client.post(f"/cases/{case.id}/reassign", data={"case_manager_id": str(staff["cm2"].id), "note": ""})
    full = client.post(
        f"/cases/{case.id}/reassign", data={"case_manager_id": str(staff["cm2"].id), "note": "Départ de Camille."}
    )

    assert no_note.status_code == 422 and "Dites pourquoi le dossier change de mains" in no_note.get_data(as_text=True)
    assert full.status_code == 422
    page = full.get_data(as_text=True)
    assert "Dominique Test a de la place pour 0 dossier, pas 1" in page and "Départ de Camille." in page
    db.session.expire_all()
    assert db.session.get(Case, case.id).case_manager_id == staff["cm1"].id


def test_case_managers_cannot_reassign(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])

    assert (
        client.post(
            f"/cases/{case.id}/reassign", data={"case_manager_id": str(staff["cm2"].id), "note": "x"}
        ).status_code
        == 403
    )


def test_coordinator_reassigns_a_whole_caseload_when_the_other_has_room_for_all(client, staff, switch_to):
    cases = [add_case(staff["cm1"], assigned_at=utcnow() - dt.timedelta(days=60)) for _ in range(3)]
    staff["cm2"].monthly_intake = 2
    db.session.commit()
    switch_to(staff["coordinator"])

    refused = client.post(
        f"/cases/caseloads/{staff['cm1'].id}/reassign",
        data={"case_manager_id": str(staff["cm2"].id), "note": "Départ de Camille."},
    )
    assert refused.status_code == 422 and "pas 3" in refused.get_data(as_text=True)
    staff["cm2"].monthly_intake = 5
    db.session.commit()
    response = client.post(
        f"/cases/caseloads/{staff['cm1'].id}/reassign",
        data={"case_manager_id": str(staff["cm2"].id), "note": "Départ de Camille."},
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert {db.session.get(Case, c.id).case_manager_id for c in cases} == {staff["cm2"].id}
    assert db.session.scalar(sa.select(sa.func.count(CaseEvent.id))) == 3


def _closed_case(manager, closed_days_ago: int) -> Case:
    case = add_case(manager, status="closed")
    case.closed_at, case.closure_reason = utcnow() - dt.timedelta(days=closed_days_ago), "goals_reached"
    for offset, due in ((30, dt.date(2030, 1, 10)), (182, dt.date(2030, 6, 10))):
        db.session.add(FollowUp(person_id=case.person_id, case_id=case.id, offset_days=offset, due_date=due))
    db.session.commit()
    return case


def test_reopening_a_closed_case_cancels_its_follow_ups_and_continues_its_history(client, staff, switch_to):
    case = _closed_case(staff["cm1"], closed_days_ago=40)
    switch_to(staff["cm1"])
    assert "Rouvrir le dossier" in client.get(f"/cases/{case.id}").get_data(as_text=True)

    response = client.post(f"/cases/{case.id}/reopen", data={"note": "Chute, retour à domicile difficile."})

    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.status, case.case_manager_id, case.closed_at) == ("active", staff["cm1"].id, None)
    statuses = db.session.execute(sa.select(FollowUp.status, FollowUp.cancel_reason)).all()
    assert set(statuses) == {("cancelled", CASE_REOPENED)}
    event = db.session.scalar(sa.select(CaseEvent))
    assert (event.kind, event.case_id, event.note) == ("reopened", case.id, "Chute, retour à domicile difficile.")
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1


@pytest.mark.parametrize("app_config", [{"CASE_REOPEN_MONTHS": 1}])
def test_a_case_closed_longer_than_the_period_cannot_be_reopened(client, staff, switch_to):
    case = _closed_case(staff["cm1"], closed_days_ago=40)
    switch_to(staff["coordinator"])

    assert "Rouvrir le dossier" not in client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert client.post(f"/cases/{case.id}/reopen", data={"note": "Trop tard."}).status_code == 409
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "closed"


def test_a_reopened_case_whose_manager_is_full_goes_back_to_the_waiting_list(client, staff, switch_to):
    case = _closed_case(staff["cm1"], closed_days_ago=10)
    staff["cm1"].capacity = 0
    db.session.commit()
    switch_to(staff["coordinator"])

    client.post(f"/cases/{case.id}/reopen", data={"note": "Nouvelle demande de la fille."})

    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.status, case.case_manager_id) == ("waiting", None)


def test_the_profile_is_recorded_by_the_admin(client, login_as):
    login_as("admin")
    manager = make_user("case_manager", name="Sam Social")

    response = client.post(
        f"/admin/users/{manager.id}",
        data={
            "email": manager.email,
            "name": "Sam Social",
            "roles": ["case_manager"],
            "capacity": "30",
            "case_manager_profile": "social_worker",
            "active": "y",
        },
    )

    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert db.session.get(type(manager), manager.id).case_manager_profile == "social_worker"

"""The team meeting: which calls go on its agenda, its decisions and the tasks it gives."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Case, ReviewItem, Task, db
from support import agreement_form


def login_coordinator(client, login_as):
    client.post("/logout")
    return login_as("coordinator")


def test_calls_needing_the_team_go_on_the_agenda_and_others_do_not(logged, case_management_call):
    three = logged(autonomy_problem="y", medical_problem="y", support_inadequate="y")
    plain = logged()

    items = {item.call_id: item for item in db.session.scalars(sa.select(ReviewItem))}

    assert three.team_review and not plain.team_review
    assert set(items) == {case_management_call.id, three.id}
    assert all(item.status == "pending" for item in items.values())


def test_meeting_page_lists_the_agenda_for_coordinators_only(client, login_as, case_management_call):
    assert client.get("/meeting/").status_code == 403  # the nurse
    login_coordinator(client, login_as)

    page = client.get("/meeting/").get_data(as_text=True)

    assert f"/calls/{case_management_call.id}" in page and "Fils épuisé" in page


def test_validating_a_case_management_orientation_opens_a_waiting_case(client, login_as, case_management_call):
    coordinator = login_coordinator(client, login_as)
    item = db.session.scalar(sa.select(ReviewItem))

    response = client.post(f"/meeting/items/{item.id}/validate", data=agreement_form())

    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.status, item.decided_by_id) == ("validated", coordinator.id) and item.decided_at
    case = db.session.scalar(sa.select(Case).where(Case.person_id == case_management_call.person_id))
    assert case is not None and case.status == "waiting"
    assert client.post(f"/meeting/items/{item.id}/validate").status_code == 302  # already decided: refused
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1


def test_reorienting_applies_the_new_route_with_the_teams_reason(client, login_as, case_management_call):
    login_coordinator(client, login_as)
    item = db.session.scalar(sa.select(ReviewItem))

    response = client.post(
        f"/meeting/items/{item.id}/reorient",
        data={"new_route": "external", "reason": "Le CPAS suit déjà la situation."},
    )

    assert response.status_code == 302
    db.session.refresh(item)
    db.session.refresh(case_management_call)
    assert (item.status, item.new_route, item.reason) == ("reoriented", "external", "Le CPAS suit déjà la situation.")
    assert case_management_call.route == "external"
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_reorienting_without_a_reason_is_refused_and_keeps_the_choice(client, login_as, case_management_call):
    login_coordinator(client, login_as)
    item = db.session.scalar(sa.select(ReviewItem))

    response = client.post(f"/meeting/items/{item.id}/reorient", data={"new_route": "information", "reason": ""})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<option selected value="information">' in page and 'id="reason-' in page
    db.session.refresh(item)
    assert item.status == "pending"


def test_task_given_at_the_meeting_shows_on_the_nurses_home_page_until_done(
    client, login_as, nurse, case_management_call
):
    login_coordinator(client, login_as)
    item = db.session.scalar(sa.select(ReviewItem))
    due = dt.date.today() + dt.timedelta(days=3)

    response = client.post(
        f"/meeting/items/{item.id}/tasks",
        data={"title": "Rappeler le fils", "due_date": due.isoformat(), "assignee": str(nurse.id)},
    )
    assert response.status_code == 302
    task = db.session.scalar(sa.select(Task))
    assert (task.assignee_id, task.person_id, task.review_item_id, task.due_date) == (
        nurse.id,
        case_management_call.person_id,
        item.id,
        due,
    )

    client.post("/logout")
    client.post("/login", data={"email": nurse.email, "password": "correct-horse-battery"})
    assert "Rappeler le fils" in client.get("/").get_data(as_text=True)
    assert client.post(f"/meeting/tasks/{task.id}/done").status_code == 302
    assert "Rappeler le fils" not in client.get("/").get_data(as_text=True)


def test_task_without_title_or_date_is_refused_naming_the_fields(client, login_as, nurse, case_management_call):
    login_coordinator(client, login_as)
    item = db.session.scalar(sa.select(ReviewItem))

    response = client.post(
        f"/meeting/items/{item.id}/tasks", data={"title": "", "due_date": "demain", "assignee": str(nurse.id)}
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="title-' in page and "has-error" in page
    assert db.session.scalar(sa.select(sa.func.count(Task.id))) == 0

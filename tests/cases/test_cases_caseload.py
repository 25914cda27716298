"""Caseload: capacity and monthly intake limits, the proposal of the manager with most room, the waiting list."""

import datetime as dt

import sqlalchemy as sa
from cases_support import add_call, add_case, make_user

from helpline.cases.home import case_manager_panel
from helpline.cases.service import caseload_of, month_start_utc, propose_case_manager, waiting_list
from models import AuditEvent, Handoff, Visit, db, utcnow
from support import agreement_form


def test_proposal_is_the_case_manager_with_most_room(staff):
    for _ in range(2):
        add_case(staff["cm1"])
    add_case(staff["cm2"])
    assert propose_case_manager().id == staff["cm2"].id


def test_capacity_counts_active_cases_only(staff):
    manager = make_user("case_manager", capacity=2)
    add_case(manager, assigned_at=month_start_utc() - dt.timedelta(days=40))
    add_case(manager, assigned_at=month_start_utc() - dt.timedelta(days=40))
    add_case(manager, status="closed", assigned_at=month_start_utc() - dt.timedelta(days=40))
    load = caseload_of(manager)
    assert (load.active, load.intake, load.full) == (2, 0, True)


def test_monthly_intake_limit_counts_this_months_assignments_even_if_closed(staff):
    manager = make_user("case_manager", monthly_intake=2)
    add_case(manager)
    add_case(manager, status="closed")
    add_case(manager, assigned_at=month_start_utc() - dt.timedelta(days=3))  # last month
    load = caseload_of(manager)
    assert (load.active, load.intake, load.room) == (2, 2, 0)


def test_waiting_list_is_ordered_by_priority_then_date(staff):
    now = utcnow()
    old_routine = add_case(priority="routine", status="waiting", opened_at=now - dt.timedelta(days=9))
    new_high = add_case(priority="high", status="waiting", opened_at=now - dt.timedelta(days=1))
    old_high = add_case(priority="high", status="waiting", opened_at=now - dt.timedelta(days=5))
    immediate = add_case(priority="immediate", status="waiting", opened_at=now)
    assert [c.id for c in waiting_list()] == [immediate.id, old_high.id, new_high.id, old_routine.id]


def test_coordinator_assigns_a_waiting_case_to_the_proposed_manager(client, staff, switch_to):
    case = add_case(status="waiting")
    switch_to(staff["coordinator"])
    page = client.get(f"/cases/{case.id}/assign").get_data(as_text=True)
    assert f'<option selected value="{staff["cm1"].id}">' in page  # equal room: by name, Camille first
    response = client.post(
        f"/cases/{case.id}/assign", data={"case_manager_id": str(staff["cm2"].id), **agreement_form()}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (case.status, case.case_manager_id) == ("active", staff["cm2"].id) and case.assigned_at is not None
    assert (
        db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "case", AuditEvent.action == "update"))
        is not None
    )


def test_assigning_to_a_full_manager_is_refused_and_the_case_keeps_waiting(client, staff, switch_to):
    full = make_user("case_manager", name="Plein Test", monthly_intake=1)
    add_case(full)
    case = add_case(status="waiting")
    switch_to(staff["coordinator"])
    response = client.post(f"/cases/{case.id}/assign", data={"case_manager_id": str(full.id), **agreement_form()})
    assert response.status_code == 422
    assert "Plein Test" in response.get_data(as_text=True)
    db.session.expire_all()
    assert case.status == "waiting" and case.case_manager_id is None


def test_when_everyone_is_full_nobody_is_proposed_and_the_coordinator_sees_the_waiting_list(client, staff, switch_to):
    for manager in (staff["cm1"], staff["cm2"]):
        manager.capacity = 1
        add_case(manager)
    db.session.commit()
    waiting = add_case(status="waiting", priority="high")
    assert propose_case_manager() is None
    switch_to(staff["coordinator"])
    page = client.get("/cases/waiting").get_data(as_text=True)
    assert f"/cases/{waiting.id}/assign" in page and 'class="flash error"' in page
    switch_to(staff["cm1"])
    assert client.get("/cases/waiting").status_code == 403


def test_case_manager_home_panel_shows_cases_visits_items_and_unread(client, staff, switch_to):
    case = add_case(staff["cm1"])
    db.session.add(Visit(case_id=case.id, scheduled_for=utcnow() + dt.timedelta(days=1)))
    db.session.add(Visit(case_id=case.id, scheduled_for=utcnow() + dt.timedelta(days=30)))
    db.session.commit()
    switch_to(staff["cm1"])
    panel = case_manager_panel(staff["cm1"])
    assert [c.id for c in panel["cases"]] == [case.id] and len(panel["visits"]) == 1 and panel["unread"] == 0
    assert f"/cases/{case.id}" in client.get("/").get_data(as_text=True)


def test_home_panels_show_each_role_its_part_of_case_management(client, staff, switch_to):
    waiting = add_case(status="waiting", priority="high")
    call = add_call(staff["nurse"])
    db.session.add(Handoff(call_id=call.id, from_user_id=staff["nurse"].id, situation="Note."))
    db.session.commit()
    switch_to(staff["coordinator"])
    page = client.get("/").get_data(as_text=True)
    assert f"/cases/{waiting.id}/assign" in page and "(1 " in page  # waiting list, team inbox unread
    switch_to(staff["nurse"])
    page = client.get("/").get_data(as_text=True)
    assert 'class="receipt unread"' in page  # her handoff, not read yet

"""Closure schedules the follow-ups at 30 and 182 days on working days and frees capacity; who sees which case."""

import datetime as dt

import sqlalchemy as sa
from cases_support import add_call, add_case, make_user

from helpline.cases.service import caseload_of
from helpline.followups.schedule import is_working_day
from models import AuditEvent, FollowUp, Handoff, Visit, db, utcnow


def test_closing_a_case_schedules_two_followups_on_working_days_and_frees_capacity(client, staff, switch_to):
    staff["cm1"].capacity = 1
    db.session.commit()
    case = add_case(staff["cm1"], assigned_at=utcnow() - dt.timedelta(days=60))
    assert caseload_of(staff["cm1"]).full
    switch_to(staff["cm1"])
    # Saturday 2026-11-14: +30 days is Monday 14 December; +182 days is Saturday 15 May 2027;
    # Monday 17 May is Whit Monday → Tuesday 18 May.
    response = client.post(
        f"/cases/{case.id}/close", data={"reason": "goals_reached", "closed_on": "2026-11-14", "note": "OK"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (case.status, case.closure_reason, case.closure_note) == ("closed", "goals_reached", "OK")
    followups = db.session.scalars(sa.select(FollowUp).order_by(FollowUp.offset_days)).all()
    assert [(f.offset_days, f.case_id, f.person_id) for f in followups] == [
        (30, case.id, case.person_id),
        (182, case.id, case.person_id),
    ]
    assert [f.due_date for f in followups] == [dt.date(2026, 12, 14), dt.date(2027, 5, 18)]
    assert all(is_working_day(f.due_date) for f in followups)
    assert not caseload_of(staff["cm1"]).full


def test_closing_without_a_reason_is_refused(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    response = client.post(f"/cases/{case.id}/close", data={"closed_on": "2026-11-14", "note": "Gardé"})
    assert response.status_code == 422
    assert 'id="reason-error"' in response.get_data(as_text=True) and "Gardé" in response.get_data(as_text=True)
    db.session.expire_all()
    assert case.status == "active" and db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 0


def test_case_manager_sees_only_their_own_cases(client, staff, switch_to):
    own, other = add_case(staff["cm1"]), add_case(staff["cm2"])
    switch_to(staff["cm1"])
    listing = client.get("/cases/").get_data(as_text=True)
    assert f'/cases/{own.id}"' in listing and f'/cases/{other.id}"' not in listing
    assert client.get(f"/cases/{own.id}").status_code == 200
    for path in (
        f"/cases/{other.id}",
        f"/cases/{other.id}/plan",
        f"/cases/{other.id}/assessments",
        f"/cases/{other.id}/plan/print",
    ):
        assert client.get(path).status_code == 403, path
    assert (
        client.post(f"/cases/{other.id}/close", data={"reason": "died", "closed_on": "2026-11-02"}).status_code == 403
    )
    assert client.get(f"/persons/{own.person_id}").status_code == 200
    assert client.get(f"/persons/{other.person_id}").status_code == 403
    denied = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "denied"))
    assert denied.object_id == other.id


def test_coordinator_sees_every_case(client, staff, switch_to):
    first, second = add_case(staff["cm1"]), add_case(staff["cm2"])
    switch_to(staff["coordinator"])
    listing = client.get("/cases/").get_data(as_text=True)
    assert f'/cases/{first.id}"' in listing and f'/cases/{second.id}"' in listing
    assert client.get(f"/cases/{second.id}").status_code == 200


def test_nurse_sees_her_handoffs_but_no_case(client, staff, switch_to):
    case = add_case(staff["cm1"])
    call = add_call(staff["nurse"])
    other_nurse = make_user("nurse")
    db.session.add(
        Handoff(
            call_id=call.id, from_user_id=other_nurse.id, to_user_id=staff["cm1"].id, situation="Note d'une collègue."
        )
    )
    db.session.commit()
    switch_to(staff["nurse"])
    assert client.get(f"/cases/{case.id}").status_code == 403
    assert client.get("/cases/").status_code == 403
    assert "Note d'une collègue." not in client.get("/cases/handoffs/").get_data(as_text=True)


def test_reading_a_case_is_audited(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    client.get(f"/cases/{case.id}")
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "read", AuditEvent.object_type == "case")
    )
    assert (event.object_id, event.person_id, event.user_id) == (case.id, case.person_id, staff["cm1"].id)


def test_visits_are_scheduled_then_recorded(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    client.post(f"/cases/{case.id}/visits", data={"scheduled_for": "2026-12-01T10:00"})
    visit = db.session.scalar(sa.select(Visit))
    assert visit.scheduled_for == dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # Brussels winter time
    response = client.post(
        f"/cases/{case.id}/visits/{visit.id}", data={"done_at": "2026-11-02T10:30", "notes": "Domicile adapté."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert visit.done_at is not None and visit.notes == "Domicile adapté."


def test_demo_loader_gives_the_demo_case_manager_cases(app, runner):
    from helpline.demo import load_demo_data

    assert load_demo_data()
    from models import Case

    cases = db.session.scalars(sa.select(Case)).all()
    assert sorted(c.status for c in cases) == ["active", "active", "waiting"]

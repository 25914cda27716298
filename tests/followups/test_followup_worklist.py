"""The nurse's home panel and worklist, and claiming a follow-up when she starts it."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from followup_factories import add_closed_case, add_followup, add_person, add_referral, add_user, today_local

from helpline.followups.claims import claim, release_stale_claims
from models import AuditEvent, FollowUp, db, utcnow


def _three_followups(referrer):
    today = today_local()
    person_a, person_b, person_c = add_person(), add_person(), add_person()
    overdue = add_followup(person_a, add_referral(person_a, referrer), today - dt.timedelta(days=5))
    case = add_closed_case(person_b, add_user("case_manager", name="Gestionnaire Démo"))
    due_today = FollowUp(person_id=person_b.id, case_id=case.id, offset_days=182, due_date=today)
    db.session.add(due_today)
    later = add_followup(person_c, add_referral(person_c, referrer), today + dt.timedelta(days=3))
    db.session.commit()
    return overdue, due_today, later


def test_home_panel_lists_due_and_overdue_follow_ups_oldest_first_with_why(client, login_as, referrer):
    overdue, due_today, later = _three_followups(referrer)
    login_as("nurse")

    page = client.get("/").get_data(as_text=True)

    assert overdue.person.display_name in page and due_today.person.display_name in page
    assert later.person.display_name not in page
    assert page.index(overdue.person.display_name) < page.index(due_today.person.display_name)
    assert overdue.referral.structure.name in page  # why: the referral and its structure
    assert "Gestionnaire Démo" in page  # why: the closed case and its manager
    assert f"/followups/{overdue.id}/start" in page


def test_home_panel_is_not_shown_to_case_managers(client, login_as, referrer):
    _three_followups(referrer)
    login_as("case_manager")
    assert "/start" not in client.get("/").get_data(as_text=True)


def test_start_claims_the_follow_up_and_a_second_nurse_is_refused(app, client, login_as, referrer):
    overdue, _, _ = _three_followups(referrer)
    nurse = login_as("nurse")

    response = client.post(f"/followups/{overdue.id}/start")

    assert response.status_code == 302 and response.headers["Location"].endswith(f"/followups/{overdue.id}")
    db.session.expire_all()
    followup = db.session.get(FollowUp, overdue.id)
    assert (followup.status, followup.claimed_by_id) == ("claimed", nurse.id)
    assert db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "claim", AuditEvent.object_id == overdue.id)
    )
    other = add_user("nurse")
    assert claim(overdue.id, other) is False
    assert db.session.get(FollowUp, overdue.id).claimed_by_id == nurse.id


def test_second_nurse_sees_who_is_working_on_it(app, client, login_as, referrer):
    overdue, _, _ = _three_followups(referrer)
    holder = add_user("nurse", name="Première Infirmière")
    assert claim(overdue.id, holder)
    login_as("nurse")

    response = client.post(f"/followups/{overdue.id}/start", headers={"Referer": "/"})
    page = client.get("/").get_data(as_text=True)

    assert response.status_code == 302
    assert "Première Infirmière" in page
    db.session.expire_all()
    assert db.session.get(FollowUp, overdue.id).claimed_by_id == holder.id


def test_stale_claim_is_released_and_can_be_taken_over(app, referrer):
    overdue, _, _ = _three_followups(referrer)
    first, second = add_user("nurse"), add_user("nurse")
    assert claim(overdue.id, first)
    db.session.execute(
        sa.update(FollowUp)
        .where(FollowUp.id == overdue.id)
        .values(claimed_at=utcnow() - dt.timedelta(minutes=app.config["FOLLOWUP_CLAIM_MINUTES"] + 1))
    )
    db.session.commit()

    assert claim(overdue.id, second)  # an abandoned claim does not block the worklist
    db.session.execute(
        sa.update(FollowUp).where(FollowUp.id == overdue.id).values(claimed_at=utcnow() - dt.timedelta(hours=5))
    )
    db.session.commit()
    assert release_stale_claims() == 1
    assert release_stale_claims() == 0
    db.session.expire_all()
    assert (db.session.get(FollowUp, overdue.id).status, db.session.get(FollowUp, overdue.id).claimed_by_id) == (
        "pending",
        None,
    )


def test_worklist_filters_by_origin_and_date(client, login_as, referrer):
    overdue, due_today, later = _three_followups(referrer)
    login_as("nurse")

    cases = client.get("/followups/?origin=case").get_data(as_text=True)
    week = client.get("/followups/?when=week&origin=referral").get_data(as_text=True)
    overdue_only = client.get("/followups/?when=overdue").get_data(as_text=True)

    assert due_today.person.display_name in cases and overdue.person.display_name not in cases
    assert later.person.display_name in week and due_today.person.display_name not in week
    assert overdue.person.display_name in overdue_only and due_today.person.display_name not in overdue_only


def test_start_next_claims_the_oldest_due_follow_up(client, login_as, referrer):
    overdue, _, _ = _three_followups(referrer)
    nurse = login_as("nurse")

    response = client.post("/followups/next")

    assert response.headers["Location"].endswith(f"/followups/{overdue.id}")
    db.session.expire_all()
    assert db.session.get(FollowUp, overdue.id).claimed_by_id == nurse.id


def test_closed_follow_ups_are_listed_whatever_their_due_date_unless_a_date_is_chosen(client, login_as, referrer):
    overdue, due_today, later = _three_followups(referrer)
    later.status = "cancelled"
    db.session.commit()
    login_as("nurse")

    cancelled = client.get("/followups/?status=cancelled").get_data(as_text=True)
    cancelled_due = client.get("/followups/?status=cancelled&when=due").get_data(as_text=True)
    still_open = client.get("/followups/").get_data(as_text=True)

    assert later.person.display_name in cancelled  # due in three days, cancelled today
    assert overdue.person.display_name not in cancelled
    assert later.person.display_name not in cancelled_due
    assert later.person.display_name not in still_open and overdue.person.display_name in still_open

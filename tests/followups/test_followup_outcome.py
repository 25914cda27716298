"""The follow-up call form: the questionnaire stored as data, retries, the unreachable escalation."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from followup_factories import add_closed_case, add_followup, add_person, add_referral, add_user, today_local

from helpline.followups.claims import claim
from helpline.followups.escalation import escalate_unreachable
from helpline.followups.outcome import next_attempt_at, part_of_day, record_not_reached
from models import FollowUp, FollowUpAttempt, Notification, db

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def started(client, login_as, referrer):
    """Return a due follow-up started (claimed) by the logged-in nurse, and the nurse."""
    person = add_person()
    followup = add_followup(person, add_referral(person, referrer), today_local())
    nurse = login_as("nurse")
    assert client.post(f"/followups/{followup.id}/start").status_code == 302
    return followup, nurse


def test_reached_follow_up_stores_the_questionnaire_as_data(client, started):
    followup, nurse = started

    response = client.post(
        f"/followups/{followup.id}",
        data={
            "reached": "yes",
            "services_in_place": "yes",
            "services_working": "no",
            "new_needs": "no",
            "unplanned_hospitalisation": "yes",
            "satisfaction": "4",
            "notes": "Aide familiale absente 2 fois.",
        },
    )

    assert response.status_code == 302
    db.session.expire_all()
    done = db.session.get(FollowUp, followup.id)
    assert (
        done.status,
        done.reached,
        done.services_in_place,
        done.services_working,
        done.new_needs,
        done.unplanned_hospitalisation,
        done.satisfaction,
    ) == ("done", True, True, False, False, True, 4)
    assert done.notes == "Aide familiale absente 2 fois." and done.claimed_by_id is None
    assert [(a.reached, a.by_id) for a in done.attempt_log] == [(True, nurse.id)]
    # Indicators count answers with plain queries.
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(FollowUp).where(FollowUp.unplanned_hospitalisation.is_(True))
        )
        == 1
    )


def test_incomplete_questionnaire_is_refused_with_what_was_typed(client, started):
    followup, _ = started

    response = client.post(
        f"/followups/{followup.id}",
        data={"reached": "yes", "services_in_place": "yes", "satisfaction": "9", "notes": "Note gardée"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count("Choisissez une réponse.") == 3  # services working, new needs, hospitalisation
    assert "Choisissez un chiffre de 1 à 5" in page and "Note gardée" in page
    db.session.expire_all()
    assert db.session.get(FollowUp, followup.id).status == "claimed"


def test_not_reached_logs_the_attempt_and_plans_a_retry_at_another_part_of_the_day(client, started):
    followup, _ = started

    response = client.post(f"/followups/{followup.id}", data={"reached": "no", "notes": "Messagerie"})

    assert response.status_code == 302
    db.session.expire_all()
    retried = db.session.get(FollowUp, followup.id)
    attempt = retried.attempt_log[0]
    assert (retried.status, retried.attempts, retried.claimed_by_id) == ("pending", 1, None)
    assert (attempt.reached, attempt.note) == (False, "Messagerie")
    assert retried.next_attempt_at.astimezone(BRUSSELS).date() > attempt.at.astimezone(BRUSSELS).date()
    assert part_of_day(retried.next_attempt_at) != part_of_day(attempt.at)


def test_three_attempts_spread_over_a_week_at_different_times_of_day(app):
    monday_morning = dt.datetime(2025, 3, 3, 10, 0, tzinfo=BRUSSELS)
    second = next_attempt_at(monday_morning, monday_morning)
    third = next_attempt_at(second, monday_morning)

    assert second.astimezone(BRUSSELS).replace(tzinfo=None) == dt.datetime(2025, 3, 6, 14, 0)
    assert third.astimezone(BRUSSELS).replace(tzinfo=None) == dt.datetime(2025, 3, 10, 17, 0)
    assert len({part_of_day(monday_morning), part_of_day(second), part_of_day(third)}) == 3


def test_retry_skips_a_public_holiday(app):
    thursday_afternoon = dt.datetime(2025, 4, 17, 15, 0, tzinfo=BRUSSELS)  # 3 days later: Easter Sunday
    retry = next_attempt_at(thursday_afternoon, thursday_afternoon).astimezone(BRUSSELS)
    assert retry.date() == dt.date(2025, 4, 22) and retry.hour == 17


def _fail_three_times(followup, nurse):
    for _ in range(3):
        assert claim(followup.id, nurse)
        db.session.refresh(followup)
        record_not_reached(followup, nurse, "pas de réponse")
        db.session.commit()


def test_last_attempt_marks_unreachable_and_notifies_the_referrer_once(app, referrer):
    person = add_person()
    followup = add_followup(person, add_referral(person, referrer), today_local())
    nurse = add_user("nurse")

    _fail_three_times(followup, nurse)
    assert escalate_unreachable() == 0  # already escalated when the last attempt was logged

    db.session.expire_all()
    followup = db.session.get(FollowUp, followup.id)
    notices = db.session.scalars(sa.select(Notification)).all()
    assert (followup.status, followup.reached, followup.attempts) == ("unreachable", False, 3)
    assert followup.escalated_at is not None
    assert [(n.user_id, n.link) for n in notices] == [(referrer.id, f"/followups/{followup.id}")]
    assert person.display_name in notices[0].message and "3" in notices[0].message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUpAttempt)) == 3


def test_unreachable_after_case_closure_notifies_the_case_manager(app):
    manager = add_user("case_manager")
    person = add_person()
    case = add_closed_case(person, manager)
    followup = FollowUp(person_id=person.id, case_id=case.id, offset_days=30, due_date=today_local())
    db.session.add(followup)
    db.session.commit()

    _fail_three_times(followup, add_user("nurse"))

    assert db.session.scalars(sa.select(Notification.user_id)).all() == [manager.id]


def test_unreachable_without_a_case_manager_notifies_the_coordinators(app):
    coordinator = add_user("coordinator")
    person = add_person()
    case = add_closed_case(person, None)
    followup = FollowUp(person_id=person.id, case_id=case.id, offset_days=30, due_date=today_local())
    db.session.add(followup)
    db.session.commit()

    _fail_three_times(followup, add_user("nurse"))

    assert db.session.scalars(sa.select(Notification.user_id)).all() == [coordinator.id]


def test_case_manager_reads_only_the_follow_ups_of_her_cases(app, client, login_as):
    manager = login_as("case_manager")
    mine, other = add_person(), add_person()
    own = FollowUp(person_id=mine.id, case_id=add_closed_case(mine, manager).id, offset_days=30, due_date=today_local())
    foreign = FollowUp(
        person_id=other.id,
        case_id=add_closed_case(other, add_user("case_manager")).id,
        offset_days=30,
        due_date=today_local(),
    )
    db.session.add_all([own, foreign])
    db.session.commit()

    assert client.get(f"/followups/{own.id}").status_code == 200
    assert client.get(f"/followups/{foreign.id}").status_code == 403
    assert client.post(f"/followups/{own.id}", data={"reached": "no"}).status_code == 403


def test_answers_of_a_nurse_whose_claim_was_taken_over_are_refused(client, started):
    followup, _ = started
    other = add_user("nurse")
    db.session.execute(sa.update(FollowUp).where(FollowUp.id == followup.id).values(claimed_by_id=other.id))
    db.session.commit()

    response = client.post(f"/followups/{followup.id}", data={"reached": "no", "notes": "Gardé à l'écran"})

    assert response.status_code == 409 and "Gardé à l&#39;écran" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FollowUp, followup.id).attempts == 0

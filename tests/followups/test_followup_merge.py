"""One person, one follow-up call per period: follow-ups due within 14 days are one call that lists them."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from followup_factories import add_closed_case, add_followup, add_person, add_referral, add_user

from helpline.followups.cancellation import cancel_followup
from helpline.followups.outcome import Answers, record_not_reached, record_reached
from helpline.followups.schedule import schedule_followups
from models import Call, FollowUp, db

SENT = dt.date(2025, 3, 3)  # a Monday


def _open_calls(person) -> list[FollowUp]:
    return list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.person_id == person.id, FollowUp.status.in_(("pending", "claimed")))
            .order_by(FollowUp.due_date)
        )
    )


def _plan_sent_as_referrals_and_case_closed(referrer, n: int = 3):
    person = add_person(phone="+32470000061")
    referrals = [add_referral(person, referrer, sent=SENT) for _ in range(n)]
    for referral in referrals:
        schedule_followups(person.id, SENT, referral_id=referral.id)
    case = add_closed_case(person, referrer, closed=SENT + dt.timedelta(days=3))
    schedule_followups(person.id, SENT + dt.timedelta(days=3), case_id=case.id)
    db.session.commit()
    return person, referrals, case


def test_referrals_and_closure_on_the_same_days_give_one_call_per_period(app, referrer):
    person, referrals, case = _plan_sent_as_referrals_and_case_closed(referrer)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp).where(FollowUp.person_id == person.id))
    assert total == 2 * 3 + 2  # each referral and the case keep their own 1- and 6-month follow-up
    calls = _open_calls(person)
    assert [f.offset_days for f in calls] == [30, 182]  # but she is called twice, not eight times
    month = calls[0]
    covered = db.session.scalars(sa.select(FollowUp).where(FollowUp.merged_into_id == month.id)).all()
    assert {f.status for f in covered} == {"merged"}
    assert {(f.referral_id, f.case_id) for f in [month, *covered]} == {
        *((r.id, None) for r in referrals),
        (None, case.id),
    }


def test_follow_ups_more_than_14_days_apart_stay_two_calls(app, referrer):
    person = add_person(phone="+32470000062")
    first, later = add_referral(person, referrer, sent=SENT), add_referral(person, referrer, sent=SENT)
    schedule_followups(person.id, SENT, days=(30,), referral_id=first.id)
    schedule_followups(person.id, SENT + dt.timedelta(days=21), days=(30,), referral_id=later.id)
    db.session.commit()
    assert len(_open_calls(person)) == 2


def test_the_call_recorded_closes_everything_it_covers_with_the_same_answers(app, referrer):
    person, referrals, case = _plan_sent_as_referrals_and_case_closed(referrer)
    month = _open_calls(person)[0]
    record_reached(
        month,
        referrer,
        Answers(
            services_in_place=True,
            services_working=True,
            new_needs=False,
            unplanned_hospitalisation=False,
            satisfaction=4,
            notes="Tout va",
        ),
    )
    db.session.commit()
    month_followups = db.session.scalars(
        sa.select(FollowUp).where(FollowUp.person_id == person.id, FollowUp.offset_days == 30)
    ).all()
    assert [(f.status, f.satisfaction) for f in month_followups] == [("done", 4)] * 4


def test_unreachable_call_tells_each_referrer_and_closes_what_it_covers(app, referrer):
    app.config["FOLLOWUP_MAX_ATTEMPTS"] = 1
    other = add_user("nurse", name="Autre Référente")
    person = add_person(phone="+32470000063")
    mine, theirs = add_referral(person, referrer, sent=SENT), add_referral(person, other, sent=SENT)
    for referral in (mine, theirs):
        schedule_followups(person.id, SENT, days=(30,), referral_id=referral.id)
    db.session.commit()
    (call,) = _open_calls(person)
    assert record_not_reached(call, referrer) == "unreachable"
    db.session.commit()
    statuses = db.session.scalars(sa.select(FollowUp.status).where(FollowUp.person_id == person.id)).all()
    assert statuses == ["unreachable", "unreachable"]
    from models import Notification

    told = set(db.session.scalars(sa.select(Notification.user_id)))
    assert {referrer.id, other.id} <= told


def test_cancelling_the_call_leaves_what_it_covered_to_be_checked(app, referrer):
    person, referrals, case = _plan_sent_as_referrals_and_case_closed(referrer)
    month = _open_calls(person)[0]
    assert cancel_followup(month, "Orientation annulée", referrer.id)
    db.session.commit()
    calls = _open_calls(person)
    assert [f.offset_days for f in calls] == [30, 182]
    assert calls[0].id != month.id
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(FollowUp).where(FollowUp.merged_into_id == calls[0].id)
        )
        == 2
    )


def test_the_follow_up_page_lists_what_the_call_checks(client, login_as, app, referrer):
    person, referrals, case = _plan_sent_as_referrals_and_case_closed(referrer)
    db.session.add(
        Call(
            direction="incoming",
            channel="phone",
            started_at=dt.datetime(2025, 2, 1, 9, tzinfo=dt.UTC),
            caller_type="carer",
            caller_name="Paul Démo",
            caller_relation="fils",
            caller_phone="+32470000064",
            person_id=person.id,
            nurse_id=referrer.id,
            route="external",
        )
    )
    db.session.commit()
    month = _open_calls(person)[0]
    login_as("nurse")
    page = client.get(f"/followups/{month.id}").get_data(as_text=True)
    assert "Ce que cet appel vérifie" in page
    for referral in referrals:
        assert referral.structure.name in page
    assert page.count("Orientation : Envoyée") == 3
    assert "Dossier clôturé le" in page and "Gestionnaire de cas : Infirmière Référente" in page
    assert "Paul Démo" in page and "(fils)" in page and 'href="tel:+32470000064"' in page
    assert 'href="tel:+32470000061"' in page


def test_a_call_logged_from_a_follow_up_is_outgoing_with_its_notes_and_links_back(client, login_as, referrer):
    person = add_person(phone="+32470000065")
    followup = add_followup(
        person,
        add_referral(person, referrer),
        dt.date(2025, 4, 2),
        status="done",
        notes="Chute la semaine passée",
        new_needs=True,
        reached=True,
    )
    login_as("nurse")
    page = client.get(f"/followups/{followup.id}").get_data(as_text=True)
    assert f"/calls/new?person_id={person.id}&amp;from_followup={followup.id}&amp;direction=outgoing" in page
    form = client.get(f"/calls/new?person_id={person.id}&from_followup={followup.id}&direction=outgoing")
    text = form.get_data(as_text=True)
    assert "Chute la semaine passée</textarea>" in text
    assert re.search(r'<input[^>]*checked[^>]*value="outgoing"|<input[^>]*value="outgoing"[^>]*checked', text)


def test_the_migration_merges_existing_duplicates_and_downgrades(app, referrer):
    person = add_person(phone="+32470000066")
    due = dt.date(2025, 4, 2)
    ids = [add_followup(person, add_referral(person, referrer), due + dt.timedelta(days=d)).id for d in (0, 3, 20)]
    db.session.remove()
    downgrade(revision="0066_followup_merge-1")  # this migration (and any later one)
    # The duplicates as the old scheduler left them: all pending, no merge column.
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("followup")}
    assert "merged_into_id" not in columns
    db.session.remove()
    upgrade()
    rows = {f.id: (f.status, f.merged_into_id) for f in db.session.scalars(sa.select(FollowUp))}
    assert rows == {ids[0]: ("pending", None), ids[1]: ("merged", ids[0]), ids[2]: ("pending", None)}
    db.session.remove()
    downgrade(revision="0066_followup_merge-1")  # this migration (and any later one)
    statuses = db.session.execute(sa.text("SELECT status FROM followup ORDER BY id")).scalars().all()
    assert statuses == ["pending", "pending", "pending"]
    db.session.remove()
    upgrade()


def test_a_follow_ups_due_date_reads_as_a_day_in_the_timeline(client, login_as, referrer):
    person = add_person(phone="+32470000067")
    followup = add_followup(person, add_referral(person, referrer), dt.date(2025, 4, 2))
    login_as("nurse")
    page = client.get(f"/persons/{person.id}").get_data(as_text=True)
    line = next(row for row in page.splitlines() if f"/followups/{followup.id}" in row)
    assert re.search(r"<time datetime=\"2025-04-02\">0?2/0?4/(20)?25</time>", line), line

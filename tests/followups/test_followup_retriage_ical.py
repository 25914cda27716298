"""A new need opens a new, linked call; the nurse's schedule as an iCalendar file."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from followup_factories import add_followup, add_person, add_referral, add_user, today_local
from icalendar import Calendar

from helpline.followups.claims import claim
from models import AuditEvent, Call, FollowUp, db, utcnow


def test_new_need_opens_a_prefilled_call_and_links_both_ways(client, login_as, log_call, referrer):
    person = add_person()
    followup = add_followup(person, add_referral(person, referrer), today_local())
    login_as("nurse")
    client.post(f"/followups/{followup.id}/start")

    saved = client.post(
        f"/followups/{followup.id}",
        data={"reached": "yes", "services_in_place": "na", "new_needs": "yes", "unplanned_hospitalisation": "no"},
    )
    target = urlsplit(saved.headers["Location"])
    form_page = client.get(saved.headers["Location"]).get_data(as_text=True)
    response = log_call(person_id=str(person.id), from_followup=str(followup.id))

    assert target.path == "/calls/new"
    assert parse_qs(target.query) == {
        "person_id": [str(person.id)],
        "from_followup": [str(followup.id)],
        "direction": ["outgoing"],
    }  # a follow-up call is outgoing
    assert f'value="{followup.id}"' in form_page and person.last_name in form_page
    assert response.status_code == 302, response.get_data(as_text=True)
    call = db.session.scalar(sa.select(Call).order_by(Call.id.desc()))
    db.session.expire_all()
    assert call.from_followup_id == followup.id and call.person_id == person.id
    assert db.session.get(FollowUp, followup.id).new_call_id == call.id
    assert db.session.get(FollowUp, followup.id).new_needs is True


def test_call_naming_a_follow_up_of_another_person_is_not_linked(client, login_as, log_call, referrer):
    person, stranger = add_person(), add_person()
    followup = add_followup(person, add_referral(person, referrer), today_local())
    login_as("nurse")

    response = log_call(person_id=str(stranger.id), from_followup=str(followup.id))

    assert response.status_code == 302
    call = db.session.scalar(sa.select(Call).order_by(Call.id.desc()))
    assert call.from_followup_id is None and db.session.get(FollowUp, followup.id).new_call_id is None


def test_calendar_holds_the_nurses_follow_ups_without_health_details(client, login_as):
    nurse = login_as("nurse")
    person, other = add_person(), add_person()
    referral = add_referral(person, nurse)
    first = add_followup(person, referral, dt.date(2025, 4, 22), offset=30)
    retry_at = dt.datetime(2025, 4, 24, 12, 0, tzinfo=dt.UTC)
    second = add_followup(person, referral, dt.date(2025, 9, 1), offset=182, attempts=1, next_attempt_at=retry_at)
    colleague = add_user("nurse")
    not_mine = add_followup(other, add_referral(other, colleague), dt.date(2025, 4, 23))
    claimed = add_followup(other, add_referral(other, colleague), dt.date(2025, 4, 24))
    assert claim(claimed.id, nurse)
    add_followup(person, add_referral(person, nurse), dt.date(2025, 4, 25), status="done", completed_at=utcnow())

    response = client.get("/followups/schedule.ics")

    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = {str(e["uid"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    assert set(events) == {f"followup-{f.id}@helpline" for f in (first, second, claimed)}
    assert events[f"followup-{first.id}@helpline"].decoded("dtstart") == dt.date(2025, 4, 22)
    assert events[f"followup-{second.id}@helpline"].decoded("dtstart") == retry_at
    text = response.get_data(as_text=True)
    for secret in (person.last_name, other.last_name, referral.structure.name, "carer", person.phone):
        assert secret not in text
    assert not_mine.id not in {int(uid.split("-")[1].split("@")[0]) for uid in events}
    assert db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "export", AuditEvent.object_type == "followup")
    )


def test_team_calendar_holds_every_open_follow_up(client, login_as):
    login_as("nurse")
    person = add_person()
    followups = [
        add_followup(person, add_referral(person, add_user("nurse")), dt.date(2025, 4, 22) + dt.timedelta(d))
        for d in range(3)
    ]

    events = Calendar.from_ical(client.get("/followups/schedule.ics?scope=team").data).walk("VEVENT")

    assert sorted(str(e["uid"]) for e in events) == sorted(f"followup-{f.id}@helpline" for f in followups)

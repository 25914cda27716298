"""Jobs that run without a user: SMS reminders, escalations, stale claims; twice never sends twice."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from followup_factories import add_closed_case, add_followup, add_person, add_referral, add_user
from redis import Redis

from helpline.followups.jobs import JOBS
from helpline.followups.queue import enqueue_due, followup_queue
from helpline.followups.reminders import send_reminders
from helpline.telephony.gateway import ConsoleGateway, TelephonyError
from models import AuditEvent, FollowUp, Notification, db

FRIDAY = dt.date(2025, 4, 18)  # Good Friday is a working day in Belgium; Monday 21 is Easter Monday
TUESDAY = dt.date(2025, 4, 22)


class RefusingGateway(ConsoleGateway):
    """A gateway whose SMS provider refuses every message."""

    def send_sms(self, **kwargs):
        raise TelephonyError("provider down", status=503)


def _sms_audits() -> int:
    return sum(
        1
        for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "notify"))
        if (e.detail or {}).get("channel") == "sms"
    )


@pytest.fixture
def reminder_cases(referrer):
    """Follow-ups due on the next working day for persons who agreed, refused, never said, or have no phone."""
    cases = {}
    for name, sms, phone in (
        ("agreed", True, "+32470999011"),
        ("refused", False, "+32470999012"),
        ("unknown", None, "+32470999013"),
        ("no_phone", True, None),
    ):
        person = add_person(phone=phone, sms=sms, by=referrer)
        cases[name] = add_followup(person, add_referral(person, referrer), TUESDAY)
    return cases


def test_reminder_goes_only_to_persons_who_agreed_and_only_once(app, reminder_cases):
    gateway = ConsoleGateway()

    assert send_reminders(FRIDAY, gateway) == 1
    assert send_reminders(FRIDAY, gateway) == 0

    agreed = reminder_cases["agreed"]
    assert [a.params["to"] for a in gateway.actions] == ["+32470999011"]
    body = gateway.actions[0].params["body"]
    assert "22 avril 2025" in body
    for detail in (agreed.person.last_name, agreed.person.first_name, agreed.referral.structure.name, "Répit"):
        assert detail not in body
    db.session.expire_all()
    assert db.session.get(FollowUp, agreed.id).reminder_sent_at is not None
    assert db.session.get(FollowUp, reminder_cases["refused"].id).reminder_sent_at is None
    assert _sms_audits() == 1


def test_refused_reminder_is_retried_by_a_later_run(app, reminder_cases):
    assert send_reminders(FRIDAY, RefusingGateway()) == 0
    db.session.expire_all()
    assert db.session.get(FollowUp, reminder_cases["agreed"].id).reminder_sent_at is None
    assert send_reminders(FRIDAY, ConsoleGateway()) == 1


def test_no_reminder_for_a_follow_up_further_away(app, reminder_cases):
    assert send_reminders(FRIDAY - dt.timedelta(days=1), ConsoleGateway()) == 0


def test_run_due_twice_escalates_and_reminds_once(app, runner, reminder_cases):
    manager = add_user("case_manager")
    person = add_person()
    case = add_closed_case(person, manager)
    lost = FollowUp(
        person_id=person.id,
        case_id=case.id,
        offset_days=30,
        due_date=FRIDAY,
        status="unreachable",
        attempts=3,
        reached=False,
    )
    db.session.add(lost)
    db.session.commit()

    first = runner.invoke(args=["jobs", "run-due", "--date", FRIDAY.isoformat()])
    second = runner.invoke(args=["jobs", "run-due", "--date", FRIDAY.isoformat()])

    assert first.exit_code == 0, first.output
    assert "escalate_unreachable: 1" in first.output and "send_reminders: 1" in first.output
    assert "escalate_unreachable: 0" in second.output and "send_reminders: 0" in second.output
    assert db.session.scalars(sa.select(Notification.user_id)).all() == [manager.id]
    assert _sms_audits() == 1


def test_enqueue_due_needs_redis_url(runner):
    result = runner.invoke(args=["jobs", "enqueue-due"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output


@pytest.fixture
def redis_queue(app):
    """Return a queue with a unique name on the local Redis, deleted afterwards."""
    connection = Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        connection.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means no Redis to test against
        connection.close()
        pytest.skip(f"no Redis at 127.0.0.1:6379 ({exc})")
    name = f"test-followups-{uuid.uuid4().hex}"
    queue = followup_queue(connection, name)
    yield queue
    queue.delete(delete_jobs=True)
    leftovers = list(connection.scan_iter(f"*{name}*"))
    if leftovers:
        connection.delete(*leftovers)
    connection.close()


def test_jobs_enqueued_twice_on_rq_still_send_once(app, runner, redis_queue, reminder_cases):
    person = add_person()
    referrer = reminder_cases["agreed"].referral.created_by
    lost = add_followup(person, add_referral(person, referrer), FRIDAY, status="unreachable", attempts=3)
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/0"

    jobs = enqueue_due(redis_queue, FRIDAY)
    enqueued = runner.invoke(args=["jobs", "enqueue-due", "--queue", redis_queue.name, "--date", FRIDAY.isoformat()])
    assert enqueued.exit_code == 0, enqueued.output
    assert len(redis_queue) == 2 * len(JOBS)
    jobs += [redis_queue.fetch_job(line.split()[1].rstrip(":")) for line in enqueued.output.splitlines()]
    worked = runner.invoke(args=["jobs", "worker", "--queue", redis_queue.name, "--burst"])

    assert worked.exit_code == 0, worked.output
    assert [job.get_status(refresh=True) for job in jobs] == ["finished"] * 2 * len(JOBS)
    assert sorted(job.return_value() for job in jobs) == [0] * (2 * len(JOBS) - 2) + [1, 1]
    assert db.session.scalars(sa.select(Notification.user_id)).all() == [referrer.id]
    assert _sms_audits() == 1
    db.session.expire_all()
    assert db.session.get(FollowUp, lost.id).escalated_at is not None

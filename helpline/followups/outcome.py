"""Recording a follow-up call: the questionnaire when the person was reached, a retry when not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from flask import current_app

from models import FollowUp, FollowUpAttempt, User, utcnow

from ..audit import record
from ..formatting import local_zone
from .escalation import escalate
from .merging import close_merged
from .schedule import next_working_day

# Parts of the day a retry is planned in (local time): another part than the failed attempt's.
DAY_PARTS = (dt.time(9, 30), dt.time(14, 0), dt.time(17, 0))


@dataclass(frozen=True)
class Answers:
    """The follow-up questionnaire, as data the indicators can count."""

    services_in_place: Optional[bool]
    services_working: Optional[bool]
    new_needs: bool
    unplanned_hospitalisation: bool
    satisfaction: Optional[int]
    notes: str = ""


def part_of_day(moment: dt.datetime) -> int:
    """Return 0 (morning), 1 (early afternoon) or 2 (late afternoon) for a local time."""
    hour = moment.astimezone(local_zone()).hour
    return 0 if hour < 12 else 1 if hour < 16 else 2


def next_attempt_at(failed_at: dt.datetime, first_attempt_at: dt.datetime) -> dt.datetime:
    """Plan the next attempt: days later, within the retry window, at another part of the day."""
    window = int(current_app.config["FOLLOWUP_RETRY_WINDOW_DAYS"])
    retries = max(1, int(current_app.config["FOLLOWUP_MAX_ATTEMPTS"]) - 1)
    zone = local_zone()
    failed_day = failed_at.astimezone(zone).date()
    deadline = first_attempt_at.astimezone(zone).date() + dt.timedelta(days=window)
    target = failed_day + dt.timedelta(days=max(1, window // retries))
    if target > deadline:
        target = max(deadline, failed_day + dt.timedelta(days=1))
    day = next_working_day(target)
    at = DAY_PARTS[(part_of_day(failed_at) + 1) % len(DAY_PARTS)]
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)


def _close_claim(followup: FollowUp) -> None:
    followup.claimed_by_id = None
    followup.claimed_at = None


def record_reached(followup: FollowUp, user: User, answers: Answers, now: Optional[dt.datetime] = None) -> None:
    """Store the answers of a follow-up call that reached the person and close it; the caller commits."""
    now = now or utcnow()
    followup.attempt_log.append(FollowUpAttempt(at=now, by_id=user.id, reached=True, note=""))
    followup.attempts = (followup.attempts or 0) + 1
    followup.reached = True
    followup.services_in_place = answers.services_in_place
    followup.services_working = answers.services_working if answers.services_in_place else None
    followup.new_needs = answers.new_needs
    followup.unplanned_hospitalisation = answers.unplanned_hospitalisation
    followup.satisfaction = answers.satisfaction
    followup.notes = answers.notes.strip()
    followup.status, followup.completed_at, followup.next_attempt_at = "done", now, None
    _close_claim(followup)
    record(
        "update",
        "followup",
        followup.id,
        person_id=followup.person_id,
        user_id=user.id,
        detail={"outcome": "reached", "new_needs": answers.new_needs},
    )
    close_merged(followup, user.id)


def record_not_reached(followup: FollowUp, user: User, note: str = "", now: Optional[dt.datetime] = None) -> str:
    """Log a failed attempt and plan a retry, or mark the person unreachable after the last one.

    Returns the follow-up's new status; the caller commits.
    """
    now = now or utcnow()
    followup.attempt_log.append(FollowUpAttempt(at=now, by_id=user.id, reached=False, note=note.strip()))
    followup.attempts = (followup.attempts or 0) + 1
    _close_claim(followup)
    if followup.attempts >= int(current_app.config["FOLLOWUP_MAX_ATTEMPTS"]):
        followup.status, followup.reached, followup.completed_at = "unreachable", False, now
        followup.next_attempt_at = None
    else:
        first = followup.attempt_log[0].at
        followup.status, followup.next_attempt_at = "pending", next_attempt_at(now, first)
    record(
        "update",
        "followup",
        followup.id,
        person_id=followup.person_id,
        user_id=user.id,
        detail={"outcome": "not_reached", "attempt": followup.attempts, "status": followup.status},
    )
    if followup.status == "unreachable":
        escalate(followup.id, now=now)
        for child in close_merged(followup, user.id):
            escalate(child.id, now=now)  # each referrer hears of it
    return followup.status

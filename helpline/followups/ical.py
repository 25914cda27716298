"""A nurse's follow-up schedule as an iCalendar file, with nothing about health in it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from models import FollowUp, Referral, User, utcnow

from ..extensions import db
from .worklist import OPEN_STATUSES

if TYPE_CHECKING:  # icalendar is imported when a calendar is asked for, not at start-up
    from icalendar import Event

EVENT_MINUTES = 15


def schedule_for(user: User, team: bool = False) -> list[FollowUp]:
    """Return the open follow-ups of a nurse (claimed by her or from her referrals), or the team's."""
    stmt = sa.select(FollowUp).where(FollowUp.status.in_(OPEN_STATUSES))
    if not team:
        mine = sa.select(Referral.id).where(Referral.created_by_id == user.id)
        stmt = stmt.where(sa.or_(FollowUp.claimed_by_id == user.id, FollowUp.referral_id.in_(mine)))
    return list(db.session.scalars(stmt.order_by(FollowUp.due_date, FollowUp.id)))


def followup_event(followup: FollowUp, stamp: dt.datetime) -> Event:
    """Return the event of one follow-up: when, and a link; no name, no health details."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"followup-{followup.id}@helpline")
    event.add("dtstamp", stamp)
    if followup.next_attempt_at is not None:
        event.add("dtstart", followup.next_attempt_at)
        event.add("dtend", followup.next_attempt_at + dt.timedelta(minutes=EVENT_MINUTES))
    else:
        event.add("dtstart", followup.due_date)
        event.add("dtend", followup.due_date + dt.timedelta(days=1))
    event.add("summary", _("Follow-up call #%(id)s", id=followup.id))
    # The configured address, never the request's Host header (a forged one would be copied into calendars).
    base = current_app.config["HELPLINE_PUBLIC_URL"].rstrip("/")
    event.add("url", base + url_for("followups.detail", followup_id=followup.id))
    event.add("class", "PRIVATE")
    return event


def schedule_calendar(followups: list[FollowUp]) -> bytes:
    """Return the follow-ups as an iCalendar file."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Helpline//Follow-up calls//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Follow-up calls"))
    stamp = utcnow()
    for followup in followups:
        calendar.add_component(followup_event(followup, stamp))
    return calendar.to_ical()

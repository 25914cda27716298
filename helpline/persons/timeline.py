"""A person's history over time: calls, referrals, cases and follow-ups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from models import Call, Case, FollowUp, Person, Referral

from ..extensions import db
from ..formatting import labels, local_zone

TIMELINE_LIMIT = 200


@dataclass
class Entry:
    """One line of a person's timeline."""

    at: dt.datetime
    kind: str
    title: str
    detail: str
    link: Optional[str]
    date_only: bool = False  # a due date: shown as a day, never as a time of day

    @property
    def when(self) -> dt.date | dt.datetime:
        """Return what the timeline shows: the day of a date-only entry, else the moment."""
        return self.at.date() if self.date_only else self.at


def _link(endpoint: str, **values) -> Optional[str]:
    """Build a link only to pages that exist in this app."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def _midnight(day: dt.date) -> dt.datetime:
    """Return the local start of a day, so a due date sorts among the moments of that day."""
    return dt.datetime.combine(day, dt.time(), tzinfo=local_zone())


def timeline(person: Person) -> list[Entry]:
    """Return the person's history, most recent first."""
    entries: list[Entry] = []
    calls = db.session.scalars(
        sa.select(Call).where(Call.person_id == person.id).order_by(Call.started_at.desc()).limit(TIMELINE_LIMIT)
    )
    for call in calls:
        entries.append(
            Entry(
                call.started_at,
                "call",
                _("Call") + " — " + labels("route", call.route),
                call.summary[:160],
                _link("calls.detail", call_id=call.id),
            )
        )
    referrals = db.session.scalars(
        sa.select(Referral)
        .where(Referral.person_id == person.id)
        .order_by(Referral.sent_at.desc())
        .limit(TIMELINE_LIMIT)
    )
    for ref in referrals:
        entries.append(
            Entry(
                ref.sent_at,
                "referral",
                _("Referral") + " — " + ref.structure.name,
                labels("referral_status", ref.status),
                _link("referrals.detail", referral_id=ref.id),
            )
        )
    cases = db.session.scalars(sa.select(Case).where(Case.person_id == person.id).order_by(Case.opened_at.desc()))
    for case in cases:
        entries.append(
            Entry(
                case.opened_at,
                "case",
                _("Case management"),
                labels("case_status", case.status),
                _link("cases.detail", case_id=case.id),
            )
        )
    followups = db.session.scalars(
        sa.select(FollowUp)
        .where(FollowUp.person_id == person.id)
        .order_by(FollowUp.due_date.desc())
        .limit(TIMELINE_LIMIT)
    )
    for fu in followups:
        entries.append(
            Entry(
                _midnight(fu.due_date),
                "followup",
                _("Follow-up after %(days)s days", days=fu.offset_days),
                labels("followup_status", fu.status),
                _link("followups.detail", followup_id=fu.id),
                date_only=True,
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries

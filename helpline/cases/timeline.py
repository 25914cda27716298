"""A case's own timeline: the calls relayed to its case manager, its changes (reassigned, reopened), its notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from models import Case, CaseEvent

from ..extensions import db
from . import relay
from .course import notes_of


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line of a case's timeline; `kind` tells the template how to show `item`."""

    at: dt.datetime
    kind: str
    item: Any


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Return the case's events, most recent first."""
    events = [TimelineEntry(r.call.started_at, "relay", r) for r in relay.for_case(case.id)]
    changes = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id))
    events += [TimelineEntry(e.at, e.kind, e) for e in changes]
    events += [TimelineEntry(n.at, "note", n) for n in notes_of(case)]
    events.sort(key=lambda e: e.at, reverse=True)
    return events

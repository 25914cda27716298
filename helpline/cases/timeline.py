"""A case's own timeline: the calls relayed to its case manager (and later events of the case)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from models import Case, CaseEvent

from ..extensions import db
from . import relay


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
    events.sort(key=lambda e: e.at, reverse=True)
    return events

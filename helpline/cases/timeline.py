"""A case's own timeline: the calls relayed to its case manager (and later events of the case)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from models import Case

from . import relay


@dataclass(frozen=True)
class CaseEvent:
    """One dated line of a case's timeline; `kind` tells the template how to show `item`."""

    at: dt.datetime
    kind: str
    item: Any


def case_timeline(case: Case) -> list[CaseEvent]:
    """Return the case's events, most recent first."""
    events = [CaseEvent(r.call.started_at, "relay", r) for r in relay.for_case(case.id)]
    events.sort(key=lambda e: e.at, reverse=True)
    return events

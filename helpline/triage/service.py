"""Impact replay: re-decide stored calls with a candidate rule set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from flask import current_app

from models import Call

from ..extensions import db

if TYPE_CHECKING:  # rule-engine is imported when a rule set is loaded, not at start-up
    from triage_rules import ReplayReport, Ruleset

CHUNK = 1000


def stored_requests(since: Optional[dt.date] = None) -> Iterator[tuple[int, dict, str]]:
    """Yield (call id, triage input, proposed route) for every call that kept its triage input.

    The baseline is the route the rule set proposed at the time (not the nurse's override), so the
    report counts how the rules' decisions change.
    """
    stmt = sa.select(Call.id, Call.triage_input, Call.proposal).where(Call.triage_input.is_not(None))
    if since:
        start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
        stmt = stmt.where(Call.started_at >= start)
    stmt = stmt.order_by(Call.id).execution_options(yield_per=CHUNK)
    for call_id, triage_input, proposal in db.session.execute(stmt):
        yield call_id, triage_input, (proposal or {}).get("route")


def replay_calls(candidate: Ruleset, since: Optional[dt.date] = None) -> ReplayReport:
    """Re-decide the stored calls with a candidate rule set and report what would change."""
    from triage_rules import replay

    return replay(stored_requests(since), candidate)


def candidates_dir() -> Path:
    """Return the folder where coordinators keep candidate rule sets (one sub-folder each)."""
    return Path(current_app.config.get("TRIAGE_CANDIDATES_DIR") or Path(current_app.instance_path) / "rulesets")


def candidate_names() -> list[str]:
    """List the candidate rule sets available to the replay page."""
    folder = candidates_dir()
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / "ruleset.yaml").is_file())

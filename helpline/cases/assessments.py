"""Multidimensional assessments and their side-by-side comparison."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models import Assessment, Case, User
from models.vocabulary import ASSESSMENT_DIMENSIONS

from .. import audit
from ..extensions import db


def record_assessment(case: Case, assessed_on: dt.date, dimensions: dict, by: User) -> Assessment:
    """Record an assessment (or a reassessment) of a case; earlier ones are kept."""
    missing = [d for d in ASSESSMENT_DIMENSIONS if d not in dimensions]
    if missing:
        raise ValueError(f"dimensions missing: {', '.join(missing)}")
    assessment = Assessment(
        case_id=case.id,
        assessed_on=assessed_on,
        by_id=by.id,
        dimensions={d: dimensions[d] for d in ASSESSMENT_DIMENSIONS},
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(
        "create",
        "assessment",
        assessment.id,
        person_id=case.person_id,
        user_id=by.id,
        detail={"case_id": case.id, "assessed_on": assessed_on.isoformat()},
    )
    return assessment


@dataclass(frozen=True)
class ComparisonRow:
    """One dimension across assessments: each assessment's answer and the change since the first, as the
    case manager rated it and as the person herself did (over the assessments where she gave a rating)."""

    dimension: str
    cells: list[dict]
    change: int  # last difficulty minus first: negative is better
    person_change: int = 0
    person_rated: bool = False

    @property
    def trend(self) -> str:
        """Return "better", "worse" or "same"."""
        return "better" if self.change < 0 else "worse" if self.change > 0 else "same"


def compare(assessments: list[Assessment]) -> list[ComparisonRow]:
    """Lay assessments side by side, one row per dimension, oldest assessment first."""
    ordered = sorted(assessments, key=lambda a: (a.assessed_on, a.id))
    rows = []
    for dimension in ASSESSMENT_DIMENSIONS:
        cells = [a.dimensions.get(dimension, {}) for a in ordered]
        levels = [c.get("difficulty") for c in cells if c.get("difficulty") is not None]
        own = [c["person_difficulty"] for c in cells if c.get("person_difficulty") is not None]
        rows.append(
            ComparisonRow(
                dimension,
                cells,
                (levels[-1] - levels[0]) if len(levels) > 1 else 0,
                person_change=(own[-1] - own[0]) if len(own) > 1 else 0,
                person_rated=bool(own),
            )
        )
    return rows

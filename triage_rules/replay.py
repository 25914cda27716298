"""Replay stored requests through a candidate rule set and count what changes.

Pure: the caller iterates the database and hands over ``(call_id, request,
stored_route)`` items. The baseline ("from") is the stored route, or the route
an old rule set gives when one is passed; "to" is the candidate's route.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from .decision import RulesetIdentity
from .errors import TriageInputError
from .ruleset import Ruleset

SAMPLE_SIZE = 10


@dataclass
class ReplayReport:
    """Counts of route transitions between a baseline and a candidate rule set."""

    candidate: RulesetIdentity
    baseline: RulesetIdentity | None = None
    total: int = 0
    transitions: Counter = field(default_factory=Counter)
    samples: dict[tuple, list] = field(default_factory=dict)
    errors: int = 0
    error_samples: list[tuple[Hashable, str]] = field(default_factory=list)

    @property
    def decided(self) -> int:
        """Return how many items were triaged (total minus invalid inputs)."""
        return self.total - self.errors

    @property
    def changed(self) -> int:
        """Return how many items get a different route from the baseline."""
        return sum(count for (before, after), count in self.transitions.items() if before != after)

    def changes(self) -> dict[tuple, int]:
        """Return only the transitions where the route changed."""
        return {pair: count for pair, count in self.transitions.items() if pair[0] != pair[1]}

    def to_dict(self) -> dict:
        """Return the report as JSON-ready data, transitions sorted by decreasing count."""
        ordered = sorted(self.transitions.items(), key=lambda item: (-item[1], str(item[0])))
        return {
            "candidate": self.candidate.to_dict(),
            "baseline": self.baseline.to_dict() if self.baseline else "stored routes",
            "total": self.total,
            "decided": self.decided,
            "changed": self.changed,
            "transitions": [
                {"from": before, "to": after, "count": count, "sample_call_ids": list(self.samples[(before, after)])}
                for (before, after), count in ordered
            ],
            "errors": self.errors,
            "error_samples": [{"call_id": call_id, "error": message} for call_id, message in self.error_samples],
        }

    def _record(self, call_id: Hashable, before: str | None, after: str) -> None:
        pair = (before, after)
        self.transitions[pair] += 1
        kept = self.samples.setdefault(pair, [])
        if len(kept) < SAMPLE_SIZE:
            kept.append(call_id)

    def _record_error(self, call_id: Hashable, error: TriageInputError) -> None:
        self.errors += 1
        if len(self.error_samples) < SAMPLE_SIZE:
            self.error_samples.append((call_id, str(error)))


def replay(
    items: Iterable[tuple[Hashable, dict, str | None]], candidate: Ruleset, old: Ruleset | None = None
) -> ReplayReport:
    """Triage every stored request with the candidate rule set and report route transitions."""
    report = ReplayReport(candidate=candidate.identity, baseline=old.identity if old else None)
    for call_id, request, stored_route in items:
        report.total += 1
        try:
            after = candidate.decide(request).route
            before = old.decide(request).route if old else stored_route
        except TriageInputError as error:
            report._record_error(call_id, error)
            continue
        report._record(call_id, before, after)
    return report

"""The result of triaging one request, in the contract's output shape."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RulesetIdentity:
    """Which rule set took a decision: name, version and sha256 of its files."""

    name: str
    version: str
    sha256: str

    def to_dict(self) -> dict:
        """Return the identity as the contract's ``ruleset`` object."""
        return {"name": self.name, "version": self.version, "sha256": self.sha256}


@dataclass(frozen=True)
class Reason:
    """One rule that fired, with its sentence in the requested language."""

    rule: str
    text: str

    def to_dict(self) -> dict:
        """Return the reason as the contract's ``{"rule", "text"}`` object."""
        return {"rule": self.rule, "text": self.text}


@dataclass(frozen=True)
class Decision:
    """A routing decision and every rule that led to it."""

    route: str
    categories: tuple[str, ...]
    priority: str
    follow_up_days: tuple[int, ...]
    team_review: bool
    reasons: tuple[Reason, ...]
    ruleset: RulesetIdentity

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Return the ids of the rules that fired, in the order they fired."""
        return tuple(reason.rule for reason in self.reasons)

    def to_dict(self) -> dict:
        """Return the decision exactly in the contract's output shape."""
        return {
            "route": self.route,
            "categories": list(self.categories),
            "priority": self.priority,
            "follow_up_days": list(self.follow_up_days),
            "team_review": self.team_review,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "ruleset": self.ruleset.to_dict(),
        }

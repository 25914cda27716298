"""A loaded rule set: decide on a request, describe the rules.

Evaluation follows the contract's default policy model. Routing rules (those
whose outcome names a route) are tried in file order and the first that holds
wins; then every modifier rule whose ``applies_to`` contains that route is
tried in file order, and each that holds adjusts the decision. Every rule that
held is listed in ``reasons``, in the order it was evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .conditions import Condition, ConditionError
from .decision import Decision, Reason, RulesetIdentity
from .errors import RulesetError
from .facts import FactsConfig, build_facts
from .validation import validate_request


@dataclass(frozen=True)
class Outcome:
    """What a rule does when it holds; None leaves a field as it is."""

    route: str | None = None
    priority: str | None = None
    team_review: bool | None = None
    follow_up_days: tuple[int, ...] | None = None
    categories_from_topics: bool = False
    add_categories: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Return the outcome as written in the rule file (unset fields left out)."""
        data = {
            "route": self.route,
            "priority": self.priority,
            "team_review": self.team_review,
            "follow_up_days": list(self.follow_up_days) if self.follow_up_days is not None else None,
            "categories_from_topics": self.categories_from_topics or None,
            "add_categories": list(self.add_categories) or None,
        }
        return {key: value for key, value in data.items() if value is not None}


@dataclass(frozen=True, eq=False)
class Rule:
    """One rule: id, sentence per language, compiled condition and outcome."""

    id: str
    sentence: dict[str, str]
    condition: Condition
    outcome: Outcome
    source: str
    applies_to: tuple[str, ...] = ()

    @property
    def is_routing(self) -> bool:
        """Tell whether this rule chooses a route (else it adjusts one)."""
        return self.outcome.route is not None


@dataclass(frozen=True, eq=False)
class Ruleset:
    """A checked rule set, ready to triage requests."""

    identity: RulesetIdentity
    path: Path
    languages: tuple[str, ...]
    config: FactsConfig
    rules: tuple[Rule, ...]
    description: str = ""
    _routing: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    _modifiers: dict[str, tuple[Rule, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        routing = tuple(rule for rule in self.rules if rule.is_routing)
        modifiers = {
            rule.outcome.route: tuple(r for r in self.rules if rule.outcome.route in r.applies_to) for rule in routing
        }
        object.__setattr__(self, "_routing", routing)
        object.__setattr__(self, "_modifiers", modifiers)

    @property
    def name(self) -> str:
        """Return the rule set's name."""
        return self.identity.name

    @property
    def version(self) -> str:
        """Return the rule set's version."""
        return self.identity.version

    @property
    def sha256(self) -> str:
        """Return the sha256 of the rule set's files."""
        return self.identity.sha256

    def decide(self, request: dict, lang: str = "fr") -> Decision:
        """Validate a request and return the routing decision with its reasons.

        ``lang`` picks the language of the reasons; a locale such as ``fr_BE``
        or ``en-GB`` counts as its language.
        """
        language = lang.replace("-", "_").split("_")[0].lower()
        if language not in self.languages:
            raise ValueError(f"language {lang!r} not in this rule set ({', '.join(self.languages)})")
        validate_request(request)
        facts = build_facts(request, self.config)
        chosen = next((rule for rule in self._routing if self._holds(rule, facts)), None)
        if chosen is None:  # only a Ruleset built by hand, bypassing load_ruleset's checks
            raise RulesetError(f"{self.path}: no routing rule holds for this request")
        fired = [chosen]
        fired.extend(rule for rule in self._modifiers[chosen.outcome.route] if self._holds(rule, facts))
        return self._combine(fired, facts, language)

    def _holds(self, rule: Rule, facts: dict) -> bool:
        try:
            return rule.condition(facts)
        except ConditionError as error:
            raise RulesetError(f"{self.path / rule.source}: rule {rule.id!r}: {error}") from None

    def _combine(self, fired: list[Rule], facts: dict, lang: str) -> Decision:
        priority, team_review, follow_up_days = "routine", False, ()
        categories: set[str] = set()
        for rule in fired:
            outcome = rule.outcome
            priority = outcome.priority or priority
            team_review = team_review if outcome.team_review is None else outcome.team_review
            follow_up_days = follow_up_days if outcome.follow_up_days is None else outcome.follow_up_days
            if outcome.categories_from_topics:
                categories.update(facts["topic_categories"])
            categories.update(outcome.add_categories)
        return Decision(
            route=fired[0].outcome.route,
            categories=tuple(sorted(categories)),
            priority=priority,
            follow_up_days=tuple(sorted(follow_up_days)),
            team_review=team_review,
            reasons=tuple(Reason(rule.id, rule.sentence[lang]) for rule in fired),
            ruleset=self.identity,
        )

    def describe(self) -> list[dict]:
        """Return every rule, in evaluation order, for a coordinator to read."""
        ordered = [rule for rule in self.rules if rule.is_routing] + [
            rule for rule in self.rules if not rule.is_routing
        ]
        return [
            {
                "id": rule.id,
                "kind": "route" if rule.is_routing else "adjustment",
                "sentence": dict(rule.sentence),
                "condition": rule.condition.text,
                "applies_to": list(rule.applies_to),
                "outcome": rule.outcome.to_dict(),
                "file": rule.source,
            }
            for rule in ordered
        ]

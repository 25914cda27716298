"""Turn a validated request into the flat facts that rule conditions read.

Every name a condition may use is declared in ``VARIABLES`` with its type;
rule-engine checks conditions against these types when a rule set loads.
Optional inputs that were not recorded are ``null`` (age, professional role,
lives alone, professionals involved, PRISMA-7 score); the CNSA criteria and
``person.in_case_management`` and
the other booleans of ``complexity`` count as false unless recorded as true.
"""

from __future__ import annotations

from dataclasses import dataclass

from .engine import DataType
from .vocabulary import CALLER_TYPES, CATEGORIES, CNSA_CRITERIA, PROFESSIONAL_ROLES, RED_FLAGS, RUPTURE_EVENTS, TOPICS

_STRINGS = DataType.ARRAY(DataType.STRING)

VARIABLES: dict[str, DataType] = {
    "caller_type": DataType.STRING,
    "professional_role": DataType.STRING,
    "age": DataType.FLOAT,
    "postcode": DataType.STRING,
    "in_service_area": DataType.BOOLEAN,
    "lives_alone": DataType.BOOLEAN,
    "consent": DataType.BOOLEAN,
    "in_case_management": DataType.BOOLEAN,
    "topics": _STRINGS,
    "topic_categories": _STRINGS,
    "topic_category_count": DataType.FLOAT,
    "red_flags": _STRINGS,
    "red_flag_count": DataType.FLOAT,
    **{name: DataType.BOOLEAN for name in CNSA_CRITERIA},
    "cnsa_criteria_met": DataType.FLOAT,
    "coordination_centre_involved": DataType.BOOLEAN,
    "professionals_involved": DataType.FLOAT,
    "rupture_events": _STRINGS,
    "rupture_event_count": DataType.FLOAT,
    "prisma7_score": DataType.FLOAT,
}

# Variables holding words of the contract's vocabulary: a condition comparing
# one of them with a word outside it can never be true, so it is refused.
ENUM_VARIABLES: dict[str, frozenset[str]] = {
    "caller_type": frozenset(CALLER_TYPES),
    "professional_role": frozenset(PROFESSIONAL_ROLES),
    "topics": frozenset(TOPICS),
    "topic_categories": frozenset(CATEGORIES),
    "red_flags": frozenset(RED_FLAGS),
    "rupture_events": frozenset(RUPTURE_EVENTS),
}


@dataclass(frozen=True, eq=False)
class FactsConfig:
    """The parts of a rule set's configuration that facts depend on."""

    service_area: tuple[tuple[int, int], ...]
    service_postcodes: frozenset[str]
    topic_categories: dict[str, str | None]
    prisma7_reverse_items: frozenset[int]

    def in_service_area(self, postcode: str) -> bool:
        """Tell whether a postcode lies inside the service area."""
        code = postcode.strip()
        if code in self.service_postcodes:
            return True
        if not (code.isascii() and code.isdigit()):  # not '²' nor '٤'
            return False
        number = int(code)
        return any(low <= number <= high for low, high in self.service_area)

    def prisma7_score(self, answers: list[bool] | None) -> int | None:
        """Return the PRISMA-7 score (one point per risk answer), or None if not asked."""
        if answers is None:
            return None
        return sum(answer != (index in self.prisma7_reverse_items) for index, answer in enumerate(answers, start=1))


def build_facts(request: dict, config: FactsConfig) -> dict:
    """Return the condition variables for one validated request."""
    caller, person = request["caller"], request["person"]
    complexity = request.get("complexity", {})
    topics = request["request"]["topics"]
    mapping = config.topic_categories
    categories = sorted({mapping[t] for t in topics if mapping[t] is not None})
    red_flags = request.get("red_flags", [])
    ruptures = complexity.get("rupture_events", [])
    criteria = {name: complexity.get(name) is True for name in CNSA_CRITERIA}
    return {
        "caller_type": caller["type"],
        "professional_role": caller.get("professional_role"),
        "age": person.get("age"),
        "postcode": person["postcode"],
        "in_service_area": config.in_service_area(person["postcode"]),
        "lives_alone": person.get("lives_alone"),
        "consent": person["consent"],
        "in_case_management": person.get("in_case_management") is True,
        "topics": tuple(topics),
        "topic_categories": tuple(categories),
        "topic_category_count": len(categories),
        "red_flags": tuple(red_flags),
        "red_flag_count": len(red_flags),
        **criteria,
        "cnsa_criteria_met": sum(criteria.values()),
        "coordination_centre_involved": complexity.get("coordination_centre_involved") is True,
        "professionals_involved": complexity.get("professionals_involved"),
        "rupture_events": tuple(ruptures),
        "rupture_event_count": len(ruptures),
        "prisma7_score": config.prisma7_score(request.get("prisma7")),
    }

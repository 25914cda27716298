"""The fixed vocabulary of the triage contract (shared/triage/CONTRACT.md).

Topics, red flags and rupture events are read from the request schema so the
two can never drift apart; routes, priorities and structure categories are the
contract's output vocabulary.
"""

from __future__ import annotations

import json
from importlib import resources

SCHEMA_RESOURCE = "request.schema.json"

ROUTES = ("emergency", "relay", "case_management", "external", "information")
PRIORITIES = ("immediate", "high", "routine")
CATEGORIES = (
    "home_care_coordination",
    "social_service",
    "housing_service",
    "transport_service",
    "carer_support",
    "mental_health_service",
    "palliative_care",
    "social_link",
    "general_practitioner",
)
LANGUAGES = ("fr", "en")
CNSA_CRITERIA = (
    "autonomy_problem",
    "medical_problem",
    "support_inadequate",
    "no_coordinator_in_entourage",
)


def load_request_schema() -> dict:
    """Return the request JSON Schema shipped with the package."""
    text = resources.files(__package__).joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)


def _enum(schema: dict, *path: str) -> tuple[str, ...]:
    node = schema
    for key in path:
        node = node[key]
    return tuple(node["enum"])


_SCHEMA = load_request_schema()
_PROPS = _SCHEMA["properties"]

CALLER_TYPES = _enum(_PROPS["caller"], "properties", "type")
PROFESSIONAL_ROLES = _enum(_PROPS["caller"], "properties", "professional_role")
TOPICS = _enum(_PROPS["request"], "properties", "topics", "items")
RED_FLAGS = _enum(_PROPS, "red_flags", "items")
RUPTURE_EVENTS = _enum(_PROPS["complexity"], "properties", "rupture_events", "items")

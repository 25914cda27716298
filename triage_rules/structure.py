"""JSON Schemas for the shape of rule set files, checked before any meaning.

``ruleset.yaml`` holds the rule set's identity and configuration; each file it
lists under ``rule_files`` holds ``rules:``, a list of rules. The meaning of a
rule (its condition, which routes it may touch) is checked in loader.py.
"""

from __future__ import annotations

from functools import cache

import jsonschema

from .vocabulary import CATEGORIES, LANGUAGES, PRIORITIES, ROUTES, TOPICS

RULE_ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,63}$"


def _unique_list(items: dict, **extra) -> dict:
    return {"type": "array", "items": items, "uniqueItems": True, **extra}


RULESET_SCHEMA = {
    "type": "object",
    "required": ["name", "version", "languages", "service_area", "topic_categories", "rule_files"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"},
        "version": {"type": "string", "minLength": 1, "maxLength": 64},
        "description": {"type": "string"},
        "languages": _unique_list({"enum": list(LANGUAGES)}, minItems=1),
        "service_area": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {
                "postcode_ranges": _unique_list(
                    {
                        "type": "object",
                        "required": ["from", "to"],
                        "additionalProperties": False,
                        "properties": {
                            "from": {"type": "integer", "minimum": 0},
                            "to": {"type": "integer", "minimum": 0},
                        },
                    }
                ),
                "postcodes": _unique_list({"type": "string", "minLength": 1}),
            },
        },
        "topic_categories": {
            "type": "object",
            "required": list(TOPICS),
            "additionalProperties": False,
            "properties": {topic: {"enum": [*CATEGORIES, None]} for topic in TOPICS},
        },
        "prisma7": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "reverse_scored_items": _unique_list({"type": "integer", "minimum": 1, "maximum": 7}),
            },
        },
        "rule_files": _unique_list({"type": "string", "pattern": r"^[A-Za-z0-9_][A-Za-z0-9_./-]*\.ya?ml$"}, minItems=1),
    },
}

OUTCOME_SCHEMA = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": False,
    "properties": {
        "route": {"enum": list(ROUTES)},
        "priority": {"enum": list(PRIORITIES)},
        "team_review": {"type": "boolean"},
        "follow_up_days": _unique_list({"type": "integer", "minimum": 1, "maximum": 3660}),
        "categories_from_topics": {"type": "boolean"},
        "add_categories": _unique_list({"enum": list(CATEGORIES)}, minItems=1),
    },
}


def rule_schema(languages: tuple[str, ...]) -> dict:
    """Return the schema of one rule for a rule set written in these languages."""
    return {
        "type": "object",
        "required": ["id", "sentence", "condition", "outcome"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": RULE_ID_PATTERN},
            "sentence": {
                "type": "object",
                "required": list(languages),
                "additionalProperties": False,
                "properties": {lang: {"type": "string", "minLength": 1} for lang in languages},
            },
            "condition": {"type": "string", "minLength": 1},
            "applies_to": _unique_list({"enum": list(ROUTES)}, minItems=1),
            "outcome": OUTCOME_SCHEMA,
        },
    }


RULE_FILE_SCHEMA = {
    "type": "object",
    "required": ["rules"],
    "additionalProperties": False,
    "properties": {"rules": {"type": "array", "minItems": 1, "items": {"type": "object"}}},
}


@cache
def validator_for(name: str, languages: tuple[str, ...] = ()) -> jsonschema.Draft202012Validator:
    """Return a cached validator for 'ruleset', 'rule_file' or 'rule'."""
    schema = {"ruleset": RULESET_SCHEMA, "rule_file": RULE_FILE_SCHEMA}.get(name) or rule_schema(languages)
    return jsonschema.Draft202012Validator(schema)

"""The helpline's triage engine: rule sets as YAML data, decisions with reasons.

Pure Python, no Flask and no database: the web app, the command line, replay
and the tests all go through this API.
"""

from importlib import import_module

# Names are loaded from their module when first asked for: the web app imports the package for its
# errors and validation at start-up, and rule-engine (which builds its parser tables when imported)
# is only imported once a rule set is loaded.
_WHERE = {
    "Decision": "decision",
    "Reason": "decision",
    "RulesetIdentity": "decision",
    "RulesetError": "errors",
    "TriageInputError": "errors",
    "DEFAULT_RULESET_PATH": "loader",
    "default_ruleset": "loader",
    "load_ruleset": "loader",
    "ReplayReport": "replay",
    "replay": "replay",
    "Rule": "ruleset",
    "Ruleset": "ruleset",
    "validate_request": "validation",
}


def __getattr__(name: str):
    """Return a public name of the package, importing its module on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module 'triage_rules' has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_RULESET_PATH",
    "Decision",
    "Reason",
    "ReplayReport",
    "Rule",
    "Ruleset",
    "RulesetError",
    "RulesetIdentity",
    "TriageInputError",
    "default_ruleset",
    "load_ruleset",
    "replay",
    "validate_request",
]

"""The helpline's triage engine: rule sets as YAML data, decisions with reasons.

Pure Python, no Flask and no database: the web app, the command line, replay
and the tests all go through this API.
"""

from .decision import Decision, Reason, RulesetIdentity
from .errors import RulesetError, TriageInputError
from .loader import DEFAULT_RULESET_PATH, default_ruleset, load_ruleset
from .replay import ReplayReport, replay
from .ruleset import Rule, Ruleset
from .validation import validate_request

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

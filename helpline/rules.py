"""The app's active triage rule set, loaded once per app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from triage_rules import Ruleset


def active_ruleset(app: Flask) -> Ruleset:
    """Return the rule set the app triages with (TRIAGE_RULES_DIR, else the shipped one)."""
    ruleset = app.extensions.get("triage_ruleset")
    if ruleset is None:  # loaded on first use: rule-engine is not imported at start-up
        from triage_rules import default_ruleset, load_ruleset

        path = app.config.get("TRIAGE_RULES_DIR")
        ruleset = load_ruleset(path) if path else default_ruleset()
        app.extensions["triage_ruleset"] = ruleset
    return ruleset

"""Triage in the app: live proposal, the active rule set, and impact replay."""
from flask import Blueprint

bp = Blueprint("triage", __name__, url_prefix="/triage")

from . import routes  # noqa: E402,F401


def init_app(app):
    """Add the rule set and replay pages to the menu."""
    from flask_babel import lazy_gettext as _l

    from ..navigation import add_nav

    add_nav(lambda: _l("Triage rules"), "triage.rules", order=80)
    add_nav(lambda: _l("Impact replay"), "triage.replay", order=81)

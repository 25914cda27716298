"""Follow-up calls 1 and 6 months after a referral or a case's closure: the worklist and its jobs."""
from flask import Blueprint

bp = Blueprint("followups", __name__, url_prefix="/followups")

from . import routes  # noqa: E402,F401


def init_app(app):
    """Add the worklist to the menu and home page, the re-triage hook and the `jobs` commands."""
    from flask_babel import lazy_gettext as _l

    from ..calls.service import CALL_LOGGED_HOOKS
    from ..navigation import add_home_panel, add_nav
    from .cli import jobs_cli
    from .retriage import link_call_to_followup
    from .worklist import home_panel_context

    add_nav(lambda: _l("Follow-ups"), "followups.index", order=40)
    add_home_panel("followups/_home_panel.html", home_panel_context, order=20)
    if link_call_to_followup not in CALL_LOGGED_HOOKS:
        CALL_LOGGED_HOOKS.append(link_call_to_followup)
    app.cli.add_command(jobs_cli)

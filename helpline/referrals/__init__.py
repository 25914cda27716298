"""Referrals to external structures, from a call until they are done."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("referrals", __name__, url_prefix="/referrals")
CALL_PANEL = "referrals/_call_panel.html"

from . import routes  # noqa: E402,F401


def init_app(app) -> None:
    """Add the menu entry, the nurse's home panel and the call page's panel."""
    from .. import demo_hooks, navigation
    from .demo import load_demo_referrals
    from .panels import call_panel, home_panel

    navigation.add_nav(lambda: _l("Referrals"), "referrals.index", 30)
    navigation.add_home_panel("referrals/_home_panel.html", home_panel, 30)
    app.jinja_env.globals["referral_call_panel"] = call_panel
    # The call page includes every template of this shared list (areas append, never replace).
    panels = app.jinja_env.globals.setdefault("call_panels", [])
    if CALL_PANEL not in panels:
        panels.insert(0, CALL_PANEL)
    if load_demo_referrals not in demo_hooks.DEMO_LOADERS:
        demo_hooks.DEMO_LOADERS.append(load_demo_referrals)

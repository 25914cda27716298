"""Case management: warm handoffs, caseloads, visits, assessments, service plans and closure."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("cases", __name__, url_prefix="/cases")

from . import handoff_routes, plan_routes, relay_routes, routes  # noqa: E402,F401

CALL_PANEL = "cases/_call_panel.html"


def init_app(app) -> None:
    """Contribute the menu entries, home panels, call-page panel, call-logged hook and demo cases."""
    from .. import demo_hooks, navigation
    from ..calls.service import CALL_LOGGED_HOOKS
    from . import handoffs, home
    from .relay import relay_call
    from .demo import load_demo_cases

    navigation.add_nav(lambda: _l("Cases"), "cases.index", 40)
    navigation.add_nav(home.handoffs_menu_label, "cases.handoffs", 41)
    navigation.add_home_panel("cases/_home_case_manager.html", home.case_manager_panel, 20)
    navigation.add_home_panel("cases/_home_coordinator.html", home.coordinator_panel, 21)
    navigation.add_home_panel("cases/_home_nurse.html", home.nurse_panel, 22)
    # The call page includes every template of this shared list (areas append, never replace).
    app.jinja_env.globals["cases_call_panel"] = handoffs.call_panel
    panels = app.jinja_env.globals.setdefault("call_panels", [])
    if CALL_PANEL not in panels:
        panels.append(CALL_PANEL)
    if relay_call not in CALL_LOGGED_HOOKS:
        CALL_LOGGED_HOOKS.append(relay_call)
    if load_demo_cases not in demo_hooks.DEMO_LOADERS:
        demo_hooks.DEMO_LOADERS.append(load_demo_cases)

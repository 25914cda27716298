"""The weekly team meeting: agenda, decisions on orientations, tasks for the nurses."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("meetings", __name__, url_prefix="/meeting")

from . import record_routes, routes  # noqa: E402,F401


def init_app(app) -> None:
    """Put reviewed calls on the agenda when saved; add the menu entry and the tasks home panel."""
    from .. import demo_hooks, navigation
    from ..calls.service import CALL_LOGGED_HOOKS
    from .demo import load_demo_meeting
    from .service import open_tasks, put_on_agenda

    if put_on_agenda not in CALL_LOGGED_HOOKS:
        CALL_LOGGED_HOOKS.append(put_on_agenda)
    if load_demo_meeting not in demo_hooks.DEMO_LOADERS:
        demo_hooks.DEMO_LOADERS.append(load_demo_meeting)
    navigation.add_nav(lambda: _l("Team meeting"), "meetings.index", 60)
    navigation.add_nav(lambda: _l("Team decisions for me"), "meetings.mine", 61)

    def tasks_panel(user):
        tasks = open_tasks(user) if user.has_role("nurse") else []
        return {"tasks": tasks} if tasks else None

    navigation.add_home_panel("meetings/_tasks_panel.html", tasks_panel, 20)

"""The main menu, the home page's panels and the call page's panels, declared in one place.

Each list is in the order it is shown. `create_app` calls `init_app`, which keeps this app's menu
(an entry may depend on the settings, like the console pages) in `app.extensions["navigation"]`;
nothing is added at start-up. To give an area a menu entry or a panel, add a line here (and the
endpoint to the permission matrix in `helpline/permissions.py`, which decides who sees it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

from flask import Flask, current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from . import mail
from .cases import home as cases_home
from .followups.worklist import home_panel_context as followups_panel
from .meetings.service import tasks_panel
from .permissions import can
from .referrals.panels import home_panel as referrals_panel
from .telephony import callback_routes
from .telephony.security import is_console as telephony_is_console


@dataclass(frozen=True)
class MenuEntry:
    """A link in the main menu, shown to the users the permission matrix lets open it."""

    label: object  # a lazy string, or a function returning the label (translated when shown)
    endpoint: str
    shown: Callable[[object], bool] = lambda config: True  # noqa: E731 (from the app's settings)


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page: a template and a function giving its context, or None to hide."""

    template: str
    context: Callable[[object], Optional[dict]]


MENU = (
    MenuEntry(_l("Log a call"), "calls.new"),
    MenuEntry(_l("Calls"), "calls.index"),
    MenuEntry(_l("Find a person"), "persons.search"),
    MenuEntry(_l("Referrals"), "referrals.index"),
    MenuEntry(_l("Follow-ups"), "followups.index"),
    MenuEntry(_l("Directory"), "directory.index"),
    MenuEntry(_l("Cases"), "cases.index"),
    MenuEntry(cases_home.handoffs_menu_label, "cases.handoffs"),
    MenuEntry(_l("Team meeting"), "meetings.index"),
    MenuEntry(_l("Team decisions for me"), "meetings.mine"),
    MenuEntry(_l("Triage rules"), "triage.rules"),
    MenuEntry(_l("Indicators"), "reports.index"),
    MenuEntry(_l("Impact replay"), "triage.replay"),
    MenuEntry(_l("Themes"), "reports.topics"),
    MenuEntry(_l("Telephony console"), "telephony.console", shown=telephony_is_console),
    MenuEntry(_l("Users"), "admin.users"),
    MenuEntry(_l("Audit trail"), "admin.audit"),
    MenuEntry(_l("Mail console"), "mail.console", shown=mail.is_console),
    MenuEntry(_l("Settings"), "admin.settings"),
)

HOME_PANELS = (
    HomePanel("telephony/_home_callbacks.html", callback_routes.home_panel),
    HomePanel("followups/_home_panel.html", followups_panel),
    HomePanel("meetings/_tasks_panel.html", tasks_panel),
    HomePanel("cases/_home_case_manager.html", cases_home.case_manager_panel),
    HomePanel("cases/_home_coordinator.html", cases_home.coordinator_panel),
    HomePanel("cases/_home_nurse.html", cases_home.nurse_panel),
    HomePanel("referrals/_home_panel.html", referrals_panel),
)

# Included at the end of a call's page (calls/detail.html), in this order.
CALL_PANELS = ("referrals/_call_panel.html", "telephony/_call_panel.html", "cases/_call_panel.html")


@dataclass(frozen=True)
class Navigation:
    """One app's menu and panels, fixed when the app is created."""

    menu: tuple[MenuEntry, ...]
    home_panels: tuple[HomePanel, ...]
    call_panels: tuple[str, ...]


def init_app(app: Flask) -> None:
    """Fix this app's menu (entries that depend on its settings included) and panels."""
    app.extensions["navigation"] = Navigation(
        menu=tuple(entry for entry in MENU if entry.shown(app.config)),
        home_panels=HOME_PANELS,
        call_panels=CALL_PANELS,
    )
    app.jinja_env.globals.update(menu=menu, call_panels=CALL_PANELS)


def menu() -> list[tuple[str, str]]:
    """Return the (label, url) menu entries the current user may open."""
    entries = current_app.extensions["navigation"].menu
    return [
        (str(e.label() if callable(e.label) else e.label), url_for(e.endpoint))
        for e in entries
        if can(current_user, e.endpoint)
    ]


def home_panels(user) -> list[tuple[str, dict]]:
    """Return the (template, context) panels to show on a user's home page."""
    panels = []
    for panel in current_app.extensions["navigation"].home_panels:
        context = panel.context(user)
        if context is not None:
            panels.append((panel.template, context))
    return panels

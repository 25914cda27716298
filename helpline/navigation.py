"""Menu entries and home-page panels, contributed by each area so no area edits another's files."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from flask import url_for
from flask_login import current_user

from .permissions import can


@dataclass(frozen=True)
class NavEntry:
    """A link in the main menu."""

    label: object  # a lazy string, or a function returning the label (translated when shown)
    endpoint: str
    order: int = 50


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page: a template and a function giving its context, or None to hide."""

    template: str
    context: Callable[[object], Optional[dict]]
    order: int = 50


NAV: list[NavEntry] = []
HOME_PANELS: list[HomePanel] = []


def add_nav(label, endpoint: str, order: int = 50) -> None:
    """Register a menu entry (once per endpoint)."""
    if all(entry.endpoint != endpoint for entry in NAV):
        NAV.append(NavEntry(label, endpoint, order))
        NAV.sort(key=lambda e: e.order)


def add_home_panel(template: str, context: Callable[[object], Optional[dict]], order: int = 50) -> None:
    """Register a home-page panel (once per template)."""
    if all(panel.template != template for panel in HOME_PANELS):
        HOME_PANELS.append(HomePanel(template, context, order))
        HOME_PANELS.sort(key=lambda p: p.order)


def menu() -> list[tuple[str, str]]:
    """Return the (label, url) menu entries the current user may open."""
    return [(str(e.label() if callable(e.label) else e.label), url_for(e.endpoint))
            for e in NAV if can(current_user, e.endpoint)]


def home_panels(user) -> list[tuple[str, dict]]:
    """Return the (template, context) panels to show on a user's home page."""
    panels = []
    for panel in HOME_PANELS:
        context = panel.context(user)
        if context is not None:
            panels.append((panel.template, context))
    return panels

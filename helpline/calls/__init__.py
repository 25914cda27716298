"""Logging calls and the list of recent calls."""
from flask import Blueprint

bp = Blueprint("calls", __name__, url_prefix="/calls")

from . import routes  # noqa: E402,F401


def init_app(app):
    """Add the calls pages to the menu."""
    from flask_babel import lazy_gettext as _l

    from ..navigation import add_nav

    add_nav(lambda: _l("Log a call"), "calls.new", order=10)
    add_nav(lambda: _l("Calls"), "calls.index", order=20)

"""Persons concerned by calls: search and their page over time."""
from flask import Blueprint

bp = Blueprint("persons", __name__, url_prefix="/persons")

from . import routes  # noqa: E402,F401


def init_app(app):
    """Add the person search to the menu."""
    from flask_babel import lazy_gettext as _l

    from ..navigation import add_nav

    add_nav(lambda: _l("Find a person"), "persons.search", order=30)

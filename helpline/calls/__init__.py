"""Logging calls and the list of recent calls."""

from flask import Blueprint

bp = Blueprint("calls", __name__, url_prefix="/calls")

from . import routes  # noqa: E402,F401

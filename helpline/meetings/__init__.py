"""The weekly team meeting: agenda, decisions on orientations, tasks for the nurses."""

from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meeting")

from . import record_routes, routes  # noqa: E402,F401

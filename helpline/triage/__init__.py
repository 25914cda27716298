"""Triage in the app: live proposal, the active rule set, and impact replay."""

from flask import Blueprint

bp = Blueprint("triage", __name__, url_prefix="/triage")

from . import routes  # noqa: E402,F401

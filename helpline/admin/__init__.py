"""Administration: staff accounts, the audit trail search and the settings."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import audit_views, routes  # noqa: E402,F401

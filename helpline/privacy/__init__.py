"""GDPR: consents, access (export), erasure by pseudonymisation, retention, and backups."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

from . import routes  # noqa: E402,F401

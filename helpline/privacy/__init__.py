"""GDPR: consents, access (export), erasure by pseudonymisation, retention, and backups."""
from flask import Blueprint, Flask

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

from . import routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Add the retention, backup and restore commands."""
    from .cli import backup_command, restore_command, retention_cli

    app.cli.add_command(retention_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

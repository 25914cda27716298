"""Administration: staff accounts, the audit trail search and the settings."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import audit_views, routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Add the administration entries to the menu."""
    from ..navigation import add_nav

    add_nav(lambda: str(_l("Users")), "admin.users", order=90)
    add_nav(lambda: str(_l("Audit trail")), "admin.audit", order=91)
    add_nav(lambda: str(_l("Settings")), "admin.settings", order=92)

"""Login (with an optional second factor), logout, the language switch, and app-wide security."""
from flask import Blueprint, Flask

bp = Blueprint("auth", __name__)

from . import routes, totp  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Install the security hooks (headers, cookies, idle timeout, rate limits) and the audit trail."""
    from .. import audit, drafts, security

    security.init_app(app)
    audit.install()
    drafts.init_app(app)

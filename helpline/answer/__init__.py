"""The structure's answer page: one referral, reached by its signed link, without an account."""
from flask import Blueprint

bp = Blueprint("answer", __name__, url_prefix="/answer")

from . import routes  # noqa: E402,F401


def init_app(app) -> None:
    """Set the page's rate limit (requests per address)."""
    app.config.setdefault("ANSWER_RATE_LIMIT", "30 per minute;300 per day")

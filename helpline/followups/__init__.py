"""Follow-up calls 1 and 6 months after a referral or a case's closure: the worklist and its jobs."""

from flask import Blueprint

bp = Blueprint("followups", __name__, url_prefix="/followups")

from . import routes  # noqa: E402,F401

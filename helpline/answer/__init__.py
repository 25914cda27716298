"""The structure's answer page: one referral, reached by its signed link, without an account."""

from flask import Blueprint

bp = Blueprint("answer", __name__, url_prefix="/answer")

from . import details, routes  # noqa: E402,F401

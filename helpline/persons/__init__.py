"""Persons concerned by calls: search and their page over time."""

from flask import Blueprint

bp = Blueprint("persons", __name__, url_prefix="/persons")

from . import routes  # noqa: E402,F401

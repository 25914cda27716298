"""Login (with an optional second factor), logout and the language switch."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import reset, routes, totp  # noqa: E402,F401

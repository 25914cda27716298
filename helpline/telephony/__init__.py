"""Telephony with Twilio: inbound calls, screen pop, warm transfer, outbound follow-ups, SMS."""

from flask import Blueprint

bp = Blueprint("telephony", __name__)

from . import callback_routes, console, routes, webhooks  # noqa: E402,F401


def init_app(app) -> None:
    """Give the telephony settings their values and open the webhooks to Twilio (no CSRF token)."""
    from ..extensions import csrf
    from ..permissions import WEBHOOK_ENDPOINTS
    from .security import configure

    configure(app)
    for endpoint in WEBHOOK_ENDPOINTS:  # public in the permission matrix; each checks its signature
        csrf.exempt(app.view_functions[endpoint])

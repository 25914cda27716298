"""Telephony with Twilio: inbound calls, screen pop, warm transfer, outbound follow-ups, SMS."""
from flask import Blueprint

bp = Blueprint("telephony", __name__)

from . import callback_routes, console, routes, webhooks  # noqa: E402,F401


def init_app(app) -> None:
    """Open the webhooks to Twilio (signature instead of login), add the call panel and hooks."""
    from flask_babel import lazy_gettext as _l

    from .. import navigation, permissions
    from ..calls.service import CALL_LOGGED_HOOKS
    from ..extensions import csrf
    from .routes import transfer_panel
    from .security import configure, is_console
    from .service import link_logged_call
    from .callbacks import close_by_call

    configure(app)
    permissions.PUBLIC_ENDPOINTS.update(webhooks.WEBHOOK_ENDPOINTS)
    for endpoint in webhooks.WEBHOOK_ENDPOINTS:
        csrf.exempt(app.view_functions[endpoint])
    for hook in (link_logged_call, close_by_call):
        if hook not in CALL_LOGGED_HOOKS:
            CALL_LOGGED_HOOKS.append(hook)
    navigation.add_home_panel("telephony/_home_callbacks.html", callback_routes.home_panel, 19)
    # The call page includes every template listed in `call_panels`; areas append theirs.
    panels = app.jinja_env.globals.setdefault("call_panels", [])
    if "telephony/_call_panel.html" not in panels:
        panels.append("telephony/_call_panel.html")
    app.jinja_env.globals["telephony_transfer_panel"] = transfer_panel
    if is_console(app.config):
        navigation.add_nav(lambda: _l("Telephony console"), "telephony.console", 90)

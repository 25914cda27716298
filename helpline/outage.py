"""The app's answer when its database fails: its own 503 page, in the user's language, rendered
without touching the database, and a form that was being saved shown again with what was typed.

Nothing on this path may query the database: the logged-in user is replaced by an anonymous one
for the page (loading her would query it again), and the language comes from the session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import g, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import ServiceUnavailable

from .extensions import db, login_manager

log = logging.getLogger(__name__)

OFFLINE_RENDERER = "render_on_database_outage"


class DatabaseUnavailable(ServiceUnavailable):
    """The database did not answer (raised where the app needs it before any view runs)."""


def keeps_form_on_outage(renderer: Callable[[], object]):
    """Mark a view whose form is shown again, with everything typed, when the database fails.

    `renderer()` returns the response; it must not query the database.
    """

    def decorate(view):
        setattr(view, OFFLINE_RENDERER, renderer)
        return view

    return decorate


def _forget_session() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: the session is discarded at teardown anyway
        log.debug("rollback after a database failure failed", exc_info=True)


def database_unavailable(error):
    """Answer a failed database with the 503 page, or the form being saved (error handler)."""
    _forget_session()
    log.error("database unavailable on %s %s: %s", request.method, request.endpoint, type(error).__name__)
    g._login_user = login_manager.anonymous_user()  # loading the user would query the database again
    from flask import current_app

    view = current_app.view_functions.get(request.endpoint or "")
    renderer = getattr(view, OFFLINE_RENDERER, None)
    if renderer is not None and request.method == "POST":
        return renderer()
    message = _("The database is not answering. Nothing was saved; please try again in a moment.")
    if request.endpoint == "main.healthz":
        return jsonify(status="unavailable", database="unreachable"), 503
    if request.path.endswith(".json") or request.accept_mimetypes.best == "application/json":
        return jsonify(error="database unavailable", message=message), 503
    kept = (
        [
            (name, value)
            for name, value in request.form.items(multi=True)
            if name != "csrf_token" and not any(secret in name for secret in ("password", "code", "token"))
        ]
        if request.method == "POST"
        else []
    )
    return render_template("errors/unavailable.html", code=503, message=message, kept=kept), 503

"""The mail console: in console mode, the messages the outbox holds, as they would have been sent."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, render_template

from models import OutboxMessage

from ..extensions import db
from . import bp, is_console

SHOWN = 100


@bp.route("/console")
def console():
    """Show the latest messages of the outbox (console mode only: no mail server configured)."""
    if not is_console(current_app.config):
        abort(404)
    messages = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(SHOWN)).all()
    return render_template("mail/console.html", messages=messages)

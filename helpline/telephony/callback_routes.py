"""The calls to return on the nurses' home page: who to call back, and an unanswered attempt."""

from __future__ import annotations

from typing import Optional

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from models import Callback

from ..extensions import db
from . import bp, callbacks

HOME_LIMIT = 15


def home_panel(user) -> Optional[dict]:
    """Give the nurses' home page the numbers to call back, with the persons known for each."""
    if not (user.has_role("nurse") or user.has_role("coordinator")):
        return None
    pending = callbacks.pending_callbacks(HOME_LIMIT)
    known = callbacks.known_persons(pending)
    rows = [{"callback": cb, "persons": known[cb.id]} for cb in pending]
    return {"rows": rows, "total": callbacks.count_pending(), "max_attempts": _max_attempts()}


def _max_attempts() -> int:
    return current_app.config["CALLBACK_MAX_ATTEMPTS"]


@bp.post("/telephony/callbacks/<int:callback_id>/attempt")
def callback_attempt(callback_id: int):
    """Count an attempt to call back that nobody answered (the last one marks it unreachable)."""
    callback = db.get_or_404(Callback, callback_id)
    try:
        callbacks.record_attempt(callback, current_user)
    except callbacks.CallbackClosedError:
        db.session.rollback()
        flash(_("This callback is already closed."), "info")
        return redirect(url_for("main.home"))
    db.session.commit()
    if callback.status == "unreachable":
        flash(
            ngettext(
                "No answer after %(num)s attempt: the caller is marked unreachable.",
                "No answer after %(num)s attempts: the caller is marked unreachable.",
                callback.attempts,
            ),
            "info",
        )
    else:
        flash(_("Attempt recorded: %(n)s of %(max)s.", n=callback.attempts, max=_max_attempts()), "success")
    return redirect(url_for("main.home"))

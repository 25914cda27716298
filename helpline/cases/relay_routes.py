"""The case manager's acknowledgement of a relayed call."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from models import Relay

from .. import audit
from ..extensions import db
from . import bp
from .relay import acknowledge, can_acknowledge


def _back(relay: Relay):
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("cases.detail", case_id=relay.case_id))


@bp.route("/relays/<int:relay_id>/acknowledge", methods=["POST"])
def relay_acknowledge(relay_id: int):
    """Mark a relayed call taken into account (the person's case manager)."""
    relay = db.get_or_404(Relay, relay_id)
    if not can_acknowledge(current_user, relay):
        audit.record("denied", "relay", relay.id, person_id=relay.case.person_id)
        db.session.commit()
        abort(403)
    note = (request.form.get("note") or "")[:2000]
    if acknowledge(relay, current_user, note):
        db.session.commit()
        flash(_("Call taken into account: the nurse sees it."), "success")
    else:
        flash(_("This call was already taken into account."), "info")
    return _back(relay)

"""Warm handoff pages: write the note from a call, the inbox, one note (read receipt)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from models import Call, Handoff, User

from .. import audit
from ..extensions import db
from . import bp
from .forms import HandoffForm
from .handoffs import SBAR_FIELDS, can_read, for_call, inbox, open_handoff, prefill_from_call, send_handoff, sent_by
from .service import caseloads, propose_case_manager

TEAM_INBOX = "team"


def _recipient_choices() -> list[tuple[str, str]]:
    options = [
        (
            str(load.user.id),
            ngettext("%(name)s — %(num)s place free", "%(name)s — %(num)s places free", load.room, name=load.user.name)
            if not load.full
            else _("%(name)s — full", name=load.user.name),
        )
        for load in caseloads()
    ]
    return options + [(TEAM_INBOX, _("Coordinators (team inbox)"))]


@bp.route("/handoffs/new/<int:call_id>", methods=["GET", "POST"])
def handoff_new(call_id: int):
    """Write the handoff note of a call, prefilled from it, and deliver it to a case manager."""
    call = db.get_or_404(Call, call_id)
    form = HandoffForm()
    form.to_user_id.choices = _recipient_choices()
    if request.method == "GET":
        for name, text in prefill_from_call(call).items():
            form[name].data = text
        proposed = propose_case_manager()
        form.to_user_id.data = str(proposed.id) if proposed else TEAM_INBOX
        audit.record_read("call", call.id, call.person_id)
    elif form.validate_on_submit():
        to_user = None if form.to_user_id.data == TEAM_INBOX else db.session.get(User, int(form.to_user_id.data))
        handoff = send_handoff(call, current_user, to_user, {name: form[name].data for name in SBAR_FIELDS})
        db.session.commit()
        flash(_("Handoff delivered to %(name)s.", name=to_user.name if to_user else _("the coordinators")), "success")
        return redirect(url_for("cases.handoff_detail", handoff_id=handoff.id))
    status = 422 if request.method == "POST" else 200
    return render_template("cases/handoff_new.html", call=call, form=form, earlier=for_call(call.id)), status


@bp.route("/handoffs/")
def handoffs():
    """Show the user's handoffs: those received (unread first) and those sent, with read receipts."""
    received = inbox(current_user) if current_user.has_role("case_manager", "coordinator") else []
    return render_template("cases/handoffs.html", received=received, sent=sent_by(current_user))


@bp.route("/handoffs/<int:handoff_id>")
def handoff_detail(handoff_id: int):
    """Open a handoff note; its recipient's first opening is the read receipt the nurse sees."""
    handoff = db.get_or_404(Handoff, handoff_id)
    if not can_read(handoff, current_user):
        abort(403)
    open_handoff(handoff, current_user)
    db.session.commit()
    return render_template("cases/handoff.html", handoff=handoff)

"""Staff pages of the telephony area: screen pop, answering, warm transfer, follow-up calls."""

from __future__ import annotations

from typing import Optional
from urllib.parse import urlsplit

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from models import Call, FollowUp, Notification, PhoneCall, User, utcnow

from ..extensions import db
from ..formatting import format_local
from ..permissions import can
from ..persons.routes import get_person_or_403
from ..phones import display_phone
from . import bp, callbacks, outbound, service, transfer
from .forms import TransferForm


def _call_json(phone_call: PhoneCall) -> dict:
    """Return what the screen pop shows about one live call."""
    persons = service.known_persons(phone_call)
    mine = phone_call.answered_by_id == current_user.id
    return {
        "id": phone_call.id,
        "number": display_phone(phone_call.from_number) or _("Hidden number"),
        "status": phone_call.status,
        "answered_by_me": mine,
        "answer_url": url_for("telephony.answer", phone_call_id=phone_call.id),
        # Ids, not the number: a URL stays in the access logs.
        "log_url": url_for("calls.new", phone_call=phone_call.id),
        "persons": [
            {
                "name": p.display_name,
                "birth_year": p.birth_date.year if p.birth_date else None,
                "log_url": url_for("calls.new", phone_call=phone_call.id, person_id=p.id),
            }
            for p in persons
        ]
        if mine
        else [],
        "known_count": len(persons),
        "pending": _pending_json(phone_call, persons if mine else []),
    }


def _pending_json(phone_call: PhoneCall, persons: list) -> list[dict]:
    """Return what this caller is still owed: a call to return, follow-up calls to complete now.

    The follow-ups name the person, so they are shown only to the nurse who answered.
    """
    pending = []
    callback = callbacks.pending_for_number(phone_call.from_number)
    if callback is not None:
        pending.append(
            {
                "text": _(
                    "A missed call from this number (%(when)s) is waiting to be returned: logging this call closes it.",
                    when=format_local(callback.last_missed_at),
                ),
                "action": None,
            }
        )
    for followup in callbacks.pending_followups(persons):
        pending.append(
            {
                "text": _(
                    "Follow-up call due on %(day)s for %(name)s.",
                    day=format_local(followup.due_date),
                    name=followup.person.display_name,
                ),
                "action": {
                    "url": url_for("followups.start", followup_id=followup.id),
                    "label": _("Complete it in this call"),
                },
            }
        )
    return pending


@bp.get("/telephony/incoming.json")
def incoming():
    """List the live inbound calls for the screen pop, with telephony notices."""
    calls = [_call_json(pc) for pc in service.incoming_for(current_user)]
    notices = [
        {"message": n.message, "link": n.link, "dismiss_url": url_for("telephony.dismiss", notification_id=n.id)}
        for n in service.unread_notices(current_user)
    ]
    labels = {
        "incoming": _("Incoming call:"),
        "answer": _("I answer"),
        # The script puts the count in place of the kept placeholder.
        "known": _("Known persons for this number: %(n)s", n="%(n)s"),
        "answered": _("You answered. Log the call about:"),
        "other_person": _("another person"),
        "log_call": _("Log the call"),
        "open": _("Open"),
        "dismiss": _("Dismiss"),
        "answer_failed": _("The call could not be taken: try again."),
        "pending": _("Still to do for this caller:"),
    }
    return jsonify(calls=calls, notices=notices, labels=labels)


@bp.post("/telephony/phone-calls/<int:phone_call_id>/answer")
def answer(phone_call_id: int):
    """Mark a live call as answered by the current nurse and show who may be calling."""
    phone_call = db.get_or_404(PhoneCall, phone_call_id)
    try:
        service.answer(phone_call, current_user)
    except service.AlreadyAnsweredError:
        db.session.rollback()
        return jsonify(error=_("Another nurse has already answered this call.")), 409
    db.session.commit()
    return jsonify(call=_call_json(phone_call))


@bp.post("/telephony/notices/<int:notification_id>/read")
def dismiss(notification_id: int):
    """Dismiss a telephony notice."""
    notice = db.get_or_404(Notification, notification_id)
    if notice.user_id != current_user.id:
        return jsonify(error="not yours"), 404
    notice.read_at = notice.read_at or utcnow()
    db.session.commit()
    return jsonify(ok=True)


def _local_path(url: Optional[str]) -> str:
    """Return the path of a same-site URL to go back to, or the home page."""
    parts = urlsplit(url or "")
    if parts.netloc and parts.netloc != request.host or not parts.path.startswith("/"):
        return url_for("main.home")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _transfer_form(call: Call) -> TransferForm:
    """Return the transfer form with the dialable case managers, the handoff's first."""
    form = TransferForm()
    managers = transfer.case_managers()
    form.case_manager_id.choices = [SelectChoice(u.id, u.name) for u in managers]
    handoff = transfer._handoff(call)
    if request.method == "GET" and handoff is not None and handoff.to_user_id:
        form.case_manager_id.data = handoff.to_user_id
    return form


def transfer_panel(call: Call) -> Optional[dict]:
    """Return the call page's transfer panel context, or None when there is nothing to offer."""
    if not can(current_user, "telephony.transfer"):
        return None
    phone_call = transfer.live_phone_call(call)
    if phone_call is None:
        return None
    target = db.session.get(User, phone_call.transfer_to_id) if phone_call.transfer_to_id else None
    return {"phone_call": phone_call, "form": _transfer_form(call), "target": target}


@bp.post("/telephony/calls/<int:call_id>/transfer")
def transfer_call(call_id: int):
    """Start a warm transfer of the caller to a case manager."""
    call = db.get_or_404(Call, call_id)
    form = _transfer_form(call)
    if not form.validate():
        for error in form.case_manager_id.errors:
            flash(_("Case manager: %(error)s", error=error), "error")
        return redirect(url_for("calls.detail", call_id=call.id))
    case_manager = db.get_or_404(User, form.case_manager_id.data)
    try:
        transfer.transfer_call(call, case_manager, current_user)
    except transfer.TransferError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("calls.detail", call_id=call.id))
    flash(
        _("%(name)s is being called. Introduce the caller, then hang up: the call goes on.", name=case_manager.name),
        "success",
    )
    return redirect(url_for("calls.detail", call_id=call.id))


@bp.post("/telephony/followups/<int:followup_id>/call")
def call_followup(followup_id: int):
    """Ring the nurse's phone, then bridge her to the person of the follow-up."""
    followup = db.get_or_404(FollowUp, followup_id)
    back = _local_path(request.form.get("next") or request.referrer)
    try:
        outbound.call_followup(followup, current_user)
    except outbound.OutboundCallError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Your phone is ringing: pick up and the person will be called."), "success")
    return redirect(back)


@bp.post("/telephony/persons/<int:person_id>/call")
def dial_number(person_id: int):
    """Ring the nurse's phone, then bridge her to one of the person's numbers."""
    person = get_person_or_403(person_id)
    back = _local_path(request.form.get("next") or request.referrer)
    try:
        outbound.call_number(person, (request.form.get("number") or "").strip(), current_user)
    except outbound.OutboundCallError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Your phone is ringing: pick up and the number will be called."), "success")
    return redirect(back)

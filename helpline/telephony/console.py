"""Developer console (console mode only): simulate Twilio through the real, signed webhooks."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from models import FollowUp, Person, PhoneCall, User

from ..extensions import db
from ..formatting import format_day
from ..phones import masked_phone
from . import bp, outbound, transfer
from .forms import SimulateInboundForm, SimulateOutboundForm, SimulateTransferForm
from .security import auth_token, is_console
from .service import FINAL_STATUSES, gateway
from .signature import SIGNATURE_HEADER, compute_signature

CONSOLE_ACCOUNT = "AC" + "0" * 32
CONSOLE_BASE_URL = "http://localhost"


def _local_sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def signed_post(endpoint: str, params: dict[str, str], **values: Any) -> tuple[int, str]:
    """POST to a webhook view in-process, signed as Twilio would sign it; return status and body."""
    path = url_for(endpoint, **values)
    params = {"AccountSid": CONSOLE_ACCOUNT, **params}
    signature = compute_signature(auth_token(), CONSOLE_BASE_URL + path, params)
    db.session.commit()  # the webhook runs in its own session: nothing may stay locked here
    with current_app.test_client() as client:
        response = client.post(path, data=params, base_url=CONSOLE_BASE_URL, headers={SIGNATURE_HEADER: signature})
        body = response.get_data(as_text=True)
        response.close()
    db.session.expire_all()
    return response.status_code, body


def _helpline_number() -> str:
    return current_app.config.get("TWILIO_PHONE_NUMBER") or "+3220000000"


def simulate_inbound(from_number: str) -> list[dict]:
    """Ring the helpline from a number: the voice webhook answers and records the call."""
    sid = _local_sid("CA")
    code, body = signed_post(
        "telephony.voice",
        {
            "CallSid": sid,
            "From": from_number,
            "To": _helpline_number(),
            "CallStatus": "ringing",
            "Direction": "inbound",
        },
    )
    return [{"step": "POST /twilio/voice", "status": code, "body": body}]


def simulate_transfer(phone_call: PhoneCall, case_manager: User, outcome: str) -> list[dict]:
    """Bridge a nurse to the caller, transfer to a case manager, and play their answer."""
    steps = []
    if phone_call.nurse_call_sid is None:
        code, body = signed_post(
            "telephony.nurse_bridged", {"CallSid": phone_call.call_sid, "DequeingCallSid": _local_sid("CA")}
        )
        steps.append({"step": "POST /twilio/nurse/bridged", "status": code, "body": body})
        phone_call = db.session.get(PhoneCall, phone_call.id)
    transfer.start_transfer(phone_call, case_manager, current_user)
    conference = {"ConferenceSid": _local_sid("CF"), "FriendlyName": phone_call.conference_name}
    events = [
        ("telephony.nurse_after", {"CallSid": phone_call.nurse_call_sid}, {}),
        (
            "telephony.conference_events",
            {
                **conference,
                "CallSid": phone_call.nurse_call_sid,
                "StatusCallbackEvent": "participant-join",
                "ParticipantLabel": "nurse",
            },
            {"phone_call_id": phone_call.id},
        ),
        (
            "telephony.case_manager_status",
            {"CallSid": _local_sid("CA"), "CallStatus": outcome},
            {"phone_call_id": phone_call.id},
        ),
    ]
    if outcome != "in-progress":
        events.append(
            ("telephony.transfer_no_answer", {"CallSid": phone_call.nurse_call_sid}, {"phone_call_id": phone_call.id})
        )
    for endpoint, params, values in events:
        code, body = signed_post(endpoint, params, **values)
        steps.append({"step": f"POST {url_for(endpoint, **values)}", "status": code, "body": body})
    return steps


def simulate_outbound(followup: FollowUp, nurse: User, outcome: str) -> list[dict]:
    """Place a follow-up call: the nurse answers, the person answers (or not)."""
    phone_call = outbound.call_followup(followup, nurse)
    db.session.commit()
    steps = []
    for endpoint, params in (
        ("telephony.followup_bridge", {"CallSid": phone_call.call_sid, "CallStatus": "in-progress"}),
        ("telephony.followup_result", {"CallSid": phone_call.call_sid, "DialCallStatus": outcome}),
    ):
        code, body = signed_post(endpoint, params, followup_id=followup.id)
        steps.append({"step": f"POST {url_for(endpoint, followup_id=followup.id)}", "status": code, "body": body})
    code, body = signed_post(
        "telephony.status",
        {"CallSid": phone_call.call_sid, "CallStatus": "completed", "CallDuration": "42", "Direction": "outbound-api"},
    )
    steps.append({"step": "POST /twilio/status", "status": code, "body": body})
    return steps


def _forms() -> tuple[SimulateInboundForm, SimulateTransferForm, SimulateOutboundForm]:
    """Return the three simulation forms with their choices from the database."""
    inbound = SimulateInboundForm(prefix="in")
    transfer_form = SimulateTransferForm(prefix="tr")
    live = db.session.scalars(
        sa.select(PhoneCall)
        .where(PhoneCall.direction == "inbound", PhoneCall.status.not_in(FINAL_STATUSES))
        .order_by(PhoneCall.started_at.desc())
        .limit(20)
    )
    transfer_form.phone_call_id.choices = [
        # The console is for admins too: the caller's number is theirs, not the console's to show.
        SelectChoice(pc.id, f"#{pc.id} {masked_phone(pc.from_number)} ({pc.status})")
        for pc in live
    ]
    transfer_form.case_manager_id.choices = [SelectChoice(u.id, u.name) for u in transfer.case_managers()]
    outbound_form = SimulateOutboundForm(prefix="out")
    followups = db.session.scalars(
        sa.select(FollowUp)
        .join(Person, FollowUp.person_id == Person.id)
        .where(FollowUp.status == "pending", Person.phone.is_not(None))
        .order_by(FollowUp.due_date)
        .limit(20)
    )
    outbound_form.followup_id.choices = [SelectChoice(f.id, f"#{f.id} {format_day(f.due_date)}") for f in followups]
    nurses = [
        u
        for u in db.session.scalars(
            sa.select(User).where(User.active.is_(True), User.phone.is_not(None)).order_by(User.name)
        )
        if u.has_role("nurse")
    ]
    outbound_form.nurse_id.choices = [SelectChoice(u.id, u.name) for u in nurses]
    return inbound, transfer_form, outbound_form


@bp.route("/telephony/console", methods=["GET", "POST"])
def console():
    """Simulate an inbound call, a warm transfer or a follow-up call without Twilio."""
    if not is_console():
        abort(404)
    inbound, transfer_form, outbound_form = _forms()
    actions_before = len(gateway().actions)
    steps, error = [], None
    try:
        if inbound.submit.data and inbound.validate():
            steps = simulate_inbound(inbound.from_number.data)
        elif transfer_form.submit.data and transfer_form.validate():
            steps = simulate_transfer(
                db.get_or_404(PhoneCall, transfer_form.phone_call_id.data),
                db.get_or_404(User, transfer_form.case_manager_id.data),
                transfer_form.outcome.data,
            )
        elif outbound_form.submit.data and outbound_form.validate():
            steps = simulate_outbound(
                db.get_or_404(FollowUp, outbound_form.followup_id.data),
                db.get_or_404(User, outbound_form.nurse_id.data),
                outbound_form.outcome.data,
            )
    except (transfer.TransferError, outbound.OutboundCallError) as exc:
        db.session.rollback()
        error = str(exc)
    status = 422 if error or any(f.errors for f in (inbound, transfer_form, outbound_form)) else 200
    if steps or error:
        inbound, transfer_form, outbound_form = _forms()
    return render_template(
        "telephony/console.html",
        inbound=inbound,
        transfer_form=transfer_form,
        outbound_form=outbound_form,
        steps=steps,
        error=error,
        actions=gateway().actions[actions_before:],
        title=_("Telephony console"),
    ), status

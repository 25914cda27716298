"""Correcting a saved call: the previous values kept, triage run again, the decision never rewritten."""

from __future__ import annotations

import copy
from typing import Any, Optional

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length

from models import Call, Correction, User
from triage_rules import TriageInputError

from .. import audit
from ..extensions import db
from ..rules import active_ruleset
from ..vocabulary import CALLER_TYPE_LABELS, PROFESSIONAL_ROLE_LABELS, TOPIC_LABELS, choices
from ..widgets import MultiCheckboxField

# The fields of a call that triage reads: changing one needs a reason and runs triage again.
TRIAGE_FIELDS = frozenset({"topics", "caller_type", "caller_professional_role"})


class CorrectionError(ValueError):
    """A correction that cannot be saved as it is; the message names the field."""


class CallCorrectionForm(FlaskForm):
    """What a nurse may correct on a saved call."""

    caller_type = RadioField(_l("Caller"), choices=choices(CALLER_TYPE_LABELS), validators=[InputRequired()])
    caller_professional_role = SelectField(
        _l("Professional role"), choices=choices(PROFESSIONAL_ROLE_LABELS, blank=_l("—")), default=""
    )
    topics = MultiCheckboxField(_l("Topics"), choices=choices(TOPIC_LABELS))
    summary = TextAreaField(_l("Summary"), validators=[Length(max=10000)])
    reason = TextAreaField(_l("Reason for the correction"), validators=[Length(max=2000)])

    def validate_topics(self, field):
        """Require at least one topic."""
        if not field.data:
            raise ValidationError(_l("Tick at least one topic."))


def form_for(call: Call) -> CallCorrectionForm:
    """Return the correction form filled with the call as saved (or as posted)."""
    return CallCorrectionForm(
        data={
            "caller_type": call.caller_type,
            "topics": call.topics,
            "summary": call.summary,
            "caller_professional_role": call.caller_professional_role or "",
        }
    )


def _current(call: Call) -> dict[str, Any]:
    return {
        "caller_type": call.caller_type,
        "caller_professional_role": call.caller_professional_role,
        "topics": sorted(call.topics),
        "summary": call.summary,
    }


def _retriage(call: Call, values: dict[str, Any]) -> Optional[dict[str, Any]]:
    """Run triage again on the call's stored input with the corrected facts (None when it cannot)."""
    if not call.triage_input:
        return None
    request = copy.deepcopy(call.triage_input)
    caller: dict[str, Any] = {"type": values["caller_type"]}
    if values["caller_type"] == "professional" and values["caller_professional_role"]:
        caller["professional_role"] = values["caller_professional_role"]
    request["caller"] = caller
    request.setdefault("request", {})
    request["request"]["topics"] = values["topics"]
    request["request"]["summary"] = values["summary"]
    try:
        decision = active_ruleset(current_app).decide(request, lang=str(get_locale() or "fr"))
    except TriageInputError:
        return None
    return decision.to_dict()


def correct_call(call: Call, form: CallCorrectionForm, user: User) -> Optional[Correction]:
    """Apply a correction to a call and keep it (None when nothing changed); the caller commits."""
    before = _current(call)
    after = {
        "caller_type": form.caller_type.data,
        "caller_professional_role": (form.caller_professional_role.data or None)
        if form.caller_type.data == "professional"
        else None,
        "topics": sorted(form.topics.data or []),
        "summary": (form.summary.data or "").strip(),
    }
    if after["caller_type"] == "professional" and not after["caller_professional_role"]:
        raise CorrectionError("caller_professional_role")
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if not changes:
        return None
    reason = (form.reason.data or "").strip() or None
    if TRIAGE_FIELDS & changes.keys() and not reason:
        raise CorrectionError("reason")
    correction = Correction(
        object_type="call", object_id=call.id, person_id=call.person_id, user_id=user.id, changes=changes, reason=reason
    )
    if TRIAGE_FIELDS & changes.keys():
        proposal = _retriage(call, after)
        correction.route_before = call.route
        correction.route_after = proposal["route"] if proposal else None
        correction.proposal_after = proposal
    call.caller_type, call.caller_professional_role = after["caller_type"], after["caller_professional_role"]
    call.summary = after["summary"]
    if "topics" in changes:
        call.topics = after["topics"]
    db.session.add(correction)
    db.session.flush()
    audit.record(
        "update",
        "call",
        call.id,
        person_id=call.person_id,
        detail={"fields": sorted(changes), "correction_id": correction.id},
    )
    return correction

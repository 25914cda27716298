"""The triage proposal for a call being logged, and the nurse's confirmation or override."""

from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from models import Case
from models.vocabulary import CRITERIA
from triage_rules import TriageInputError

from ..extensions import db
from ..formatting import local_now
from ..ids import parse_id
from ..rules import active_ruleset
from .forms import CallForm, yes_no
from .service import Decision


def triage_request(form: CallForm) -> dict[str, Any]:
    """Build the triage engine's input (CONTRACT.md) from the call form."""
    caller: dict[str, Any] = {"type": form.caller_type.data}
    if form.caller_type.data == "professional" and form.caller_professional_role.data:
        caller["professional_role"] = form.caller_professional_role.data
    person: dict[str, Any] = {
        "postcode": form.postcode.data,
        "consent": yes_no(form.consent.data) is True,
        "in_case_management": in_case_management(form.person_id.data),
    }
    age = _age(form)
    if age is not None:
        person["age"] = age
    if yes_no(form.lives_alone.data) is not None:
        person["lives_alone"] = yes_no(form.lives_alone.data)
    complexity: dict[str, Any] = {c: bool(getattr(form, c).data) for c in CRITERIA}
    complexity["coordination_centre_involved"] = bool(form.coordination_centre_involved.data)
    if form.professionals_involved.data is not None:
        complexity["professionals_involved"] = form.professionals_involved.data
    complexity["rupture_events"] = list(form.rupture_events.data or [])
    request: dict[str, Any] = {
        "caller": caller,
        "person": person,
        "request": {"topics": list(form.topics.data or []), "summary": form.summary.data or ""},
        "red_flags": list(form.red_flags.data or []),
        "complexity": complexity,
    }
    prisma7 = form.prisma7_answers()
    if prisma7 is not None and None not in prisma7:
        request["prisma7"] = prisma7
    return request


def in_case_management(person_id: Any) -> bool:
    """Tell from the record (never from the form) whether the chosen person has an active case."""
    person_id = parse_id(person_id) if person_id else None
    if person_id is None:
        return False
    active = sa.select(Case.id).where(Case.person_id == person_id, Case.status == "active").limit(1)
    return db.session.scalar(active) is not None


def _age(form: CallForm) -> Optional[int]:
    if form.birth_date.data:
        today, born = local_now().date(), form.birth_date.data
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return form.age.data


def propose(form: CallForm) -> Optional[dict[str, Any]]:
    """Return the triage proposal (contract output) for the form, or None when it cannot be made."""
    if not form.topics.data or not form.caller_type.data or not form.postcode.data:
        return None
    request = triage_request(form)
    try:
        decision = active_ruleset(current_app).decide(request, lang=str(get_locale() or "fr"))
    except TriageInputError:
        return None
    return {**decision.to_dict(), "input": request}


def decide(form: CallForm, proposal: Optional[dict[str, Any]]) -> Optional[Decision]:
    """Return the nurse's decision: the proposal accepted, or overridden with a reason (else None)."""
    route = form.route.data
    if proposal is None:
        form.route.errors.append(_("No triage proposal could be made: check the fields marked."))
        return None
    request = proposal.pop("input")
    if route == "relay" and not request["person"].get("in_case_management"):
        proposal["input"] = request
        form.route.errors.append(_("The person has no active case: there is no case manager to relay the call to."))
        return None
    if route == proposal["route"]:
        return Decision(
            route=route,
            priority=proposal["priority"],
            categories=tuple(proposal["categories"]),
            follow_up_days=tuple(proposal["follow_up_days"]),
            team_review=proposal["team_review"],
            proposal=proposal,
            triage_input=request,
        )
    reason = (form.override_reason.data or "").strip()
    if not reason:
        form.override_reason.errors.append(_("Give the reason for choosing another route than the proposal."))
        return None
    return Decision(
        route=route,
        priority=_override_priority(route, proposal),
        categories=_override_categories(route, form, proposal),
        follow_up_days=OVERRIDE_FOLLOW_UP_DAYS if route in ("external", "case_management") else (),
        team_review=route == "case_management" or proposal["team_review"],
        proposal=proposal,
        triage_input=request,
        overridden=True,
        override_reason=reason,
    )


OVERRIDE_FOLLOW_UP_DAYS = (30, 182)


def _override_categories(route: str, form: CallForm, proposal: dict[str, Any]) -> tuple[str, ...]:
    """Return the structure categories of an override to an external route (from the topics)."""
    if route != "external":
        return ()
    if proposal["categories"]:
        return tuple(proposal["categories"])
    mapping = active_ruleset(current_app).config.topic_categories
    return tuple(sorted({mapping[t] for t in form.topics.data if mapping.get(t)}))


def _override_priority(route: str, proposal: dict[str, Any]) -> str:
    if route == "emergency":
        return "immediate"
    return proposal["priority"] if proposal["priority"] != "immediate" else "high"

"""Warm handoffs: a structured note (SBAR) from the nurse to a case manager, with a read receipt."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from models import Call, Case, Handoff, User, utcnow

from .. import audit
from ..extensions import db
from ..formatting import labels, local_now
from ..vocabulary import CRITERION_LABELS

SBAR_FIELDS = ("situation", "background", "assessment", "recommendation")


def prefill_from_call(call: Call) -> dict[str, str]:
    """Return the handoff's four parts drafted from what the nurse logged on the call."""
    person = call.person
    caller = labels("caller_type", call.caller_type)
    topics = ", ".join(labels("topic", t) for t in call.topics)
    situation = _("%(caller)s called about: %(topics)s.", caller=caller, topics=topics or "—")
    if call.summary:
        situation += "\n" + call.summary
    background = []
    age = person.age_on(local_now().date())
    if age is not None:
        background.append(_("Age: %(age)s.", age=age))
    if person.lives_alone is not None:
        background.append(_("Lives alone.") if person.lives_alone else _("Does not live alone."))
    if person.gp_name:
        background.append(_("GP: %(name)s.", name=person.gp_name))
    if call.rupture_events:
        background.append(
            _("Recent events: %(events)s.", events=", ".join(labels("rupture", r) for r in call.rupture_events))
        )
    if call.professionals_involved is not None:
        background.append(_("Professionals involved: %(n)s.", n=call.professionals_involved))
    met = [str(CRITERION_LABELS[c]) for c in CRITERION_LABELS if getattr(call, c)]
    assessment = [_("CNSA criteria met: %(n)s of 4.", n=len(met))] + [f"- {m}" for m in met]
    if call.red_flags:
        assessment.append(_("Red flags: %(flags)s.", flags=", ".join(labels("red_flag", f) for f in call.red_flags)))
    recommendation = _("Case management, priority %(priority)s.", priority=labels("priority", call.priority))
    if call.team_review:
        recommendation += " " + _("To be validated at the team meeting.")
    return {
        "situation": situation,
        "background": "\n".join(background),
        "assessment": "\n".join(assessment),
        "recommendation": recommendation,
    }


def send_handoff(call: Call, sender: User, to_user: Optional[User], parts: dict[str, str]) -> Handoff:
    """Deliver a handoff note to a case manager's inbox (or the coordinators' when nobody is named)."""
    case_id = db.session.scalar(sa.select(Case.id).where(Case.origin_call_id == call.id))
    handoff = Handoff(
        call_id=call.id,
        case_id=case_id,
        from_user_id=sender.id,
        to_user_id=to_user.id if to_user else None,
        **{name: (parts.get(name) or "").strip() for name in SBAR_FIELDS},
    )
    db.session.add(handoff)
    db.session.flush()
    audit.record(
        "create",
        "handoff",
        handoff.id,
        person_id=call.person_id,
        user_id=sender.id,
        detail={"call_id": call.id, "to_user_id": handoff.to_user_id},
    )
    return handoff


def is_recipient(handoff: Handoff, user: User) -> bool:
    """Tell whether a handoff is addressed to the user (the team inbox belongs to the coordinators)."""
    if handoff.to_user_id is None:
        return user.has_role("coordinator")
    return handoff.to_user_id == user.id


def can_read(handoff: Handoff, user: User) -> bool:
    """Tell whether a user may open a handoff: its recipient, its sender, or a coordinator."""
    return is_recipient(handoff, user) or handoff.from_user_id == user.id or user.has_role("coordinator")


def open_handoff(handoff: Handoff, user: User) -> Handoff:
    """Record that a user opened a handoff; the recipient's first opening is the read receipt."""
    if handoff.read_at is None and is_recipient(handoff, user):
        handoff.read_at, handoff.read_by_id = utcnow(), user.id
        audit.record(
            "update", "handoff", handoff.id, person_id=handoff.call.person_id, user_id=user.id, detail={"read": True}
        )
    audit.record("read", "handoff", handoff.id, person_id=handoff.call.person_id, user_id=user.id)
    return handoff


def _inbox_filter(user: User):
    if user.has_role("coordinator"):
        return sa.or_(Handoff.to_user_id == user.id, Handoff.to_user_id.is_(None))
    return Handoff.to_user_id == user.id


def unread_count(user: User) -> int:
    """Return how many handoffs addressed to the user are still unread."""
    if not user.has_role("case_manager", "coordinator"):
        return 0
    stmt = sa.select(sa.func.count()).select_from(Handoff).where(_inbox_filter(user), Handoff.read_at.is_(None))
    return db.session.scalar(stmt) or 0


def _listed(stmt):
    """Load what the handoffs page shows of each note: the call's person, who sent it, to whom."""
    return stmt.options(
        selectinload(Handoff.call).selectinload(Call.person),
        selectinload(Handoff.from_user),
        selectinload(Handoff.to_user),
    )


def inbox(user: User, limit: int = 100) -> list[Handoff]:
    """Return the handoffs addressed to the user, unread first, newest first."""
    stmt = (
        _listed(sa.select(Handoff))
        .where(_inbox_filter(user))
        .order_by(Handoff.read_at.is_not(None), Handoff.created_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def sent_by(user: User, limit: int = 100) -> list[Handoff]:
    """Return the handoffs the user sent, newest first."""
    stmt = _listed(sa.select(Handoff)).where(Handoff.from_user_id == user.id)
    stmt = stmt.order_by(Handoff.created_at.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def for_call(call_id: int) -> list[Handoff]:
    """Return the handoffs sent about a call, oldest first."""
    return list(db.session.scalars(sa.select(Handoff).where(Handoff.call_id == call_id).order_by(Handoff.created_at)))


def for_calls(call_ids: list[int]) -> dict[int, list[Handoff]]:
    """Return the handoffs sent about each call (as `for_call` does), with their recipients, in one SELECT."""
    found: dict[int, list[Handoff]] = {call_id: [] for call_id in call_ids}
    if not found:
        return found
    stmt = (
        sa.select(Handoff)
        .options(selectinload(Handoff.to_user))
        .where(Handoff.call_id.in_(list(found)))
        .order_by(Handoff.created_at, Handoff.id)
    )
    for handoff in db.session.scalars(stmt):
        found[handoff.call_id].append(handoff)
    return found


def call_panel(call: Call) -> dict:
    """Return what the call page shows about case management: its handoffs, its case and its relay."""
    from .relay import for_call as relay_of_call
    from .service import open_case_of

    case = db.session.scalar(sa.select(Case).where(Case.origin_call_id == call.id)) or open_case_of(call.person_id)
    return {"handoffs": for_call(call.id), "case": case, "relay": relay_of_call(call.id)}

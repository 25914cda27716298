"""Apply a structure's answer to its referral: lifecycle, capacity, the nurse's notice, the audit."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import gettext as _

from models import Referral, ReferralEvent, Structure, utcnow

from .. import audit
from ..formatting import local_now
from ..referrals.messages import notify_referrer
from ..referrals.service import ReferralError, change_status
from .forms import NEXT_DECISIONS

VIA = "link"


def answer_state(referral: Referral) -> str:
    """Return where the referral stands for its structure (accepted and reached: "contacted")."""
    if referral.status == "accepted" and referral.first_contact_at is not None:
        return "contacted"
    return referral.status


def is_closed(referral: Referral) -> bool:
    """Tell whether the structure has nothing more to answer."""
    return answer_state(referral) not in NEXT_DECISIONS


def state_capacity(
    structure: Structure, available: Optional[int], wait_time: Optional[str], now: dt.datetime, confirm: bool = False
) -> bool:
    """Record the capacity and waiting time the structure stated; return whether anything was given.

    `confirm`: the structure confirmed its details as a whole (assured_date set even with nothing new).
    """
    given = confirm
    if available is not None:
        structure.capacity_available, structure.capacity_updated_at, given = available, now, True
    if wait_time and wait_time.strip():
        structure.wait_time, structure.wait_time_updated_at, given = wait_time.strip(), now, True
    if given:
        structure.assured_date = local_now().date()
    return given


def apply_answer(
    referral: Referral,
    decision: str,
    *,
    reason: Optional[str] = None,
    outcome: Optional[str] = None,
    note: Optional[str] = None,
    capacity_available: Optional[int] = None,
    wait_time: Optional[str] = None,
    link: str,
) -> None:
    """Record what the structure answered through its link (caller commits).

    Raises ReferralError (naming the field) when the decision is not the referral's next step
    (e.g. a decision already taken) or is incomplete.
    """
    if decision not in NEXT_DECISIONS.get(answer_state(referral), ()):
        raise ReferralError("decision", _("This answer was already given or is not possible any more."))
    now = utcnow()
    if decision == "contacted":
        referral.first_contact_at = now
        referral.events.append(
            ReferralEvent(
                from_status=referral.status,
                to_status=referral.status,
                by_id=None,
                via=VIA,
                note=_("First contact with the person."),
                at=now,
            )
        )
        audit.record(
            "update", "referral", referral.id, person_id=referral.person_id, detail={"first_contact": True, "via": VIA}
        )
    else:
        change_status(referral, decision, None, reason=reason or None, outcome=outcome or None, note=note, via=VIA)
    structure = referral.structure
    if decision == "declined" and reason == "no_capacity" and capacity_available is None:
        capacity_available = 0
    if state_capacity(structure, capacity_available, wait_time, now):
        audit.record(
            "update",
            "structure",
            structure.id,
            detail={"fields": ["capacity_available", "wait_time", "assured_date"], "via": VIA},
        )
    notify_referrer(referral, decision, link)

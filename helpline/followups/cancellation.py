"""Cancelling follow-ups that have become pointless (the person died, moved abroad, refuses calls…).

A cancellation is one conditional UPDATE (`… WHERE status IN ('pending', 'claimed') RETURNING`), like a
claim: a nurse who records the call at the same moment either wins (the follow-up is done, the
cancellation finds nothing open) or loses (her claim is gone, nothing she typed is stored on a
cancelled follow-up). Bulk updates bypass the audit listener, so each cancellation is recorded here.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from models import FollowUp, utcnow

from ..audit import record
from ..extensions import db
from .merging import release_merged
from .worklist import OPEN_STATUSES

# Reasons the helpline gives itself, stored as codes and shown in the reader's language.
PERSON_DIED = "case_closed_died"
ERASURE = "erasure"
CASE_REOPENED = "case_reopened"
AUTOMATIC_REASONS = {
    PERSON_DIED: _l("Person died (case closed)"),
    CASE_REOPENED: _l("Case reopened: the case manager follows the person again"),
    ERASURE: _l("Identity erased on request (GDPR)"),
}
CANCEL_FIELDS = [
    "cancel_reason",
    "cancelled_at",
    "cancelled_by_id",
    "claimed_at",
    "claimed_by_id",
    "next_attempt_at",
    "status",
]


def reason_label(reason: Optional[str]) -> str:
    """Return a cancellation reason as shown: an automatic one translated, a typed one as typed."""
    if reason in AUTOMATIC_REASONS:
        return str(AUTOMATIC_REASONS[reason])
    return reason or "—"


def _cancel(
    condition,
    reason: str,
    user_id: Optional[int],
    now: Optional[dt.datetime],
    statuses: tuple[str, ...] = OPEN_STATUSES,
) -> list[int]:
    """Cancel the open follow-ups matching a condition, audit each one, and return their ids."""
    rows = db.session.execute(
        sa.update(FollowUp)
        .where(condition, FollowUp.status.in_(statuses))
        .values(
            status="cancelled",
            cancelled_at=now or utcnow(),
            cancelled_by_id=user_id,
            cancel_reason=reason,
            claimed_by_id=None,
            claimed_at=None,
            next_attempt_at=None,
        )
        .returning(FollowUp.id, FollowUp.person_id)
        .execution_options(synchronize_session=False)
    ).all()
    source = "manual" if reason not in AUTOMATIC_REASONS else reason
    for followup_id, person_id in rows:
        # Field names and the kind of reason only: a typed reason may name people or places.
        record(
            "cancel",
            "followup",
            followup_id,
            person_id=person_id,
            user_id=user_id,
            detail={"fields": CANCEL_FIELDS, "reason": source},
        )
    cancelled = [followup_id for followup_id, _ in rows]
    for obj in list(db.session.identity_map.values()):  # loaded copies would still look open
        if isinstance(obj, FollowUp) and obj.id in cancelled:
            db.session.expire(obj)
    return cancelled


def cancel_followup(followup: FollowUp, reason: str, user_id: Optional[int], now: Optional[dt.datetime] = None) -> bool:
    """Cancel one open follow-up with a reason; return False when it was closed already (the caller commits).

    What was merged into its call stays to be checked: the first merged follow-up becomes the call.
    """
    cancelled = bool(_cancel(FollowUp.id == followup.id, reason, user_id, now))
    if cancelled:
        release_merged(followup.id)
    return cancelled


def cancel_open_followups(
    person_id: int, reason: str, user_id: Optional[int] = None, now: Optional[dt.datetime] = None
) -> int:
    """Cancel every open follow-up of a person with one reason and count them (the caller commits)."""
    return len(_cancel(FollowUp.person_id == person_id, reason, user_id, now, OPEN_STATUSES + ("merged",)))

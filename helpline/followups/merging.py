"""One call for what a person's follow-ups check on the same days: merged follow-ups share its outcome.

A follow-up merged into another (status "merged", `merged_into_id`) keeps its own referral or case,
so each referral and each closed case still has its 1- and 6-month follow-up in the indicators;
the call recorded on the host closes them all with the same answers.
"""

from __future__ import annotations

import sqlalchemy as sa

from models import FollowUp

from ..audit import record
from ..extensions import db

SHARED_FIELDS = (
    "status",
    "reached",
    "services_in_place",
    "services_working",
    "new_needs",
    "unplanned_hospitalisation",
    "satisfaction",
    "notes",
    "completed_at",
    "attempts",
)


def merged_into(host: FollowUp) -> list[FollowUp]:
    """Return the follow-ups a call checks besides its own, in the order they were planned."""
    return list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.merged_into_id == host.id, FollowUp.status == "merged")
            .order_by(FollowUp.due_date, FollowUp.id)
        )
    )


def close_merged(host: FollowUp, user_id: int) -> list[FollowUp]:
    """Give the follow-ups merged into a closed call its outcome (done or unreachable); return them."""
    children = merged_into(host)
    for child in children:
        for name in SHARED_FIELDS:
            setattr(child, name, getattr(host, name))
        record(
            "update",
            "followup",
            child.id,
            person_id=child.person_id,
            user_id=user_id,
            detail={"outcome": host.status, "by_followup": host.id},
        )
    return children


def release_merged(host_id: int) -> None:
    """Make the first follow-up merged into a cancelled call the call of the others (they stay due)."""
    children = list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.merged_into_id == host_id, FollowUp.status == "merged")
            .order_by(FollowUp.due_date, FollowUp.id)
        )
    )
    if not children:
        return
    first, rest = children[0], children[1:]
    first.status, first.merged_into_id = "pending", None
    for child in rest:
        child.merged_into_id = first.id

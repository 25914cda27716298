"""Telling the referring professional or case manager that a person could not be reached."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, ngettext

from models import FollowUp, Notification, User, utcnow

from ..audit import record
from ..extensions import db


def recipients(followup: FollowUp) -> list[User]:
    """Return who must hear of an unreachable person: referrer, case manager, else the coordinators."""
    user = None
    if followup.referral is not None:
        user = followup.referral.created_by
    elif followup.case is not None:
        user = followup.case.case_manager
    if user is not None and user.active:
        return [user]
    stmt = sa.select(User).where(User.roles.contains("coordinator"), User.active.is_(True)).order_by(User.id)
    return list(db.session.scalars(stmt))


def _message(followup: FollowUp, user: User) -> str:
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return ngettext(
            "%(name)s could not be reached for the follow-up call after %(num)d attempt.",
            "%(name)s could not be reached for the follow-up call after %(num)d attempts.",
            followup.attempts,
            name=followup.person.display_name,
        )


def detail_link(followup_id: int) -> str:
    """Return the path of a follow-up's page, with or without a request (jobs have none)."""
    if has_request_context():
        return url_for("followups.detail", followup_id=followup_id)
    return current_app.url_map.bind("").build("followups.detail", {"followup_id": followup_id})


def notify(followup: FollowUp, user: User) -> bool:
    """Add the unreachable notice for one user unless its key exists; return whether it was added."""
    key = f"followup:{followup.id}:unreachable:{user.id}"
    if db.session.scalar(sa.select(Notification.id).where(Notification.key == key)) is not None:
        return False
    db.session.add(
        Notification(user_id=user.id, key=key, message=_message(followup, user), link=detail_link(followup.id))
    )
    return True


def escalate(followup_id: int, now: Optional[dt.datetime] = None) -> int:
    """Notify about one unreachable follow-up, once; return how many notices were added (caller commits).

    The conditional update of `escalated_at` decides which run escalates, so two runs never do.
    """
    won = (
        db.session.execute(
            sa.update(FollowUp)
            .where(FollowUp.id == followup_id, FollowUp.status == "unreachable", FollowUp.escalated_at.is_(None))
            .values(escalated_at=now or utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    if not won:
        return 0
    followup = db.session.get(FollowUp, followup_id)
    db.session.refresh(followup)
    added = sum(notify(followup, user) for user in recipients(followup))
    record(
        "notify",
        "followup",
        followup.id,
        person_id=followup.person_id,
        detail={"reason": "unreachable", "notified": added},
    )
    return added


def escalate_unreachable(now: Optional[dt.datetime] = None) -> int:
    """Escalate every unreachable follow-up not escalated yet, one commit each; count the notices."""
    ids = list(
        db.session.scalars(
            sa.select(FollowUp.id)
            .where(FollowUp.status == "unreachable", FollowUp.escalated_at.is_(None))
            .order_by(FollowUp.id)
        )
    )
    total = 0
    for followup_id in ids:
        total += escalate(followup_id, now)
        db.session.commit()
    return total

"""Demo referrals: the external demo calls referred to matching structures, one of them a month ago
so that its 1-month follow-up is due on the nurse's worklist."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Call, FollowUp, utcnow

from ..directory.service import search_structures
from ..extensions import db
from ..followups.schedule import due_date
from .service import change_status, create_referrals, default_message

DAYS_AGO = (32, 3)  # the first external demo call is moved a month back


def load_demo_referrals(users_by_role: dict, persons: list) -> None:
    """Refer the demo calls routed to external structures (the directory loader runs first)."""
    nurse = users_by_role["nurse"]
    calls = db.session.scalars(sa.select(Call).where(Call.route == "external").order_by(Call.id)).all()
    for index, call in enumerate(calls[: len(DAYS_AGO)]):
        matches = search_structures(call.categories, call.person.postcode or "")
        if not matches:
            continue
        referral = create_referrals(call, [matches[0].structure], default_message(call), True, nurse)[0]
        when = utcnow() - dt.timedelta(days=DAYS_AGO[index])
        call.started_at = referral.sent_at = referral.status_changed_at = when
        for event in referral.events:
            event.at = when
        for followup in db.session.scalars(sa.select(FollowUp).where(FollowUp.referral_id == referral.id)):
            followup.due_date = due_date(when.date(), followup.offset_days)
        if index == 0:
            change_status(referral, "accepted", nurse)

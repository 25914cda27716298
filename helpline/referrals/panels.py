"""The referrals panels of the call page and of the nurse's home page."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from flask_login import current_user

from models import Call, Referral

from ..directory.service import search_structures
from ..extensions import db
from ..permissions import can
from .service import count_overdue

PROPOSED = 8


def call_panel(call: Call) -> dict:
    """Return the call's referrals and, for an external route, the structures to propose."""
    referrals = db.session.scalars(sa.select(Referral).where(Referral.call_id == call.id).order_by(Referral.id)).all()
    matches = []
    if call.route == "external" and call.categories:
        matches = search_structures(call.categories, call.person.postcode or "")[:PROPOSED]
    return {
        "referrals": referrals,
        "matches": matches,
        "can_refer": call.route == "external" and can(current_user, "referrals.new"),
    }


def home_panel(user) -> Optional[dict]:
    """Return the nurse's referrals waiting for an answer too long, or None when there are none."""
    if not user.has_role("nurse", "coordinator"):
        return None
    overdue = count_overdue(None if user.has_role("coordinator") else user)
    return {"overdue": overdue, "mine": not user.has_role("coordinator")} if overdue else None

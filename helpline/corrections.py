"""Reading the corrections of calls and persons' records (each area writes its own)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from models import Correction

from .extensions import db


def corrections_of(object_type: str, object_id: int) -> list[Correction]:
    """Return the corrections of a call or a person's record, oldest first, with who made them."""
    return list(
        db.session.scalars(
            sa.select(Correction)
            .options(joinedload(Correction.user))
            .where(Correction.object_type == object_type, Correction.object_id == object_id)
            .order_by(Correction.at, Correction.id)
        )
    )

"""How fresh a structure's details are: when they were last confirmed (HSDS assured_date)."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask import current_app

from models import Structure

from ..extensions import db
from ..formatting import local_now


def stale_cutoff(today: Optional[dt.date] = None) -> dt.date:
    """Return the day before which confirmed details count as stale."""
    return (today or local_now().date()) - dt.timedelta(days=int(current_app.config["STRUCTURE_CONFIRM_DAYS"]))


def stale_structures(today: Optional[dt.date] = None) -> list[Structure]:
    """Return the active structures never confirmed or confirmed before the cutoff, oldest first."""
    return db.session.scalars(
        sa.select(Structure)
        .where(
            Structure.status == "active",
            sa.or_(Structure.assured_date.is_(None), Structure.assured_date < stale_cutoff(today)),
        )
        .order_by(Structure.assured_date.is_not(None), Structure.assured_date, Structure.name)
    ).all()

"""Demo data of the meeting: the demo calls that need the team go on the agenda."""

from __future__ import annotations

import sqlalchemy as sa

from models import Call

from ..extensions import db
from .service import put_on_agenda


def load_demo_meeting(users_by_role: dict, persons: list) -> None:
    """Put the demo calls that need a team review on the agenda (demo calls skip the save hooks)."""
    for call in db.session.scalars(sa.select(Call).order_by(Call.id)):
        put_on_agenda(call)

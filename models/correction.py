"""Corrections made after saving: what changed, from what, by whom, when and why."""

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Correction(Base):
    """One correction of a saved call or of a person's record, with the previous values.

    A call's decision is never rewritten: when the corrected facts make triage propose another
    route, the correction keeps both routes and the call page shows the change.
    """

    __tablename__ = "correction"
    __table_args__ = (
        sa.Index("ix_correction_object", "object_type", "object_id", "at"),
        sa.Index("ix_correction_person", "person_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(sa.String(20))  # "call" or "person"
    object_id: Mapped[int]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # {field: [previous value, new value]}, values as text (dates ISO, lists as lists).
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    reason: Mapped[Optional[str]] = mapped_column(sa.Text)
    # A call's triage re-run on the corrected facts: the route before and the one now proposed.
    route_before: Mapped[Optional[str]] = mapped_column(sa.String(20))
    route_after: Mapped[Optional[str]] = mapped_column(sa.String(20))
    proposal_after: Mapped[Optional[dict[str, Any]]] = mapped_column(sa.JSON)

    user: Mapped["User"] = relationship()  # noqa: F821

    @property
    def route_changed(self) -> bool:
        """Tell whether the corrected facts lead triage to another route."""
        return bool(self.route_after and self.route_after != self.route_before)

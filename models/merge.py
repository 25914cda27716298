"""Duplicates found later: one person merged into another (undoable until confirmed), or two persons
recorded as not the same person so that the pair is no longer proposed."""

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

# A merge is "pending" (every moved row can go back to its person) until "confirmed" or "undone".
MERGE_STATUSES = ("pending", "confirmed", "undone")


class PersonMerge(Base):
    """One person's rows moved to another person, with the ids of every moved row (to undo it)."""

    __tablename__ = "person_merge"
    __table_args__ = (
        sa.Index("ix_person_merge_kept", "kept_person_id", "status"),
        sa.Index("ix_person_merge_merged", "merged_person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kept_person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    merged_person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    # {table name: [ids of the rows moved from the merged person to the kept one]}.
    moved: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # Fields of the kept record that were empty and were filled from the merged one: {field: [before, after]}
    # (values as text, dates ISO), put back by an undo when nobody changed them since.
    fields: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    merged_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    merged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    decided_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

    kept_person: Mapped["Person"] = relationship(foreign_keys=[kept_person_id])  # noqa: F821
    merged_person: Mapped["Person"] = relationship(foreign_keys=[merged_person_id])  # noqa: F821
    merged_by: Mapped["User"] = relationship(foreign_keys=[merged_by_id])  # noqa: F821
    decided_by: Mapped[Optional["User"]] = relationship(foreign_keys=[decided_by_id])  # noqa: F821

    @property
    def moved_count(self) -> int:
        """Return how many rows the merge moved."""
        return sum(len(ids) for ids in self.moved.values())


class PersonDistinct(Base):
    """Two persons a nurse said are not the same person: the pair is no longer proposed as duplicates.

    The pair is stored once, the lower id first.
    """

    __tablename__ = "person_distinct"
    __table_args__ = (sa.UniqueConstraint("person_id", "other_person_id", name="uq_person_distinct_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    other_person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

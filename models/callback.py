"""Calls to return: inbound calls nobody answered (hung up in the queue, after hours, voicemail)."""

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Callback(Base):
    """One number to call back; a caller who tries again while it is open adds to the same one."""

    __tablename__ = "callback"
    __table_args__ = (
        sa.Index("ix_callback_status_missed", "status", "last_missed_at"),
        sa.Index("ix_callback_first_missed", "first_missed_at"),  # the phone indicator's days
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_number: Mapped[str] = mapped_column(sa.String(20), index=True)
    reason: Mapped[str] = mapped_column(sa.String(12))
    status: Mapped[str] = mapped_column(sa.String(12), default="pending")
    first_missed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_missed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    missed_count: Mapped[int] = mapped_column(default=1)
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    # Closed by a logged call (linked) or marked unreachable after the configured attempts.
    call_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("call.id"))
    closed_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    call: Mapped[Optional["Call"]] = relationship()  # noqa: F821
    closed_by: Mapped[Optional["User"]] = relationship()  # noqa: F821

"""The weekly team meeting's agenda and the tasks it gives the helpline nurses."""

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class ReviewItem(Base):
    """A call's decision put on the team meeting's agenda."""

    __tablename__ = "review_item"
    __table_args__ = (sa.Index("ix_review_item_status_added", "status", "added_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(sa.ForeignKey("call.id"), unique=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="pending")
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    new_route: Mapped[Optional[str]] = mapped_column(sa.String(20))
    reason: Mapped[Optional[str]] = mapped_column(sa.Text)

    call: Mapped["Call"] = relationship()  # noqa: F821
    decided_by: Mapped[Optional["User"]] = relationship()  # noqa: F821


class Task(Base):
    """A task for a helpline nurse, usually given by the team meeting."""

    __tablename__ = "task"
    __table_args__ = (sa.Index("ix_task_assignee_done_due", "assignee_id", "done_at", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    due_date: Mapped[dt.date]
    person_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("person.id"))
    assignee_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    review_item_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("review_item.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    meeting_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("meeting.id", use_alter=True))

    person: Mapped[Optional["Person"]] = relationship()  # noqa: F821
    assignee: Mapped[Optional["User"]] = relationship(foreign_keys=[assignee_id])  # noqa: F821


meeting_attendee = sa.Table(
    "meeting_attendee",
    Base.metadata,
    sa.Column("meeting_id", sa.ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id"), primary_key=True),
)


class Meeting(Base):
    """One weekly team meeting: its date, who attended, and the decisions and tasks it recorded."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

    attendees: Mapped[list["User"]] = relationship(secondary=meeting_attendee, order_by="User.name")  # noqa: F821
    decisions: Mapped[list["MeetingDecision"]] = relationship(back_populates="meeting", order_by="MeetingDecision.id")


class MeetingDecision(Base):
    """A decision of the team about one person (an orientation or a followed case), with its reason."""

    __tablename__ = "meeting_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    case_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("case.id"))
    review_item_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("review_item.id"))
    decision: Mapped[str] = mapped_column(sa.Text)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    person: Mapped["Person"] = relationship()  # noqa: F821
    case: Mapped[Optional["Case"]] = relationship()  # noqa: F821

"""A call logged by a nurse: who called, about whom, what was asked and what was decided."""

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .vocabulary import CRITERIA


class Call(Base):
    """One logged call (or e-mail, or visit) about one person."""

    __tablename__ = "call"
    __table_args__ = (
        sa.Index("ix_call_started_at", "started_at"),
        sa.Index("ix_call_person_started", "person_id", "started_at"),
        sa.Index("ix_call_nurse_started", "nurse_id", "started_at"),
        sa.Index("ix_call_caller_type_started", "caller_type", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(sa.String(10))
    channel: Mapped[str] = mapped_column(sa.String(10))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[Optional[int]]
    caller_phone: Mapped[Optional[str]] = mapped_column(sa.String(20), index=True)
    caller_type: Mapped[str] = mapped_column(sa.String(15))
    caller_name: Mapped[Optional[str]] = mapped_column(sa.String(120))
    caller_relation: Mapped[Optional[str]] = mapped_column(sa.String(80))
    caller_professional_role: Mapped[Optional[str]] = mapped_column(sa.String(20))
    caller_organisation: Mapped[Optional[str]] = mapped_column(sa.String(120))

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    nurse_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))

    summary: Mapped[str] = mapped_column(sa.Text, default="")
    red_flags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    autonomy_problem: Mapped[bool] = mapped_column(default=False)
    medical_problem: Mapped[bool] = mapped_column(default=False)
    support_inadequate: Mapped[bool] = mapped_column(default=False)
    no_coordinator_in_entourage: Mapped[bool] = mapped_column(default=False)
    coordination_centre_involved: Mapped[bool] = mapped_column(default=False)
    professionals_involved: Mapped[Optional[int]]
    rupture_events: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    prisma7: Mapped[Optional[list[bool]]] = mapped_column(sa.JSON)

    # The triage engine's input and proposal as they were, so any decision can be explained and replayed.
    triage_input: Mapped[Optional[dict[str, Any]]] = mapped_column(sa.JSON)
    proposal: Mapped[Optional[dict[str, Any]]] = mapped_column(sa.JSON)
    route: Mapped[str] = mapped_column(sa.String(20))
    priority: Mapped[str] = mapped_column(sa.String(10), default="routine")
    categories: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    follow_up_days: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    team_review: Mapped[bool] = mapped_column(default=False)
    overridden: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[Optional[str]] = mapped_column(sa.Text)
    ruleset_name: Mapped[Optional[str]] = mapped_column(sa.String(80))
    ruleset_version: Mapped[Optional[str]] = mapped_column(sa.String(40))
    ruleset_sha256: Mapped[Optional[str]] = mapped_column(sa.String(64))

    # A call opened from a follow-up that found a new need.
    from_followup_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("followup.id", use_alter=True))
    # The call form's draft id: saving the same form twice (a double click, a retry) saves one call.
    draft_id: Mapped[Optional[str]] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped["Person"] = relationship()  # noqa: F821
    nurse: Mapped["User"] = relationship()  # noqa: F821
    topic_rows: Mapped[list["CallTopic"]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallTopic.topic"
    )

    @property
    def topics(self) -> list[str]:
        """Return the request's topics."""
        return [row.topic for row in self.topic_rows]

    @topics.setter
    def topics(self, values: list[str]) -> None:
        self.topic_rows = [CallTopic(topic=t) for t in values]

    @property
    def criteria_count(self) -> int:
        """Return how many of the four CNSA complexity criteria hold."""
        return sum(bool(getattr(self, c)) for c in CRITERIA)


class CallTopic(Base):
    """A topic of a call's request, in its own table so calls can be filtered by topic fast."""

    __tablename__ = "call_topic"
    __table_args__ = (sa.Index("ix_call_topic_topic_call", "topic", "call_id"),)

    call_id: Mapped[int] = mapped_column(sa.ForeignKey("call.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(30), primary_key=True)

    call: Mapped[Call] = relationship(back_populates="topic_rows")

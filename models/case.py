"""Case management: handoffs, cases, visits, assessments and individual service plans."""

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Handoff(Base):
    """A structured handoff note (situation, background, assessment, recommendation)."""

    __tablename__ = "handoff"
    __table_args__ = (
        sa.Index("ix_handoff_to_read", "to_user_id", "read_at"),
        sa.Index("ix_handoff_from_created", "from_user_id", "created_at"),  # a nurse's sent handoffs
        sa.Index("ix_handoff_call_created", "call_id", "created_at"),  # a call's first handoff (time to handoff)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(sa.ForeignKey("call.id"))
    case_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("case.id", use_alter=True))
    from_user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    to_user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    situation: Mapped[str] = mapped_column(sa.Text)
    background: Mapped[str] = mapped_column(sa.Text, default="")
    assessment: Mapped[str] = mapped_column(sa.Text, default="")
    recommendation: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    read_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    # Set when the handoff was made live in a Twilio conference (warm transfer).
    conference_name: Mapped[Optional[str]] = mapped_column(sa.String(64))

    call: Mapped["Call"] = relationship()  # noqa: F821
    from_user: Mapped["User"] = relationship(foreign_keys=[from_user_id])  # noqa: F821
    to_user: Mapped[Optional["User"]] = relationship(foreign_keys=[to_user_id])  # noqa: F821


class Case(Base):
    """A person followed by a case manager (gestion de cas)."""

    __tablename__ = "case"
    __table_args__ = (
        sa.Index("ix_case_manager_status", "case_manager_id", "status"),
        sa.Index("ix_case_status_priority", "status", "priority", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    origin_call_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("call.id"))
    status: Mapped[str] = mapped_column(sa.String(10), default="waiting")
    priority: Mapped[str] = mapped_column(sa.String(10), default="routine")
    case_manager_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    assigned_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    closed_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    closure_reason: Mapped[Optional[str]] = mapped_column(sa.String(20))
    closure_note: Mapped[Optional[str]] = mapped_column(sa.Text)
    # Set at admission, editable later: when the case is expected to end, and on which criteria.
    expected_end_on: Mapped[Optional[dt.date]]
    closure_criteria: Mapped[Optional[str]] = mapped_column(sa.Text)

    person: Mapped["Person"] = relationship()  # noqa: F821
    case_manager: Mapped[Optional["User"]] = relationship()  # noqa: F821
    visits: Mapped[list["Visit"]] = relationship(back_populates="case", order_by="Visit.scheduled_for")
    assessments: Mapped[list["Assessment"]] = relationship(back_populates="case", order_by="Assessment.assessed_on")
    plans: Mapped[list["ServicePlan"]] = relationship(back_populates="case", order_by="ServicePlan.version")


class Visit(Base):
    """A home visit, scheduled then recorded."""

    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    scheduled_for: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    case: Mapped[Case] = relationship(back_populates="visits")


class Assessment(Base):
    """A multidimensional needs assessment; a case may be reassessed."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    assessed_on: Mapped[dt.date]
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    # {dimension: {"difficulty": 0-3, "more_help": bool, "notes": str}}
    dimensions: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="assessments")


class ServicePlan(Base):
    """One version of a case's individual service plan (PSI)."""

    __tablename__ = "service_plan"
    __table_args__ = (sa.UniqueConstraint("case_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    version: Mapped[int]
    goals: Mapped[str] = mapped_column(sa.Text, default="")
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When this version was given to the person's GP (a later version is not, until shared in turn).
    shared_with_gp_on: Mapped[Optional[dt.date]]
    shared_with_gp_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))

    case: Mapped[Case] = relationship(back_populates="plans")
    items: Mapped[list["PlanItem"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanItem.id"
    )


class PlanItem(Base):
    """One item of a service plan: a need and who answers it."""

    __tablename__ = "plan_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("service_plan.id", ondelete="CASCADE"), index=True)
    need: Mapped[str] = mapped_column(sa.String(200))
    service: Mapped[str] = mapped_column(sa.String(200))
    structure_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("structure.id"))
    professional: Mapped[Optional[str]] = mapped_column(sa.String(120))
    frequency: Mapped[Optional[str]] = mapped_column(sa.String(80))
    start_date: Mapped[Optional[dt.date]]
    responsible: Mapped[Optional[str]] = mapped_column(sa.String(120))
    status: Mapped[str] = mapped_column(sa.String(12), default="planned")

    plan: Mapped[ServicePlan] = relationship(back_populates="items")
    structure: Mapped[Optional["Structure"]] = relationship()  # noqa: F821


class PlanReview(Base):
    """A meeting where the plan was drawn up or reviewed with the person: who took part, and the next review."""

    __tablename__ = "plan_review"
    __table_args__ = (sa.Index("ix_plan_review_case_on", "case_id", "reviewed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"))
    # The plan version as it stood at the review (None when the review came before any item or goal).
    plan_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("service_plan.id"))
    reviewed_on: Mapped[dt.date]
    with_person: Mapped[bool] = mapped_column(default=True)
    with_carer: Mapped[bool] = mapped_column(default=False)
    carer_name: Mapped[Optional[str]] = mapped_column(sa.String(120))
    with_gp: Mapped[bool] = mapped_column(default=False)
    others: Mapped[Optional[str]] = mapped_column(sa.String(200))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    next_review_on: Mapped[dt.date]
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped["User"] = relationship()  # noqa: F821
    plan: Mapped[Optional[ServicePlan]] = relationship()


class Relay(Base):
    """A call about a followed person passed on to her case manager, and its acknowledgement."""

    __tablename__ = "relay"
    __table_args__ = (sa.Index("ix_relay_to_ack", "to_user_id", "acknowledged_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(sa.ForeignKey("call.id"), unique=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    # The case manager at the time of the call (the case may be reassigned later).
    to_user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(sa.String(12), default="relay")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    acknowledgement_note: Mapped[Optional[str]] = mapped_column(sa.Text)

    call: Mapped["Call"] = relationship()  # noqa: F821
    case: Mapped[Case] = relationship()
    to_user: Mapped[Optional["User"]] = relationship(foreign_keys=[to_user_id])  # noqa: F821
    acknowledged_by: Mapped[Optional["User"]] = relationship(foreign_keys=[acknowledged_by_id])  # noqa: F821


class CaseEvent(Base):
    """A change in a case's life kept in its history: a reassignment or a reopening, with its note."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    from_user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    to_user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(sa.Text, default="")

    by: Mapped["User"] = relationship(foreign_keys=[by_id])  # noqa: F821
    from_user: Mapped[Optional["User"]] = relationship(foreign_keys=[from_user_id])  # noqa: F821
    to_user: Mapped[Optional["User"]] = relationship(foreign_keys=[to_user_id])  # noqa: F821


class CaseNote(Base):
    """A dated progress note in a case's journal, written by its case manager (or a coordinator)."""

    __tablename__ = "case_note"
    __table_args__ = (sa.Index("ix_case_note_case_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped["User"] = relationship()  # noqa: F821


class CareSetting(Base):
    """Where the person is for a time (home, hospital, rehabilitation…), from a day to a day; a history."""

    __tablename__ = "care_setting"
    __table_args__ = (sa.Index("ix_care_setting_person_start", "person_id", "started_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    # The case it was recorded on (a setting is the person's: it stays known after the case).
    case_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("case.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    started_on: Mapped[dt.date]
    ended_on: Mapped[Optional[dt.date]]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped["User"] = relationship()  # noqa: F821

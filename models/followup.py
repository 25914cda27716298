"""Follow-up calls 1 and 6 months after a referral or a case's closure."""

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class FollowUp(Base):
    """A follow-up call due on a working day, linked to the referral or case it checks."""

    __tablename__ = "followup"
    __table_args__ = (
        sa.Index("ix_followup_status_due", "status", "due_date"),
        sa.Index("ix_followup_person", "person_id"),
        sa.UniqueConstraint("referral_id", "offset_days", name="uq_followup_referral_offset"),
        sa.UniqueConstraint("case_id", "offset_days", name="uq_followup_case_offset"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    referral_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("referral.id"))
    case_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("case.id"))
    offset_days: Mapped[int]
    due_date: Mapped[dt.date]
    status: Mapped[str] = mapped_column(sa.String(12), default="pending")
    claimed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    claimed_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    completed_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    # The questionnaire, stored as data so the indicators can count it.
    reached: Mapped[Optional[bool]]
    services_in_place: Mapped[Optional[bool]]
    services_working: Mapped[Optional[bool]]
    new_needs: Mapped[Optional[bool]]
    unplanned_hospitalisation: Mapped[Optional[bool]]
    satisfaction: Mapped[Optional[int]]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    new_call_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("call.id", use_alter=True))
    reminder_sent_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    escalated_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    # A follow-up that became pointless (the person died, moved abroad, refuses calls…): who, when, why.
    cancelled_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    cancel_reason: Mapped[Optional[str]] = mapped_column(sa.Text)
    # Checked by another follow-up call of the same person due within a few days (status "merged").
    merged_into_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("followup.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped["Person"] = relationship()  # noqa: F821
    referral: Mapped[Optional["Referral"]] = relationship()  # noqa: F821
    case: Mapped[Optional["Case"]] = relationship()  # noqa: F821
    claimed_by: Mapped[Optional["User"]] = relationship(foreign_keys=[claimed_by_id])  # noqa: F821
    cancelled_by: Mapped[Optional["User"]] = relationship(foreign_keys=[cancelled_by_id])  # noqa: F821
    attempt_log: Mapped[list["FollowUpAttempt"]] = relationship(
        back_populates="followup", cascade="all, delete-orphan", order_by="FollowUpAttempt.at"
    )


class FollowUpAttempt(Base):
    """One attempt to reach the person for a follow-up."""

    __tablename__ = "followup_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(sa.ForeignKey("followup.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    reached: Mapped[bool]
    note: Mapped[str] = mapped_column(sa.Text, default="")

    followup: Mapped[FollowUp] = relationship(back_populates="attempt_log")

"""Referrals to external structures and the history of their statuses."""

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Referral(Base):
    """A referral of a person to one external structure, followed until it is done."""

    __tablename__ = "referral"
    __table_args__ = (
        sa.Index("ix_referral_status_sent", "status", "sent_at"),
        sa.Index("ix_referral_person", "person_id"),
        sa.Index("ix_referral_created_by", "created_by_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("call.id"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    structure_id: Mapped[int] = mapped_column(sa.ForeignKey("structure.id"))
    category: Mapped[str] = mapped_column(sa.String(40))
    message: Mapped[str] = mapped_column(sa.Text, default="")
    consent_checked: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(10), default="sent")
    outcome: Mapped[Optional[str]] = mapped_column(sa.String(15))
    reason: Mapped[Optional[str]] = mapped_column(sa.String(30))
    reason_text: Mapped[Optional[str]] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The structure said through its link that it reached the person (before it is done).
    first_contact_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    # A referral made as an item of a case's service plan.
    plan_item_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("plan_item.id", use_alter=True))

    person: Mapped["Person"] = relationship()  # noqa: F821
    structure: Mapped["Structure"] = relationship()  # noqa: F821
    call: Mapped[Optional["Call"]] = relationship()  # noqa: F821
    created_by: Mapped["User"] = relationship()  # noqa: F821
    events: Mapped[list["ReferralEvent"]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ReferralEvent.at"
    )


class ReferralEvent(Base):
    """One change of a referral's status, with who and when."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[Optional[str]] = mapped_column(sa.String(10))
    to_status: Mapped[str] = mapped_column(sa.String(10))
    outcome: Mapped[Optional[str]] = mapped_column(sa.String(15))
    reason: Mapped[Optional[str]] = mapped_column(sa.String(30))
    note: Mapped[Optional[str]] = mapped_column(sa.Text)
    # None when the structure answered itself (via == "link"): no helpline user did it.
    by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    via: Mapped[Optional[str]] = mapped_column(sa.String(10))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="events")
    by: Mapped[Optional["User"]] = relationship()  # noqa: F821

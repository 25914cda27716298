"""In-app notifications, the audit trail and telephony call records."""

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class Notification(Base):
    """A message for one user in the app; the key makes sending it idempotent."""

    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    message: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[Optional[str]] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Who read or changed what, when, about which person. Never edited from the app."""

    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_at", "at"),
        sa.Index("ix_audit_event_user_at", "user_id", "at"),
        sa.Index("ix_audit_event_person_at", "person_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(sa.String(40))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[Optional[int]]
    person_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("person.id"))
    detail: Mapped[Optional[dict[str, Any]]] = mapped_column(sa.JSON)
    ip: Mapped[Optional[str]] = mapped_column(sa.String(45))


class PhoneCall(Base):
    """A telephony leg seen through Twilio, keyed by its CallSid."""

    __tablename__ = "phone_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(sa.String(64), unique=True)
    direction: Mapped[str] = mapped_column(sa.String(20))
    from_number: Mapped[Optional[str]] = mapped_column(sa.String(20), index=True)
    to_number: Mapped[Optional[str]] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20), default="ringing")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    duration_seconds: Mapped[Optional[int]]
    answered_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    call_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("call.id"))
    followup_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("followup.id"))
    handoff_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("handoff.id"))
    conference_name: Mapped[Optional[str]] = mapped_column(sa.String(64))
    # The nurse's own leg once she is bridged to this caller, and the live conference's SID.
    nurse_call_sid: Mapped[Optional[str]] = mapped_column(sa.String(64), index=True)
    conference_sid: Mapped[Optional[str]] = mapped_column(sa.String(64))
    # Warm transfer: whom the conference dials and how it went (dialing, joined, no-answer...).
    transfer_to_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    transfer_status: Mapped[Optional[str]] = mapped_column(sa.String(20))
    # Outbound follow-up: the DialCallStatus of the leg to the person (completed, no-answer...).
    dial_status: Mapped[Optional[str]] = mapped_column(sa.String(20))
    # An inbound call nobody answered: the callback it is listed under.
    callback_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("callback.id"), index=True)

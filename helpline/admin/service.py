"""Staff accounts and the audit trail search."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa

from models import AuditEvent, User

from ..auth.passwords import hash_password
from ..extensions import db

AUDIT_PAGE_SIZE = 100


def save_user(form, user: Optional[User] = None) -> User:
    """Create a staff account, or update one, from the user form (the caller commits)."""
    if user is None:
        user = User(password_hash="")
        db.session.add(user)
    user.email = form.email.data.strip().lower()
    user.name = form.name.data.strip()
    user.roles = ",".join(form.roles.data)
    user.case_manager_profile = form.case_manager_profile.data or None
    user.capacity = form.capacity.data if form.capacity.data is not None else user.capacity or 40
    user.active = bool(form.active.data)
    if form.password.data:
        user.password_hash = hash_password(form.password.data)
    return user


def reset_totp(user: User) -> None:
    """Turn off a user's second factor (lost phone): they log in with the password and enrol again."""
    user.totp_secret = None


@dataclass
class AuditQuery:
    """What the coordinator looks for in the audit trail."""

    user_id: Optional[int] = None
    person_id: Optional[int] = None
    action: Optional[str] = None
    date_from: Optional[dt.date] = None
    date_to: Optional[dt.date] = None
    page: int = 1


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def search_audit(query: AuditQuery) -> tuple[list[AuditEvent], bool]:
    """Return a page of audit events matching the query, newest first, and whether more follow."""
    stmt = sa.select(AuditEvent)
    if query.user_id:
        stmt = stmt.where(AuditEvent.user_id == query.user_id)
    if query.person_id:
        stmt = stmt.where(AuditEvent.person_id == query.person_id)
    if query.action:
        stmt = stmt.where(AuditEvent.action == query.action)
    if query.date_from:
        stmt = stmt.where(AuditEvent.at >= _day_start(query.date_from))
    if query.date_to:
        stmt = stmt.where(AuditEvent.at < _day_start(query.date_to + dt.timedelta(days=1)))
    offset = (max(query.page, 1) - 1) * AUDIT_PAGE_SIZE
    stmt = stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset(offset).limit(AUDIT_PAGE_SIZE + 1)
    events = list(db.session.scalars(stmt))
    return events[:AUDIT_PAGE_SIZE], len(events) > AUDIT_PAGE_SIZE


def audit_actions() -> list[str]:
    """Return the actions present in the audit trail."""
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))

"""Staff accounts and the audit trail search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from flask import current_app

from models import AuditEvent, Notification, User, utcnow

from .. import audit
from ..auth.passwords import hash_password
from ..auth.sessions import end_sessions
from ..extensions import db
from ..permissions import CLINICAL

AUDIT_PAGE_SIZE = 100


def save_user(form, user: Optional[User] = None) -> User:
    """Create a staff account, or update one, from the user form (the caller commits)."""
    if user is None:
        user = User(password_hash="")
        db.session.add(user)
    user.email = form.email.data.strip().lower()
    user.name = form.name.data.strip()
    granted = sorted(set(form.roles.data) & CLINICAL - set(user.role_list if user.roles else ()))
    user.roles = ",".join(form.roles.data)
    user.case_manager_profile = form.case_manager_profile.data or None
    user.capacity = form.capacity.data if form.capacity.data is not None else user.capacity or 40
    user.active = bool(form.active.data)
    if form.password.data:
        user.password_hash = hash_password(form.password.data)
        if user.id is not None:
            end_sessions(user)  # a session opened with the old password ends now
    if granted:
        notify_clinical_access(user, granted)
    return user


def notify_clinical_access(user: User, granted: list[str]) -> None:
    """Tell every coordinator, and the audit trail, that someone was given access to health data."""
    from flask_babel import gettext as _
    from flask_login import current_user

    db.session.flush()
    audit.record("grant_roles", "user", user.id, detail={"roles": granted})
    coordinators = db.session.scalars(sa.select(User).where(User.active.is_(True), User.roles.contains("coordinator")))
    stamp = utcnow().strftime("%Y%m%d%H%M%S%f")
    for coordinator in coordinators:
        if coordinator.id == user.id:
            continue
        message = _(
            "%(admin)s gave %(user)s access to health data (%(roles)s): check that it is right.",
            admin=getattr(current_user, "name", "?"),
            user=user.name,
            roles=", ".join(granted),
        )
        db.session.add(
            Notification(
                user_id=coordinator.id,
                key=f"grant-{user.id}-{coordinator.id}-{stamp}",
                message=message,
                link="/admin/audit",
            )
        )


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
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


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


def send_password_reset(user: User) -> None:
    """Queue an e-mail to the user with a link to choose a new password (the caller commits)."""
    from flask_babel import gettext as _

    from ..auth.reset import reset_url
    from ..mail.outbox import queue_message

    stamp = utcnow().strftime("%Y%m%d%H%M%S%f")
    body = _(
        "Hello %(name)s,\n\nChoose a new password for the helpline with this link (it works once, for "
        "%(hours)s hours):\n%(url)s\n\nIf you did not ask for it, tell your coordinator.",
        name=user.name,
        hours=current_app.config["PASSWORD_RESET_HOURS"],
        url=reset_url(user),
    )
    queue_message(
        f"password-reset:{user.id}:{stamp}",
        user.email,
        _("Your helpline password"),
        body,
        kind="password_reset",
        object_type="user",
        object_id=user.id,
    )
    audit.record("password_reset_sent", "user", user.id)

"""Every page that shows who a person is leaves a trace, and coordinators hear of unusual volumes.

A list or a search is one audit event (`list`) holding the ids it showed, so a page of fifty
persons is one row, not fifty. When one user's reads and lists in the last hour reach
READ_ALERT_PER_HOUR, every coordinator gets one notification for that user and hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Optional

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_babel import gettext as _

from models import AuditEvent, Notification, User, utcnow

from . import audit
from .extensions import db

MAX_IDS = 500  # a longer list keeps its first ids and its length


def record_disclosure(person_ids: Iterable[Optional[int]], *, object_type: str = "person", commit: bool = True) -> None:
    """Record that the current page showed these persons' identity (one event), and commit."""
    ids = list(dict.fromkeys(i for i in person_ids if i is not None))
    if not ids:
        return
    page = request.endpoint if has_request_context() else None
    detail = {"ids": ids[:MAX_IDS], "count": len(ids), "page": page}
    audit.record("list", object_type, None, person_id=ids[0] if len(ids) == 1 else None, detail=detail)
    watch_volume(audit._current_user_id())
    if commit:
        commit_keeping_loaded()


def commit_keeping_loaded() -> None:
    """Commit without expiring the rows the page has loaded: it renders them next, and an expired row
    is read again with one SELECT each (a list of a hundred rows would send a hundred more)."""
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def watch_volume(user_id: Optional[int]) -> None:
    """Notify the coordinators once an hour when a user reads unusually many records."""
    if user_id is None:
        return
    limit = int(current_app.config.get("READ_ALERT_PER_HOUR") or 0)
    if limit <= 0:
        return
    now = utcnow()
    since = now - dt.timedelta(hours=1)
    count = db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.user_id == user_id, AuditEvent.action.in_(("read", "list")), AuditEvent.at >= since
        )
    )
    if (count or 0) < limit:  # the event just recorded is counted (autoflush)
        return
    hour = now.strftime("%Y%m%d%H")
    reader = db.session.get(User, user_id)
    coordinators = db.session.scalars(
        sa.select(User).where(User.active.is_(True), User.roles.contains("coordinator"), User.id != user_id)
    )
    for coordinator in coordinators:
        key = f"reads-{user_id}-{hour}-{coordinator.id}"
        if db.session.scalar(sa.select(Notification.id).where(Notification.key == key)) is None:
            name = reader.name if reader else str(user_id)
            message = _(
                "%(user)s opened %(count)s records in the last hour: check that this is expected.",
                user=name,
                count=count,
            )
            db.session.add(Notification(user_id=coordinator.id, key=key, message=message, link="/admin/audit"))

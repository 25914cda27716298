"""The audit trail: who read or changed what, when, about which person."""
from __future__ import annotations

from typing import Any, Optional

from flask import has_request_context, request
from flask_login import current_user

from models import AuditEvent

from .extensions import db


def record(action: str, object_type: str, object_id: Optional[int] = None, *, person_id: Optional[int] = None,
           detail: Optional[dict[str, Any]] = None, user_id: Optional[int] = None) -> AuditEvent:
    """Add an audit event to the session (committed with the change it records).

    `action` is a verb such as "read", "create", "update", "delete", "export", "login";
    `object_type` the model's table name ("person", "call", "referral"…).
    """
    if user_id is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        user_id = current_user.id
    event = AuditEvent(user_id=user_id, action=action, object_type=object_type, object_id=object_id,
                       person_id=person_id, detail=detail,
                       ip=request.remote_addr if has_request_context() else None)
    db.session.add(event)
    return event


def record_read(object_type: str, object_id: int, person_id: Optional[int]) -> None:
    """Record that the current user read a record, and commit it at once (reads change nothing else)."""
    record("read", object_type, object_id, person_id=person_id)
    db.session.commit()

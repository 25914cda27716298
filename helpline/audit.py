"""The audit trail: who read or changed what, when, about which person.

Reads are recorded by the views (`record_read`). Changes are recorded automatically: a session
listener writes one event per created, updated or deleted row of the audited models, in the same
transaction, so every area's code is covered without doing anything. Audit events themselves can
be added but never changed or deleted through the app (and, on PostgreSQL, not at all: a trigger).
"""

from __future__ import annotations

from typing import Any, Optional

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from models import (
    AuditEvent,
    Call,
    Case,
    Consent,
    FollowUp,
    Handoff,
    Person,
    PersonContact,
    PersonFlag,
    Referral,
    User,
    utcnow,
)

from .extensions import db

# Models whose every change is written to the audit trail, and how to find the person concerned.
AUDITED_MODELS: dict[type, Any] = {
    Call: lambda o: o.person_id,
    Referral: lambda o: o.person_id,
    Case: lambda o: o.person_id,
    FollowUp: lambda o: o.person_id,
    Person: lambda o: o.id,
    Consent: lambda o: o.person_id,
    PersonContact: lambda o: o.person_id,
    PersonFlag: lambda o: o.person_id,
    Handoff: lambda o: None,
    User: lambda o: None,
}
# Columns whose change alone is routine bookkeeping, not worth an event.
IGNORED_COLUMNS = {"updated_at", "last_login_at", "totp_last_step"}
_KEYS = "audit_keys"


class AuditTrailReadOnly(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


def _current_user_id() -> Optional[int]:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.id
    return None


def record(
    action: str,
    object_type: str,
    object_id: Optional[int] = None,
    *,
    person_id: Optional[int] = None,
    detail: Optional[dict[str, Any]] = None,
    user_id: Optional[int] = None,
) -> AuditEvent:
    """Add an audit event to the session (committed with the change it records).

    `action` is a verb such as "read", "create", "update", "delete", "export", "login";
    `object_type` the model's table name ("person", "call", "referral"…).
    """
    if user_id is None:
        user_id = _current_user_id()
    event_ = AuditEvent(
        user_id=user_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        detail=detail,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event_)
    return event_


def record_read(object_type: str, object_id: int, person_id: Optional[int]) -> None:
    """Record that the current user read a record, and commit it at once (reads change nothing else)."""
    from .disclosures import watch_volume

    record("read", object_type, object_id, person_id=person_id)
    watch_volume(_current_user_id())
    db.session.commit()


def _changed_columns(obj) -> list[str]:
    state = inspect(obj)
    names = []
    for attr in state.mapper.column_attrs:
        if attr.key in IGNORED_COLUMNS:
            continue
        if state.attrs[attr.key].history.has_changes():
            names.append(attr.key)
    return sorted(names)


def _before_flush(session: Session, flush_context, instances) -> None:
    """Refuse changes to audit events; note which audited rows change (values are never copied)."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditTrailReadOnly("audit events cannot be changed or deleted")
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.new:
        if type(obj) in AUDITED_MODELS:
            pending.append(("create", obj, None))
        elif isinstance(obj, AuditEvent):
            session.info.setdefault(_KEYS, set()).add((obj.action, obj.object_type, obj.object_id))
    for obj in session.dirty:
        if type(obj) in AUDITED_MODELS and session.is_modified(obj):
            fields = _changed_columns(obj)
            if fields:
                pending.append(("update", obj, fields))
    for obj in session.deleted:
        if type(obj) in AUDITED_MODELS:
            pending.append(("delete", obj, None))


def _after_flush(session: Session, flush_context) -> None:
    """Turn the noted changes into audit rows, now that new rows have their ids."""
    pending = session.info.pop("audit_pending", [])
    rows = session.info.setdefault("audit_rows", {})
    for action, obj, fields in pending:
        primary_key = inspect(obj).mapper.primary_key_from_instance(obj)
        key = (action, type(obj).__tablename__, primary_key[0] if primary_key else None)
        if key in rows:  # changed twice in one transaction: one event naming every field
            merged = set(rows[key]["fields"] or []) | set(fields or [])
            rows[key]["fields"] = sorted(merged) or None
            continue
        try:
            person_id = AUDITED_MODELS[type(obj)](obj)
        except Exception:  # an unloaded relation on a deleted row: the event still counts
            person_id = None
        rows[key] = {"person_id": None if (action == "delete" and type(obj) is Person) else person_id, "fields": fields}


def _before_commit(session: Session) -> None:
    """Add the automatic events the area's code did not already record itself."""
    session.flush()  # commit flushes after this hook: flush now so every change is seen
    rows = session.info.pop("audit_rows", {})
    if not rows:
        return
    explicit = set(session.info.get(_KEYS, set()))
    explicit |= {(e.action, e.object_type, e.object_id) for e in session.new if isinstance(e, AuditEvent)}
    user_id = _current_user_id()
    ip = request.remote_addr if has_request_context() else None
    for (action, object_type, object_id), row in rows.items():
        if (action, object_type, object_id) in explicit or (
            action == "update" and ("create", object_type, object_id) in rows
        ):
            continue
        session.add(
            AuditEvent(
                at=utcnow(),
                user_id=user_id,
                action=action,
                object_type=object_type,
                object_id=object_id,
                person_id=row["person_id"],
                ip=ip,
                detail={"fields": row["fields"]} if row["fields"] else None,
            )
        )


def _after_end(session: Session, *args) -> None:
    for key in (_KEYS, "audit_pending", "audit_rows"):
        session.info.pop(key, None)


def install() -> None:
    """Attach the audit listeners to every session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_end)
        event.listen(Session, "after_soft_rollback", _after_end)

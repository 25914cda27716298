"""A person's complete data, as one structure for the right of access (JSON or printed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import inspect

from models import AuditEvent, Call, Case, FollowUp, Handoff, Person, Referral, Task, User

from ..cases.course import notes_of, settings_of
from ..cases.reviews import reviews_of
from ..extensions import db

# Internal columns that tell nothing about the person.
SKIPPED = {"first_name_key", "last_name_key", "password_hash", "totp_secret"}


def _value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def row(obj) -> dict[str, Any]:
    """Return a model row's columns as a JSON-ready dict."""
    return {
        attr.key: _value(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs if attr.key not in SKIPPED
    }


def _rows(stmt) -> list:
    return list(db.session.scalars(stmt))


def person_data(person: Person) -> dict[str, Any]:
    """Return everything the helpline holds about a person, grouped by kind."""
    calls = _rows(sa.select(Call).where(Call.person_id == person.id).order_by(Call.started_at))
    call_ids = [c.id for c in calls]
    referrals = _rows(sa.select(Referral).where(Referral.person_id == person.id).order_by(Referral.sent_at))
    cases = _rows(sa.select(Case).where(Case.person_id == person.id).order_by(Case.opened_at))
    followups = _rows(sa.select(FollowUp).where(FollowUp.person_id == person.id).order_by(FollowUp.due_date))
    handoffs = (
        _rows(sa.select(Handoff).where(Handoff.call_id.in_(call_ids)).order_by(Handoff.created_at)) if call_ids else []
    )
    tasks = _rows(sa.select(Task).where(Task.person_id == person.id).order_by(Task.created_at))
    accesses = _rows(sa.select(AuditEvent).where(AuditEvent.person_id == person.id).order_by(AuditEvent.at))
    staff = {u.id: u.name for u in db.session.scalars(sa.select(User))}
    return {
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "person": row(person),
        "consents": [dict(row(c), recorded_by=staff.get(c.recorded_by_id)) for c in person.consents],
        "calls": [dict(row(c), topics=c.topics, nurse=staff.get(c.nurse_id)) for c in calls],
        "referrals": [
            dict(row(r), structure=r.structure.name if r.structure else None, events=[row(e) for e in r.events])
            for r in referrals
        ],
        "cases": [
            dict(
                row(c),
                case_manager=staff.get(c.case_manager_id),
                visits=[row(v) for v in c.visits],
                assessments=[row(a) for a in c.assessments],
                plans=[dict(row(p), items=[row(i) for i in p.items]) for p in c.plans],
                progress_notes=[dict(row(n), author=staff.get(n.author_id)) for n in notes_of(c)],
                plan_reviews=[dict(row(r), by=staff.get(r.by_id)) for r in reviews_of(c)],
            )
            for c in cases
        ],
        "care_settings": [dict(row(s), recorded_by=staff.get(s.recorded_by_id)) for s in settings_of(person.id)],
        "followups": [dict(row(f), attempts=[row(a) for a in f.attempt_log]) for f in followups],
        "handoffs": [row(h) for h in handoffs],
        "tasks": [row(t) for t in tasks],
        "accesses": [
            {
                "at": _value(e.at),
                "by": staff.get(e.user_id),
                "action": e.action,
                "object": e.object_type,
                "object_id": e.object_id,
            }
            for e in accesses
        ],
    }

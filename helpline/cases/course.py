"""A case's course over time: its progress notes, its expected end, and where the person is (care settings)."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from models import CareSetting, Case, CaseNote, User
from models.vocabulary import CARE_SETTINGS

from .. import audit
from ..extensions import db

# A note or a setting is written on a case still followed; a closed case is reopened first.
WRITABLE_STATUSES = ("waiting", "active")


class CaseClosed(ValueError):
    """A write on a case that is closed."""


def _check_open(case: Case) -> None:
    if case.status not in WRITABLE_STATUSES:
        raise CaseClosed(case.id)


def add_note(case: Case, at: dt.datetime, text: str, by: User) -> CaseNote:
    """Add a dated progress note to the case's journal (caller commits); audited like the case's other writes."""
    _check_open(case)
    note = CaseNote(case_id=case.id, at=at, author_id=by.id, text=text.strip())
    db.session.add(note)
    db.session.flush()
    audit.record("create", "case_note", note.id, person_id=case.person_id, user_id=by.id, detail={"case_id": case.id})
    return note


def notes_of(case: Case) -> list[CaseNote]:
    """Return the case's progress notes, with their authors."""
    stmt = sa.select(CaseNote).options(joinedload(CaseNote.author)).where(CaseNote.case_id == case.id)
    return list(db.session.scalars(stmt.order_by(CaseNote.at, CaseNote.id)))


def set_expected_end(case: Case, expected_end_on: Optional[dt.date], criteria: str, by: User) -> None:
    """Set when the case is expected to end and on which criteria (caller commits).

    The change is audited by the session listener, as every change to a case (helpline.audit).
    """
    case.expected_end_on, case.closure_criteria = expected_end_on, (criteria or "").strip() or None


def record_setting(
    case: Case, kind: str, started_on: dt.date, ended_on: Optional[dt.date], note: str, by: User
) -> CareSetting:
    """Record where the person is from a day (to a day); the setting she was in until then ends that day.

    The earlier settings are kept: they are the history shown on the case page (caller commits).
    """
    _check_open(case)
    if kind not in CARE_SETTINGS:
        raise ValueError(kind)
    previous = db.session.scalars(
        sa.select(CareSetting).where(
            CareSetting.person_id == case.person_id,
            CareSetting.ended_on.is_(None),
            CareSetting.started_on <= started_on,
        )
    ).all()
    for earlier in previous:
        earlier.ended_on = started_on
    setting = CareSetting(
        person_id=case.person_id,
        case_id=case.id,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        note=(note or "").strip(),
        recorded_by_id=by.id,
    )
    db.session.add(setting)
    db.session.flush()
    audit.record(
        "create",
        "care_setting",
        setting.id,
        person_id=case.person_id,
        user_id=by.id,
        detail={"case_id": case.id, "kind": kind, "ended": [s.id for s in previous]},
    )
    return setting


def settings_of(person_id: int) -> list[CareSetting]:
    """Return the person's care settings, the latest first (her history)."""
    stmt = (
        sa.select(CareSetting)
        .options(joinedload(CareSetting.recorded_by))
        .where(CareSetting.person_id == person_id)
        .order_by(CareSetting.started_on.desc(), CareSetting.id.desc())
    )
    return list(db.session.scalars(stmt))


def current_setting(person_id: int, today: dt.date) -> Optional[CareSetting]:
    """Return where the person is today: the latest setting started by today and not ended before it."""
    stmt = (
        sa.select(CareSetting)
        .where(
            CareSetting.person_id == person_id,
            CareSetting.started_on <= today,
            sa.or_(CareSetting.ended_on.is_(None), CareSetting.ended_on > today),
        )
        .order_by(CareSetting.started_on.desc(), CareSetting.id.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)

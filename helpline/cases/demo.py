"""Synthetic demo cases for the demo case managers (no real person is named)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import force_locale

from models import Call, Case, PlanItem, Visit, utcnow
from models.vocabulary import ASSESSMENT_DIMENSIONS

from ..extensions import db
from ..formatting import local_now
from .agreement import record_agreement
from .assessments import record_assessment
from .handoffs import prefill_from_call, send_handoff
from .plans import current_plan, new_version
from .reviews import record_review, share_with_gp
from .service import assign_case, open_case_for_call


def _dimensions(level: int) -> dict:
    return {
        d: {"difficulty": level if i % 2 else max(0, level - 1), "more_help": level >= 2, "notes": ""}
        for i, d in enumerate(ASSESSMENT_DIMENSIONS)
    }


def _demo_call(person, nurse) -> Call:
    call = db.session.scalar(sa.select(Call).where(Call.person_id == person.id).order_by(Call.id).limit(1))
    if call is not None:
        return call
    call = Call(
        direction="incoming",
        channel="phone",
        started_at=utcnow() - dt.timedelta(days=20),
        caller_type="patient",
        person_id=person.id,
        nurse_id=nurse.id,
        route="case_management",
        priority="high",
        summary="Situation complexe à domicile (données fictives).",
        autonomy_problem=True,
        medical_problem=True,
        support_inadequate=True,
    )
    db.session.add(call)
    db.session.flush()
    return call


def load_demo_cases(users: dict, persons: list) -> None:
    """Give the demo case manager two active cases, leave one waiting, and deliver an unread handoff."""
    with force_locale("fr"):  # the demo runs from the command line: no request to choose a language
        _load(users, persons)


def _load(users: dict, persons: list) -> None:
    nurse, manager, coordinator = users.get("nurse"), users.get("case_manager"), users.get("coordinator")
    if not (nurse and manager and coordinator) or len(persons) < 5:
        return
    if db.session.scalar(sa.select(Case.id).limit(1)) is not None:
        return
    today = local_now().date()
    for index, level in ((1, 2), (4, 1)):
        call = _demo_call(persons[index], nurse)
        handoff = send_handoff(call, nurse, manager, prefill_from_call(call))
        handoff.read_at, handoff.read_by_id = utcnow(), manager.id
        case = open_case_for_call(call, coordinator)
        record_agreement(case.person, today - dt.timedelta(days=18), "Par téléphone (démo).", coordinator)
        assign_case(case, manager, coordinator)
        record_assessment(case, today - dt.timedelta(days=14), _dimensions(level + 1), manager)
        record_assessment(case, today - dt.timedelta(days=2), _dimensions(level), manager)
        db.session.add(
            Visit(
                case_id=case.id,
                scheduled_for=utcnow() - dt.timedelta(days=15),
                done_at=utcnow() - dt.timedelta(days=15),
                notes="Première visite (fictive).",
            )
        )
        db.session.add(Visit(case_id=case.id, scheduled_for=utcnow() + dt.timedelta(days=index)))
        new_version(
            case,
            manager,
            lambda plan: (
                setattr(plan, "goals", "Rester chez moi le plus longtemps possible."),
                plan.items.append(
                    PlanItem(
                        need="Aide à la toilette",
                        service="Soins infirmiers à domicile",
                        professional="Infirmière à domicile (fictive)",
                        frequency="3 fois par semaine",
                        start_date=today + dt.timedelta(days=3),
                        responsible="Gestionnaire de cas",
                        status="planned",
                    )
                ),
            ),
            "demo",
        )
        # Drawn up with the person; the second case's review is overdue (the coordinator's list shows it).
        reviewed_on = today - dt.timedelta(days=10 if index == 1 else 100)
        record_review(
            case,
            manager,
            reviewed_on=reviewed_on,
            next_review_on=reviewed_on + dt.timedelta(days=90 if index == 1 else 95),
            with_person=True,
            with_carer=index == 1,
            carer_name="Aidant fictif" if index == 1 else "",
            with_gp=index == 1,
            note="Plan élaboré à domicile (démo).",
        )
        if index == 1:
            share_with_gp(case, current_plan(case), today, manager)
    waiting_call = _demo_call(persons[2], nurse)
    open_case_for_call(waiting_call, coordinator)
    send_handoff(waiting_call, nurse, manager, prefill_from_call(waiting_call))
    db.session.flush()

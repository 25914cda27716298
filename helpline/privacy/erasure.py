"""Erasure by pseudonymisation: the identity and the free text go, the coded facts stay.

Rows are kept (a call stays a call, with its date, topics, route and outcome) so the activity
figures and indicators stay right; what could identify the person is blanked: names, phones,
the exact birth date (replaced by the age, which the reports use), the caller's identity and
every free-text note. The person's open follow-up calls are cancelled: nobody calls an erased person.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import sqlalchemy as sa
from flask import current_app

from models import (
    Assessment,
    Call,
    Callback,
    CareSetting,
    Case,
    CaseNote,
    Correction,
    FollowUp,
    FollowUpAttempt,
    Handoff,
    Person,
    PersonContact,
    PersonFlag,
    PersonMerge,
    PhoneCall,
    PlanItem,
    PlanReview,
    Referral,
    ReferralEvent,
    ReviewItem,
    ServicePlan,
    Task,
    Visit,
    utcnow,
)

from .. import audit
from ..extensions import db
from ..followups.cancellation import AUTOMATIC_REASONS, ERASURE, cancel_open_followups

PSEUDONYM = "—"


def _calls_of(pid: int):
    return sa.select(Call.id).where(Call.person_id == pid)


# For each kind of row about a person: how to select it, and the columns blanked (to None or "").
SCRUBBED: list[tuple[type, object, dict[str, object]]] = [
    (
        Call,
        lambda pid: Call.person_id == pid,
        {
            "caller_name": None,
            "caller_phone": None,
            "caller_relation": None,
            "caller_organisation": None,
            "summary": "",
            "override_reason": None,
        },
    ),
    (Referral, lambda pid: Referral.person_id == pid, {"message": "", "reason_text": None}),
    (
        ReferralEvent,
        lambda pid: ReferralEvent.referral_id.in_(sa.select(Referral.id).where(Referral.person_id == pid)),
        {"note": None},
    ),
    (Case, lambda pid: Case.person_id == pid, {"closure_note": None, "closure_criteria": None}),
    (CaseNote, lambda pid: CaseNote.case_id.in_(sa.select(Case.id).where(Case.person_id == pid)), {"text": ""}),
    (
        PlanReview,
        lambda pid: PlanReview.case_id.in_(sa.select(Case.id).where(Case.person_id == pid)),
        {"carer_name": None, "others": None, "note": ""},
    ),
    (CareSetting, lambda pid: CareSetting.person_id == pid, {"note": ""}),
    (Visit, lambda pid: Visit.case_id.in_(sa.select(Case.id).where(Case.person_id == pid)), {"notes": ""}),
    (
        Assessment,
        lambda pid: Assessment.case_id.in_(sa.select(Case.id).where(Case.person_id == pid)),
        {"dimensions": {}},
    ),
    (ServicePlan, lambda pid: ServicePlan.case_id.in_(sa.select(Case.id).where(Case.person_id == pid)), {"goals": ""}),
    (
        PlanItem,
        lambda pid: PlanItem.plan_id.in_(sa.select(ServicePlan.id).join(Case).where(Case.person_id == pid)),
        {"professional": None, "responsible": None},
    ),
    (
        Handoff,
        lambda pid: Handoff.call_id.in_(sa.select(Call.id).where(Call.person_id == pid)),
        {"situation": "", "background": "", "assessment": "", "recommendation": ""},
    ),
    (FollowUp, lambda pid: FollowUp.person_id == pid, {"notes": ""}),
    # A typed reason for cancelling a follow-up may name people or places; the automatic ones do not.
    (
        FollowUp,
        lambda pid: sa.and_(FollowUp.person_id == pid, FollowUp.cancel_reason.not_in(list(AUTOMATIC_REASONS))),
        {"cancel_reason": ""},
    ),
    (
        FollowUpAttempt,
        lambda pid: FollowUpAttempt.followup_id.in_(sa.select(FollowUp.id).where(FollowUp.person_id == pid)),
        {"note": ""},
    ),
    (Task, lambda pid: Task.person_id == pid, {"title": PSEUDONYM}),
    (PersonContact, lambda pid: PersonContact.person_id == pid, {"name": PSEUDONYM, "relation": None, "phone": None}),
    (PersonFlag, lambda pid: PersonFlag.person_id == pid, {"reason": ""}),
    # Corrections keep previous values (names, numbers, notes): they go with the identity.
    (Correction, lambda pid: Correction.person_id == pid, {"changes": {}, "reason": None, "proposal_after": None}),
    # The team meeting's typed reason for its decision on one of the person's calls.
    (ReviewItem, lambda pid: ReviewItem.call_id.in_(_calls_of(pid)), {"reason": None}),
    # The telephony records of her calls keep their times and outcome, not the numbers.
    (
        PhoneCall,
        lambda pid: sa.or_(
            PhoneCall.call_id.in_(_calls_of(pid)),
            PhoneCall.followup_id.in_(sa.select(FollowUp.id).where(FollowUp.person_id == pid)),
        ),
        {"from_number": None, "to_number": None},
    ),
    (Callback, lambda pid: Callback.call_id.in_(_calls_of(pid)), {"phone_number": PSEUDONYM}),
    # A merge keeps the values it filled in the kept record (numbers, address) to undo it.
    (
        PersonMerge,
        lambda pid: sa.or_(PersonMerge.kept_person_id == pid, PersonMerge.merged_person_id == pid),
        {"fields": {}},
    ),
]


def _scrub_person(person: Person) -> None:
    today = utcnow().date()
    age = person.age_on(today)
    person.first_name = person.last_name = PSEUDONYM
    person.first_name_key = person.last_name_key = ""
    person.birth_date = None
    person.age, person.age_recorded_on = age, (today if age is not None else None)
    person.phone = person.gp_name = person.gp_phone = None
    person.street = person.house_number = person.box = person.city = person.access_notes = None
    person.pseudonymised_at = utcnow()
    for consent in person.consents:
        consent.note = None


def pseudonymise(person: Person, reason: str, *, user_id: Optional[int] = None, action: str = "pseudonymise") -> None:
    """Erase a person's identity and free text, keeping their rows for the figures (the caller commits)."""
    cancel_open_followups(person.id, ERASURE, user_id)
    for model, where, values in SCRUBBED:
        present = {k: v for k, v in values.items() if hasattr(model, k)}
        if present:
            db.session.execute(
                sa.update(model).where(where(person.id)).values(**present).execution_options(synchronize_session=False)
            )
    for call in db.session.scalars(sa.select(Call).where(Call.person_id == person.id)):
        call.summary = ""  # keep the ORM copy in step with the bulk update above
        if call.triage_input and isinstance(call.triage_input.get("request"), dict):
            # The engine's stored input repeats the summary: keep the topics, drop the text.
            call.triage_input = dict(call.triage_input, request=dict(call.triage_input["request"], summary=""))
    _scrub_person(person)
    audit.record(action, "person", person.id, person_id=person.id, detail={"reason": reason[:500]}, user_id=user_id)
    write_ledger(person.id)
    # A record merged into hers is the same person: its identity goes too.
    merged = sa.select(Person).where(Person.merged_into_id == person.id, Person.pseudonymised_at.is_(None))
    for duplicate in list(db.session.scalars(merged)):
        pseudonymise(duplicate, reason, user_id=user_id, action=action)


def write_ledger(person_id: int) -> None:
    """Note an erasure in the ledger outside the database (a restore applies it again)."""
    path = current_app.config.get("ERASURE_LEDGER")
    if not path:
        return
    ledger = Path(path)
    ledger.parent.mkdir(parents=True, exist_ok=True)
    with ledger.open("a", encoding="utf-8") as fh:
        fh.write(f"{person_id}\t{utcnow().isoformat()}\n")
    ledger.chmod(0o600)


def ledger_ids() -> set[int]:
    """Return the ids of the persons the ledger says were erased."""
    path = current_app.config.get("ERASURE_LEDGER")
    if not path or not Path(path).is_file():
        return set()
    ids = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        first = line.split("\t", 1)[0].strip()
        if first.isdigit():
            ids.add(int(first))
    return ids


def erased_ids() -> set[int]:
    """Return every erased person's id: the database's and the ledger's (read before a restore)."""
    ids = ledger_ids()
    try:
        ids |= set(db.session.scalars(sa.select(Person.id).where(Person.pseudonymised_at.is_not(None))))
    except sa.exc.SQLAlchemyError:  # the database to be restored may be unreadable: the ledger remains
        db.session.rollback()
    return ids


def reapply_erasures(ids: set[int]) -> list[int]:
    """Erase again the persons a restored backup brought back; return their ids (the caller commits)."""
    again = []
    for person_id in sorted(ids):
        person = db.session.get(Person, person_id)
        if person is not None and person.pseudonymised_at is None:
            pseudonymise(person, "erasure applied again after a restore", action="pseudonymise_reapplied")
            again.append(person_id)
    return again

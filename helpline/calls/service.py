"""Logging a call: the person found or created, the request recorded, the decision stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa

from models import Call, Person, User, utcnow
from models.vocabulary import CRITERIA

from ..drafts import valid_draft_id
from ..extensions import db
from ..followups.retriage import linkable_followup_id
from ..formatting import local_now, local_zone
from ..ids import parse_id
from ..persons.contacts import record_caller_contact
from ..persons.service import possible_duplicates, record_consent, set_names
from .forms import CallForm, yes_no

ADDRESS_FIELDS = ("street", "house_number", "box", "city", "access_notes")


class DuplicatePersonError(Exception):
    """The new person looks like persons already known; the nurse must choose."""

    def __init__(self, candidates: list[Person]):
        super().__init__("possible duplicate person")
        self.candidates = candidates


@dataclass
class Decision:
    """What the nurse decided for the call (after the triage proposal, if any)."""

    route: str
    priority: str = "routine"
    categories: tuple[str, ...] = ()
    follow_up_days: tuple[int, ...] = ()
    team_review: bool = False
    proposal: Optional[dict[str, Any]] = None
    triage_input: Optional[dict[str, Any]] = None
    overridden: bool = False
    override_reason: Optional[str] = None


def resolve_person(form: CallForm, user: User) -> Person:
    """Return the existing person chosen on the form, or a new one (refusing likely duplicates)."""
    if form.person_id.data:
        person_id = parse_id(form.person_id.data)
        person = db.session.get(Person, person_id) if person_id else None
        if person is None:
            raise LookupError("person not found")
        for _ in range(10):  # a record merged into another one (a form left open): the call goes to that one
            if person.merged_into_id is None:
                break
            person = db.session.get(Person, person.merged_into_id)
        return person
    if not form.confirm_new_person.data:
        candidates = possible_duplicates(
            form.first_name.data,
            form.last_name.data,
            form.birth_date.data,
            form.person_phone.data or _caller_is_person_phone(form),
            form.postcode.data,
        )
        if candidates:
            raise DuplicatePersonError(candidates)
    person = Person()
    set_names(person, form.first_name.data, form.last_name.data)
    db.session.add(person)
    return person


def _caller_is_person_phone(form: CallForm) -> Optional[str]:
    return form.caller_phone.data if form.caller_type.data == "patient" else None


def update_person(person: Person, form: CallForm, user: User) -> None:
    """Copy what the nurse typed about the person onto their record (blank fields keep old values)."""
    if form.first_name.data and form.last_name.data:
        set_names(person, form.first_name.data, form.last_name.data)
    if form.birth_date.data:
        person.birth_date = form.birth_date.data
    if form.age.data is not None:
        person.age, person.age_recorded_on = form.age.data, local_now().date()
    person.postcode = form.postcode.data
    for name in ADDRESS_FIELDS:
        value = (getattr(form, name).data or "").strip()
        if value:
            setattr(person, name, value)
    phone = form.person_phone.data or _caller_is_person_phone(form)
    if phone:
        person.phone = phone
    if yes_no(form.lives_alone.data) is not None:
        person.lives_alone = yes_no(form.lives_alone.data)
    if form.gp_name.data:
        person.gp_name = form.gp_name.data.strip()
    if form.gp_phone.data:
        person.gp_phone = form.gp_phone.data
    consent = yes_no(form.consent.data)
    if consent is not None:
        record_consent(person, "referral", consent, form.consent_date.data or local_now().date(), user.id)
    person.last_contact_at = utcnow()


def started_at_utc(form: CallForm) -> dt.datetime:
    """Return the call's start, typed in local time, as UTC."""
    return form.started_at.data.replace(tzinfo=local_zone()).astimezone(dt.UTC)


def build_call(form: CallForm, person: Person, user: User, decision: Decision) -> Call:
    """Create the call row from the form and the decision."""
    call = Call(
        direction=form.direction.data,
        channel=form.channel.data,
        started_at=started_at_utc(form),
        duration_minutes=form.duration_minutes.data,
        caller_phone=form.caller_phone.data,
        caller_type=form.caller_type.data,
        caller_name=(form.caller_name.data or "").strip() or None,
        caller_relation=(form.caller_relation.data or "").strip() or None,
        caller_professional_role=form.caller_professional_role.data or None,
        caller_organisation=(form.caller_organisation.data or "").strip() or None,
        person=person,
        nurse_id=user.id,
        summary=(form.summary.data or "").strip(),
        red_flags=list(form.red_flags.data or []),
        coordination_centre_involved=bool(form.coordination_centre_involved.data),
        professionals_involved=form.professionals_involved.data,
        rupture_events=list(form.rupture_events.data or []),
        prisma7=form.prisma7_answers(),
        route=decision.route,
        priority=decision.priority,
        categories=list(decision.categories),
        follow_up_days=list(decision.follow_up_days),
        team_review=decision.team_review,
        proposal=decision.proposal,
        triage_input=decision.triage_input,
        overridden=decision.overridden,
        override_reason=decision.override_reason,
        from_followup_id=linkable_followup_id(form.from_followup.data),
        draft_id=valid_draft_id(form.draft_id.data),
    )
    for criterion in CRITERIA:
        setattr(call, criterion, bool(getattr(form, criterion).data))
    call.topics = list(form.topics.data)
    if decision.proposal:
        ruleset = decision.proposal.get("ruleset", {})
        call.ruleset_name, call.ruleset_version = ruleset.get("name"), ruleset.get("version")
        call.ruleset_sha256 = ruleset.get("sha256")
    db.session.add(call)
    return call


def call_saved_from_draft(draft_id: str | None) -> Call | None:
    """Return the call already saved from this form's draft id (a double submit, a retry), if any."""
    draft_id = valid_draft_id(draft_id)
    return db.session.scalar(sa.select(Call).where(Call.draft_id == draft_id)) if draft_id else None


def log_call(form: CallForm, user: User, decision: Decision) -> Call:
    """Record a call and its person, and commit."""
    person = resolve_person(form, user)
    update_person(person, form, user)
    call = build_call(form, person, user, decision)
    db.session.flush()
    record_caller_contact(call)
    after_call_logged(call, user)
    db.session.commit()
    return call


def after_call_logged(call: Call, user: User) -> None:
    """Do what saving a call sets off in the other areas, in its transaction (nothing commits)."""
    # Imported here: these areas' packages import this module (their pages log and show calls).
    from ..cases.relay import relay_call
    from ..followups.retriage import link_call_to_followup
    from ..meetings.service import put_on_agenda
    from ..telephony.callbacks import close_by_call
    from ..telephony.service import link_logged_call

    link_logged_call(call, user)  # the phone call being answered points at the call
    close_by_call(call, user)  # the number's open callback is closed (linked to the call)
    link_call_to_followup(call, user)  # the follow-up whose new need opened the call points at it
    put_on_agenda(call, user)  # a call needing team review joins the meeting's agenda
    relay_call(call, user)  # a relayed call about a followed person goes to her case manager

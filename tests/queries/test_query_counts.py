"""No N+1 on the list pages: a page showing 100 rows (or a full page) sends as many SQL statements as
one showing 10. Each related object is distinct per row (its own person, structure, user…), so a
lazy load per row would show as more statements; the last row is looked for on the page, so a page
that shows nothing cannot pass."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from query_counting import counted_statements, statements_diff

from helpline.formatting import local_now
from helpline.persons.service import set_names
from models import (
    AuditEvent,
    Call,
    Callback,
    Case,
    FollowUp,
    Handoff,
    Meeting,
    MeetingDecision,
    OutboxMessage,
    Person,
    Referral,
    ReviewItem,
    Structure,
    Task,
    User,
    db,
    utcnow,
)
from support import PASSWORD_HASH

FEW = 10
BASE = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
LONG_AGO = dt.datetime(2020, 1, 6, 9, 0, tzinfo=dt.UTC)  # a case opened then is overdue whatever the day


def _name(i: int) -> str:
    return f"Ligne{i:03d}"


def _shown(i: int) -> str:
    """Return how row i's person is shown on a page (Person.display_name)."""
    return _name(i).upper()


def _person(i: int, **fields) -> Person:
    person = Person(postcode="4020", **fields)
    set_names(person, "Odette", _name(i))
    return person


def _user(role: str, i: int) -> User:
    return User(
        email=f"{role}-{i}-{uuid.uuid4().hex[:6]}@test.invalid",
        name=f"{role.title()} {i:03d}",
        roles=role,
        password_hash=PASSWORD_HASH,
    )


def _call(i: int, person: Person, nurse: User, **fields) -> Call:
    return Call(
        direction="incoming",
        channel="phone",
        started_at=BASE + dt.timedelta(minutes=i),
        caller_type="carer",
        person=person,
        nurse=nurse,
        route=fields.pop("route", "external"),
        topics=["carer_support"],
        summary=f"Appel {i}",
        **fields,
    )


def _structure(i: int) -> Structure:
    structure = Structure(name=f"Structure {i:03d}", category="carer_support", services=[], phone="+3242000000")
    structure.postcodes = ["4000", "4020"]
    return structure


# Builders: add rows start..stop-1 (each with its own related objects) for the logged-in user `me`.


def add_calls(me: User, start: int, stop: int) -> None:
    db.session.add_all(_call(i, _person(i), _user("nurse", i)) for i in range(start, stop))


def add_persons(me: User, start: int, stop: int) -> None:
    db.session.add_all(_person(i, birth_date=dt.date(1940, 1, 1)) for i in range(start, stop))


def add_managed_persons(me: User, start: int, stop: int) -> None:
    """Persons whose case the case manager holds (she sees them in a search), and others she does not."""
    for i in range(start, stop):
        person = _person(i, birth_date=dt.date(1940, 1, 1))
        db.session.add(Case(person=person, status="active", case_manager=me))
        db.session.add(_person(500 + i))


def add_cases(me: User, start: int, stop: int) -> None:
    db.session.add_all(
        Case(person=_person(i), status="active", case_manager=_user("case_manager", i), opened_at=BASE)
        for i in range(start, stop)
    )


def add_my_overdue_cases(me: User, start: int, stop: int) -> None:
    """Her active cases, opened long ago and never reassessed nor reviewed: both are overdue on her home."""
    db.session.add_all(
        Case(person=_person(i), status="active", case_manager=me, opened_at=LONG_AGO) for i in range(start, stop)
    )


def add_overdue_cases(me: User, start: int, stop: int) -> None:
    db.session.add_all(
        Case(person=_person(i), status="active", case_manager=_user("case_manager", i), opened_at=LONG_AGO)
        for i in range(start, stop)
    )


def add_waiting_cases(me: User, start: int, stop: int) -> None:
    db.session.add_all(Case(person=_person(i), status="waiting", opened_at=BASE) for i in range(start, stop))


def add_referrals(me: User, start: int, stop: int) -> None:
    db.session.add_all(
        Referral(
            person=_person(i),
            structure=_structure(i),
            category="carer_support",
            created_by=_user("nurse", i),
            consent_checked=True,
            sent_at=BASE + dt.timedelta(minutes=i),
        )
        for i in range(start, stop)
    )


def add_followups(me: User, start: int, stop: int) -> None:
    due = local_now().date() - dt.timedelta(days=1)
    for i in range(start, stop):
        person = _person(i)
        followup = FollowUp(person=person, offset_days=30, due_date=due, claimed_by=_user("nurse", i))
        if i % 2:
            followup.case = Case(person=person, status="closed", case_manager=_user("case_manager", i))
        else:
            followup.referral = Referral(
                person=person, structure=_structure(i), category="carer_support", created_by=me, consent_checked=True
            )
        db.session.add(followup)


def add_callbacks(me: User, start: int, stop: int) -> None:
    for i in range(start, stop):
        number = f"+3247100{i:04d}"
        db.session.add(_person(i, phone=number))
        moment = BASE + dt.timedelta(minutes=i)
        db.session.add(Callback(phone_number=number, reason="abandoned", first_missed_at=moment, last_missed_at=moment))


def add_agenda(me: User, start: int, stop: int) -> None:
    for i in range(start, stop):
        person = _person(i)
        call = _call(i, person, _user("nurse", i), route="case_management", team_review=True)
        db.session.add(ReviewItem(call=call, status="pending", added_at=BASE + dt.timedelta(minutes=i)))
        db.session.add(
            Handoff(call=call, from_user=call.nurse, to_user=_user("case_manager", i), situation="Situation")
        )
        db.session.add(
            Task(title=f"Tâche {i}", due_date=BASE.date(), person=person, assignee=call.nurse, created_by_id=me.id)
        )
        if i % 2:  # already followed (her reassessment overdue): the agenda names her case and its manager
            manager = _user("case_manager", 1000 + i)
            db.session.add(
                Case(person=person, status="active", case_manager=manager, opened_at=BASE.replace(year=2024))
            )


def add_agenda_in_meeting(me: User, start: int, stop: int) -> None:
    """The agenda while the meeting is held (a decision form for each followed case)."""
    if start == 0:
        db.session.add(Meeting(held_on=BASE.date(), created_by_id=me.id, attendees=[me]))
    add_agenda(me, start, stop)


def _decision(i: int, person: Person, me: User, meeting: Meeting, **fields) -> MeetingDecision:
    return MeetingDecision(meeting=meeting, person=person, decision=f"Décision {i:03d}", by_id=me.id, **fields)


def add_past_meetings(me: User, start: int, stop: int) -> None:
    for i in range(start, stop):
        meeting = Meeting(held_on=BASE.date() - dt.timedelta(days=i), created_by_id=me.id, closed_at=BASE)
        meeting.attendees = [_user("nurse", i)]
        db.session.add(_decision(i, _person(i), me, meeting))


def add_my_decisions(me: User, start: int, stop: int) -> None:
    """A nurse's calls on the agenda, and the team's decisions on her other calls (each in its meeting)."""
    for i in range(start, stop):
        person = _person(i)
        db.session.add(ReviewItem(call=_call(i, person, me), status="pending", added_at=BASE + dt.timedelta(minutes=i)))
        decided = ReviewItem(call=_call(i, person, me), status="validated", decided_at=BASE)
        db.session.add(decided)
        db.session.flush()
        meeting = Meeting(held_on=BASE.date() - dt.timedelta(days=i), created_by_id=me.id, closed_at=BASE)
        db.session.add(_decision(i, person, me, meeting, review_item_id=decided.id))


def add_meeting_decisions(me: User, start: int, stop: int) -> None:
    meeting = db.session.scalar(sa.select(Meeting)) or Meeting(held_on=BASE.date(), created_by_id=me.id)
    db.session.add_all(_decision(i, _person(i), me, meeting) for i in range(start, stop))


def _meeting_url() -> str:
    return f"/meeting/{db.session.scalar(sa.select(Meeting.id))}"


def add_handoffs(me: User, start: int, stop: int) -> None:
    for i in range(start, stop):
        call = _call(i, _person(i), _user("nurse", i))
        db.session.add(
            Handoff(call=call, from_user=me, to_user=None, situation="Situation", created_at=BASE + dt.timedelta(i))
        )


def add_structures(me: User, start: int, stop: int) -> None:
    db.session.add_all(_structure(i) for i in range(start, stop))


def add_users(me: User, start: int, stop: int) -> None:
    db.session.add_all(_user("nurse", i) for i in range(start, stop))


def add_audit_events(me: User, start: int, stop: int) -> None:
    later = utcnow() + dt.timedelta(days=1)  # newer than the page's own events: the page shows these
    db.session.add_all(
        AuditEvent(
            at=later + dt.timedelta(minutes=i),
            user_id=None,
            action="read",
            object_type="person",
            object_id=9000 + i,
            person_id=None,
        )
        for i in range(start, stop)
    )


def add_messages(me: User, start: int, stop: int) -> None:
    db.session.add_all(
        OutboxMessage(
            key=f"test:{i}",
            kind="test",
            to_address=f"personne{i}@test.invalid",
            subject=f"Message {i:03d}",
            body="Bonjour.",
        )
        for i in range(start, stop)
    )


def _followed_in_meeting(i: int) -> tuple[str, ...]:
    return (_shown(i), f"Case_Manager {1000 + i}", 'id="decision_reason-')


@dataclass
class Page:
    """A list page: who opens it, how, how many rows it shows at most, how to add rows and find one."""

    role: str
    url: str | Callable[[], str]
    add: Callable[[User, int, int], None]
    marker: Callable[[int], str | tuple[str, ...]] = _shown
    full: int = 100
    form: dict | None = None  # POSTed (a person search)
    hidden: str | None = None  # never on the page


PAGES = {
    "calls": Page("coordinator", "/calls/", add_calls, full=50),
    "persons": Page("coordinator", "/persons/search", add_persons, full=20, form={"q": "Ligne"}),
    # She sees the persons of her cases only (LIGNE5xx are not hers).
    "persons_of_a_case_manager": Page(
        "case_manager", "/persons/search", add_managed_persons, full=20, form={"q": "Ligne"}, hidden="LIGNE5"
    ),
    "cases": Page("coordinator", "/cases/?status=active", add_cases),
    "cases_waiting": Page("coordinator", "/cases/waiting", add_waiting_cases),
    # Reassessments and plan reviews: overdue on every active case (coordinator), due on hers (case manager).
    "cases_overdue": Page(
        "coordinator", "/cases/overdue", add_overdue_cases, lambda i: (_shown(i), f"Case_Manager {i:03d}")
    ),
    "case_manager_home": Page("case_manager", "/", add_my_overdue_cases),
    "referrals": Page("coordinator", "/referrals/", add_referrals),
    "followups": Page("coordinator", "/followups/", add_followups),
    "callbacks": Page("nurse", "/", add_callbacks, full=15),
    # The agenda, the followed case (i odd: her manager) and the open tasks.
    "meeting": Page(
        "coordinator", "/meeting/", add_agenda, lambda i: (_shown(i), f"Case_Manager {1000 + i}", f"Tâche {i}")
    ),
    "meeting_held": Page("coordinator", "/meeting/", add_agenda_in_meeting, _followed_in_meeting),
    "meetings_past": Page("coordinator", "/meeting/past", add_past_meetings, lambda i: f"Nurse {i:03d}", full=50),
    "meetings_mine": Page(
        "nurse", "/meeting/mine", add_my_decisions, lambda i: (_shown(i), f"Décision {i:03d}"), full=50
    ),
    "meeting_record": Page(
        "coordinator", _meeting_url, add_meeting_decisions, lambda i: (_shown(i), f"Décision {i:03d}")
    ),
    "handoffs": Page("coordinator", "/cases/handoffs/", add_handoffs),
    "directory": Page(
        "coordinator", "/directory/?postcode=4020&status=active", add_structures, lambda i: f"Structure {i:03d}"
    ),
    "directory_stale": Page("coordinator", "/directory/stale", add_structures, lambda i: f"Structure {i:03d}"),
    "users": Page("admin", "/admin/users", add_users, lambda i: f"Nurse {i:03d}"),
    "audit": Page("coordinator", "/admin/audit", add_audit_events, lambda i: f"#{9000 + i}"),
    "outbox": Page("coordinator", "/mail/console", add_messages, lambda i: f"Message {i:03d}"),
}


def _open(client, page: Page) -> tuple[str, list[str]]:
    url = page.url if isinstance(page.url, str) else page.url()
    with counted_statements(db.engine) as statements:
        if page.form is None:
            response = client.get(url)
        else:
            response = client.post(url, data=page.form)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True), statements


def _assert_shown(html: str, page: Page, i: int) -> None:
    marker = page.marker(i)
    for text in (marker,) if isinstance(marker, str) else marker:
        assert text in html, f"{text!r} (row {i + 1}) is not on the page"
    assert page.hidden is None or page.hidden not in html


@pytest.mark.parametrize("name", list(PAGES))
def test_a_list_page_sends_as_many_statements_for_a_full_page_as_for_ten_rows(client, login_as, name):
    page = PAGES[name]
    me = login_as(page.role)
    page.add(me, 0, FEW)
    db.session.commit()
    _open(client, page)  # anything done once per process (caches) is done
    html, few = _open(client, page)
    _assert_shown(html, page, FEW - 1)

    page.add(me, FEW, page.full)
    db.session.commit()
    html, many = _open(client, page)
    _assert_shown(html, page, page.full - 1)
    print(f"{name}: {len(few)} statements for {FEW} rows, {len(many)} for {page.full}")
    assert len(many) == len(few), statements_diff(few, many)

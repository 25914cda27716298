"""Each indicator against a small dataset computed by hand (period: Monday 4 to Sunday 17 March 2024)."""

from __future__ import annotations

import datetime as dt

import pytest
from reports_support import (
    add_call,
    add_case,
    add_followup,
    add_handoff,
    add_person,
    add_referral,
    add_structure,
    add_user,
    local,
)

from helpline.reports import indicators, indicators_care
from helpline.reports.period import Period
from models import db

PERIOD = Period(dt.date(2024, 3, 4), dt.date(2024, 3, 17))


@pytest.fixture(autouse=True)
def english(app):
    """Compute the indicators in a request asking for English labels."""
    with app.test_request_context("/?lang=en"):
        yield


@pytest.fixture
def calls(app):
    """Seven calls around the period's edges, two of them handed off."""
    nurse = add_user("nurse")
    person = add_person()
    made = {
        "c1": add_call(
            person,
            nurse,
            local(2024, 3, 4, 9),
            caller_type="patient",
            topics=["housing", "transport"],
            proposed="external",
            route="external",
        ),
        "c2": add_call(person, nurse, local(2024, 3, 10, 23, 30), caller_type="carer", topics=["housing"]),
        # 00:30 on Monday in Brussels is still Sunday in UTC: it belongs to the second week.
        "c3": add_call(
            person,
            nurse,
            local(2024, 3, 11, 0, 30),
            caller_type="carer",
            topics=["isolation"],
            proposed="case_management",
            route="case_management",
        ),
        "c4": add_call(
            person,
            nurse,
            local(2024, 3, 12),
            caller_type="professional",
            topics=["housing"],
            proposed="case_management",
            route="external",
        ),
        "c5": add_call(person, nurse, local(2024, 3, 3, 23, 30), caller_type="patient"),  # before the period
        "c6": add_call(person, nurse, local(2024, 3, 17, 23, 30), caller_type="carer", proposed=None),
        "c7": add_call(person, nurse, local(2024, 3, 18, 0, 30), caller_type="patient"),  # after the period
    }
    add_handoff(made["c3"], nurse, local(2024, 3, 11, 2, 30))
    add_handoff(made["c4"], nurse, local(2024, 3, 13, 16))
    add_handoff(made["c4"], nurse, local(2024, 3, 15, 16))  # a later handoff of the same call does not count
    db.session.commit()
    return made


def test_calls_are_counted_per_local_week(calls):
    table = indicators.calls_by_week(PERIOD)
    assert [row[1] for row in table.rows] == [2, 3]


def test_calls_are_counted_per_caller_type_with_shares(calls):
    rows = {row[0]: row[1:] for row in indicators.calls_by_caller_type(PERIOD).rows}
    assert rows == {"Patient": [1, 20.0], "Carer": [3, 60.0], "Professional": [1, 20.0]}


def test_calls_are_counted_per_topic(calls):
    rows = {row[0]: row[1] for row in indicators.calls_by_topic(PERIOD).rows}
    assert rows["Housing"] == 3 and rows["Transport"] == 1 and rows["Isolation"] == 1 and rows["Care"] == 0


def test_overrides_are_the_calls_whose_final_route_differs_from_the_proposal(calls):
    table = indicators.routes_proposed_vs_final(PERIOD)
    rows = {row[0]: row[1:] for row in table.rows}
    # columns: calls, final emergency, relay, case management, external, information, overridden
    assert rows["Case management"] == [2, 0, 0, 1, 1, 0, 1]
    assert rows["External structure"] == [1, 0, 0, 0, 1, 0, 0]
    assert rows["Answered on the line"] == [1, 0, 0, 0, 0, 1, 0]
    assert rows["No proposal"] == [1, 0, 0, 0, 0, 1, 0]
    assert ("Overridden", "1 / 5") in table.facts


def test_time_to_handoff_uses_each_calls_first_handoff(calls):
    table = indicators.time_to_handoff(PERIOD)
    assert [row[1] for row in table.rows] == [0, 1, 1, 0, 0]
    assert dict(table.facts) == {"Calls handed off": "2", "Median time (hours)": "16.0"}


@pytest.fixture
def referrals(app):
    """Five referrals sent in the period in every state, and one sent before it."""
    nurse, person = add_user("nurse"), add_person()
    housing, transport = (
        add_structure("Logement Démo", "housing_service"),
        add_structure("Taxi Démo", "transport_service"),
    )
    social = add_structure("Service Social Démo", "social_service")
    add_referral(person, housing, nurse, local(2024, 3, 5))
    add_referral(person, housing, nurse, local(2024, 3, 6), status="declined", reason="no_capacity")
    add_referral(
        person, transport, nurse, local(2024, 3, 7), status="done", outcome="unsuccessful", reason="person_unreachable"
    )
    add_referral(person, transport, nurse, local(2024, 3, 8), status="done", outcome="successful")
    add_referral(person, social, nurse, local(2024, 3, 9), status="accepted")
    add_referral(person, housing, nurse, local(2024, 2, 1), status="declined", reason="other")
    db.session.commit()


def test_referrals_are_counted_by_status_and_outcome(referrals):
    rows = [row[1] for row in indicators_care.referrals_by_status(PERIOD).rows]
    assert rows == [1, 1, 1, 1, 1]  # sent, accepted, declined, done successful, done unsuccessful


def test_referrals_are_counted_by_category(referrals):
    rows = {row[0]: row[1:] for row in indicators_care.referrals_by_category(PERIOD).rows}
    assert rows["Housing service"] == [2, 1, 0, 1, 0, 0]
    assert rows["Transport service"] == [2, 0, 0, 0, 1, 1]
    assert rows["Social service"] == [1, 0, 1, 0, 0, 0]
    assert rows["Palliative care"] == [0, 0, 0, 0, 0, 0]


def test_reasons_of_declined_and_unsuccessful_referrals_are_counted(referrals):
    rows = {row[0]: row[1:] for row in indicators_care.unsuccessful_reasons(PERIOD).rows}
    assert rows == {"No capacity": [1, 1, 0], "Could not reach the person": [1, 0, 1]}


def test_caseloads_count_active_cases_against_capacity_and_the_waiting_list(app):
    full = add_user("case_manager", name="Anne Gestion", capacity=40)
    add_user("case_manager", name="Bea Gestion", capacity=10)  # no case: her row shows the room left
    person = add_person()
    for _ in range(3):
        add_case(person, "active", full)
    add_case(person, "closed", full)
    now = dt.datetime.now(dt.UTC)
    add_case(person, "waiting", opened_at=now - dt.timedelta(days=10, hours=1))
    add_case(person, "waiting", opened_at=now - dt.timedelta(days=3))
    add_case(person, "waiting", priority="high", opened_at=now - dt.timedelta(days=1))
    db.session.commit()
    assert indicators_care.caseloads().rows == [["Anne Gestion", 3, 40, 7.5], ["Bea Gestion", 0, 10, 0.0]]
    assert indicators_care.waiting_list().rows == [["Immediate", 0, None], ["High", 1, 1], ["Routine", 2, 10]]


@pytest.fixture
def followups(app):
    """Follow-ups due in and around the period, in every state."""
    person = add_person()
    utc = dt.UTC
    add_followup(person, 30, dt.date(2024, 3, 5), "done", dt.datetime(2024, 3, 6, 10, tzinfo=utc), True)
    add_followup(person, 30, dt.date(2024, 3, 6), "done", dt.datetime(2024, 3, 20, 10, tzinfo=utc), False)
    add_followup(person, 30, dt.date(2024, 3, 7), "unreachable", dt.datetime(2024, 3, 9, 10, tzinfo=utc))
    add_followup(person, 30, dt.date(2024, 3, 8), "pending")
    add_followup(person, 182, dt.date(2024, 3, 10), "done", dt.datetime(2024, 3, 10, 10, tzinfo=utc))
    add_followup(person, 30, dt.date(2024, 3, 9), "cancelled")
    add_followup(person, 30, dt.date(2024, 4, 1), "done", dt.datetime(2024, 4, 1, 10, tzinfo=utc), True)
    db.session.commit()


def test_followups_on_time_and_unreachable_rates(followups):
    rows = indicators_care.followups_on_time(PERIOD).rows
    assert rows[0][1:] == [4, 2, 1, 25.0, 1, 33.3, 1]
    assert rows[1][1:] == [1, 1, 1, 100.0, 0, 0.0, 0]


def test_unplanned_hospitalisations_reported_at_followup(followups):
    rows = indicators_care.hospitalisations(PERIOD).rows
    assert [row[1:] for row in rows] == [[2, 1, 50.0], [0, 0, None]]

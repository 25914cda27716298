"""The scale benchmark's data (bench/datagen.py): what the measured pages show is the same at every
size, so that only the size of the history differs between the small and the large database."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import datagen  # noqa: E402

NOW = dt.datetime(2026, 6, 15, 9, 30)  # a fixed clock: the data never depend on today's date
TODAY = NOW.date()
WEEK_AGO = NOW - dt.timedelta(days=7)

SHOWN = {
    "calls to return": "SELECT count(*) FROM callback WHERE status = 'pending'",
    "waiting cases": "SELECT count(*) FROM \"case\" WHERE status = 'waiting'",
    "active cases": "SELECT count(*) FROM \"case\" WHERE status = 'active'",
    "measured manager's active cases": (
        "SELECT count(*) FROM \"case\" WHERE status = 'active' AND case_manager_id = :manager"
    ),
    "persons with two open cases": (
        "SELECT count(*) FROM (SELECT person_id FROM \"case\" WHERE status IN ('active', 'waiting') "
        "GROUP BY person_id HAVING count(*) > 1) AS t"
    ),
    "agenda": "SELECT count(*) FROM review_item WHERE status = 'pending'",
    "agenda persons with an open case": (
        'SELECT count(*) FROM review_item r JOIN call c ON c.id = r.call_id JOIN "case" k '
        "ON k.person_id = c.person_id AND k.status IN ('active', 'waiting') WHERE r.status = 'pending'"
    ),
    "relays to acknowledge": "SELECT count(*) FROM relay WHERE acknowledged_at IS NULL",
    "relays of this week": "SELECT count(*) FROM relay WHERE created_at >= :week_ago",
    "measured nurse's relayed calls this week": (
        "SELECT count(*) FROM relay r JOIN call c ON c.id = r.call_id "
        "WHERE c.nurse_id = :nurse AND r.created_at >= :week_ago"
    ),
    "visits due for the measured manager": (
        'SELECT count(*) FROM visit v JOIN "case" k ON k.id = v.case_id WHERE k.case_manager_id = :manager '
        "AND k.status = 'active' AND v.done_at IS NULL AND v.scheduled_for <= :in_a_week"
    ),
    "planned items due for the measured manager": (
        'SELECT count(*) FROM plan_item i JOIN service_plan p ON p.id = i.plan_id JOIN "case" k ON k.id = p.case_id '
        "WHERE k.case_manager_id = :manager AND k.status = 'active' AND i.status = 'planned' "
        "AND i.start_date <= :week_ahead AND p.version = 2"
    ),
    "overdue reassessments": (
        "SELECT count(*) FROM \"case\" k WHERE k.status = 'active' AND "
        "(SELECT max(assessed_on) FROM assessment a WHERE a.case_id = k.id) < :half_year_ago"
    ),
    "ruptures of this week": "SELECT count(*) FROM call WHERE started_at >= :week_ago AND rupture_events != '[]'",
    "unmet needs of this week": "SELECT count(*) FROM followup WHERE new_needs AND completed_at >= :week_ago",
    "open tasks": "SELECT count(*) FROM task WHERE done_at IS NULL",
    "worklist (due today or overdue)": (
        "SELECT count(*) FROM followup WHERE status = 'pending' AND due_date <= :today AND person_id != 1"
    ),
    # The frequent caller's context panel.
    "her calls": "SELECT count(*) FROM call WHERE person_id = 1",
    "her active cases with the measured manager": (
        "SELECT count(*) FROM \"case\" WHERE person_id = 1 AND status = 'active' AND case_manager_id = :manager"
    ),
    "her open cases": "SELECT count(*) FROM \"case\" WHERE person_id = 1 AND status IN ('active', 'waiting')",
    "her open referrals": "SELECT count(*) FROM referral WHERE person_id = 1 AND status IN ('sent', 'accepted')",
    "her pending follow-ups": "SELECT count(*) FROM followup WHERE person_id = 1 AND status IN ('pending', 'claimed')",
    "her carers": "SELECT count(*) FROM person_contact WHERE person_id = 1",
    "her active flags": "SELECT count(*) FROM person_flag WHERE person_id = 1 AND lifted_at IS NULL",
    "her care settings now": (
        "SELECT count(*) FROM care_setting WHERE person_id = 1 AND kind = 'hospital' AND ended_on IS NULL"
    ),
    "her calls to return": "SELECT count(*) FROM callback WHERE phone_number = :her_phone AND status = 'pending'",
}


def _generate(database, tmp_path: Path, calls: int):
    if database["kind"] != "sqlite":
        pytest.skip("the generator drops and rebuilds every index: it gets a database of its own (SQLite)")
    target = tmp_path / f"bench_{calls}.db"
    shutil.copyfile(database["template"], target)
    engine = sa.create_engine(f"sqlite:///{target}", poolclass=sa.pool.NullPool)
    marks = datagen.generate(engine, datagen.Sizes.scaled(calls), now=NOW)
    return engine, marks


def _shown(engine, marks) -> dict[str, int]:
    params = {
        "manager": 31,  # case_manager0: after the 30 nurses
        "nurse": marks.nurse_id,
        "week_ago": WEEK_AGO.strftime("%Y-%m-%d %H:%M:%S.%f"),
        "in_a_week": (NOW + dt.timedelta(days=7)).strftime("%Y-%m-%d %H:%M:%S.%f"),
        "today": TODAY.isoformat(),
        "week_ahead": (TODAY + dt.timedelta(days=7)).isoformat(),
        "half_year_ago": (TODAY - dt.timedelta(days=183)).isoformat(),
        "her_phone": marks.frequent_phone,
    }
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT email FROM user WHERE id = 31")) == marks.manager_email
        return {name: conn.scalar(sa.text(sql), params) for name, sql in SHOWN.items()}


def test_the_pages_show_the_same_at_every_size(database, tmp_path):
    small, small_marks = _generate(database, tmp_path, 1_000)
    large, large_marks = _generate(database, tmp_path, 6_000)
    shown = _shown(small, small_marks)
    assert shown == _shown(large, large_marks)
    assert shown["calls to return"] == datagen.PENDING_CALLBACKS
    assert shown["measured manager's active cases"] == datagen.CASELOAD
    assert shown["active cases"] == datagen.CASELOAD * 12
    assert shown["persons with two open cases"] == 0
    assert shown["agenda"] == datagen.AGENDA_ITEMS
    assert shown["agenda persons with an open case"] == 0
    assert shown["measured nurse's relayed calls this week"] >= 5  # her home page lists five
    assert shown["ruptures of this week"] == datagen.RUPTURE_CALLS
    assert shown["unmet needs of this week"] == datagen.UNMET_NEEDS
    assert shown["worklist (due today or overdue)"] == datagen.DUE_TODAY
    assert shown["her calls"] == datagen.FREQUENT_CALLER_CALLS
    assert shown["her open referrals"] == shown["her pending follow-ups"] == 2
    assert shown["her active cases with the measured manager"] == shown["her open cases"] == 1
    assert shown["her carers"] == datagen.CONTACTS
    assert shown["her care settings now"] == shown["her active flags"] == shown["her calls to return"] == 1


def test_the_history_grows_with_the_calls_and_is_consistent(database, tmp_path):
    small, _ = _generate(database, tmp_path, 1_000)
    large, marks = _generate(database, tmp_path, 45_000)  # closed cases grow past the open ones (425)
    history = ("callback", "relay", "visit", "assessment", "review_item", "meeting_decision", "referral_event")
    with small.connect() as s, large.connect() as conn:
        for table in history:
            assert conn.scalar(sa.text(f"SELECT count(*) FROM {table}")) > s.scalar(
                sa.text(f"SELECT count(*) FROM {table}")
            )
        # A referral's events tell its story: accepted or declined once answered, done after accepted.
        steps = dict(
            conn.execute(
                sa.text(
                    "SELECT r.status, min(n) FROM referral r JOIN (SELECT referral_id, count(*) AS n "
                    "FROM referral_event GROUP BY referral_id) e ON e.referral_id = r.id GROUP BY r.status"
                )
            ).all()
        )
        assert steps == {"sent": 1, "accepted": 2, "declined": 2, "done": 3}
        answered = conn.scalar(sa.text("SELECT status FROM referral WHERE id = :id"), {"id": marks.answer_referral_id})
        assert answered == "sent"
        assert conn.scalar(sa.text("SELECT count(*) FROM meeting WHERE closed_at IS NULL")) == 0

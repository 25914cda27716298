"""Indicators of what follows the calls: referrals, caseloads, waiting list and follow-ups."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from helpline.formatting import labels
from models import Case, User, db, utcnow
from models.vocabulary import CATEGORIES, DECLINE_REASONS, PRIORITIES, UNSUCCESSFUL_REASONS

from .daily_care import ON_TIME_GRACE_DAYS, followup_counts, referral_counts
from .period import Period
from .tables import Table, rate

FOLLOWUP_OFFSETS = ((30, _l("1 month")), (182, _l("6 months")))
SCORES = (1, 2, 3, 4, 5)
REFERRAL_STATES = ("sent", "accepted", "declined", "successful", "unsuccessful")


def _referral_state(status: str, outcome: str | None) -> str:
    return outcome if status == "done" and outcome in ("successful", "unsuccessful") else status


def _referral_counts(period: Period) -> dict[tuple[str, str], int]:
    """Count the referrals sent in the period by (category, state), from the daily summaries."""
    counts: Counter = Counter()
    for (category, status, outcome, _reason), n in referral_counts(period).items():
        counts[(category, _referral_state(status, outcome))] += n
    return counts


def _state_label(state: str) -> str:
    if state in ("successful", "unsuccessful"):
        return str(_l("Done: %(outcome)s", outcome=labels("referral_outcome", state)))
    return labels("referral_status", state)


def referrals_by_status(period: Period) -> Table:
    """Count the referrals sent in the period by their status today (done split by outcome)."""
    counts = _referral_counts(period)
    by_state = Counter()
    for (_category, state), n in counts.items():
        by_state[state] += n
    rows = [[_state_label(s), by_state[s]] for s in REFERRAL_STATES]
    return Table(
        "referrals_by_status",
        str(_l("Referrals by status")),
        [str(_l("Status")), str(_l("Referrals"))],
        rows,
        counts=(1,),
        facts=[(str(_l("Referrals sent in the period")), str(sum(by_state.values())))],
    )


def referrals_by_category(period: Period) -> Table:
    """Count the referrals sent in the period per category, by status and outcome."""
    counts = _referral_counts(period)
    rows = []
    for category in CATEGORIES:
        cells = [counts[(category, s)] for s in REFERRAL_STATES]
        rows.append([labels("category", category), sum(cells), *cells])
    columns = [str(_l("Category")), str(_l("Referrals")), *(_state_label(s) for s in REFERRAL_STATES)]
    return Table(
        "referrals_by_category", str(_l("Referrals by category")), columns, rows, counts=tuple(range(1, len(columns)))
    )


def unsuccessful_reasons(period: Period) -> Table:
    """Count the reasons given for declined and unsuccessful referrals sent in the period."""
    declined, failed = Counter(), Counter()
    for (_category, status, outcome, reason), n in referral_counts(period).items():
        if status == "declined" or outcome == "unsuccessful":
            (declined if status == "declined" else failed)[reason or "other"] += n
    reasons = list(dict.fromkeys((*DECLINE_REASONS, *UNSUCCESSFUL_REASONS, *declined, *failed)))
    rows = [[labels("referral_reason", r), declined[r] + failed[r], declined[r], failed[r]] for r in reasons]
    rows = [row for row in rows if row[1]] or [[str(_l("None")), 0, 0, 0]]
    return Table(
        "referral_reasons",
        str(_l("Reasons of declined and unsuccessful referrals")),
        [str(_l("Reason")), str(_l("Referrals")), pgettext("number of referrals", "Declined"), str(_l("Unsuccessful"))],
        sorted(rows, key=lambda r: -r[1]),
        counts=(1, 2, 3),
    )


def caseloads() -> Table:
    """Count each case manager's active cases against their capacity (today)."""
    active = (
        sa.select(Case.case_manager_id, sa.func.count().label("n"))
        .where(Case.status == "active")
        .group_by(Case.case_manager_id)
        .subquery()
    )
    query = (
        sa.select(User.name, User.capacity, sa.func.coalesce(active.c.n, 0))
        .outerjoin(active, active.c.case_manager_id == User.id)
        .where(User.roles.contains("case_manager"), User.active.is_(True))
        .order_by(User.name)
    )
    rows = [[name, n, capacity, rate(n, capacity)] for name, capacity, n in db.session.execute(query)]
    return Table(
        "caseloads",
        str(_l("Caseload per case manager (today)")),
        [str(_l("Case manager")), str(_l("Active cases")), str(_l("Capacity")), str(_l("Capacity used (%)"))],
        rows,
        counts=(1,),
        rates={3: (1, 1)},
    )


def waiting_list() -> Table:
    """Count the cases waiting for a case manager by priority, with the longest wait (today)."""
    query = (
        sa.select(Case.priority, sa.func.count(), sa.func.min(Case.opened_at))
        .where(Case.status == "waiting")
        .group_by(Case.priority)
    )
    found = {p: (n, oldest) for p, n, oldest in db.session.execute(query)}
    now = utcnow()
    rows = []
    for priority in PRIORITIES:
        n, oldest = found.get(priority, (0, None))
        days = (now - oldest.replace(tzinfo=dt.UTC)).days if oldest else None
        rows.append([labels("priority", priority), n, days])
    return Table(
        "waiting_list",
        str(_l("Waiting list (today)")),
        [str(_l("Priority")), str(_l("Waiting cases")), str(_l("Longest wait (days)"))],
        rows,
        counts=(1,),
        facts=[(str(_l("Waiting cases")), str(sum(r[1] for r in rows)))],
    )


def followups_on_time(period: Period) -> Table:
    """Count the 1- and 6-month follow-ups due in the period: done, done on time, unreachable, still open."""
    stats: dict[int, Counter] = defaultdict(Counter)
    for (offset, state, on_time, _hosp, _satisfaction), n in followup_counts(period).items():
        if state == "cancelled":
            continue
        s = stats[offset]
        s["due"] += n
        s[state] += n
        if on_time:
            s["on_time"] += n
    rows = []
    for offset, label in FOLLOWUP_OFFSETS:
        s = stats[offset]
        rows.append(
            [
                str(label),
                s["due"],
                s["done"],
                s["on_time"],
                rate(s["on_time"], s["due"]),
                s["unreachable"],
                rate(s["unreachable"], s["done"] + s["unreachable"]),
                s["open"],
            ]
        )
    columns = [
        str(_l("Follow-up")),
        pgettext("number of follow-ups", "Due"),
        pgettext("number of follow-ups", "Done"),
        str(_l("Done on time")),
        str(_l("On time (%)")),
        pgettext("number of follow-ups", "Unreachable"),
        str(_l("Unreachable (%)")),
        str(_l("Still open")),
    ]
    return Table(
        "followups",
        str(_l("Follow-ups due in the period")),
        columns,
        rows,
        counts=(1, 2, 3, 5, 7),
        rates={4: (3, 1), 6: (5, 2)},
        chart_value=4,
        note=str(
            _l(
                "On time: done no later than %(days)d days after the due date. "
                "Unreachable rate: among follow-ups closed done or unreachable.",
                days=ON_TIME_GRACE_DAYS,
            )
        ),
    )


def hospitalisations(period: Period) -> Table:
    """Count the unplanned hospitalisations reported at the follow-ups done for the period."""
    stats: dict[int, Counter] = defaultdict(Counter)
    for (offset, state, _on_time, hosp, _satisfaction), n in followup_counts(period).items():
        if state == "done" and hosp:
            stats[offset]["answered"] += n
            stats[offset]["yes"] += n if hosp == "yes" else 0
    rows = [
        [str(label), stats[o]["answered"], stats[o]["yes"], rate(stats[o]["yes"], stats[o]["answered"])]
        for o, label in FOLLOWUP_OFFSETS
    ]
    return Table(
        "hospitalisations",
        str(_l("Unplanned hospitalisations reported at follow-up")),
        [str(_l("Follow-up")), str(_l("Answered")), str(_l("Unplanned hospitalisation")), str(_l("Hospitalised (%)"))],
        rows,
        counts=(1, 2),
        rates={3: (2, 1)},
        chart_value=2,
    )


def satisfaction(period: Period) -> Table:
    """Count the satisfaction scores (1 to 5) given at the follow-up calls done for the period."""
    scores: dict[int, Counter] = defaultdict(Counter)
    for (offset, state, _on_time, _hosp, score), n in followup_counts(period).items():
        if state == "done" and score:
            scores[offset][score] += n
    rows = []
    for offset, label in FOLLOWUP_OFFSETS:
        given = scores[offset]
        answered = sum(given.values())
        mean = round(sum(k * v for k, v in given.items()) / answered, 1) if answered else None
        rows.append([str(label), answered, *(given[k] for k in SCORES), given[4] + given[5], mean])
    return Table(
        "satisfaction",
        str(_l("Satisfaction given at the follow-up calls")),
        [
            str(_l("Follow-up")),
            str(_l("Answered")),
            *(str(k) for k in SCORES),
            str(_l("Satisfied (4 or 5)")),
            str(_l("Mean score")),
        ],
        rows,
        counts=(1, 2, 3, 4, 5, 6, 7),
        rates={8: (1, 1)},  # the mean of a few answers would tell them: masked with the small count
        chart_value=7,
        note=str(_l("Scores from 1 (not at all satisfied) to 5 (very satisfied), asked at the follow-up call.")),
    )

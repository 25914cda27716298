"""Indicators of the calls: by week, caller type and topic, routes proposed vs final, time to handoff.

The calls are counted through the daily summaries of `daily.py` (closed days summarised once,
today counted live), so a long period reads a few rows per day. Weeks are local (Europe/Brussels).
The time to handoff reads the exact delays of `daily_delays.py` with their counts (exact median).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask_babel import lazy_gettext as _l

from helpline.formatting import labels
from models.vocabulary import CALLER_TYPES, ROUTES, TOPICS

from .daily import call_counts
from .daily_delays import exact_median, handoff_delays
from .period import Period
from .tables import Table, rate


def calls_by_week(period: Period) -> Table:
    """Count calls per local week (weeks starting on Monday)."""
    weeks: Counter = Counter()
    for day, count in call_counts(period).by_day.items():
        weeks[day - dt.timedelta(days=day.weekday())] += count
    return Table(
        "calls_by_week",
        str(_l("Calls by week")),
        [str(_l("Week of")), str(_l("Calls"))],
        [[monday, weeks[monday]] for monday in period.weeks()],  # a day: shown and exported per reader
        counts=(1,),
        chart="columns",
    )


def calls_by_caller_type(period: Period) -> Table:
    """Count calls per caller type."""
    found = call_counts(period).by_caller_type
    total = sum(found.values())
    rows = [[labels("caller_type", t), found.get(t, 0), rate(found.get(t, 0), total)] for t in CALLER_TYPES]
    return Table(
        "calls_by_caller_type",
        str(_l("Calls by caller type")),
        [str(_l("Caller")), str(_l("Calls")), str(_l("Share of calls (%)"))],
        rows,
        counts=(1,),
        rates={2: (1, 1)},
        facts=[(str(_l("Calls in the period")), str(total))],
    )


def calls_by_topic(period: Period) -> Table:
    """Count calls per topic of the request (a call may have several topics)."""
    found = call_counts(period).by_topic
    rows = sorted(([labels("topic", t), found.get(t, 0)] for t in TOPICS), key=lambda r: (-r[1], r[0]))
    return Table(
        "calls_by_topic",
        str(_l("Calls by topic")),
        [str(_l("Topic")), str(_l("Calls"))],
        rows,
        counts=(1,),
        note=str(_l("A call may carry several topics.")),
    )


def routes_proposed_vs_final(period: Period) -> Table:
    """Cross the route the triage proposed with the route the nurse chose (overrides off the diagonal)."""
    cells = call_counts(period).by_routes
    rows, overridden, total = [], 0, 0
    for p in (*ROUTES, ""):
        counts = [cells.get((p, f), 0) for f in ROUTES]
        if p == "" and not any(counts):
            continue
        changed = sum(n for f, n in zip(ROUTES, counts, strict=False) if f != p) if p else 0
        overridden, total = overridden + changed, total + sum(counts)
        rows.append([labels("route", p) if p else str(_l("No proposal")), sum(counts), *counts, changed])
    columns = [
        str(_l("Proposed route")),
        str(_l("Calls")),
        *(str(_l("Final: %(route)s", route=labels("route", f))) for f in ROUTES),
        str(_l("Overridden")),
    ]
    return Table(
        "routes",
        str(_l("Routes proposed and final")),
        columns,
        rows,
        counts=tuple(range(1, len(columns))),
        chart_value=len(columns) - 1,
        facts=[(str(_l("Overridden")), f"{overridden} / {total}")],
        note=str(_l("The chart shows, for each proposed route, the calls where the nurse chose another.")),
    )


DELAY_BUCKETS = (
    (1, _l("Under 1 hour")),
    (24, _l("1 to 24 hours")),
    (72, _l("1 to 3 days")),
    (168, _l("3 to 7 days")),
    (None, _l("Over 7 days")),
)


def time_to_handoff(period: Period) -> Table:
    """Bucket the time from each call to its first handoff to case management."""
    # Exact delays with their counts, from the daily summaries (today live): the buckets and the exact
    # median without reading every handoff of the period joined to its call.
    found = Counter()
    for us, n in handoff_delays(period).items():
        found[dt.timedelta(microseconds=us).total_seconds() / 3600] += n
    total = sum(found.values())
    counts = Counter()
    for h, n in found.items():
        counts[next(i for i, (limit, _) in enumerate(DELAY_BUCKETS) if limit is None or h < limit)] += n
    rows = [[str(label), counts[i], rate(counts[i], total)] for i, (_, label) in enumerate(DELAY_BUCKETS)]
    facts = [(str(_l("Calls handed off")), str(total))]
    if total:
        facts.append((str(_l("Median time (hours)")), f"{exact_median(found):.1f}"))
    return Table(
        "time_to_handoff",
        str(_l("Time from call to handoff")),
        [str(_l("Time")), str(_l("Calls")), str(_l("Share of handoffs (%)"))],
        rows,
        counts=(1,),
        rates={2: (1, 1)},
        facts=facts,
    )

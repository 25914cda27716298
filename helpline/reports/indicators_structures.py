"""The structures' scorecard: how each structure answered the referrals sent to it in the period."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from helpline.formatting import labels
from models import Structure, db
from models.vocabulary import STRUCTURE_DECLINE_REASONS

from .daily_delays import exact_median, structure_counts
from .period import Period
from .tables import Table


def structure_scorecard(period: Period) -> Table:
    """Per structure: referrals sent, answered, median days to answer, accepted, declined by reason, done."""
    # From the daily summaries of `daily_delays.py` (today live): the counts per structure and the exact
    # delays of the first answers with their counts (exact median), not the period's referrals one by one.
    counts, answers = structure_counts(period)
    names = dict(db.session.execute(sa.select(Structure.id, Structure.name)).all())
    stats: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    delays: dict[int, Counter] = defaultdict(Counter)
    for (structure_id, status, outcome, reason), n in counts.items():
        row = stats[structure_id]
        row["sent"] += n
        if status in ("accepted", "done"):
            row["accepted"] += n
        if status == "declined":
            row[f"declined:{reason if reason in STRUCTURE_DECLINE_REASONS else 'other'}"] += n
        if status == "done" and outcome == "successful":
            row["successful"] += n
    for (structure_id, us), n in answers.items():
        stats[structure_id]["answered"] += n
        delays[structure_id][dt.timedelta(microseconds=us).total_seconds() / 86400] += n
    columns = [
        str(_l("Structure")),
        str(_l("Sent")),
        str(_l("Answered")),
        str(_l("Median days to answer")),
        str(_l("Accepted")),
    ]
    columns += [
        str(_l("Declined: %(reason)s", reason=labels("referral_reason", reason)))
        for reason in STRUCTURE_DECLINE_REASONS
    ]
    columns.append(str(_l("Done: successful")))
    rows = []
    for structure_id in sorted(stats, key=lambda i: names.get(i, "")):
        row = stats[structure_id]
        median = round(exact_median(delays[structure_id]), 1) if delays[structure_id] else None
        rows.append(
            [
                names.get(structure_id, "?"),
                row["sent"],
                row["answered"],
                median,
                row["accepted"],
                *[row[f"declined:{reason}"] for reason in STRUCTURE_DECLINE_REASONS],
                row["successful"],
            ]
        )
    counts = (1, 2, 4, *range(5, 5 + len(STRUCTURE_DECLINE_REASONS)), 5 + len(STRUCTURE_DECLINE_REASONS))
    return Table(
        "structure_scorecard",
        str(_l("Structures' scorecard")),
        columns,
        rows,
        counts=counts,
        chart=None,
        note=str(
            _l(
                "Answered: the structure accepted, declined or closed the referral (through its link "
                "or to the nurse). Days to answer: from sending to that first answer."
            )
        ),
    )

"""The structures' scorecard: how each structure answered the referrals sent to it in the period."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from helpline.formatting import labels
from models import Referral, ReferralEvent, Structure, db
from models.vocabulary import STRUCTURE_DECLINE_REASONS

from .period import Period
from .tables import Table


def structure_scorecard(period: Period) -> Table:
    """Per structure: referrals sent, answered, median days to answer, accepted, declined by reason, done."""
    start, end = period.bounds()
    sent = sa.and_(Referral.sent_at >= start, Referral.sent_at < end)
    # The counts by one GROUP BY, the delays only for the answered referrals: no referral of the
    # period is brought into Python one by one.
    counts = db.session.execute(
        sa.select(Referral.structure_id, Referral.status, Referral.outcome, Referral.reason, sa.func.count())
        .where(sent)
        .group_by(Referral.structure_id, Referral.status, Referral.outcome, Referral.reason)
    ).all()
    first_answer = (
        sa.select(ReferralEvent.referral_id, sa.func.min(ReferralEvent.at).label("answered"))
        .join(Referral, Referral.id == ReferralEvent.referral_id)
        .where(sent, ReferralEvent.from_status == "sent")
        .group_by(ReferralEvent.referral_id)
        .subquery()
    )
    answers = db.session.execute(
        sa.select(Referral.structure_id, Referral.sent_at, first_answer.c.answered).join(
            first_answer, first_answer.c.referral_id == Referral.id
        )
    ).all()
    names = dict(db.session.execute(sa.select(Structure.id, Structure.name)).all())
    stats: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    delays: dict[int, list[float]] = defaultdict(list)
    for structure_id, status, outcome, reason, n in counts:
        row = stats[structure_id]
        row["sent"] += n
        if status in ("accepted", "done"):
            row["accepted"] += n
        if status == "declined":
            row[f"declined:{reason if reason in STRUCTURE_DECLINE_REASONS else 'other'}"] += n
        if status == "done" and outcome == "successful":
            row["successful"] += n
    for structure_id, sent_at, answered in answers:
        stats[structure_id]["answered"] += 1
        delays[structure_id].append((answered - sent_at).total_seconds() / 86400)
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
    import statistics  # imported by the first report, not at every start (it imports fractions)

    rows = []
    for structure_id in sorted(stats, key=lambda i: names.get(i, "")):
        row = stats[structure_id]
        median = round(statistics.median(delays[structure_id]), 1) if delays[structure_id] else None
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

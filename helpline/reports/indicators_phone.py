"""Indicator of the helpline's line: inbound calls answered, missed (why) and called back."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext

from models import Callback, PhoneCall, db

from .period import Period
from .tables import Table, rate

MISSED_LABELS = {
    "abandoned": _l("Hung up while waiting"),
    "after_hours": _l("Called after hours"),
    "voicemail": _l("Left a voicemail"),
}


def inbound_calls(period: Period) -> Table:
    """Count the inbound calls of the period: answered, missed by reason, and how missed callers were called back."""
    start, end = period.bounds()
    inbound = sa.and_(PhoneCall.direction == "inbound", PhoneCall.started_at >= start, PhoneCall.started_at < end)
    answered = (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(PhoneCall)
            .where(inbound, sa.or_(PhoneCall.answered_by_id.is_not(None), PhoneCall.nurse_call_sid.is_not(None)))
        )
        or 0
    )
    missed = dict(
        db.session.execute(
            sa.select(Callback.reason, sa.func.count())
            .select_from(PhoneCall)
            .join(Callback, Callback.id == PhoneCall.callback_id)
            .where(inbound)
            .group_by(Callback.reason)
        ).all()
    )
    closed = dict(
        db.session.execute(
            sa.select(Callback.status, sa.func.count())
            .where(Callback.first_missed_at >= start, Callback.first_missed_at < end)
            .group_by(Callback.status)
        ).all()
    )
    total = answered + sum(missed.values())
    rows = [[str(lazy_pgettext("inbound call", "Answered")), answered, rate(answered, total)]]
    rows += [
        [str(label), missed.get(reason, 0), rate(missed.get(reason, 0), total)]
        for reason, label in MISSED_LABELS.items()
    ]
    callers = sum(closed.values())
    facts = [
        (str(_l("Inbound calls")), str(total)),
        (str(_l("Missed callers called back")), str(closed.get("done", 0))),
        (str(_l("Unreachable after the attempts")), str(closed.get("unreachable", 0))),
        (str(_l("Still to call back")), str(closed.get("pending", 0))),
    ]
    return Table(
        "inbound_calls",
        str(_l("Inbound calls answered and missed")),
        [str(_l("Inbound call")), str(_l("Calls")), str(_l("Share of inbound calls (%)"))],
        rows,
        counts=(1,),
        rates={2: (1, 1)},
        facts=facts,
        note=str(
            ngettext(
                "A caller who tries again before being called back counts once: %(num)s caller to call back.",
                "A caller who tries again before being called back counts once among the %(num)s callers to call back.",
                callers,
            )
        ),
    )

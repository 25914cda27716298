"""Indicator of the helpline's line: inbound calls answered, missed (why) and called back."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext

from .daily_phone import phone_counts
from .period import Period
from .tables import Table, rate

MISSED_LABELS = {
    "abandoned": _l("Hung up while waiting"),
    "after_hours": _l("Called after hours"),
    "voicemail": _l("Left a voicemail"),
}


def inbound_calls(period: Period) -> Table:
    """Count the inbound calls of the period: answered, missed by reason, and how missed callers were called back."""
    counts = phone_counts(period)  # daily summaries, the latest days live (reports/daily_phone.py)
    answered = counts[("answered", "")]
    missed = {key: n for (kind, key), n in counts.items() if kind == "missed"}
    closed = {key: n for (kind, key), n in counts.items() if kind == "callback"}
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

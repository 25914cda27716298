"""The indicators shown on the dashboard, in order, by key (the key names their CSV download)."""

from __future__ import annotations

from collections.abc import Callable

from . import indicators, indicators_care, indicators_phone, indicators_structures
from .period import Period
from .tables import Table

INDICATORS: dict[str, Callable[[Period], Table]] = {
    "calls_by_week": indicators.calls_by_week,
    "calls_by_caller_type": indicators.calls_by_caller_type,
    "calls_by_topic": indicators.calls_by_topic,
    "inbound_calls": indicators_phone.inbound_calls,
    "routes": indicators.routes_proposed_vs_final,
    "time_to_handoff": indicators.time_to_handoff,
    "referrals_by_status": indicators_care.referrals_by_status,
    "referrals_by_category": indicators_care.referrals_by_category,
    "referral_reasons": indicators_care.unsuccessful_reasons,
    "structure_scorecard": indicators_structures.structure_scorecard,
    "caseloads": lambda period: indicators_care.caseloads(),
    "waiting_list": lambda period: indicators_care.waiting_list(),
    "followups": indicators_care.followups_on_time,
    "hospitalisations": indicators_care.hospitalisations,
    "satisfaction": indicators_care.satisfaction,
}


def compute(key: str, period: Period) -> Table:
    """Compute one indicator for a period."""
    return INDICATORS[key](period)


def compute_all(period: Period) -> list[Table]:
    """Compute every indicator for a period."""
    return [fn(period) for fn in INDICATORS.values()]

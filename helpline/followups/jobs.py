"""Work that runs without a user, as idempotent jobs: in-process (`helpline jobs run-due`) or on RQ.

Each job may run any number of times, even concurrently: conditional updates and notification keys
make sure nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Optional

from flask import has_app_context

from ..directory.confirm import ask_to_confirm
from ..formatting import local_now
from ..mail.outbox import send_due
from ..referrals.reminders import remind_structures
from .claims import release_stale_claims
from .escalation import escalate_unreachable
from .reminders import send_reminders

JOBS: dict[str, Callable[..., int]] = {
    "release_stale_claims": lambda today, gateway=None: release_stale_claims(),
    "escalate_unreachable": lambda today, gateway=None: escalate_unreachable(),
    "send_reminders": lambda today, gateway=None: send_reminders(today, gateway),
    "remind_structures": lambda today, gateway=None: remind_structures(),  # unanswered referrals
    "ask_structures_to_confirm": lambda today, gateway=None: ask_to_confirm(today),  # stale directory details
    "send_mail": lambda today, gateway=None: send_due(),  # the outbox (helpline.mail.outbox)
}


def run_due(today: Optional[dt.date] = None, gateway=None) -> dict[str, int]:
    """Run every follow-up job once, in this process, and return what each did."""
    today = today or local_now().date()
    return {name: job(today, gateway) for name, job in JOBS.items()}


def run_job(name: str, today: Optional[str] = None) -> int:
    """Run one job by name (the RQ entry point); makes an app context when the worker has none."""
    if name not in JOBS:
        raise ValueError(f"unknown follow-up job: {name}")
    if has_app_context():
        return JOBS[name](dt.date.fromisoformat(today) if today else local_now().date())
    from .. import create_app

    with create_app().app_context():
        return run_job(name, today)

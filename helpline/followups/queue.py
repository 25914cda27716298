"""The follow-up jobs on RQ (Redis), for production: enqueue them, and work them off."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from flask import current_app
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import Job

from .jobs import JOBS


def redis_connection(url: Optional[str] = None) -> Redis:
    """Connect to the Redis named by REDIS_URL."""
    url = url or current_app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set: run `helpline jobs run-due` instead")
    return Redis.from_url(url)


def followup_queue(connection: Redis, name: Optional[str] = None) -> Queue:
    """Return the queue the follow-up jobs go to."""
    return Queue(name or current_app.config["FOLLOWUP_QUEUE"], connection=connection)


def enqueue_due(queue: Queue, today: dt.date) -> list[Job]:
    """Put every follow-up job on the queue (they are idempotent, so enqueuing twice is harmless)."""
    return [
        queue.enqueue(
            "helpline.followups.jobs.run_job",
            name,
            today.isoformat(),
            description=f"follow-ups: {name} ({today.isoformat()})",
            result_ttl=86400,
            failure_ttl=7 * 86400,
        )
        for name in JOBS
    ]


def work(queue: Queue, burst: bool = False) -> bool:
    """Work the queue in this process, inside the current app context."""
    # SimpleWorker runs jobs here instead of in forks, so they share this app and its pool.
    worker = SimpleWorker([queue], connection=queue.connection)
    return worker.work(burst=burst)

"""The `helpline jobs` commands: run the follow-up jobs here, or through RQ."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import click
from flask.cli import AppGroup

from ..formatting import local_now

jobs_cli = AppGroup("jobs", help="Follow-up jobs: reminders, escalations, stale claims.")


def _day(value: Optional[dt.datetime]) -> dt.date:
    return value.date() if value else local_now().date()


@jobs_cli.command("run-due")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="Run as if today were this day.")
def run_due_command(day: Optional[dt.datetime]) -> None:
    """Run every follow-up job once in this process (embedded set-up; safe to repeat)."""
    from .jobs import run_due

    for name, count in run_due(_day(day)).items():
        click.echo(f"{name}: {count}")


@jobs_cli.command("enqueue-due")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="Run as if today were this day.")
@click.option("--queue", "queue_name", help="Queue name (default: FOLLOWUP_QUEUE).")
def enqueue_due_command(day: Optional[dt.datetime], queue_name: Optional[str]) -> None:
    """Put every follow-up job on the RQ queue (REDIS_URL); run it from cron."""
    from .queue import enqueue_due, followup_queue, redis_connection

    try:
        connection = redis_connection()
    except RuntimeError as exc:
        raise click.UsageError(str(exc)) from None
    with connection:
        for job in enqueue_due(followup_queue(connection, queue_name), _day(day)):
            click.echo(f"enqueued {job.id}: {job.description}")


@jobs_cli.command("worker")
@click.option("--queue", "queue_name", help="Queue name (default: FOLLOWUP_QUEUE).")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(queue_name: Optional[str], burst: bool) -> None:
    """Work the follow-up jobs off the RQ queue (REDIS_URL)."""
    from .queue import followup_queue, redis_connection, work

    try:
        connection = redis_connection()
    except RuntimeError as exc:
        raise click.UsageError(str(exc)) from None
    with connection:
        work(followup_queue(connection, queue_name), burst=burst)

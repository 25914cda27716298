"""The outbox: queue a message in the caller's transaction; a job sends what is due.

A message is sent at most once. A worker claims a row with one conditional UPDATE (`… WHERE status =
'waiting' AND next_attempt_at <= now`) and commits the claim before it speaks to the server, so two
workers never hold the same row. A server that is down or answers 4xx puts the message back to wait,
each time twice as long (MAIL_RETRY_MINUTES, doubled); after MAIL_MAX_ATTEMPTS, or at once on a
permanent refusal (5xx), it is failed and stays visible. A claim left behind by a worker that died
while sending is failed too, never sent again: nobody can know whether the server got it.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from typing import Optional

import sqlalchemy as sa
from flask import current_app

from models import OutboxMessage, utcnow

from ..extensions import db
from . import is_console
from .transport import deliver

log = logging.getLogger(__name__)
BATCH = 100
STALE_SENDING_MINUTES = 30


def queue_message(
    key: str,
    to: str,
    subject: str,
    body: str,
    *,
    kind: str,
    object_type: Optional[str] = None,
    object_id: Optional[int] = None,
    not_before: Optional[dt.datetime] = None,
) -> OutboxMessage:
    """Put a message in the outbox, in the current transaction (the caller commits).

    `key` names the message once and for all ("referral:12:sent"): queueing the same key again returns
    the message already there, so a job that runs twice queues nothing twice.
    """
    existing = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.key == key))
    if existing is not None:
        return existing
    message = OutboxMessage(
        key=key,
        kind=kind,
        to_address=to.strip(),
        subject=subject,
        body=body,
        status="waiting",
        attempts=0,
        next_attempt_at=not_before or utcnow(),
        object_type=object_type,
        object_id=object_id,
    )
    db.session.add(message)
    db.session.flush()
    return message


def _claim(message_id: int, now: dt.datetime) -> bool:
    """Take a waiting, due message for this worker and commit; False when another worker has it."""
    taken = db.session.scalar(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "waiting", OutboxMessage.next_attempt_at <= now)
        .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return taken is not None


def _finish(message_id: int, **values) -> None:
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "sending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _is_permanent(error: Exception) -> bool:
    """Tell whether the server refused for good (5xx) rather than for now (4xx, unreachable)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def retry_delay(attempts: int) -> dt.timedelta:
    """Return how long a message waits after its n-th failed attempt."""
    minutes = int(current_app.config["MAIL_RETRY_MINUTES"])
    return dt.timedelta(minutes=minutes * 2 ** max(attempts - 1, 0))


def fail_interrupted(now: dt.datetime) -> int:
    """Fail the messages a worker claimed and never finished (it may or may not have sent them)."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.status == "sending",
            OutboxMessage.claimed_at < now - dt.timedelta(minutes=STALE_SENDING_MINUTES),
        )
        .values(status="failed", last_error="interrupted while sending: check before sending again")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def send_due(now: Optional[dt.datetime] = None) -> int:
    """Send every due message once (console mode: none), commit each, and count those sent."""
    if is_console(current_app.config):
        return 0
    now = now or utcnow()
    fail_interrupted(now)
    max_attempts = int(current_app.config["MAIL_MAX_ATTEMPTS"])
    due = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.status == "waiting", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(BATCH)
    ).all()
    db.session.rollback()  # end the read: each claim is its own short transaction
    sent = 0
    for message_id in due:
        if not _claim(message_id, now):
            continue
        message = db.session.get(OutboxMessage, message_id)
        try:
            deliver(message)
        except (smtplib.SMTPException, OSError) as error:
            detail = f"{type(error).__name__}: {error}"[:300]
            log.warning("mail %s not sent (attempt %s): %s", message.key, message.attempts, detail)
            if _is_permanent(error) or message.attempts >= max_attempts:
                _finish(message_id, status="failed", last_error=detail)
            else:
                _finish(
                    message_id, status="waiting", last_error=detail, next_attempt_at=now + retry_delay(message.attempts)
                )
        else:
            _finish(message_id, status="sent", sent_at=utcnow(), last_error=None)
            sent += 1
    return sent

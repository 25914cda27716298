"""The outbox: queued in the caller's transaction, sent once by the job, retried, failed, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from smtp_support import SMTPServer, body_of, free_port

from helpline.mail.outbox import queue_message, retry_delay, send_due
from models import OutboxMessage, db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _queue(key="test:1", to="centre@demo.invalid"):
    message = queue_message(
        key, to, "Une orientation", "Bonjour,\nhttps://helpline.invalid/answer/x", kind="test", not_before=NOW
    )
    db.session.commit()
    return message


def _row(key="test:1") -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.key == key))


def test_waiting_message_is_sent_once_to_a_real_server(app, smtp):
    _queue()
    assert send_due(NOW) == 1
    assert send_due(NOW + dt.timedelta(hours=1)) == 0
    assert len(smtp.messages) == 1
    received = smtp.messages[0]
    assert received["X-Envelope-To"] == "centre@demo.invalid"
    assert received["Subject"] == "Une orientation"
    assert "https://helpline.invalid/answer/x" in body_of(received)
    row = _row()
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)


def test_queueing_a_key_twice_keeps_one_message(app, smtp):
    first = _queue()
    again = _queue()
    assert first.id == again.id
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_message_rolled_back_with_its_transaction_is_never_sent(app, smtp):
    queue_message("test:gone", "centre@demo.invalid", "x", "y", kind="test")
    db.session.rollback()
    assert send_due(NOW) == 0
    assert smtp.messages == []


def test_server_down_keeps_the_message_and_retries_with_back_off(app):
    app.config["MAIL_PORT"] = free_port()  # nobody listens there
    from helpline.extensions import mail

    mail.init_app(app)
    _queue()
    assert send_due(NOW) == 0
    row = _row()
    assert (row.status, row.attempts) == ("waiting", 1)
    assert row.next_attempt_at == NOW + retry_delay(1)
    assert "Connection" in row.last_error or "refused" in row.last_error.lower()
    assert send_due(NOW + dt.timedelta(minutes=1)) == 0  # not due yet: no attempt
    assert _row().attempts == 1
    first_retry = row.next_attempt_at
    assert send_due(first_retry) == 0
    second = _row()
    assert second.attempts == 2 and second.next_attempt_at == first_retry + retry_delay(2)
    assert retry_delay(2) == 2 * retry_delay(1)


def test_message_that_never_goes_is_failed_after_the_last_attempt(app):
    app.config.update(MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=2)
    from helpline.extensions import mail

    mail.init_app(app)
    _queue()
    send_due(NOW)
    send_due(NOW + dt.timedelta(days=1))
    row = _row()
    assert (row.status, row.attempts) == ("failed", 2)
    assert send_due(NOW + dt.timedelta(days=2)) == 0
    assert _row().attempts == 2


def test_server_that_comes_back_gets_the_message_once(app):
    port = free_port()
    app.config["MAIL_PORT"] = port
    from helpline.extensions import mail

    mail.init_app(app)
    _queue()
    assert send_due(NOW) == 0
    server = SMTPServer()
    server.port = port
    server.controller.port = port
    with server:
        assert send_due(NOW + dt.timedelta(hours=1)) == 1
        assert send_due(NOW + dt.timedelta(hours=2)) == 0
    assert len(server.messages) == 1
    assert _row().status == "sent"


def test_permanent_refusal_fails_at_once(app):
    with SMTPServer(refuse="550 5.1.1 No such mailbox") as refusing:
        app.config["MAIL_PORT"] = refusing.port
        from helpline.extensions import mail

        mail.init_app(app)
        _queue()
        assert send_due(NOW) == 0
        assert send_due(NOW + dt.timedelta(days=1)) == 0
    row = _row()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550" in row.last_error
    assert refusing.messages == []


def test_a_message_claimed_by_another_worker_is_not_sent_again(app, smtp):
    _queue()
    message = _row()
    # Another worker's claim: the conditional UPDATE finds nothing waiting.
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(status="sending", claimed_at=NOW, attempts=1)
    )
    db.session.commit()
    assert send_due(NOW) == 0
    assert smtp.messages == []


def test_a_claim_left_by_a_dead_worker_is_failed_not_resent(app, smtp):
    _queue()
    db.session.execute(sa.update(OutboxMessage).values(status="sending", claimed_at=NOW, attempts=1))
    db.session.commit()
    assert send_due(NOW + dt.timedelta(hours=2)) == 0
    assert _row().status == "failed"
    assert smtp.messages == []


@pytest.mark.parametrize("app_config", [{}])
def test_console_mode_keeps_messages_and_shows_them(app, client, login_as):
    _queue()
    assert send_due(NOW) == 0
    assert _row().status == "waiting"
    login_as("coordinator")
    page = client.get("/mail/console")
    assert page.status_code == 200
    assert "centre@demo.invalid" in page.text and "https://helpline.invalid/answer/x" in page.text


def test_console_page_is_hidden_when_a_server_is_configured(app, client, login_as):
    login_as("coordinator")
    assert client.get("/mail/console").status_code == 404


def test_jobs_run_due_sends_the_outbox(app, runner, smtp):
    _queue()
    result = runner.invoke(args=["jobs", "run-due"])
    assert "send_mail: 1" in result.output, result.output
    assert len(smtp.messages) == 1

"""The one place that speaks SMTP (through Flask-Mailman)."""

from __future__ import annotations

from email.utils import make_msgid

from flask import current_app
from flask_mailman import EmailMessage

from models import OutboxMessage

from ..extensions import mail


def deliver(message: OutboxMessage) -> None:
    """Send one outbox message now; raise what the server or the network raised."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = sender.rpartition("@")[2] or "localhost"
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=sender,
        to=[message.to_address],
        # One Message-ID per outbox row: a receiving side can tell a copy from a new one.
        headers={"Message-ID": make_msgid(idstring=f"outbox-{message.id}", domain=domain)},
    )
    # The context closes the connection even when the server refuses (send() alone would leak it).
    with mail.get_connection(fail_silently=False) as connection:
        connection.send_messages([email])

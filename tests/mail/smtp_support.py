"""A real SMTP server on loopback (aiosmtpd) for the mail tests: one that accepts, one that refuses."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    """Return a loopback port nobody listens on (the socket is closed at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """Keep every message received; refuse every recipient when `refuse` is set (a 5xx)."""

    def __init__(self, refuse: str = ""):
        self.refuse = refuse
        self.messages: list[Message] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


class SMTPServer:
    """An aiosmtpd server on 127.0.0.1, started and stopped by a fixture."""

    def __init__(self, refuse: str = ""):
        self.handler = Recorder(refuse)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def config(self) -> dict:
        """Return the app settings that point the app's mail at this server."""
        return {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": False,
            "MAIL_DEFAULT_SENDER": "helpline@helpline.invalid",
            "MAIL_TIMEOUT": 5,
        }

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def body_of(message: Message) -> str:
    """Return the text of a received message."""
    if message.is_multipart():
        message = message.get_payload(0)
    return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


def subject_of(message: Message) -> str:
    """Return the decoded subject of a received message."""
    return str(make_header(decode_header(message["Subject"])))

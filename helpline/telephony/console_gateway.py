"""Record telephony actions locally instead of sending them to Twilio (console mode)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from .gateway_base import (
    CallResult,
    MessageResult,
    ParticipantResult,
    _conference_id,
    _mask,
    _participant_changes,
    _redirect_target,
    _require,
)

logger = logging.getLogger("helpline.telephony.gateway")


@dataclass(frozen=True)
class ConsoleAction:
    """One telephony action the console gateway would have performed."""

    kind: str
    sid: str
    params: dict[str, Any] = field(default_factory=dict)


def _local_sid(prefix: str) -> str:
    """Return a Twilio-shaped SID generated locally."""
    return prefix + uuid.uuid4().hex


class ConsoleGateway:
    """Record telephony actions in memory and in the log; send nothing."""

    is_console = True
    STATUS = "console"

    def __init__(self, phone_number: str | None = None):
        self.phone_number = phone_number
        self.actions: list[ConsoleAction] = []

    def _record(self, kind: str, sid: str, **params: Any) -> str:
        """Store one action, log it without its content, and return ``sid``."""
        self.actions.append(ConsoleAction(kind=kind, sid=sid, params=params))
        logger.info("telephony console mode, nothing sent: %s sid=%s to=%s", kind, sid, _mask(params.get("to")))
        return sid

    def create_call(
        self, *, to: str, url: str, status_callback: str | None = None, timeout: int = 30, from_: str | None = None
    ) -> CallResult:
        """Record an outbound call."""
        sid = self._record(
            "create_call",
            _local_sid("CA"),
            to=_require(to, "to"),
            from_=from_ or self.phone_number,
            url=_require(url, "url"),
            status_callback=status_callback,
            timeout=timeout,
        )
        return CallResult(sid=sid, status=self.STATUS)

    def redirect_call(self, call_sid: str, *, twiml: str | None = None, url: str | None = None) -> CallResult:
        """Record a call redirection."""
        target = _redirect_target(twiml, url)
        sid = self._record("redirect_call", _require(call_sid, "call_sid"), **target)
        return CallResult(sid=sid, status=self.STATUS)

    def add_participant(
        self,
        conference: str,
        *,
        to: str,
        from_: str | None = None,
        status_callback: str | None = None,
        timeout: int = 30,
        end_conference_on_exit: bool = True,
        label: str | None = None,
    ) -> ParticipantResult:
        """Record a participant dialled into a conference."""
        conference = _conference_id(conference, "conference")
        sid = self._record(
            "add_participant",
            _local_sid("CA"),
            conference=conference,
            to=_require(to, "to"),
            from_=from_ or self.phone_number,
            status_callback=status_callback,
            timeout=timeout,
            end_conference_on_exit=end_conference_on_exit,
            label=label,
        )
        conference_sid = conference if conference.startswith("CF") else _local_sid("CF")
        return ParticipantResult(call_sid=sid, conference_sid=conference_sid, status=self.STATUS)

    def update_participant(
        self,
        conference_sid: str,
        call_sid: str,
        *,
        announce_url: str | None = None,
        end_conference_on_exit: bool | None = None,
    ) -> ParticipantResult:
        """Record a participant update."""
        changes = _participant_changes(announce_url, end_conference_on_exit)
        conference_sid = _conference_id(conference_sid, "conference_sid")
        sid = self._record(
            "update_participant", _require(call_sid, "call_sid"), conference_sid=conference_sid, **changes
        )
        return ParticipantResult(call_sid=sid, conference_sid=conference_sid, status=self.STATUS)

    def send_sms(
        self, *, to: str, body: str, status_callback: str | None = None, from_: str | None = None
    ) -> MessageResult:
        """Record an SMS."""
        sid = self._record(
            "send_sms",
            _local_sid("SM"),
            to=_require(to, "to"),
            from_=from_ or self.phone_number,
            body=_require(body, "body"),
            status_callback=status_callback,
        )
        return MessageResult(sid=sid, status=self.STATUS)

    def close(self) -> None:
        """Do nothing: the console gateway holds no connection."""

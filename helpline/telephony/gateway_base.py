"""What the Twilio and the console gateway share: errors, results and argument checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# The REST client puts conference names into the URL path unescaped.
_CONFERENCE_ID = re.compile(r"[A-Za-z0-9_.-]{1,128}")


class TelephonyError(Exception):
    """Raised when Twilio refuses or cannot perform a telephony action."""

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code


class TelephonyConfigError(TelephonyError):
    """Raised when the Twilio settings are incomplete or unsafe."""


@dataclass(frozen=True)
class CallResult:
    """Outcome of a call creation or update."""

    sid: str
    status: str


@dataclass(frozen=True)
class MessageResult:
    """Outcome of an SMS submission."""

    sid: str
    status: str


@dataclass(frozen=True)
class ParticipantResult:
    """Outcome of adding or updating a conference participant."""

    call_sid: str
    conference_sid: str
    status: str


def _require(value: str | None, name: str) -> str:
    """Return ``value`` or raise ``ValueError`` when it is empty."""
    if value is None or not str(value).strip():
        raise ValueError(f"{name} must be a non-empty string")
    return str(value).strip()


def _mask(number: Any) -> str:
    """Return ``number`` with all but its last three characters hidden."""
    text = str(number or "")
    return "*" * max(len(text) - 3, 0) + text[-3:] if text else "-"


def _conference_id(value: str | None, name: str) -> str:
    """Return a conference SID or friendly name that is safe in a URL path."""
    value = _require(value, name)
    if not _CONFERENCE_ID.fullmatch(value):
        raise ValueError(f"{name} may only contain letters, digits, '.', '_' and '-'")
    return value


def _redirect_target(twiml: str | None, url: str | None) -> dict[str, str]:
    """Return the update arguments for exactly one of ``twiml`` or ``url``."""
    if bool(twiml) == bool(url):
        raise ValueError("pass exactly one of twiml or url")
    return {"twiml": twiml} if twiml else {"url": url, "method": "POST"}


def _participant_changes(announce_url: str | None, end_conference_on_exit: bool | None) -> dict[str, Any]:
    """Return the participant update arguments, refusing an empty update."""
    if not announce_url and end_conference_on_exit is None:
        raise ValueError("nothing to update: pass announce_url and/or end_conference_on_exit")
    changes: dict[str, Any] = {}
    if announce_url:
        changes.update(announce_url=announce_url, announce_method="POST")
    if end_conference_on_exit is not None:
        changes["end_conference_on_exit"] = end_conference_on_exit
    return changes

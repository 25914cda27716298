"""Wrap the Twilio REST client behind one small gateway (real or console)."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from .console_gateway import ConsoleAction, ConsoleGateway
from .gateway_base import (
    CallResult,
    MessageResult,
    ParticipantResult,
    TelephonyConfigError,
    TelephonyError,
    _conference_id,
    _mask,
    _participant_changes,
    _redirect_target,
    _require,
)

__all__ = [
    "CallResult",
    "ConsoleAction",
    "ConsoleGateway",
    "Gateway",
    "MessageResult",
    "ParticipantResult",
    "TelephonyConfigError",
    "TelephonyError",
    "TwilioGateway",
    "gateway_from_config",
]

logger = logging.getLogger(__name__)

CALL_STATUS_EVENTS = ("initiated", "ringing", "answered", "completed")
_LOOPBACK_NAMES = {"localhost"}


def _check_base_url(base_url: str) -> str:
    """Return ``base_url`` without trailing slash; refuse plain HTTP off loopback."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TelephonyConfigError(f"TWILIO_API_BASE_URL is not an http(s) URL: {base_url!r}")
    if parts.scheme == "http":
        host = parts.hostname
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host in _LOOPBACK_NAMES
        if not loopback:
            raise TelephonyConfigError("TWILIO_API_BASE_URL may use plain http only on a loopback address")
    return base_url.rstrip("/")


@contextmanager
def _twilio_errors(action: str) -> Iterator[None]:
    """Translate Twilio and transport errors raised inside the block into ``TelephonyError``."""
    import requests
    from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException

    try:
        yield
    except TwilioRestException as exc:
        raise TelephonyError(
            f"Twilio refused to {action} (HTTP {exc.status}, error {exc.code}): {exc.msg}",
            status=exc.status,
            code=exc.code,
        ) from exc
    except TwilioServiceException as exc:
        detail = f"{exc.title}: {exc.detail}" if exc.detail else exc.title
        raise TelephonyError(
            f"Twilio refused to {action} (HTTP {exc.status}, error {exc.code}): {detail}",
            status=exc.status,
            code=exc.code,
        ) from exc
    except TwilioException as exc:
        raise TelephonyError(f"Twilio client error while trying to {action}: {exc}") from exc
    except requests.RequestException as exc:
        raise TelephonyError(f"Twilio unreachable while trying to {action}: {exc}") from exc


class TwilioGateway:
    """Send telephony actions to Twilio through the official REST client."""

    is_console = False

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        phone_number: str,
        *,
        api_base_url: str | None = None,
        http_timeout: float = 10.0,
    ):
        # The REST client (and requests under it) is imported when a Twilio gateway is made, not by
        # every process that starts the app: console mode and the webhooks never need it.
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        self.phone_number = _require(phone_number, "phone_number")
        sid, token = _require(account_sid, "account_sid"), _require(auth_token, "auth_token")
        self._http = TwilioHttpClient(timeout=http_timeout)
        # An explicit environment keeps os.environ (TWILIO_EDGE, TWILIO_REGION...)
        # from rewriting the API host behind the application's back.
        self._client = Client(
            sid, token, http_client=self._http, environment={"TWILIO_ACCOUNT_SID": sid, "TWILIO_AUTH_TOKEN": token}
        )
        if api_base_url:
            # Calls, Messages and Conferences all live on the "api" domain, whose
            # request URLs are built from Domain.base_url at request time.
            self._client.api.base_url = _check_base_url(api_base_url)

    @property
    def api_base_url(self) -> str:
        """Return the base URL that Voice and Messaging requests are sent to."""
        return self._client.api.base_url

    def create_call(
        self, *, to: str, url: str, status_callback: str | None = None, timeout: int = 30, from_: str | None = None
    ) -> CallResult:
        """Place an outbound call whose TwiML is fetched from ``url`` once answered."""
        with _twilio_errors(f"create a call to {_mask(to)}"):
            call = self._client.calls.create(
                to=_require(to, "to"),
                from_=from_ or self.phone_number,
                url=_require(url, "url"),
                method="POST",
                timeout=timeout,
                **_status_callback_args(status_callback),
            )
        return CallResult(sid=call.sid, status=call.status)

    def redirect_call(self, call_sid: str, *, twiml: str | None = None, url: str | None = None) -> CallResult:
        """Replace the live call's TwiML with ``twiml`` or with the document at ``url``."""
        target = _redirect_target(twiml, url)
        with _twilio_errors(f"redirect call {call_sid}"):
            call = self._client.calls(_require(call_sid, "call_sid")).update(**target)
        return CallResult(sid=call.sid, status=call.status)

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
        """Dial ``to`` into the conference (SID or friendly name; created when absent)."""
        conference = _conference_id(conference, "conference")
        participants = self._client.conferences(conference).participants
        with _twilio_errors(f"add {_mask(to)} to conference {conference}"):
            participant = participants.create(
                from_=from_ or self.phone_number,
                to=_require(to, "to"),
                timeout=timeout,
                start_conference_on_enter=True,
                end_conference_on_exit=end_conference_on_exit,
                beep="false",
                label=label,
                **_status_callback_args(status_callback),
            )
        return _participant_result(participant)

    def update_participant(
        self,
        conference_sid: str,
        call_sid: str,
        *,
        announce_url: str | None = None,
        end_conference_on_exit: bool | None = None,
    ) -> ParticipantResult:
        """Play an announcement to one participant and/or change its end-on-exit flag."""
        changes = _participant_changes(announce_url, end_conference_on_exit)
        context = self._participant(conference_sid, call_sid)
        with _twilio_errors(f"update participant {call_sid} of conference {conference_sid}"):
            participant = context.update(**changes)
        return _participant_result(participant)

    def send_sms(
        self, *, to: str, body: str, status_callback: str | None = None, from_: str | None = None
    ) -> MessageResult:
        """Send an SMS, from the helpline number unless ``from_`` is given."""
        with _twilio_errors(f"send an SMS to {_mask(to)}"):
            message = self._client.messages.create(
                to=_require(to, "to"),
                from_=from_ or self.phone_number,
                body=_require(body, "body"),
                status_callback=status_callback,
            )
        return MessageResult(sid=message.sid, status=message.status)

    def close(self) -> None:
        """Release the pooled HTTP connections."""
        if self._http.session is not None:
            self._http.session.close()

    def _participant(self, conference_sid: str, call_sid: str) -> Any:
        """Return the REST context of one conference participant."""
        conference = self._client.conferences(_conference_id(conference_sid, "conference_sid"))
        return conference.participants(_require(call_sid, "call_sid"))


def _status_callback_args(status_callback: str | None) -> dict[str, Any]:
    """Return the call status-callback arguments, empty when there is no callback."""
    if not status_callback:
        return {}
    return {
        "status_callback": status_callback,
        "status_callback_method": "POST",
        "status_callback_event": list(CALL_STATUS_EVENTS),
    }


def _participant_result(participant: Any) -> ParticipantResult:
    """Convert a Twilio participant instance into a ``ParticipantResult``."""
    return ParticipantResult(
        call_sid=participant.call_sid, conference_sid=participant.conference_sid, status=participant.status
    )


Gateway = TwilioGateway | ConsoleGateway


def gateway_from_config(config: Mapping[str, Any]) -> Gateway:
    """Build the Twilio gateway from settings, or the console gateway without credentials."""
    sid = str(config.get("TWILIO_ACCOUNT_SID") or "").strip()
    token = str(config.get("TWILIO_AUTH_TOKEN") or "").strip()
    number = str(config.get("TWILIO_PHONE_NUMBER") or "").strip() or None
    if not sid and not token:
        logger.warning("Twilio credentials absent: telephony runs in console mode")
        return ConsoleGateway(phone_number=number)
    if not sid or not token:
        raise TelephonyConfigError("set both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or neither for console mode")
    if not number:
        raise TelephonyConfigError("TWILIO_PHONE_NUMBER is required with Twilio credentials")
    base_url = str(config.get("TWILIO_API_BASE_URL") or "").strip() or None
    return TwilioGateway(sid, token, number, api_base_url=base_url)

"""Serve a loopback imitation of the Twilio REST API that records every request."""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_ACCOUNT = r"/2010-04-01/Accounts/(?P<account>AC\w+)"
_ROUTES = [
    ("POST", re.compile(_ACCOUNT + r"/Calls\.json$"), "create_call"),
    ("POST", re.compile(_ACCOUNT + r"/Calls/(?P<call>CA\w+)\.json$"), "update_call"),
    ("POST", re.compile(_ACCOUNT + r"/Messages\.json$"), "create_message"),
    ("POST", re.compile(_ACCOUNT + r"/Conferences/(?P<conf>[^/]+)/Participants\.json$"), "create_participant"),
    (
        "POST",
        re.compile(
            _ACCOUNT + r"/Conferences/(?P<conf>[^/]+)/Participants/(?P<call>CA\w+)"
            r"\.json$"
        ),
        "update_participant",
    ),
    (
        "DELETE",
        re.compile(
            _ACCOUNT + r"/Conferences/(?P<conf>[^/]+)/Participants/(?P<call>CA\w+)"
            r"\.json$"
        ),
        "delete_participant",
    ),
]


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request received by the fake server."""

    method: str
    path: str
    form: dict[str, list[str]]
    auth: tuple[str, str] | None
    headers: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        """Return the single form value ``name`` (KeyError when absent)."""
        (only,) = self.form[name]
        return only


def _sid(prefix: str) -> str:
    """Return a fresh Twilio-shaped SID."""
    return prefix + uuid.uuid4().hex


def _call_json(account: str, sid: str, form: dict[str, list[str]], status: str) -> dict:
    """Return a plausible Call resource."""
    return {
        "sid": sid,
        "account_sid": account,
        "status": status,
        "to": form.get("To", [None])[0],
        "from": form.get("From", [None])[0],
        "direction": "outbound-api",
        "api_version": "2010-04-01",
        "uri": f"/2010-04-01/Accounts/{account}/Calls/{sid}.json",
    }


def _participant_json(account: str, conf: str, call_sid: str, status: str) -> dict:
    """Return a plausible conference Participant resource."""
    conference_sid = conf if conf.startswith("CF") else "CF" + "0" * 32
    return {
        "account_sid": account,
        "call_sid": call_sid,
        "conference_sid": conference_sid,
        "status": status,
        "muted": False,
        "hold": False,
        "uri": f"/2010-04-01/Accounts/{account}/Conferences/{conference_sid}/Participants/{call_sid}.json",
    }


class FakeTwilioServer:
    """Run the fake API on 127.0.0.1 (ephemeral port) in a background thread."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._errors: deque[tuple[int, dict]] = deque()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base_url(self) -> str:
        """Return the URL to use as ``TWILIO_API_BASE_URL``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, status: int, code: int, message: str) -> None:
        """Answer the next request with a Twilio error document."""
        body = {
            "code": code,
            "message": message,
            "status": status,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
        }
        with self._lock:
            self._errors.append((status, body))

    def __enter__(self) -> FakeTwilioServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _respond(self, method: str, path: str, form: dict[str, list[str]]) -> tuple[int, dict | None]:
        """Return the status and JSON body answering one request."""
        with self._lock:
            if self._errors:
                return self._errors.popleft()
        for route_method, pattern, kind in _ROUTES:  # noqa: B007 - kind is read after the break
            match = pattern.match(path)
            if route_method == method and match:
                groups = match.groupdict()
                break
        else:
            return 404, {
                "code": 20404,
                "status": 404,
                "message": f"The requested resource {path} was not found",
                "more_info": "https://www.twilio.com/docs/errors/20404",
            }
        account = groups["account"]
        if kind == "create_call":
            return 201, _call_json(account, _sid("CA"), form, "queued")
        if kind == "update_call":
            status = form.get("Status", ["in-progress"])[0]
            return 200, _call_json(account, groups["call"], form, status)
        if kind == "create_message":
            sid = _sid("SM")
            return 201, {
                "sid": sid,
                "account_sid": account,
                "status": "queued",
                "to": form["To"][0],
                "from": form["From"][0],
                "body": form["Body"][0],
                "direction": "outbound-api",
                "num_segments": "1",
                "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
            }
        if kind == "create_participant":
            return 201, _participant_json(account, groups["conf"], _sid("CA"), "queued")
        if kind == "update_participant":
            return 200, _participant_json(account, groups["conf"], groups["call"], "connected")
        return 204, None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        """Return a request handler class bound to this server."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                form = parse_qs(raw, keep_blank_values=True)
                auth = None
                header = self.headers.get("Authorization", "")
                if header.startswith("Basic "):
                    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
                    auth = (user, password)
                path = urlsplit(self.path).path
                with server._lock:
                    server.requests.append(
                        RecordedRequest(
                            method=self.command, path=path, form=form, auth=auth, headers=dict(self.headers.items())
                        )
                    )
                status, body = server._respond(self.command, path, form)
                payload = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                if payload:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_DELETE = do_GET = _handle

            def log_message(self, format: str, *args: object) -> None:
                """Keep the test output quiet."""

        return Handler

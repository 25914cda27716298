"""Sign and verify the ``X-Twilio-Signature`` of webhooks with twilio's own ``RequestValidator``.

Twilio signs the exact public URL it requested plus the POSTed form parameters. Behind a reverse
proxy, werkzeug's ``ProxyFix`` (installed by ``create_app`` for ``TRUSTED_PROXIES`` hops) gives the
request back the public scheme, host and port, so the URL to check is simply ``request.url``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from twilio.request_validator import RequestValidator

SIGNATURE_HEADER = "X-Twilio-Signature"


class InvalidSignatureError(Exception):
    """Raised when a webhook request does not carry a valid Twilio signature."""


def compute_signature(auth_token: str, url: str, params: Mapping[str, Any] | str | None = None) -> str:
    """Return the ``X-Twilio-Signature`` Twilio would send for ``url`` and ``params``.

    A raw (JSON) body is not signed itself: its hash is in the URL's ``bodySHA256`` parameter.
    """
    if not auth_token:
        raise ValueError("auth_token must be set to sign a request")
    return RequestValidator(auth_token).compute_signature(url, {} if isinstance(params, str) else params or {})


def is_valid_signature(auth_token: str, url: str, params: Any, signature: str | None) -> bool:
    """Return whether ``signature`` is Twilio's signature of ``url`` and ``params`` (a form or a raw body)."""
    if not auth_token:
        raise ValueError("auth_token must be set to validate Twilio requests")
    if not signature:
        return False
    return RequestValidator(auth_token).validate(url, params if params is not None else {}, signature)


def verify_request(auth_token: str, url: str, params: Any, headers: Mapping[str, str]) -> str:
    """Check a request's Twilio signature against ``url`` and return that URL."""
    signature = headers.get(SIGNATURE_HEADER)
    if not signature:
        raise InvalidSignatureError(f"missing {SIGNATURE_HEADER} header")
    if not is_valid_signature(auth_token, url, params, signature):
        raise InvalidSignatureError(f"{SIGNATURE_HEADER} does not match the request to {url}")
    return url

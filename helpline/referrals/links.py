"""The structure's answer link: signed, time-limited, naming one referral and nothing else.

The token is itsdangerous' URL-safe timed signature of (referral id, structure id) with SECRET_KEY and
a salt of its own, so it cannot be forged, altered to reach another referral, or used once
REFERRAL_LINK_DAYS have passed. Its clock is `models.utcnow`, so tests can move time.
The answer form's CSRF token is derived from the link and the referral's current status: it works
without a session, and a form shown before an answer was given cannot post a second one.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Optional

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from models import Referral, utcnow

SALT = "referral-answer-link"


class _Signer(TimestampSigner):
    """Signs with the app's clock (models.utcnow) rather than time.time()."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_Signer)


@dataclass(frozen=True)
class LinkCheck:
    """What a link says: the referral it names, or why it is refused."""

    referral_id: Optional[int] = None
    structure_id: Optional[int] = None
    refused: Optional[str] = None  # "expired" or "invalid"


def make_token(referral: Referral) -> str:
    """Return the signed token of a referral's answer link."""
    return _serializer().dumps({"r": referral.id, "s": referral.structure_id})


def read_token(token: str) -> LinkCheck:
    """Return what a token names, or why it is refused (expired, invalid)."""
    max_age = int(current_app.config["REFERRAL_LINK_DAYS"]) * 86400
    signer = _serializer()
    try:
        payload = signer.loads(token, max_age=max_age)
    except SignatureExpired:
        return LinkCheck(refused="expired")
    except BadSignature:
        return LinkCheck(refused="invalid")
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        return LinkCheck(refused="invalid")
    return LinkCheck(referral_id=payload["r"], structure_id=payload.get("s"))


def answer_url(referral: Referral) -> str:
    """Return the full address of a referral's answer page (HELPLINE_PUBLIC_URL + its path)."""
    path = current_app.url_map.bind("localhost").build("answer.page", {"token": make_token(referral)})
    return current_app.config["HELPLINE_PUBLIC_URL"].rstrip("/") + path


def form_token(token: str, referral: Referral) -> str:
    """Return the answer form's CSRF token: tied to this link and to the referral's current state."""
    key = current_app.config["SECRET_KEY"].encode()
    state = f"{token}|{referral.id}|{referral.status}|{referral.first_contact_at is not None}"
    return hmac.new(key, b"answer-form|" + state.encode(), hashlib.sha256).hexdigest()


def form_token_ok(token: str, referral: Referral, given: str) -> bool:
    """Tell whether a posted CSRF token matches the link and the state the form was shown in."""
    return hmac.compare_digest(form_token(token, referral), given or "")

"""The periodic "please confirm your details" message, and the signed link a structure confirms with.

The link names one structure (itsdangerous, salt of its own, REFERRAL_LINK_DAYS long); confirming
sets its HSDS assured_date, and its capacity and waiting time when given. A structure is asked at
most once a quarter while its details are stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Optional

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from models import OutboxMessage, Structure

from ..extensions import db
from ..formatting import local_now
from ..mail.outbox import queue_message
from ..referrals.links import _Signer
from .freshness import stale_structures

SALT = "structure-details-link"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_Signer)


def make_token(structure: Structure) -> str:
    """Return the signed token of a structure's confirmation link."""
    return _serializer().dumps({"s": structure.id})


def read_token(token: str) -> tuple[Optional[int], Optional[str]]:
    """Return (structure id, None), or (None, "expired" | "invalid")."""
    try:
        payload = _serializer().loads(token, max_age=int(current_app.config["REFERRAL_LINK_DAYS"]) * 86400)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        return None, "invalid"
    return payload["s"], None


def form_token(token: str, structure: Structure) -> str:
    """Return the confirmation form's CSRF token, tied to the link and to the last confirmation."""
    state = f"{token}|{structure.id}|{structure.assured_date}"
    return hmac.new(
        current_app.config["SECRET_KEY"].encode(), b"details-form|" + state.encode(), hashlib.sha256
    ).hexdigest()


def confirm_url(structure: Structure) -> str:
    """Return the full address of a structure's confirmation page."""
    path = current_app.url_map.bind("localhost").build("answer.details", {"token": make_token(structure)})
    return current_app.config["HELPLINE_PUBLIC_URL"].rstrip("/") + path


def ask_to_confirm(today: Optional[dt.date] = None) -> int:
    """Queue a "please confirm your details" message to each stale structure (once a quarter); commit."""
    today = today or local_now().date()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    asked = 0
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for structure in stale_structures(today):
            if not structure.email:
                continue
            key = f"structure:{structure.id}:confirm:{quarter}"
            if db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
                continue
            body = render_template(
                "mail/confirm_details.txt",
                structure=structure,
                url=confirm_url(structure),
                phone=current_app.config["HELPLINE_CONTACT_PHONE"],
            )
            queue_message(
                key,
                structure.email,
                _("The helpline's directory: please confirm your details"),
                body,
                kind="confirm_details",
                object_type="structure",
                object_id=structure.id,
            )
            asked += 1
    db.session.commit()
    return asked

"""The e-mails a structure receives about a referral: the referral itself and, once, a reminder.

They carry no health data: the structure's name, the referral's number and the signed link to the
page that shows the referral, nothing else (mail is not a safe place for a person's details).
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from models import Notification, OutboxMessage, Referral, utcnow

from ..extensions import db
from ..formatting import format_day
from ..mail.outbox import queue_message
from .links import answer_url


def _locale() -> str:
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _body(referral: Referral, reminder: bool) -> str:
    days = int(current_app.config["REFERRAL_LINK_DAYS"])
    valid_until = format_day((referral.sent_at + dt.timedelta(days=days)).date(), "long")
    return render_template(
        "mail/referral.txt",
        referral=referral,
        url=answer_url(referral),
        reminder=reminder,
        valid_until=valid_until,
        phone=current_app.config["HELPLINE_CONTACT_PHONE"],
    )


def queue_referral_message(referral: Referral) -> Optional[OutboxMessage]:
    """Queue the referral's message to its structure (no e-mail address: nothing); caller commits."""
    if not referral.structure.email:
        return None
    with force_locale(_locale()):
        subject = _("Referral no. %(id)s from the helpline: please answer", id=referral.id)
        body = _body(referral, reminder=False)
    return queue_message(
        f"referral:{referral.id}:sent",
        referral.structure.email,
        subject,
        body,
        kind="referral",
        object_type="referral",
        object_id=referral.id,
    )


def queue_answer_reminder(referral: Referral) -> Optional[OutboxMessage]:
    """Queue the one reminder of a referral left unanswered (idempotent: once per referral)."""
    if not referral.structure.email:
        return None
    with force_locale(_locale()):
        subject = _("Reminder: referral no. %(id)s from the helpline is waiting for your answer", id=referral.id)
        body = _body(referral, reminder=True)
    return queue_message(
        f"referral:{referral.id}:reminder",
        referral.structure.email,
        subject,
        body,
        kind="referral_reminder",
        object_type="referral",
        object_id=referral.id,
    )


def notify_referrer(referral: Referral, what: str, link: str) -> None:
    """Tell the nurse who referred what the structure answered, once per answer (caller commits)."""
    key = f"referral:{referral.id}:answer:{what}"
    if db.session.scalar(sa.select(Notification.id).where(Notification.key == key)) is not None:
        return
    user = referral.created_by
    with force_locale(user.locale or _locale()):
        labels = {
            "accepted": _("%(structure)s accepted referral no. %(id)s."),
            "declined": _("%(structure)s declined referral no. %(id)s."),
            "contacted": _("%(structure)s reached the person of referral no. %(id)s."),
            "done": _("%(structure)s closed referral no. %(id)s."),
        }
        message = labels[what] % {"structure": referral.structure.name, "id": referral.id}
    db.session.add(Notification(user_id=user.id, key=key, message=message, link=link, created_at=utcnow()))

"""The relay: a call about a person in active case management reaches her case manager.

A call routed `relay`, or an emergency about a followed person, is passed on to the case manager
of the person's active case (a notification on her home), shown on the case's timeline with the
rupture events it reports, and acknowledged "taken into account"; the nurse who logged the call
sees the acknowledgement.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from models import Call, Case, Notification, Relay, User, utcnow

from .. import audit
from ..extensions import db

# The routes whose calls are passed on to the case manager of a followed person.
RELAYED_ROUTES = {"relay": "relay", "emergency": "emergency"}


class RelayError(ValueError):
    """A relay that cannot be acknowledged by this user."""


def active_case(person_id: int) -> Optional[Case]:
    """Return the person's active case, if she has one."""
    stmt = (
        sa.select(Case)
        .where(Case.person_id == person_id, Case.status == "active")
        .order_by(Case.opened_at.desc(), Case.id.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def _path(endpoint: str, **values) -> str:
    """Return a page's path, with or without a request (jobs have none)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("").build(endpoint, values)


def _locale(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def _notify(user: User, key: str, message: str, link: str) -> None:
    """Add a notification once per key."""
    if db.session.scalar(sa.select(Notification.id).where(Notification.key == key)) is None:
        db.session.add(Notification(user_id=user.id, key=key, message=message, link=link))


def _mail(manager: User, relay: Relay, kind: str, link: str) -> None:
    """Queue the e-mail telling the case manager, when mail is configured (no health detail in it)."""
    from ..mail import is_console
    from ..mail.outbox import queue_message

    if is_console(current_app.config) or not manager.email:
        return
    url = current_app.config["HELPLINE_PUBLIC_URL"].rstrip("/") + link
    with force_locale(_locale(manager)):
        if kind == "emergency":
            subject = _("Helpline: emergency call about a person you follow")
        else:
            subject = _("Helpline: a call was relayed to you")
        body = _("A call about a person you follow was passed on to you. Open it in the helpline: %(url)s", url=url)
    queue_message(
        f"relay:{relay.id}:mail", manager.email, subject, body, kind="relay", object_type="relay", object_id=relay.id
    )


def relay_call(call: Call, user: User) -> Optional[Relay]:
    """Pass a relayed call (or an emergency) about a followed person on to her case manager.

    Runs in the transaction saving the call (from calls.service.after_call_logged); once per call.
    """
    kind = RELAYED_ROUTES.get(call.route)
    if kind is None:
        return None
    case = active_case(call.person_id)
    if case is None:
        return None
    relay = db.session.scalar(sa.select(Relay).where(Relay.call_id == call.id))
    if relay is not None:
        return relay
    relay = Relay(call_id=call.id, case_id=case.id, to_user_id=case.case_manager_id, kind=kind, created_at=utcnow())
    db.session.add(relay)
    db.session.flush()
    manager = case.case_manager
    if manager is not None:
        name = call.person.display_name
        with force_locale(_locale(manager)):
            if kind == "emergency":
                message = _(
                    "Emergency call about %(name)s, whom you follow (logged by %(nurse)s).", name=name, nurse=user.name
                )
            else:
                message = _("Call about %(name)s relayed to you by %(nurse)s.", name=name, nurse=user.name)
        link = _path("cases.detail", case_id=case.id)
        _notify(manager, f"relay:{relay.id}", message, link)
        _mail(manager, relay, kind, link)
    _hospital_setting(call, case, user)
    audit.record(
        "create",
        "relay",
        relay.id,
        person_id=call.person_id,
        user_id=user.id,
        detail={"call_id": call.id, "case_id": case.id, "kind": kind, "to_user_id": case.case_manager_id},
    )
    return relay


def _hospital_setting(call: Call, case: Case, user: User) -> None:
    """A relayed call reporting an unplanned hospitalisation puts the person in hospital from the call's day
    (her previous setting ends that day), unless she is already recorded there; the case manager corrects it."""
    from ..formatting import to_local
    from .course import current_setting, record_setting

    if "unplanned_hospitalisation" not in (call.rupture_events or []):
        return
    day = to_local(call.started_at).date()
    current = current_setting(case.person_id, day)
    if current is not None and current.kind == "hospital":
        return
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        note = _("Unplanned hospitalisation reported by call #%(id)s.", id=call.id)
    record_setting(case, "hospital", day, None, note, user)


def can_acknowledge(user: User, relay: Relay) -> bool:
    """Tell whether a user may acknowledge a relay: the case's current manager."""
    return user.has_role("case_manager") and user.id == relay.case.case_manager_id


def acknowledge(relay: Relay, user: User, note: str = "") -> bool:
    """Mark a relay taken into account and tell the nurse; return False if it already was (caller commits)."""
    if not can_acknowledge(user, relay):
        raise RelayError(_("Only the person's case manager can acknowledge this call."))
    if relay.acknowledged_at is not None:
        return False
    relay.acknowledged_at, relay.acknowledged_by_id = utcnow(), user.id
    relay.acknowledgement_note = (note or "").strip() or None
    db.session.execute(
        sa.update(Notification)
        .where(Notification.key == f"relay:{relay.id}", Notification.read_at.is_(None))
        .values(read_at=relay.acknowledged_at)
        .execution_options(synchronize_session=False)
    )
    nurse = relay.call.nurse
    if nurse is not None and nurse.id != user.id:
        with force_locale(_locale(nurse)):
            message = _(
                "%(manager)s took into account your call about %(name)s.",
                manager=user.name,
                name=relay.call.person.display_name,
            )
        _notify(nurse, f"relay:{relay.id}:acknowledged", message, _path("calls.detail", call_id=relay.call_id))
    audit.record(
        "update", "relay", relay.id, person_id=relay.case.person_id, user_id=user.id, detail={"acknowledged": True}
    )
    return True


def pending_for(user: User, limit: int = 20) -> list[Relay]:
    """Return the relays a case manager has not acknowledged yet, oldest first."""
    stmt = (
        sa.select(Relay)
        .join(Case, Relay.case_id == Case.id)
        .where(Relay.acknowledged_at.is_(None), Case.case_manager_id == user.id)
        .order_by(Relay.created_at, Relay.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


RECENT_RELAYS = dt.timedelta(days=30)


def sent_by(user: User, limit: int = 5) -> list[Relay]:
    """Return the latest relays of the calls a nurse logged, newest first.

    The relays of the past RECENT_RELAYS are looked at first: joining every relay ever made to its
    call cost 47 ms on SQLite and 144 ms on PostgreSQL at a million calls (bench/scale_bench.py);
    the recent ones take 2 ms. When they are enough they are the latest ones; otherwise the whole
    history is read.
    """
    logged = sa.exists().where(Call.id == Relay.call_id, Call.nurse_id == user.id)  # SQLite: scans relay, not an index
    stmt = sa.select(Relay).where(logged).order_by(Relay.created_at.desc(), Relay.id.desc()).limit(limit)
    recent = list(db.session.scalars(stmt.where(Relay.created_at >= utcnow() - RECENT_RELAYS)))
    return recent if len(recent) >= limit else list(db.session.scalars(stmt))


def for_call(call_id: int) -> Optional[Relay]:
    """Return a call's relay, if it was relayed."""
    return db.session.scalar(sa.select(Relay).where(Relay.call_id == call_id))


def for_case(case_id: int) -> list[Relay]:
    """Return a case's relays, newest first."""
    stmt = sa.select(Relay).where(Relay.case_id == case_id).order_by(Relay.created_at.desc(), Relay.id.desc())
    return list(db.session.scalars(stmt))

"""Phone call records: inbound calls, status callbacks, the screen pop and answering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Optional

import sqlalchemy as sa
from flask import current_app

from models import Call, Notification, Person, PhoneCall, User, utcnow

from .. import audit
from ..extensions import db
from ..ids import parse_number
from ..persons.service import persons_for_phone
from .gateway import Gateway, gateway_from_config

FINAL_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
LIVE_STATUSES = ("queued", "ringing", "in-progress")
SCREEN_POP_WINDOW = dt.timedelta(minutes=30)
MAX_CALL_SECONDS = 24 * 3600  # Twilio ends every call after 24 hours
_ORDER = {"queued": 0, "initiated": 0, "ringing": 1, "in-progress": 2, "answered": 2}


class AlreadyAnsweredError(Exception):
    """Raised when another nurse has already taken the call."""


def gateway() -> Gateway:
    """Return the app's telephony gateway (built once from the settings)."""
    extensions = current_app.extensions
    if "telephony_gateway" not in extensions:
        extensions["telephony_gateway"] = gateway_from_config(current_app.config)
    return extensions["telephony_gateway"]


def _short(value: Any, size: int = 20) -> Optional[str]:
    """Return a webhook value cut to the column's size, or None when empty."""
    text = str(value or "").strip()
    return text[:size] or None


def _dialect_insert():
    """Return the INSERT ... ON CONFLICT of the session's database (PostgreSQL or SQLite).

    Its dialect module is the one the engine already loaded: importing both at start-up would
    load PostgreSQL's (0.15 s) in every process on SQLite.
    """
    import importlib

    return importlib.import_module(f"sqlalchemy.dialects.{db.session.get_bind().dialect.name}").insert


def insert_phone_call(call_sid: str, **values: Any) -> None:
    """Create the record of a CallSid unless it exists (one statement, safe under concurrent retries)."""
    insert = _dialect_insert()
    db.session.execute(
        insert(PhoneCall).values(call_sid=call_sid, **values).on_conflict_do_nothing(index_elements=["call_sid"])
    )


def upsert_phone_call(call_sid: str, **values: Any) -> PhoneCall:
    """Return the record of a CallSid, creating it once even when Twilio retries concurrently."""
    insert_phone_call(call_sid, **values)
    return db.session.scalar(
        sa.select(PhoneCall).where(PhoneCall.call_sid == call_sid).execution_options(populate_existing=True)
    )


# One statement, the same for SQLite (3.24+) and PostgreSQL, compiled once: the voice webhook is the
# hottest path of the app (Twilio waits for its TwiML while the caller hears nothing).
_INSERT_INBOUND = sa.text(
    "INSERT INTO phone_call (call_sid, direction, status, from_number, to_number, started_at) "
    "VALUES (:call_sid, 'inbound', 'queued', :from_number, :to_number, :started_at) "
    "ON CONFLICT (call_sid) DO NOTHING"
)


def record_inbound(params: Mapping[str, str]) -> None:
    """Record an inbound call from the voice webhook's parameters (idempotent per CallSid).

    It runs on its own autocommit connection, straight through the driver: one round trip instead
    of BEGIN, INSERT, COMMIT, no ORM session, and the record exists even if building the answer
    fails afterwards.
    """
    values = {
        "call_sid": params["CallSid"],
        "from_number": _short(params.get("From")),
        "to_number": _short(params.get("To")),
        "started_at": utcnow().replace(tzinfo=None),
    }
    _inbound_writer().insert(values)


class _InboundWriter:
    """Send the inbound-call INSERT, compiled once for the engine's driver, on pooled connections."""

    def __init__(self, engine: sa.engine.Engine) -> None:
        compiled = _INSERT_INBOUND.compile(dialect=engine.dialect)
        self.engine = engine
        self.sql = str(compiled)
        self.order = compiled.positiontup if compiled.positional else None

    def insert(self, values: dict[str, Any]) -> None:
        """Insert one row; a connection the server dropped is discarded and the row sent again."""
        params: Any = [values[name] for name in self.order] if self.order else values
        dialect = self.engine.dialect
        for attempt in (1, 2):
            connection = self.engine.raw_connection()
            try:
                cursor = connection.cursor()
                try:
                    cursor.execute(self.sql, params)
                finally:
                    cursor.close()
                connection.commit()  # a no-op on the autocommit engine; the in-memory case needs it
                return
            except dialect.loaded_dbapi.Error as exc:
                # No ping before each use: a connection the server dropped fails once, is discarded,
                # and the statement is sent again on a fresh one.
                if attempt == 2 or not dialect.is_disconnect(exc, connection.dbapi_connection, None):
                    raise
                connection.invalidate(exc)
            finally:
                connection.close()


def _inbound_writer() -> _InboundWriter:
    """Return the voice webhook's writer, on an autocommit engine without pre-ping (one round trip)."""
    writer = current_app.extensions.get("telephony_inbound_writer")
    if writer is None:
        url = db.engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            engine = db.engine  # an in-memory database exists only behind the app's own engine
        else:
            # Autocommit: there is never a transaction to roll back when a connection goes back.
            engine = sa.create_engine(
                url,
                pool_pre_ping=False,
                pool_size=2,
                isolation_level="AUTOCOMMIT",
                pool_reset_on_return=None,
                connect_args=_inbound_connect_args(url),
            )
            current_app.extensions["telephony_webhook_engine"] = engine
        writer = current_app.extensions["telephony_inbound_writer"] = _InboundWriter(engine)
    return writer


def _inbound_connect_args(url: sa.engine.URL) -> dict[str, Any]:
    """Return the driver options of the voice webhook's connections.

    On PostgreSQL the inbound record is committed without waiting for its WAL flush
    (``synchronous_commit=off`` on these connections only) unless TELEPHONY_INBOUND_SYNCHRONOUS_COMMIT
    is set. Only a database crash within a fraction of a second of the insert can lose it, and
    nothing else: the database stays consistent, the caller is in Twilio's queue whatever happens,
    and the status callback, committed normally, creates the record again when the call ends.
    Everything else the app writes keeps the server's default (synchronous) commits.
    """
    if url.get_backend_name() != "postgresql" or current_app.config["TELEPHONY_INBOUND_SYNCHRONOUS_COMMIT"]:
        return {}
    return {"options": "-c synchronous_commit=off"}


def call_seconds(duration) -> Optional[int]:
    """Return a callback's CallDuration in seconds, or None when it is not one a call can last."""
    return parse_number(duration, MAX_CALL_SECONDS)


def apply_status(phone_call: PhoneCall, status: str, duration: Optional[str] = None) -> None:
    """Move a record to a newer status; a late or repeated callback changes nothing."""
    status = (status or "").strip().lower()
    if not status or phone_call.status in FINAL_STATUSES:
        return
    if status in FINAL_STATUSES:
        phone_call.status = status
        phone_call.ended_at = phone_call.ended_at or utcnow()
        seconds = call_seconds(duration)
        if seconds is not None:
            phone_call.duration_seconds = seconds
    elif _ORDER.get(status, -1) > _ORDER.get(phone_call.status, -1):
        phone_call.status = "in-progress" if status == "answered" else status


def record_status(params: Mapping[str, str]) -> PhoneCall:
    """Complete the record of a call from a status callback (duration, final status)."""
    direction = "inbound" if params.get("Direction", "inbound") == "inbound" else "outbound"
    # A record created here (the voice webhook's was lost, or this callback came first) starts
    # when the call did: a final callback carries the call's duration.
    started_at = utcnow() - dt.timedelta(seconds=call_seconds(params.get("CallDuration")) or 0)
    phone_call = upsert_phone_call(
        params["CallSid"],
        direction=direction,
        status="queued",
        from_number=_short(params.get("From")),
        to_number=_short(params.get("To")),
        started_at=started_at,
    )
    apply_status(phone_call, params.get("CallStatus", ""), params.get("CallDuration"))
    return phone_call


def record_bridge(caller_sid: str, nurse_sid: Optional[str], nurse_number: Optional[str]) -> PhoneCall:
    """Note that a nurse's leg was bridged to a queued caller, and who she is when her phone is known."""
    phone_call = upsert_phone_call(caller_sid, direction="inbound", status="queued", started_at=utcnow())
    apply_status(phone_call, "in-progress")
    phone_call.nurse_call_sid = nurse_sid or phone_call.nurse_call_sid
    if phone_call.answered_by_id is None and nurse_number:
        nurse = db.session.scalar(sa.select(User).where(User.phone == nurse_number, User.active.is_(True)))
        phone_call.answered_by_id = nurse.id if nurse else None
    return phone_call


def incoming_for(user: User, now: Optional[dt.datetime] = None) -> list[PhoneCall]:
    """Return the live inbound calls a nurse may take: unanswered, or answered by her."""
    since = (now or utcnow()) - SCREEN_POP_WINDOW
    stmt = (
        sa.select(PhoneCall)
        .where(
            PhoneCall.direction == "inbound",
            PhoneCall.status.in_(LIVE_STATUSES),
            PhoneCall.started_at >= since,
            PhoneCall.call_id.is_(None),
            sa.or_(PhoneCall.answered_by_id.is_(None), PhoneCall.answered_by_id == user.id),
        )
        .order_by(PhoneCall.started_at)
    )
    return list(db.session.scalars(stmt.limit(10)))


def known_persons(phone_call: PhoneCall) -> list[Person]:
    """Return the persons already known for the caller's number."""
    return persons_for_phone(phone_call.from_number, limit=5) if phone_call.from_number else []


def answer(phone_call: PhoneCall, user: User) -> list[Person]:
    """Mark the call answered by a nurse and return the persons she will now see."""
    if phone_call.answered_by_id not in (None, user.id):
        raise AlreadyAnsweredError()
    phone_call.answered_by_id = user.id
    persons = known_persons(phone_call)
    audit.record("answer", "phone_call", phone_call.id, detail={"persons_shown": [p.id for p in persons]})
    return persons


def link_logged_call(call: Call, user: User) -> None:
    """Attach the live phone call the nurse answered to the call she has just logged."""
    if not call.caller_phone:
        return
    stmt = (
        sa.select(PhoneCall)
        .where(
            PhoneCall.answered_by_id == user.id,
            PhoneCall.call_id.is_(None),
            PhoneCall.direction == "inbound",
            PhoneCall.from_number == call.caller_phone,
            PhoneCall.started_at >= utcnow() - dt.timedelta(hours=4),
        )
        .order_by(PhoneCall.started_at.desc())
    )
    phone_call = db.session.scalar(stmt.limit(1))
    if phone_call is not None:
        phone_call.call_id = call.id


def unread_notices(user: User) -> list[Notification]:
    """Return the telephony notices the user has not dismissed yet."""
    stmt = (
        sa.select(Notification)
        .where(
            Notification.user_id == user.id, Notification.read_at.is_(None), Notification.key.startswith("telephony-")
        )
        .order_by(Notification.created_at)
    )
    return list(db.session.scalars(stmt.limit(5)))


def notify(user_id: int, key: str, message: str, link: Optional[str] = None) -> None:
    """Tell a user something once (the key makes a repeated callback harmless)."""
    insert = _dialect_insert()
    db.session.execute(
        insert(Notification)
        .values(user_id=user_id, key="telephony-" + key, message=message, link=link, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["key"])
    )

"""How the app talks to its database when the database fails: bounded waits, never a hang.

A database that is down refuses connections at once; one that hangs (a stopped server, a full
disk, a lock) would keep a request waiting for its TCP timeout. So every wait has a bound:
connecting (libpq's connect_timeout, SQLite's busy timeout), each statement (PostgreSQL's
statement_timeout), and the check that a pooled connection still answers before it is handed
out (a `SELECT 1` given a deadline; SQLAlchemy's pool_pre_ping would wait forever on a server
that accepts bytes and never answers).
"""

from __future__ import annotations

import select
import time
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError


def engine_options(config: Mapping[str, Any]) -> dict:
    """Return the engine options for the configured database, with its timeouts."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = sa.make_url(config["SQLALCHEMY_DATABASE_URI"])
    connect_args = dict(options.get("connect_args") or {})
    connect_timeout = int(config["DATABASE_CONNECT_TIMEOUT"])
    if url.get_backend_name() == "postgresql":
        connect_args.setdefault("connect_timeout", max(connect_timeout, 2))  # libpq's minimum is 2 s
        statement_ms = int(float(config["DATABASE_STATEMENT_TIMEOUT"]) * 1000)
        extra = connect_args.get("options", "")
        if "statement_timeout" not in extra:
            connect_args["options"] = f"{extra} -c statement_timeout={statement_ms}".strip()
        options["pool_pre_ping"] = False  # replaced by ping_with_deadline (see install)
    elif url.get_backend_name() == "sqlite":
        connect_args.setdefault("timeout", connect_timeout)  # wait this long for a locked database
    options["connect_args"] = connect_args
    options.setdefault("hide_parameters", True)  # an error logged never carries a person's data
    return options


def install(engine: sa.engine.Engine, ping_seconds: float) -> None:
    """Check each pooled PostgreSQL connection with a deadline before handing it out."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, connection_record, connection_proxy):
        ping_with_deadline(dbapi_connection, ping_seconds)


def ping_with_deadline(dbapi_connection, seconds: float) -> None:
    """Run `SELECT 1` on a psycopg connection; raise DisconnectionError unless it answers in time.

    The pool then throws the connection away and opens a new one, which connect_timeout bounds.
    """
    pgconn = getattr(dbapi_connection, "pgconn", None)
    if pgconn is None:  # another driver: nothing to check here
        return
    deadline = time.monotonic() + seconds
    try:
        pgconn.send_query(b"SELECT 1")
        while pgconn.flush():
            _wait(pgconn.socket, deadline, write=True)
        while True:
            pgconn.consume_input()
            if not pgconn.is_busy():
                break
            _wait(pgconn.socket, deadline)
        ok = True
        while (result := pgconn.get_result()) is not None:
            ok = ok and result.error_message in (b"", "")
    except DisconnectionError:
        raise
    except Exception as exc:  # psycopg's errors on a broken socket
        raise DisconnectionError(f"the database connection is broken: {exc}") from exc
    if not ok:
        raise DisconnectionError("the database did not answer SELECT 1")


def _wait(fileno: int, deadline: float, write: bool = False) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise DisconnectionError("the database did not answer in time")
    readable, writable, _ = select.select([] if write else [fileno], [fileno] if write else [], [], remaining)
    if not (readable or writable):
        raise DisconnectionError("the database did not answer in time")

"""Backups: SQLite's online backup API, or pg_dump on PostgreSQL; and the matching restore."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3

# pg_dump and pg_restore run with fixed arguments and no shell.
import subprocess  # nosec B404
from pathlib import Path

import sqlalchemy as sa


class BackupError(RuntimeError):
    """A backup or restore that could not be made, with a message for the operator."""


def _url(database_uri: str) -> sa.engine.URL:
    return sa.make_url(database_uri)


def default_target(database_uri: str, folder: Path) -> Path:
    """Return a time-stamped backup file name in a folder."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = ".db" if _url(database_uri).get_backend_name() == "sqlite" else ".dump"
    return folder / f"helpline-{stamp}{suffix}"


def _sqlite_path(url: sa.engine.URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("the database is in memory: there is nothing to back up")
    return url.database


def _pg_env(url: sa.engine.URL) -> tuple[list[str], dict]:
    """Return libpq connection arguments and environment (the password never on the command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = [
        "--host",
        url.host or "localhost",
        "--port",
        str(url.port or 5432),
        "--username",
        url.username or "postgres",
        "--dbname",
        url.database or "postgres",
    ]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools "
            f"(e.g. `apt-get install postgresql-client`) with a version at least the server's"
        )
    return path


def backup(database_uri: str, target: Path) -> Path:
    """Write a consistent copy of the live database to target and return it."""
    url = _url(database_uri)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)  # online backup: safe while the app is writing
        finally:
            copy.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_env(url)
        result = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"backups of {url.get_backend_name()} databases are not supported")
    target.chmod(0o600)  # health data: readable by the service account only
    return target


def restore(database_uri: str, source: Path) -> None:
    """Replace the database's content with a backup made by `backup` (stop the app first)."""
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    url = _url(database_uri)
    if url.get_backend_name() == "sqlite":
        backup_db = sqlite3.connect(str(source))
        live = sqlite3.connect(_sqlite_path(url))
        try:
            with live:
                backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_env(url)
        result = subprocess.run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(source)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"restores of {url.get_backend_name()} databases are not supported")

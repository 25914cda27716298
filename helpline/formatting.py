"""Small helpers for showing dates, times and vocabulary in templates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date, format_datetime

from .vocabulary import ALL_LABELS


def local_zone() -> ZoneInfo:
    """Return the helpline's time zone."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def to_local(value: dt.datetime) -> dt.datetime:
    """Convert an aware UTC datetime to the helpline's local time."""
    return value.astimezone(local_zone())


def local_now() -> dt.datetime:
    """Return the current local time of the helpline."""
    return dt.datetime.now(local_zone())


def format_local(value, style: str = "short") -> str:
    """Format a date or datetime for the user, in local time and language."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_datetime(value, style)
    return format_date(value, style)


def machine_time(value) -> str:
    """Return a date or datetime in the form <time datetime="..."> needs (ISO 8601, local time with its offset)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (to_local(value) if value.tzinfo else value).isoformat(timespec="minutes")
    return value.isoformat()


def labels(kind: str, value: str) -> str:
    """Return the translated label of a vocabulary value (or the value when unknown)."""
    return str(ALL_LABELS.get(kind, {}).get(value, value))

"""Small helpers for showing dates, times and vocabulary in templates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel import dates
from flask import current_app, has_app_context
from flask_babel import get_locale

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


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later (the month's last day when it is shorter)."""
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# The interface's languages are those of Belgium's helpline: its dates are written the Belgian way
# (fr-BE) and the British way (en-GB), never the American one (12/31/26). Babel's short date of both
# regions is not the one people write on a form (fr_BE has a two-digit year), so the short style is
# spelt out: 31/12/2026 and 31/12/2026 13:05 in both languages; other styles are the region's own.
REGIONAL_LOCALES = {"fr": "fr_BE", "en": "en_GB"}
SHORT_DATE = "dd/MM/yyyy"
SHORT_DATETIME = "dd/MM/yyyy HH:mm"


def regional_locale() -> str:
    """Return the locale dates are written in: the user's language in its Belgian or British form."""
    locale = get_locale() if has_app_context() else None
    code = str(locale) if locale else "fr"
    return REGIONAL_LOCALES.get(code, code)


def format_day(value: dt.date, style: str = "short") -> str:
    """Format a date (a day: never a time of day) in the user's language."""
    return dates.format_date(value, SHORT_DATE if style == "short" else style, locale=regional_locale())


def format_moment(value: dt.datetime, style: str = "short") -> str:
    """Format a moment in the helpline's local time (a naive one is UTC) and the user's language."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    pattern = SHORT_DATETIME if style == "short" else style
    return dates.format_datetime(to_local(value), pattern, tzinfo=local_zone(), locale=regional_locale())


def format_local(value, style: str = "short") -> str:
    """Format a date or datetime for the user, in local time and language (the `local` filter)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_moment(value, style)
    return format_day(value, style)


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


def format_figure(value) -> str:
    """Return a figure of a report as the reader writes it: 33,3 in French, 33.3 in English."""
    if isinstance(value, float):
        from flask_babel import format_decimal

        return format_decimal(value, format="#,##0.0")
    return str(value)

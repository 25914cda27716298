"""The period an indicator covers, and SQL helpers that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from models import db


@dataclass(frozen=True)
class Period:
    """A span of local days, both ends included."""

    start: dt.date
    end: dt.date

    def zone(self) -> ZoneInfo:
        """Return the helpline's time zone."""
        return ZoneInfo(current_app.config["TIMEZONE"])

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Return the aware UTC instants [from, to) of the period's local days."""
        zone = self.zone()
        start = dt.datetime.combine(self.start, dt.time(), zone)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), zone)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)

    def weeks(self) -> list[dt.date]:
        """Return the Mondays of the weeks the period touches."""
        monday = self.start - dt.timedelta(days=self.start.weekday())
        return [monday + dt.timedelta(weeks=i) for i in range((self.end - monday).days // 7 + 1)]

    def local_date(self, utc_naive: dt.datetime) -> dt.date:
        """Return the local date of a naive UTC timestamp."""
        return utc_naive.replace(tzinfo=dt.UTC).astimezone(self.zone()).date()


def dialect() -> str:
    """Return the name of the database dialect in use."""
    return db.session.get_bind().dialect.name


def hour_bucket(column):
    """Return an SQL expression truncating a UTC timestamp to its hour (local days are whole hours away)."""
    if dialect() == "sqlite":
        return sa.func.strftime("%Y-%m-%d %H:00:00", column)
    return sa.func.date_trunc("hour", column)


def parse_hour(value) -> dt.datetime:
    """Return the naive UTC datetime of an hour bucket, as SQLite (text) or PostgreSQL gives it."""
    if isinstance(value, str):
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    return value.replace(tzinfo=None)


def day_of(column):
    """Return an SQL expression giving the (UTC) date of a timestamp."""
    return sa.func.date(column)


def parse_day(value) -> dt.date | None:
    """Return a date from what day_of() gives back on either database."""
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])

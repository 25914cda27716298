"""The list of recent calls: filters, search and paging that stay fast on years of calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from models import Call, CallTopic, Person

from ..extensions import db
from ..ids import parse_id, parse_page
from ..persons.service import _prefix, name_key, parse_search_date
from ..phones import PhoneError, looks_like_phone, normalise_phone
from ..vocabulary import CALLER_TYPE_LABELS, TOPIC_LABELS

PAGE_SIZE = 50


def _date(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass
class CallFilters:
    """The filters of the calls list, parsed from the query string (unknown values are dropped)."""

    date_from: Optional[dt.date] = None
    date_to: Optional[dt.date] = None
    caller_type: str = ""
    topic: str = ""
    nurse_id: Optional[int] = None
    q: str = ""
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)
    region: str = "BE"

    @classmethod
    def from_args(cls, args: Mapping[str, str], region: str = "BE") -> CallFilters:
        """Parse the filters, noting the ones that could not be read."""
        filters = cls(region=region)
        for name in ("date_from", "date_to"):
            raw = args.get(name, "")
            setattr(filters, name, _date(raw))
            if raw and getattr(filters, name) is None:
                filters.errors[name] = raw
        filters.caller_type = args.get("caller_type", "") if args.get("caller_type") in CALLER_TYPE_LABELS else ""
        filters.topic = args.get("topic", "") if args.get("topic") in TOPIC_LABELS else ""
        nurse = args.get("nurse_id", "")
        filters.nurse_id = parse_id(nurse)
        filters.q = args.get("q", "").strip()[:120]
        page = args.get("page", "1")
        filters.page = parse_page(page)
        return filters

    def query_args(self, **changes) -> dict:
        """Return the filters as query-string arguments, with changes."""
        values = {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "caller_type": self.caller_type,
            "topic": self.topic,
            "nurse_id": self.nurse_id or "",
            "q": self.q,
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None)}


def _utc_midnight(day: dt.date, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)


def filtered_calls(filters: CallFilters, tz=dt.UTC) -> sa.Select:
    """Return the SELECT of calls matching the filters, newest first."""
    stmt = sa.select(Call)
    if filters.date_from:
        stmt = stmt.where(Call.started_at >= _utc_midnight(filters.date_from, tz))
    if filters.date_to:
        stmt = stmt.where(Call.started_at < _utc_midnight(filters.date_to + dt.timedelta(days=1), tz))
    if filters.caller_type:
        stmt = stmt.where(Call.caller_type == filters.caller_type)
    if filters.nurse_id:
        stmt = stmt.where(Call.nurse_id == filters.nurse_id)
    if filters.topic:
        # EXISTS, not IN: the newest calls are read in index order and each is checked, so the page
        # stops after 50 rows instead of first collecting every call ever given that topic.
        stmt = stmt.where(sa.exists().where(CallTopic.call_id == Call.id, CallTopic.topic == filters.topic))
    if filters.q:
        stmt = stmt.where(_search_clause(filters.q, filters.region))
    return stmt.order_by(Call.started_at.desc(), Call.id.desc())


def _search_clause(text: str, region: str):
    """Match the search text against the person (name, phone, birth date) or the caller's phone."""
    day = parse_search_date(text)
    if day:
        return Call.person_id.in_(sa.select(Person.id).where(Person.birth_date == day))
    if looks_like_phone(text):
        try:
            number = normalise_phone(text, region)
        except PhoneError:
            return sa.false()
        return sa.or_(
            Call.caller_phone == number, Call.person_id.in_(sa.select(Person.id).where(Person.phone == number))
        )
    persons = sa.select(Person.id)
    for token in name_key(text).split(" ")[:4]:
        persons = persons.where(sa.or_(_prefix(Person.last_name_key, token), _prefix(Person.first_name_key, token)))
    return Call.person_id.in_(persons)


def list_calls(filters: CallFilters, tz=None) -> tuple[list[Call], bool]:
    """Return one page of calls and whether there is a next page."""
    from ..formatting import local_zone

    stmt = filtered_calls(filters, tz or local_zone())
    stmt = stmt.options(joinedload(Call.person), joinedload(Call.nurse), selectinload(Call.topic_rows))
    stmt = stmt.offset((filters.page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    calls = list(db.session.scalars(stmt).unique())
    return calls[:PAGE_SIZE], len(calls) > PAGE_SIZE

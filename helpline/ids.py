"""Record ids typed or sent by users, kept within the database's integer range.

PostgreSQL refuses a bound id above 2**31 - 1 for an INTEGER column ("integer out of range"), so
an id from a URL, a query string or a form is checked here first: out of range means "no such
record", never a database error.
"""
from __future__ import annotations

from typing import Optional

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


def parse_id(value) -> Optional[int]:
    """Return the id a text means, or None when it is not a positive id the database can hold."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """The `int` URL converter of the app: ids beyond the database's range are simply not found."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

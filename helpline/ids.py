"""Record ids typed or sent by users, kept within the database's integer range.

PostgreSQL refuses a bound id above 2**31 - 1 for an INTEGER column ("integer out of range"), so
an id from a URL, a query string or a form is checked here first: out of range means "no such
record", never a database error.
"""

from __future__ import annotations

from typing import Optional

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
LAST_PAGE = 10_000


def ascii_digits(text: str) -> bool:
    """Tell whether a text is only the digits 0-9.

    `str.isdigit()` alone also accepts '²' (which `int()` refuses) and '٤' (which `int()` reads as 4).
    """
    return text.isascii() and text.isdigit()


def parse_number(value, maximum: int) -> Optional[int]:
    """Return the whole number 0..maximum a text means, or None (not digits, or out of range)."""
    text = str(value if value is not None else "").strip()
    if not ascii_digits(text) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None


def parse_id(value) -> Optional[int]:
    """Return the id a text means, or None when it is not a positive id the database can hold."""
    return parse_number(value, MAX_ID) or None


def parse_page(value) -> int:
    """Return the page number a query string asks for: 1 unless it is a number, at most LAST_PAGE."""
    text = str(value if value is not None else "").strip()
    number = parse_number(text, 10**9)
    return min(number, LAST_PAGE) if number else 1


class IdConverter(IntegerConverter):
    """The `int` URL converter of the app: ids beyond the database's range are simply not found."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

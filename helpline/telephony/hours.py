"""Opening hours of the line (Europe/Brussels, closed on Belgian public holidays).

The setting ``HELPLINE_OPENING_HOURS`` reads like ``"mon-fri 09:00-17:00; sat 09:00-12:00"``:
day ranges or single days, then one or more ``HH:MM-HH:MM`` spans separated by commas
(``24:00`` ends a span at midnight: ``mon-sun 00:00-24:00`` is always open but on public holidays).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FRENCH_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
DEFAULT_OPENING_HOURS = "mon-fri 09:00-17:00"


class OpeningHoursError(ValueError):
    """Raised when the opening-hours setting cannot be read."""


@dataclass(frozen=True)
class OpeningHours:
    """Weekly opening spans, by weekday (0 = Monday), in the helpline's time zone."""

    spans: dict[int, tuple[tuple[dt.time, dt.time], ...]]
    timezone: str = "Europe/Brussels"

    def is_open(self, moment: dt.datetime) -> bool:
        """Tell whether the line is open at an aware moment."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        if local.date() in _belgian_holidays(local.year):
            return False
        now = local.time().replace(tzinfo=None)
        return any(start <= now < end for start, end in self.spans.get(local.weekday(), ()))

    def spoken_french(self) -> str:
        """Return the hours as a French sentence fragment for the after-hours greeting."""
        groups: list[tuple[list[int], tuple]] = []
        for day in range(7):
            spans = self.spans.get(day)
            if not spans:
                continue
            if groups and groups[-1][1] == spans and groups[-1][0][-1] == day - 1:
                groups[-1][0].append(day)
            else:
                groups.append(([day], spans))
        parts = []
        for days, spans in groups:
            when = (
                f"du {_FRENCH_DAYS[days[0]]} au {_FRENCH_DAYS[days[-1]]}"
                if len(days) > 1
                else f"le {_FRENCH_DAYS[days[0]]}"
            )
            hours = " et ".join(f"de {_spoken(a)} à {_spoken(b)}" for a, b in spans)
            parts.append(f"{when} {hours}")
        return ", ".join(parts) + ", sauf les jours fériés" if parts else "aucune"


@functools.lru_cache(maxsize=8)
def _belgian_holidays(year: int) -> frozenset[dt.date]:
    """Return the Belgian public holidays of a year (computed once per process)."""
    import holidays  # its country tables are read at the first call, not at start-up

    return frozenset(holidays.country_holidays("BE", years=year).keys())


def _spoken(moment: dt.time) -> str:
    """Return 9 h, 12 h 30 and the like (24 h for the end of the day)."""
    if moment == dt.time.max:
        return "24 h"
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


def _days(text: str) -> list[int]:
    """Return the weekdays of ``mon``, ``mon-fri`` or ``sat,sun``."""
    result = []
    for part in text.split(","):
        first, _, last = part.strip().lower().partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise OpeningHoursError(f"unknown day in {text!r}: use {', '.join(DAYS)}")
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:
            raise OpeningHoursError(f"day range {part!r} runs backwards")
        result.extend(range(start, end + 1))
    return result


def _span(text: str) -> tuple[dt.time, dt.time]:
    """Return the start and end of ``09:00-17:00``."""
    match = _SPAN.match(text.strip())
    if not match:
        raise OpeningHoursError(f"hours {text!r} are not HH:MM-HH:MM")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        start = dt.time(h1, m1)
        end = dt.time.max if (h2, m2) == (24, 0) else dt.time(h2, m2)  # 24:00: until midnight
    except ValueError:
        raise OpeningHoursError(f"hours {text!r} are not a time of day") from None
    if end <= start:
        raise OpeningHoursError(f"hours {text!r} end before they start")
    return start, end


@functools.lru_cache(maxsize=16)
def parse_opening_hours(text: str, timezone: str = "Europe/Brussels") -> OpeningHours:
    """Read the opening-hours setting; raise OpeningHoursError on anything unclear."""
    spans: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for clause in (text or "").split(";"):
        clause = clause.strip()
        if not clause:
            continue
        days_text, _, hours_text = clause.partition(" ")
        if not hours_text.strip():
            raise OpeningHoursError(f"{clause!r} gives days but no hours")
        for day in _days(days_text):
            spans.setdefault(day, []).extend(_span(h) for h in hours_text.split(","))
    if not spans:
        raise OpeningHoursError("no opening hours given")
    return OpeningHours({d: tuple(sorted(s)) for d, s in spans.items()}, timezone)

"""Indicator tables and the small-count masking applied to what leaves the app.

Masking rule (documented for coordinators on the dashboard):
- On screen, coordinators (who may open the records anyway) see exact counts; counts from 1 to 4
  are marked so they know those cells will not leave the app as such.
- In CSV downloads every count from 1 to 4 becomes "<5" (0 stays 0: it describes nobody). A rate
  whose numerator or denominator is from 1 to 4 is blanked to "<5" too, since it would give the
  count back. When a column holds exactly one masked count, the next smallest count of that
  column is masked as well ("*"), so the masked cell cannot be found again by subtracting the
  others from a total published elsewhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any, Optional

SMALL = 5
MASK = "<5"
SECONDARY_MASK = "*"


def is_small(value: Any) -> bool:
    """Tell whether a count is small enough to identify someone (1 to 4)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < SMALL


@dataclass
class Table:
    """One indicator: a titled table, which columns are counts or rates, and how to chart it."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    counts: tuple[int, ...] = ()  # indices of columns holding counts of persons or events
    rates: dict[int, tuple[int, int]] = field(default_factory=dict)  # rate column -> (numerator, denominator)
    chart: Optional[str] = "bars"  # "bars" (horizontal), "columns" (time series) or None
    chart_value: int = 1  # the column charted
    facts: list[tuple[str, str]] = field(default_factory=list)  # summary figures shown beside the chart
    note: str = ""

    def chart_points(self) -> list[tuple[str, int]]:
        """Return the (label, value) pairs of the chart."""
        return [(self.row_label(row), int(row[self.chart_value] or 0)) for row in self.rows]

    @staticmethod
    def row_label(row: list[Any]) -> str:
        """Return the first cell of a row as shown on the page: a day in the reader's language, else text."""
        from helpline.formatting import format_local

        return format_local(row[0]) if isinstance(row[0], dt.date) else str(row[0])

    def small_cells(self) -> set[tuple[int, int]]:
        """Return the (row, column) positions that the CSV masks as small counts."""
        return {(r, c) for r, row in enumerate(self.rows) for c in self.counts if is_small(row[c])}


def masked_rows(table: Table) -> list[list[Any]]:
    """Return the table's rows with small counts and the rates that reveal them masked."""
    rows = [list(row) for row in table.rows]
    for c in table.counts:
        small = [r for r, row in enumerate(table.rows) if is_small(row[c])]
        for r in small:
            rows[r][c] = MASK
        if len(small) == 1:
            others = [
                (row[c], r)
                for r, row in enumerate(table.rows)
                if r not in small and isinstance(row[c], int) and row[c] > 0
            ]
            if others:
                rows[min(others)[1]][c] = SECONDARY_MASK
    for c, (num, den) in table.rates.items():
        for r, row in enumerate(table.rows):
            if is_small(row[num]) or is_small(row[den]):
                rows[r][c] = MASK
            elif SECONDARY_MASK in (rows[r][num], rows[r][den]):
                rows[r][c] = SECONDARY_MASK
    return rows


def _csv_value(value: Any, french: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", "," if french else ".")
    if isinstance(value, dt.date):  # a day a French Excel reads as a date; ISO 8601 for scripts
        return value.strftime("%d/%m/%Y") if french else value.isoformat()
    return value


def to_csv(table: Table, language: str = "en") -> str:
    """Return the table as CSV text, small counts masked, in the reader's spreadsheet convention.

    French: what a French-language Excel opens as columns — semicolons, a decimal comma, days as
    31/12/2026, and a UTF-8 byte order mark so accents are read right. English: plain RFC 4180 (commas,
    decimal point, ISO 8601 days, no BOM), for scripts and other tools.
    """
    french = language.startswith("fr")
    out = io.StringIO()
    if french:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=";" if french else ",", lineterminator="\r\n" if french else "\n")
    writer.writerow([_inert(value) for value in table.columns])
    for row in masked_rows(table):
        writer.writerow([_csv_value(_inert(value), french) for value in row])
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    """Return a text cell a spreadsheet will not run as a formula (a staff name "=HYPERLINK(...)")."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rate(numerator: int, denominator: int) -> Optional[float]:
    """Return a percentage rounded to one decimal, or None when there is no denominator."""
    return round(100.0 * numerator / denominator, 1) if denominator else None

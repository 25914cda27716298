"""Chart geometry for inline SVG drawn by the server (no JavaScript, no CDN, CSP-safe: no style attributes)."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 22
LABEL_WIDTH = 220
PLOT_WIDTH = 360
COLUMN_PLOT_HEIGHT = 160


@dataclass(frozen=True)
class Mark:
    """One bar or column: its label, value and rectangle."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    """A chart ready for the SVG template."""

    kind: str
    width: int
    height: int
    marks: list[Mark]
    maximum: int
    label_width: int = LABEL_WIDTH


def _scale(values: list[int]) -> int:
    return max([*values, 1])


def bars(points: list[tuple[str, int]]) -> Chart:
    """Lay out horizontal bars, one row per label, longest for the largest value."""
    top = _scale([v for _, v in points])
    marks = [
        Mark(label, value, LABEL_WIDTH, i * BAR_HEIGHT + 3, PLOT_WIDTH * value / top, BAR_HEIGHT - 6)
        for i, (label, value) in enumerate(points)
    ]
    return Chart("bars", LABEL_WIDTH + PLOT_WIDTH + 60, max(len(points), 1) * BAR_HEIGHT, marks, top)


def columns(points: list[tuple[str, int]]) -> Chart:
    """Lay out vertical columns of a time series, left to right."""
    top = _scale([v for _, v in points])
    step = max(8.0, min(40.0, 640.0 / max(len(points), 1)))
    marks = [
        Mark(
            label,
            value,
            40 + i * step + 1,
            10 + COLUMN_PLOT_HEIGHT * (1 - value / top),
            step - 2,
            COLUMN_PLOT_HEIGHT * value / top,
        )
        for i, (label, value) in enumerate(points)
    ]
    return Chart(
        "columns", int(40 + step * max(len(points), 1) + 10), COLUMN_PLOT_HEIGHT + 40, marks, top, label_width=40
    )


def chart_for(kind: str | None, points: list[tuple[str, int]]) -> Chart | None:
    """Return the chart of a table, or None when it has none."""
    if kind == "bars":
        return bars(points)
    if kind == "columns":
        return columns(points)
    return None

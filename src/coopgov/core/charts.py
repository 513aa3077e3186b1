"""Geometry of server-rendered SVG charts (bars, a stacked bar, trend lines), drawn by the
templates core/_bar_chart.html and core/_line_chart.html. Each chart in a page also has its
figures in a table (the text alternative)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal


@dataclass
class BarRow:
    label: str
    value: float | None
    y: int
    width: float  # of the bar, in the chart's units


@dataclass
class BarChart:
    rows: list[BarRow]
    width: int
    height: int
    label_width: int
    bar_width: int
    row_height: int
    maximum: float = 100

    @property
    def label_chars(self) -> int:
        """How many characters of a label fit left of the bars (13 px text)."""
        return max(8, self.label_width // 8)

    @property
    def bar_x(self) -> int:
        return self.label_width

    @property
    def value_x(self) -> int:
        return self.label_width + self.bar_width + 8

    @property
    def ticks(self) -> list[tuple[float, int]]:
        """Grid lines: every quarter of 100 %, or every step of a small scale."""
        if self.maximum == 100:
            steps = range(0, 101, 25)
        else:  # a small scale, or counts: at most about ten grid lines
            steps = range(0, int(self.maximum) + 1, max(1, math.ceil(self.maximum / 10)))
        return [(self.label_width + self.bar_width * s / self.maximum, s) for s in steps]


def bar_chart(
    rows: list[tuple[str, float | None]],
    *,
    maximum: float = 100,
    label_width: int = 300,
    bar_width: int = 360,
    row_height: int = 34,
) -> BarChart:
    """Horizontal bars from 0 to `maximum` (100 % by default), one row per label."""
    bars = [
        BarRow(
            label,
            value,
            index * row_height,
            0 if value is None else bar_width * max(0.0, min(value, maximum)) / maximum,
        )
        for index, (label, value) in enumerate(rows)
    ]
    return BarChart(
        bars,
        label_width + bar_width + 60,
        max(1, len(bars)) * row_height + 20,
        label_width,
        bar_width,
        row_height,
        maximum,
    )


@dataclass
class Segment:
    key: str
    label: str
    count: int
    x: float
    width: float


def stacked_bar(segments: list[tuple[str, str, int]], *, width: int = 600) -> list[Segment]:
    """One bar split in proportion to the counts (empty segments are left out)."""
    total = sum(count for _key, _label, count in segments)
    drawn = []
    x = 0.0
    for key, label, count in segments:
        if not count:
            continue
        part = width * count / total
        drawn.append(Segment(key, label, count, x, part))
        x += part
    return drawn


@dataclass
class Point:
    x: float
    y: float
    day: datetime.date
    value: Decimal


@dataclass
class LineChart:
    width: int
    height: int
    points: list[Point]
    target_y: float | None
    top: Decimal  # the highest value drawn (data or target), labelled at top_y
    top_y: float
    bottom: Decimal
    bottom_y: float

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


LEFT, RIGHT, TOP, BOTTOM = 44, 12, 10, 22


def line_chart(
    values: list[tuple[datetime.date, Decimal]],
    *,
    target: Decimal | None = None,
    bounds: tuple[Decimal, Decimal] | None = None,
    width: int = 320,
    height: int = 140,
) -> LineChart | None:
    """A trend over time, with the target as a line; None when there is nothing to draw. The
    vertical range is `bounds` (0 to 100 for a progress) or the data and target with a margin."""
    if not values:
        return None
    numbers = [value for _day, value in values] + ([target] if target is not None else [])
    if bounds is not None:
        shown_low, shown_high = low, high = bounds
    else:
        shown_low, shown_high = low, high = min(numbers), max(numbers)
        if low == high:
            low, high = low - 1, high + 1
        margin = (high - low) / 10
        low, high = low - margin, high + margin
    first, last = values[0][0], values[-1][0]
    span = (last - first).days or 1
    inner_w, inner_h = width - LEFT - RIGHT, height - TOP - BOTTOM

    def y_of(value: Decimal) -> float:
        return TOP + inner_h * float((high - value) / (high - low))

    points = [
        Point(
            LEFT + (inner_w * (day - first).days / span if len(values) > 1 else inner_w / 2),
            y_of(value),
            day,
            value,
        )
        for day, value in values
    ]
    return LineChart(
        width,
        height,
        points,
        y_of(target) if target is not None else None,
        shown_high,
        y_of(shown_high),
        shown_low,
        y_of(shown_low),
    )

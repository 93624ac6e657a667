"""Inline SVG line charts for the HTML report: completion over time against 序时进度.

Pure string building, no dependencies. Callers pass plain text; every text
placed in the SVG is escaped here with :func:`html.escape`. No ``xmlns`` URL is
written: inline SVG in an HTML5 document does not need one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from minsheng.render.fmt import cn_date, pct

LIGHT_STROKE = {"blue": "#1f5fbf", "green": "#1a7f37", "yellow": "#a86a00", "red": "#c62828", "overall": "#2f4a6d"}
"""Line colours per light, dark enough to read on white (the yellow light is drawn amber)."""


@dataclass(frozen=True, slots=True)
class Axis:
    """The time axis shared by every chart of a report."""

    start: dt.date
    end: dt.date
    basic: dt.date
    as_of: dt.date


@dataclass(frozen=True, slots=True)
class Box:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def inner_w(self) -> float:
        return self.width - self.left - self.right

    @property
    def inner_h(self) -> float:
        return self.height - self.top - self.bottom


SMALL = Box(width=220, height=118, left=28, right=6, top=8, bottom=16)
LARGE = Box(width=1100, height=230, left=40, right=56, top=12, bottom=22)
NARROW = Box(width=360, height=210, left=34, right=40, top=10, bottom=20)
"""The overall chart on a phone: drawn for about 360 px, so its 11-unit labels stay about 11 px."""


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_chart(
    points: Sequence[tuple[dt.date, float, float]],
    axis: Axis,
    *,
    label: str,
    light: str,
    box: Box = SMALL,
    expected_label: str = "序时",
) -> str:
    """An SVG with the actual completion (solid) and the expected 序时进度 (dashed) over time.

    ``points`` are (date, completion, expected) in date order, fractions 0..1;
    ``label`` is the accessible name (plain text, escaped here); ``expected_label`` names the
    expected value in each point's tooltip (which 序时进度 it is).
    """
    span = max((axis.end - axis.start).days, 1)
    x0, y0 = box.left, box.top

    def x(day: dt.date) -> float:
        frac = min(max((day - axis.start).days / span, 0.0), 1.0)
        return x0 + frac * box.inner_w

    def y(value: float) -> float:
        return y0 + (1 - min(max(value, 0.0), 1.0)) * box.inner_h

    small = box is SMALL
    font = 9 if small else 11
    quarterly = box.width < 500  # room for a label every month only on the wide chart
    out = [
        f'<svg class="chart" viewBox="0 0 {box.width} {box.height}" role="img" aria-label="{escape(label, quote=True)}"'
        f' preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(label)}</title>",
    ]
    # grid: 0 / 50 / 100 %
    for frac in (0.0, 0.5, 1.0):
        yy = _f(y(frac))
        out.append(f'<line class="grid" x1="{x0}" x2="{_f(x0 + box.inner_w)}" y1="{yy}" y2="{yy}"/>')
        out.append(f'<text class="tick" x="{x0 - 4}" y="{_f(y(frac) + font / 3)}" text-anchor="end">{frac:.0%}</text>')
    # Month ticks at month ends, where the reports fall: the 7-31 point sits over "7月", as
    # readers count periods. Every quarter on narrow charts, every month on the wide one.
    for end in _month_ends(axis.start, axis.end):
        if quarterly and end.month % 3:
            continue
        xx = x(end)
        bottom = _f(y0 + box.inner_h)
        out.append(f'<line class="axis" x1="{_f(xx)}" x2="{_f(xx)}" y1="{bottom}" y2="{_f(y0 + box.inner_h + 3)}"/>')
        anchor = "end" if xx > box.width - box.right - font else "middle"
        out.append(
            f'<text class="tick" x="{_f(xx)}" y="{_f(y0 + box.inner_h + 4 + font)}" text-anchor="{anchor}">'
            f"{end.month}月</text>"
        )
    # the 基本完成 deadline and the as-of day
    for cls, when in (("deadline", axis.basic), ("asof", axis.as_of)):
        if axis.start <= when <= axis.end:
            xx = _f(x(when))
            out.append(f'<line class="{cls}" x1="{xx}" x2="{xx}" y1="{y0}" y2="{_f(y0 + box.inner_h)}"/>')
    if not small and axis.start <= axis.basic <= axis.end:
        # Low on the left of the line: by the deadline the lines run high, so the top is theirs.
        xx = x(axis.basic)
        out.append(f'<text class="note" x="{_f(xx - 3)}" y="{_f(y(0) - 4)}" text-anchor="end">基本完成</text>')
    out.append(f'<line class="axis" x1="{x0}" x2="{_f(x0 + box.inner_w)}" y1="{_f(y(0))}" y2="{_f(y(0))}"/>')
    if points:
        expected = " ".join(f"{_f(x(d))},{_f(y(e))}" for d, _, e in points)
        actual = " ".join(f"{_f(x(d))},{_f(y(c))}" for d, c, _ in points)
        stroke = LIGHT_STROKE.get(light, "#333")
        out.append(f'<polyline class="expected" points="{expected}"/>')
        out.append(f'<polyline class="actual" points="{actual}" stroke="{stroke}"/>')
        for d, c, e in points:
            tip = f"{cn_date(d)} 完成 {pct(c)}，{expected_label} {pct(e)}"
            out.append(
                f'<circle cx="{_f(x(d))}" cy="{_f(y(c))}" r="{2 if small else 3}" fill="{stroke}">'
                f"<title>{escape(tip)}</title></circle>"
            )
        last_d, last_c, _ = points[-1]
        if not small:
            xx, yy = _f(x(last_d) + 6), _f(y(last_c) + 4)
            out.append(f'<text class="end" x="{xx}" y="{yy}" fill="{stroke}">{pct(last_c)}</text>')
    out.append("</svg>")
    return "".join(out)


def _month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of every month from ``start``'s to ``end``'s, inside [start, end]."""
    out = []
    year, month = start.year, start.month
    while True:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        last = nxt - dt.timedelta(days=1)
        if last > end:
            break
        if last >= start:
            out.append(last)
        year, month = nxt.year, nxt.month
    return out

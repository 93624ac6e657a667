"""Small formatting helpers shared by every renderer: numbers, percents, bars, safe text."""

from __future__ import annotations

import datetime as dt
import re

from minsheng.model import Value

_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPARKS = "▁▂▃▄▅▆▇█"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def pct(fraction: float | None, digits: int = 1) -> str:
    if fraction is None:
        return "—"
    return f"{fraction * 100:.{digits}f}%"


def points(delta: float | None) -> str:
    """A difference of fractions as signed percentage points: +3.2 / -12.5."""
    if delta is None:
        return "—"
    value = delta * 100
    return f"{value:+.1f}" if abs(value) >= 0.05 else "0.0"


def num(value: Value | float | None) -> str:
    if value is None:
        return "—"
    if value is True:
        return "已完成"
    if value is False:
        return "未完成"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    return str(value)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def short_date(day: dt.date | None) -> str:
    return "—" if day is None else day.isoformat()


def bar(fraction: float, width: int = 10) -> str:
    # Rounded down: a bar looks full only when the work is done.
    filled = int(min(max(fraction, 0.0), 1.0) * width + 1e-9)
    return "█" * filled + "░" * (width - filled)


def sparkline(values: list[float]) -> str:
    if not values:
        return ""
    top = max(values)
    if top <= 0:
        return _SPARKS[0] * len(values)
    return "".join(_SPARKS[min(int(v / top * (len(_SPARKS) - 1) + 0.5), len(_SPARKS) - 1)] for v in values)


def clean(text: str | None) -> str:
    """User text made safe for a terminal: escape sequences and control characters removed."""
    if not text:
        return ""
    return _CONTROL.sub("", text).replace("\n", " ").strip()


def clean_lines(text: str | None) -> str:
    """Like :func:`clean`, but keeps line breaks (for cells and documents that show them)."""
    if not text:
        return ""
    return "\n".join(_CONTROL.sub("", line).rstrip("\r") for line in text.split("\n")).strip()


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?%?")


def cell_text(text: str) -> str:
    """Text that a spreadsheet must never run as a formula gets a leading apostrophe."""
    if _NUMBER.fullmatch(text):  # -3.1, +33.3, 12.5%: numbers, which a spreadsheet must keep as numbers
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text

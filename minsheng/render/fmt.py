"""Small formatting helpers shared by every renderer: numbers, percents, bars, safe text."""

from __future__ import annotations

import datetime as dt
import re

from minsheng.model import Value

# Bidirectional controls reorder what is shown ("累计完成\u202e0067\u202c件" reads as 7600):
# U+061C, U+200E/U+200F, the embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "]"
)
_BREAKS = re.compile("[\u2028\u2029]")  # line and paragraph separators: breaks to some programs, not to others
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029" + BIDI_CONTROLS + "]")
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
    """User text made safe to show on one line, in a terminal, a page or a document.

    The one sanitiser every renderer uses: escape sequences (CSI, OSC), C0 and C1
    control characters and bidirectional controls are removed; line breaks (also
    U+2028/U+2029) become spaces. File paths go through it as well as data.
    """
    if not text:
        return ""
    return _BREAKS.sub(" ", _CONTROL.sub("", text).replace("\n", " ")).strip()


def clean_lines(text: str | None) -> str:
    """Like :func:`clean`, but keeps line breaks (for cells and documents that show them)."""
    if not text:
        return ""
    lines = _BREAKS.sub("\n", text).split("\n")
    return "\n".join(_CONTROL.sub("", line).rstrip("\r") for line in lines).strip()


def json_safe(text: str) -> str:
    """JSON text whose every character is harmless on a terminal, with the same value.

    ``json.dumps`` escapes C0 controls; C1 and bidirectional controls and U+2028/U+2029
    (which can only stand inside strings) become ``\\uXXXX`` escapes, so a reader of the
    JSON gets the data exactly as written.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Everything that can start a link, an image, emphasis, code, an HTML tag or entity, or end a
# table cell. A backslash before ASCII punctuation is always literal in CommonMark and GFM, so
# ``[a](javascript:…)``, ``![t](https://…)`` and ``<img …>`` come out as the text that was typed.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~!#$])")


def md_escape(text: str | None) -> str:
    """Any field of the data as Markdown text: cleaned (see :func:`clean`), then escaped."""
    return _MD_SPECIAL.sub(r"\\\1", clean(text))


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?%?")


def cell_text(text: str) -> str:
    """Text that a spreadsheet must never run as a formula gets a leading apostrophe."""
    if _NUMBER.fullmatch(text):  # -3.1, +33.3, 12.5%: numbers, which a spreadsheet must keep as numbers
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (for （一）（二）…)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    if tens >= 10:
        return str(n)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")

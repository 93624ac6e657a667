"""The one rule for a number written as text, in a YAML file and on the command line.

A number is written with ASCII digits: an optional ``-``, digits, optionally a
``.`` and digits, optionally an exponent (``1e3``, ``2.5E-2``). Nothing else:
no full-width or other scripts' digits (``１２``), no ``_`` or ``,`` between
digits, no leading ``+`` or ``.``, no ``inf``/``nan``, no hex. A value of an
indicator may also be ``true`` or ``false`` (any case).

Its size is bounded, so every computation stays exact and finite: the absolute
value is at most :data:`MAX_NUMBER` (10^15, where a float still holds every
integer), and a number that is not zero is at least :data:`MIN_NUMBER` — a
``1e-400`` that would silently read as 0 is refused instead.

Used by :mod:`minsheng.schema` for every number field and by the CLI's
``record ID=VALUE``. Nothing here knows about files or the schema.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NUMBER = 10**15
"""Largest absolute value accepted: above 2^53 (about 9·10^15) a float skips integers."""

MIN_NUMBER = 1e-12
"""Smallest absolute value accepted other than zero."""

MAX_CHARS = 100
"""A number longer than this is not a figure anyone typed."""

WHOLE_MEASURES = frozenset(
    {"块", "个", "户", "人", "名", "位", "所", "家", "条", "座", "台", "件", "场", "次", "辆", "张", "间", "套"}
    | {"处", "栋", "幢", "项", "支", "批", "盏", "棵", "株", "头", "只", "本", "册"}
    | {"人次", "户次", "场次", "车次", "架次", "个次", "张次", "家次", "所次", "间次"}
)
"""Measures counted in whole units: 2.5块 is a typo, 2.5公里 or 2.5万元 is not.

An indicator in one of these refuses a fraction unless the plan says ``whole: false``
(or gives a ``scale``: 4.3万人 is written and read in 万)."""

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?", re.ASCII)
_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
PLAIN_NUMBER = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,12})?", re.ASCII)
"""At most 15 digits before the point (below 10^15) and 12 after (a non-zero value is at least 10^-12)."""


class NumberError(ValueError):
    """Text that is not a number by the rule; ``code`` is ``type`` or ``out-of-range``."""

    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def parse_number(text: str, *, allow_bool: bool = False) -> int | float | bool:
    """``text`` as an int (no point, no exponent), a float, or (``allow_bool``) a bool.

    Raises :class:`NumberError` with a message and a hint in plain Chinese.
    """
    raw = text.strip(" \t")
    if PLAIN_NUMBER.fullmatch(raw):  # the common case, within both bounds by its shape
        return float(raw) if "." in raw else int(raw)
    if allow_bool and raw.lower() in {"true", "false"}:
        return raw.lower() == "true"
    shown = f"“{raw[:40]}…”" if len(raw) > 40 else f"“{raw}”"
    what = "应为数字（或 true/false）" if allow_bool else "应为数字"
    if len(raw) > MAX_CHARS:
        raise NumberError("out-of-range", f"数值有 {len(raw)} 个字符，不是一个合理的数", "检查是否多打了数字")
    if not _NUMBER.fullmatch(raw):
        raise NumberError("type", f"{what}，这里是 {shown}", _hint(raw, allow_bool))
    if _INTEGER.fullmatch(raw):
        value: int | float = int(raw)
    else:
        value = float(raw)
    if abs(value) > MAX_NUMBER:
        raise NumberError(
            "out-of-range", f"数值 {shown} 超出可计算的范围（绝对值不超过 10^15）", "检查是否多打了数字或写错了指数"
        )
    mantissa = re.split("[eE]", raw)[0]
    if abs(value) < MIN_NUMBER and any(ch in "123456789" for ch in mantissa):
        raise NumberError(
            "out-of-range", f"数值 {shown} 太接近 0（不为 0 时绝对值不小于 10^-12）", "写成 0，或检查指数"
        )
    return value


def _hint(raw: str, allow_bool: bool) -> str:
    if any(unicodedata.category(ch) == "Nd" and not ch.isascii() for ch in raw) or any(ch in raw for ch in "．＋－，"):
        return "用半角数字 0–9 和半角小数点（如 12.5），不用全角或其他文字的数字"
    if "_" in raw or "," in raw:
        return "数字中不写千位分隔符，如 10000"
    if raw.endswith(("%", "％")):
        return "百分数只写百分号前的数，如 4.5% 写 4.5"
    if raw.startswith(("+", ".")) or raw.endswith("."):
        return "写成普通的数，如 5、0.5、-3"
    if allow_bool and raw.lower() in {"yes", "no", "on", "off", "y", "n", "是", "否"}:
        return "无数字事项只能填 true（已完成）或 false"
    return "只填数字，计量单位不用写"

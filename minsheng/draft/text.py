"""Text helpers shared by the drafting rules: a matching copy of the text, clause splitting, numerals.

Published pages are often mirrored in traditional characters (責任單位, 萬人). The
rules match against :func:`fold`, a copy of the text in which each traditional
character the rules look for is replaced by its simplified form, one character
for one, so every position in the copy is the same position in the original;
what the draft carries (names, items, units) is always cut from the original.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator

# Traditional -> simplified, one character each, for the words the rules match.
_TRAD = (
    "責單頭牽達於資萬億項類個條塊場處戶間張輛盞隻噸對畝為進組織實設總計劃內稱號區縣級點標準數與並擴農業務"
    "醫衛養體學園線網燈橋園館鎮鄉莊門廳東車電話審議會屆屆議決過經關範圍歲參審續裝幣從買辦將層圖廣灣邊島環"
    "傳開發條約兩屆雙員廠態時風屬軌濟專產側門診療護幫貧殘聯義務職滿樂種歸樓運輸療預營這總並動費"
)
_SIMP = (
    "责单头牵达于资万亿项类个条块场处户间张辆盏只吨对亩为进组织实设总计划内称号区县级点标准数与并扩农业务"
    "医卫养体学园线网灯桥园馆镇乡庄门厅东车电话审议会届届议决过经关范围岁参审续装币从买办将层图广湾边岛环"
    "传开发条约两届双员厂态时风属轨济专产侧门诊疗护帮贫残联义务职满乐种归楼运输疗预营这总并动费"
)
assert len(_TRAD) == len(_SIMP)
_FOLD = str.maketrans(_TRAD, _SIMP)


def fold(text: str) -> str:
    """The matching copy of ``text``: same length, simplified where the rules care."""
    return text.translate(_FOLD)


OPEN = "(（[【《“‘「"
CLOSE = ")）]】》”’」"
CLAUSE_ENDS = "，,；;。！!？?"

CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """一 … 九十九 as an int (十 = 10, 十二 = 12, 二十 = 20); None when it is not a numeral."""
    if not text or any(c not in CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def spans(text: str, separators: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each piece of ``text`` between ``separators`` outside brackets."""
    depth = 0
    start = 0
    for i, char in enumerate(text):
        if char in OPEN:
            depth += 1
        elif char in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and char in separators:
            yield start, i
            start = i + 1
    yield start, len(text)


def clean(text: str) -> str:
    """One line, no doubled or odd whitespace, no stray separators at either end."""
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" ，,；;、：:")


def month_end(year: int, month: int) -> str:
    """The last day of ``month`` as YYYY-MM-DD ("10月底" of 2024 is 2024-10-31)."""
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"

"""Targets in one project's text: each number with its measure word, what kind of target it is, its name.

The rules work clause by clause (a clause ends at ，；。). A number is a target
when a measure word follows it ("146公里", "4.3万人", "60%"); the words around it
say whether it is a floor ("200场以上", "不少于5处"), a level ("达到253人"), a
ceiling ("控制在3%以内"), and which named places it counts ("A、B等9个路口" ->
examples; "A、B、C三所" -> items). Numbers that are not targets (years, dates,
ordinals, standards such as "按1500元/人", amounts of money, a digit in a road's
name) are kept aside with the reason, for the person who reviews the draft.

Everything here is a pure function of the text: no files, no clock.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from minsheng.draft.text import cn_number, fold, spans

MEASURES = sorted(
    [
        "平方公里",
        "平方米",
        "立方米",
        "公里",
        "千米",
        "公顷",
        "延长米",
        "人次",
        "户次",
        "场次",
        "台次",
        "车次",
        "千瓦",
        "小时",
        "米",
        "亩",
        "吨",
        "个",
        "条",
        "块",
        "场",
        "处",
        "名",
        "户",
        "件",
        "人",
        "家",
        "所",
        "座",
        "套",
        "间",
        "张",
        "台",
        "辆",
        "盏",
        "株",
        "棵",
        "批",
        "次",
        "项",
        "类",
        "位",
        "床",
        "只",
        "口",
        "眼",
        "根",
        "对",
        "段",
        "册",
        "本",
        "份",
        "期",
        "班",
        "天",
        "元",
        "支",
        "宗",
        "部",
        "栋",
        "幢",
        "层",
        "片",
        "组",
        "队",
        "门",
        "篇",
        "杆",
        "村",
        "乡镇",
        "周岁",
        "岁",
        "%",
        "％",
    ],
    key=len,
    reverse=True,
)
_MEASURE = "|".join(re.escape(m) for m in MEASURES)
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?!\d)")
_AFTER = re.compile(rf"\s*(万|亿)?\s*({_MEASURE})?(以上|以内|以下|左右|多)?")
_CN_COUNT = re.compile(rf"([一二两三四五六七八九十]{{1,3}})({_MEASURE})")
_FLOOR = re.compile(r"(不少于|不低于|不小于|至少|超过|多于)\s*$")
_CEILING = re.compile(r"(不超过|不高于|低于|控制在)[^\d，,；;]{0,4}$")
# a level: "达到253人", "达到城市社区的60%", "比例达90%" (a bare 达 only right before its number: 达标 is not one)
_LEVEL = re.compile(r"(?:(达到|提高到|提高至|提升到|提升至|增加到|增加至|增至|保持在|稳定在)[^\d，,；;]{0,8}|(达)\s*)$")
_INVEST = re.compile(r"(年度投资|当年投资|今年投资|计划投资|总投资|投资|投入资金|投入|资金)[^\d，,；;]{0,4}$")
_EXAMPLES_END = re.compile(r"等([^\d、，,；;]{0,6})$")
# Words that open a clause before what it names ("对5处健身场地…", "为117名残疾儿童…").
NAME_LEADS = sorted(["对", "在", "为", "组织", "力争", "确保", "全年", "计划", "累计"], key=len, reverse=True)
# ... and the verbs that open a list of named places ("改造提升口头庄—丰南界、…").
ITEM_LEADS = sorted(
    [
        *NAME_LEADS,
        *[
            "启动实施",
            "实施",
            "开展",
            "推进",
            "完成",
            "建成",
            "新建",
            "改造提升",
            "改造",
            "种植",
            "打通",
            "开工建设",
            "安装",
            "更换",
            "建设",
        ],
    ],
    key=len,
    reverse=True,
)
_ITEMS_ACTION = re.compile(
    r"^(对|启动实施|实施|完成|建成|新建|改造)(.+?)(?:进行(.+)|(建设|改造|改扩建|新建|提升改造|维修改造))$"
)
_TRAILING = re.compile(r"(提供支持|的)$")
_DROP_WORDS = re.compile(r"进行|提供")

ROAD_ENDS = tuple("路道街巷线渠河沟堤")
PARALLEL_LEADS = ("为", "对", "在")


@dataclass
class Target:
    """One target found in a project's text; ``value`` is stored exactly (4.3万 -> 43000)."""

    value: int | float | None  # None: a milestone (a thing to do, with no number)
    written: str
    measure: str | None
    name: str
    kind: str = "amount"
    floor: bool = False
    scale: str | None = None
    items: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    part_of_previous: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    """A number in the text that was left out on purpose, with why."""

    text: str
    reason: str


@dataclass
class Extraction:
    targets: list[Target] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    investment: int | float | None = None
    investment_note: str | None = None
    examples: list[str] = field(default_factory=list)  # an "A、B等" list with no number after it


@dataclass
class _Token:
    start: int  # where the words that belong to the number begin ("不少于", "达到…的")
    num: int
    end: int
    target: Target
    examples_span: tuple[int, int] | None = None
    level_at: int | None = None


def exact(number: str, scale: str | None) -> int | float:
    value = Decimal(number) * {None: 1, "万": 10000, "亿": 100000000}[scale]
    return int(value) if value == value.to_integral_value() else float(value)


def strip_lead(text: str, leads: list[str] = ITEM_LEADS) -> str:
    for lead in leads:
        if text.startswith(lead) and len(text) > len(lead):
            return text[len(lead) :]
    return text


def _snippet(orig: str, start: int, end: int) -> str:
    """The clause a number stands in (``orig``), or the words around it when the clause is long."""
    clause = orig.strip()
    if len(clause) <= 30:
        return clause
    return (
        ("…" if start > 10 else "")
        + orig[max(0, start - 10) : end + 10].strip()
        + ("…" if end + 10 < len(orig) else "")
    )


def extract(text: str) -> Extraction:
    """Every target of ``text`` (one project), in order, and the numbers left out."""
    out = Extraction()
    norm = fold(text)
    with_targets: Counter[str] = Counter()
    without: list[tuple[int, str, str]] = []  # (where among the targets, clause, its lead word)
    for cs, ce in spans(norm, "，,；;。！!？?"):
        before = len(out.targets)
        _clause(text[cs:ce], norm[cs:ce], out)
        lead = next((w for w in PARALLEL_LEADS if norm[cs:ce].strip().startswith(w)), "")
        if len(out.targets) > before:
            with_targets[lead] += 1
        elif lead and not _NUMBER.search(norm[cs:ce]):
            without.append((len(out.targets), text[cs:ce].strip(), lead))
    # "为117名…提供…，…，为…发放助学金": a clause shaped like its numbered siblings, with no number,
    # is a thing to do all the same (a milestone); a lone "对…" clause is more likely a purpose.
    for shift, (at, clause, lead) in enumerate(w for w in without if with_targets[w[2]] >= 2):
        target = Target(None, "", None, clause, kind="milestone")
        target.notes.append(f"与同一项目里其他“{lead}……”的目标并列但没有数字：按“完成/未完成”跟踪")
        out.targets.insert(at + shift, target)
    return out


def _has_target(text: str) -> bool:
    """Whether ``text`` has a number with a measure word after it."""
    return any((after := _AFTER.match(text, m.end())) is not None and after.group(2) for m in _NUMBER.finditer(text))


def _enumeration(orig: str, norm: str, end: int) -> tuple[int, list[str]] | None:
    """The "A、B、C" list that ends at ``end`` in a clause: (where it starts, the names)."""
    pieces = list(spans(norm[:end], "、"))
    if len(pieces) < 2:
        return None
    kept: list[tuple[int, int]] = []
    for ps, pe in reversed(pieces):
        if _has_target(norm[ps:pe]):  # "修复堰塘1座、建设机电井7座": a list of targets, not of names
            break
        kept.append((ps, pe))
    if len(kept) < 2:
        return None
    kept.reverse()
    first_s, first_e = kept[0]
    first = strip_lead(norm[first_s:first_e])
    start = first_e - len(first)
    names = [orig[start:first_e].strip()] + [orig[s:e].strip() for s, e in kept[1:]]
    if any(not n or len(n) > 40 for n in names):
        return None
    return start, names


def _clause(orig: str, norm: str, out: Extraction) -> None:
    tokens: list[_Token] = []
    for m in _NUMBER.finditer(norm):
        token = _number(orig, norm, m, out, tokens[-1].end if tokens else 0)
        if token is not None:
            tokens.append(token)
    tokens.extend(_chinese_counts(orig, norm, tokens))
    tokens.sort(key=lambda t: t.num)
    if not tokens and not _NUMBER.search(norm):
        _items_without_number(orig, norm, out)
        return
    _name(orig, norm, tokens)
    out.targets.extend(t.target for t in tokens)


def _number(orig: str, norm: str, m: re.Match[str], out: Extraction, prev_end: int) -> _Token | None:
    before, number = norm[: m.start()], m.group(1)
    after = _AFTER.match(norm, m.end())
    assert after is not None
    scale, measure, qualifier = after.group(1), after.group(2), after.group(3)
    rest = norm[m.end() :]
    end = after.end() if (measure or scale) else m.end()

    def skip(reason: str) -> None:
        out.skipped.append(Skipped(_snippet(orig, m.start(), end), reason))

    if re.search(r"[A-Za-z]$", before) or re.match(r"[A-Za-z]", rest):
        return skip("名称或编号中的数字")
    if re.match(r"\s*(年|年度)", rest) and not measure:
        return skip("年份" if len(number) == 4 else "年数")
    if re.match(r"\s*(月|日|号|时|:|：)", rest) or before.endswith("月"):
        return skip("日期")
    if before.endswith("第"):
        return skip("序数")
    if (
        re.search(r"每[^\d，,；;]{0,4}$", before)
        or re.match(rf"\s*(万|亿)?\s*({_MEASURE})?\s*/", rest)
        or (re.search(r"按(照)?[^，,；;]*$", before) and "标准" in rest)
        or measure in ("岁", "周岁")
    ):
        return skip("标准，不是目标")
    if measure == "元":
        invest = _INVEST.search(before)
        if invest:
            # investment is kept in 万元: 9530万元 -> 9530, 1.2亿元 -> 12000, 500000元 -> 50
            amount = Decimal(number) * {"万": 1, "亿": 10000, None: Decimal("0.0001")}[scale]
            amount = int(amount) if amount == amount.to_integral_value() else float(amount)
            yearly = invest.group(1) in ("年度投资", "当年投资", "今年投资", "计划投资")
            if out.investment is None or yearly:
                out.investment = amount
                out.investment_note = (
                    None if yearly else f"取自“{_snippet(orig, m.start(), end)}”，是否为年度投资请核对"
                )
            return None
        return skip("金额，不是目标")
    floor_m = _FLOOR.search(before)
    if not measure:
        if floor_m and not scale:
            target = Target(exact(number, None), orig[m.start() : end], None, "", floor=True)
            target.notes.append("原文数字后没有计量单位，请补上 measure")
            return _Token(floor_m.start(), m.start(), end, target)
        return skip("没有计量单位")
    # the measure word as the document writes it (畝 stays 畝), only the percent sign made one
    written_measure = "%" if measure in ("%", "％") else orig[after.start(2) : after.end(2)]
    target = Target(exact(number, scale), orig[m.start() : end], written_measure, "", scale=scale)
    start = m.start()
    level = _LEVEL.search(before)
    ceiling = _CEILING.search(before)
    if floor_m or qualifier == "以上":
        target.floor = True
        if floor_m:
            start = floor_m.start()
    if ceiling or qualifier in ("以内", "以下"):
        target.kind = "ceiling"
        if ceiling:
            start = ceiling.start()
    elif level:
        target.kind = "level"
        target.notes.append("“达到”类指标是水平值：如有年初基数请填 baseline")
        start = level.start()
    if written_measure == "%" and target.kind == "amount":
        target.kind = "level"
        target.notes.append("百分比按水平值（比例）跟踪，请核对")
    if before.endswith("约") or qualifier in ("左右", "多"):
        target.notes.append("原文是约数")
        start = start - 1 if before.endswith("约") else start
    if scale:
        target.notes.append(f"原文写作“{target.written}”，目标按 {target.value} 存")
    token = _Token(start, m.start(), end, target)
    examples = _EXAMPLES_END.search(norm[:start])
    if examples:
        enum = _enumeration(orig, norm, examples.start())
        if enum:
            target.examples = enum[1]
            token.examples_span = (enum[0], examples.start() + 1)
        else:
            _one_example(orig, norm, token, examples.start(), prev_end)
    elif "、" in norm[:start]:
        enum = _enumeration(orig, norm, start)
        if enum and len(enum[1]) == target.value:
            target.items = enum[1]
            token.examples_span = (enum[0], start)
    if level:
        token.level_at = level.start()
    return token


def _one_example(orig: str, norm: str, token: _Token, at: int, prev_end: int) -> None:
    """One named example ("完成峡口镇大坑等6座"): back to the clause start, the last target or a 及/和."""
    joins = [i for i, c in enumerate(norm[:at]) if c in "、及和与并"]
    lo = max(prev_end, joins[-1] + 1 if joins else 0)
    one = strip_lead(norm[lo:at].strip())
    start = at - len(one)
    if 2 <= len(one) <= 20 and not re.search(r"\d", one):
        token.target.examples = [orig[start:at]]
        token.examples_span = (start, at + 1)


def _chinese_counts(orig: str, norm: str, tokens: list[_Token]) -> list[_Token]:
    """A count in Chinese numerals right after the list it counts ("A、B、C三所老旧小区")."""
    found = []
    for m in _CN_COUNT.finditer(norm):
        if any(t.start <= m.start() < t.end for t in tokens):
            continue
        count = cn_number(m.group(1))
        enum = _enumeration(orig, norm, m.start())
        if count is None or enum is None or len(enum[1]) != count:
            continue
        target = Target(count, orig[m.start() : m.end()], orig[m.start(2) : m.end(2)], "", items=enum[1])
        target.notes.append(f"目标取自汉字数字“{m.group(1)}”，与点名项目个数相同")
        found.append(_Token(m.start(), m.start(), m.end(), target, (enum[0], m.start())))
    return found


def _items_without_number(orig: str, norm: str, out: Extraction) -> None:
    """Named items with no count ("对A、B、C进行道路翻修改造"): the target is how many are named."""
    examples = re.search(r"等", norm)
    if examples:
        enum = _enumeration(orig, norm, examples.start())
        if enum:
            out.examples.extend(enum[1])
        return
    m = _ITEMS_ACTION.match(norm.strip())
    if not m:
        return
    offset = len(norm) - len(norm.lstrip())
    lead, middle = m.group(1), m.group(2)
    ms = offset + m.start(2)
    separators = "、和及与" if "、" not in middle or lead == "对" else "、"
    pieces = [(s + ms, e + ms) for s, e in spans(middle, separators)]
    if "、" not in middle and not (lead == "对" and m.group(3)):
        return
    names = [orig[s:e].strip() for s, e in pieces]
    if len(names) < 2 or any(not n or len(n) > 30 or "等" in n for n in names):
        return
    action = (m.group(3) or m.group(4) or "").strip()
    if len(action) < 4:
        common = _common_suffix(names)
        action = f"{common}{action}" if len(common) >= 2 else f"{lead}{action}"
    measure = "条" if all(n.rstrip(")）").split("(")[0].split("（")[0].endswith(ROAD_ENDS) for n in names) else "个"
    target = Target(len(names), "", measure, action, items=names)
    target.notes.append(f"原文未写数字：目标 {len(names)} 是点名项目的个数，计量单位“{measure}”为推测")
    out.targets.append(target)


def _common_suffix(names: list[str]) -> str:
    suffix = names[0]
    for name in names[1:]:
        while suffix and not name.endswith(suffix):
            suffix = suffix[1:]
    return suffix


def _name(orig: str, norm: str, tokens: list[_Token]) -> None:
    """Each target's name: the clause's words around its number, lists and the number itself taken out."""
    mask = list(norm)
    for t in tokens:
        if t.examples_span:
            for i in range(*t.examples_span):
                mask[i] = "\0"
    groups: list[list[_Token]] = []
    for t in tokens:
        if groups and re.fullmatch(r"\s*[、和及与]\s*", norm[groups[-1][-1].end : t.start]):
            groups[-1].append(t)
        else:
            groups.append([t])
    bounds = [0] + [g[-1].end for g in groups]
    for gi, group in enumerate(groups):
        first, last = group[0], group[-1]
        lo = max(bounds[gi], _last_sep(mask, first.start) + 1)
        before = "".join(orig[i] if mask[i] != "\0" else "" for i in range(lo, first.start))
        if first.level_at is not None and first.level_at >= lo:
            before = "".join(orig[i] for i in range(lo, first.level_at) if mask[i] != "\0")
            after = ""
        else:
            hi = _next_sep(mask, last.end)
            if gi + 1 < len(groups):
                hi = min(hi, groups[gi + 1][0].start)
            after = "".join(orig[i] if mask[i] != "\0" else "" for i in range(last.end, hi))
        between = ""
        if first.examples_span:
            between = "".join(orig[i] for i in range(first.examples_span[1], first.start) if mask[i] != "\0")
            before = "".join(orig[i] for i in range(lo, first.examples_span[0]) if mask[i] != "\0")
            if before[-1:] in (
                "及",
                "和",
                "与",
                "并",
            ):  # "…改造及石门镇…等10座": the words before 及 are another target's
                before = ""
        part_of = "其中" in fold(before)
        name = _tidy(before.replace("其中", "") + between + after)
        for t in group:
            t.target.name = name
            t.target.part_of_previous = part_of


def _last_sep(mask: list[str], before: int) -> int:
    for i in range(before - 1, -1, -1):
        if mask[i] == "、":
            return i
    return -1


def _next_sep(mask: list[str], after: int) -> int:
    for i in range(after, len(mask)):
        if mask[i] == "、":
            return i
    return len(mask)


def _tidy(name: str) -> str:
    name = re.sub(r"\s+", "", name).strip("、，,；;：:及和与并")
    folded = fold(name)
    name = name[len(folded) - len(strip_lead(folded, NAME_LEADS)) :]
    name = _remove(name, _TRAILING)
    return _remove(name, _DROP_WORDS).strip("、，,")


def _remove(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` without what ``pattern`` matches in its folded copy (so 進行 goes as 进行 does)."""
    kept, at = [], 0
    for m in pattern.finditer(fold(text)):
        kept.append(text[at : m.start()])
        at = m.end()
    return "".join(kept) + text[at:]

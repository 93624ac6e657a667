"""Cutting a document into its parts: the plan's header facts, categories, and one piece per project.

Text documents number their projects ("1.城市道路提升工程。…", "3、…") under
headings ("一、促进就业（3项）"); some head each project "一、二、三、" with no
numbers. Tables (a 项目清单) have one project per row, with columns found by
their header words (项目名称, 建设内容, 年度投资, 责任单位, …). Each project
comes out as a :class:`Piece`: its id, name, description, the text to read
targets from, its units and its category.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from minsheng.draft.read import Document
from minsheng.draft.text import clean, fold, month_end, spans

_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*(?!\d)(\S.*)$")
# "01 新改扩建公办幼儿园11所": two digits and a space, taken only as a run 01, 02, 03, …
_PADDED = re.compile(r"^\s*(0[1-9]|[1-9]\d)\s+(?!\d)(\S.*)$")
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(\S.*)$")
_COUNT = re.compile(r"[（(]\s*(\d+)\s*(项|件|个|类)?\s*[)）]?\s*$")
# "住建局/城管局" is two units (and "/" could not be in a unit's name: it names its progress file)
UNIT_SEPARATORS = "、，,/／"
_UNIT_LABELS = "责任单位|牵头单位|配合单位|承办单位|实施单位|主责单位|责任部门|牵头部门|配合部门"
_UNITS_PAREN = re.compile(rf"[（(]\s*((?:{_UNIT_LABELS})\s*[:：].*?)[)）]\s*[。.]?")
_UNITS_LINE = re.compile(rf"(?:^|[。；;\s])((?:{_UNIT_LABELS})\s*[:：][^\n]*)$")
_DEADLINE = re.compile(r"(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|底|末|份)?\s*(?:以)?前\s*([^，,。；;]{0,12}?完成)")
_DUE = re.compile(
    r"(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|底|末)?\s*(?:以)?前\s*(?:全面|基本)?(完成|建成|完工|投用|投入使用)"
)
_APPROVED = re.compile(r"经(.{2,30}?(?:人民代表大会|人大)[^，,。；;]{0,20}?会议)")
_APPROVED_GOV = re.compile(r"经((?:[区市县省州旗])?(?:人民)?政府(?:常务会议)?)(?:研究)?同意")
_SOURCE = re.compile(r"来源\s*[:：]\s*([^\s|:：]{2,30})")
_PUBLISHED = re.compile(r"(?:时间|发布日期|发布时间|日期)\s*[:：]\s*(\d{4}-\d{2}-\d{2})")
_TITLE_WORDS = re.compile(r"民生实事|实事|民生工程|惠民工程|民生事项")
_YEAR = re.compile(r"(20\d\d)\s*年")


@dataclass
class Piece:
    """One project as the document gives it."""

    id: str
    name: str
    description: str
    body: str  # the text to read targets from
    units: list[str]
    lead_units: int = 0  # how many of ``units`` were written as 牵头单位 (0: the first is lead by position)
    category: str | None = None
    investment: int | float | None = None
    investment_note: str | None = None
    location: str | None = None
    due: str | None = None
    name_guessed: bool = False


@dataclass
class Category:
    id: str
    name: str
    count: int | None = None


@dataclass
class Header:
    title: str | None = None
    region: str | None = None
    year: int | None = None
    approved_by: str | None = None
    source: str | None = None
    approved_guess: bool = False
    deadlines: list[tuple[str, str]] = field(default_factory=list)  # (YYYY-MM-DD, label), in order


@dataclass
class Segments:
    header: Header
    pieces: list[Piece]
    categories: list[Category]
    layout: str  # "numbered" | "headings" | "table"


def segment(doc: Document, year: int | None, region: str | None) -> Segments:
    table = _table_pieces(doc)
    if table is not None:
        pieces, categories, layout = table, [], "table"
        rest = doc.lines
    else:
        pieces, categories, layout, rest = _text_pieces(split_inline(doc.lines))
    header = _header(doc.lines, rest, year, region)
    if header.year is not None:
        for piece in pieces:
            piece.due = _due(piece.body, header.year, header.deadlines)
    return Segments(header, pieces, categories, layout)


# --- the header -----------------------------------------------------------------------------


def _header(lines: list[str], outside: list[str], year: int | None, region: str | None) -> Header:
    header = Header()
    for line in lines:
        text = clean(line)
        norm = fold(text)
        if 4 <= len(text) <= 60 and _TITLE_WORDS.search(norm) and not _NUMBERED.match(text) and "：" not in text:
            if _HEADING.match(text) or norm.startswith(("原标题", "标题", "名称")):
                continue
            header.title = re.sub(r"^【[^】]*】", "", text).strip()
            break
    header.year = year or _year(header.title, lines)
    header.region = region or _region(header.title)
    whole = "\n".join(lines)
    norm = fold(whole)
    src = _SOURCE.search(norm)
    if src:
        when = _PUBLISHED.search(norm)
        header.source = whole[src.start(1) : src.end(1)] + (f"，{when.group(1)}" if when else "")
    m = _APPROVED.search(norm)
    if m:
        header.approved_by = whole[m.start(1) : m.end(1)]
    else:
        m = _APPROVED_GOV.search(norm)
        if m:
            header.approved_by, header.approved_guess = whole[m.start(1) : m.end(1)], True
    if header.year is not None:
        outside_text = "\n".join(outside)
        for d in _DEADLINE.finditer(fold(outside_text)):
            month, day = int(d.group(1)), d.group(2)
            if not 1 <= month <= 12:
                continue
            date = f"{header.year:04d}-{month:02d}-{int(day):02d}" if day else month_end(header.year, month)
            label = re.sub(r"^(力争|确保|务必|全部|全面)?", "", outside_text[d.start(3) : d.end(3)]).strip() or "完成"
            if all(date != known for known, _ in header.deadlines):
                header.deadlines.append((date, label))
        header.deadlines.sort()
    return header


def _year(title: str | None, lines: list[str]) -> int | None:
    if title:
        m = _YEAR.search(title)
        if m:
            return int(m.group(1))
    counts = Counter(int(y) for line in lines for y in _YEAR.findall(line))
    return counts.most_common(1)[0][0] if counts else None


def _region(title: str | None) -> str | None:
    if not title:
        return None
    norm = fold(title)
    prefix = re.split(r"\d|民生|人民政府|政府|关于|办公室|领导小组|人大|委员会", norm)[0]
    m = re.match(r"^(.*[省市区县旗州盟])", prefix)
    return title[: m.end(1)] if m and len(m.group(1)) >= 2 else None


def _due(body: str, year: int, deadlines: list[tuple[str, str]]) -> str | None:
    m = _DUE.search(fold(body))
    if not m or not 1 <= int(m.group(1)) <= 12:
        return None
    month, day = int(m.group(1)), m.group(2)
    date = f"{year:04d}-{month:02d}-{int(day):02d}" if day else month_end(year, month)
    return None if deadlines and date == deadlines[-1][0] else date


# --- text documents ----------------------------------------------------------------------------


def _blocks(lines: list[str], start: re.Pattern[str]) -> list[tuple[int, list[str]]]:
    """Each line matching ``start`` with the lines that continue it (up to a blank line or the next start)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for i, raw in enumerate(lines):
        line = raw.strip()
        if start.match(fold(line)):
            current = [line]
            blocks.append((i, current))
        elif not line or _HEADING.match(fold(line)) or _NUMBERED.match(fold(line)):
            current = None
        elif current is not None:
            current.append(line)
    return blocks


_INLINE = re.compile(r"(?:(?<=[。；;)）\s])|^)(\d{1,2})[.．、](?!\d)")


def split_inline(lines: list[str]) -> list[str]:
    """Items run together in one paragraph ("…(责任单位:区住建局) 2.城市供水…"): one line each.

    Only a run 1, 2, 3, … (at least three, each after a sentence end, a bracket or a space) counts.
    """
    expect, cuts = 1, []
    for li, line in enumerate(lines):
        for m in _INLINE.finditer(fold(line)):
            if int(m.group(1)) == expect:
                cuts.append((li, m.start()))
                expect += 1
    if len(cuts) < 3 or all(pos == 0 for _, pos in cuts):
        return lines
    out: list[str] = []
    for li, line in enumerate(lines):
        starts = [pos for cli, pos in cuts if cli == li and pos > 0]
        if not starts:
            out.append(line)
            continue
        bounds = [0, *starts, len(line)]
        out.extend(part for a, b in itertools.pairwise(bounds) if (part := line[a:b].strip()))
        out.append("")
    return out


def _text_pieces(lines: list[str]) -> tuple[list[Piece], list[Category], str, list[str]]:
    numbered, pattern = _blocks(lines, _NUMBERED), _NUMBERED
    if not numbered:
        padded = _blocks(lines, _PADDED)
        numbers = [int(_match(_PADDED, block[0]).group(1)) for _, block in padded]
        if len(numbers) >= 3 and numbers == list(range(1, len(numbers) + 1)):
            numbered, pattern = padded, _PADDED
    headings = [(i, _HEADING.match(fold(lines[i].strip()))) for i in range(len(lines))]
    headings = [(i, m) for i, m in headings if m]
    used: set[int] = set()
    pieces: list[Piece] = []
    categories: list[Category] = []
    layout = "numbered"
    if numbered:
        heading_of: dict[int, tuple[str, str, int | None]] = {}
        for i, m in headings:
            text = lines[i].strip()
            name = text[m.start(2) :]
            count_line = lines[i + 1].strip() if i + 1 < len(lines) else ""
            count = _COUNT.search(fold(name)) or (_COUNT.fullmatch(fold(count_line)) if count_line else None)
            if count and count.string == fold(name):
                name = name[: count.start()]
            heading_of[i] = (m.group(1), clean(name), int(count.group(1)) if count else None)
        owner: dict[int, int] = {}
        for start, _block in numbered:
            above = [i for i, _ in headings if i < start]
            if above:
                owner[start] = above[-1]
        with_tasks = sorted(set(owner.values()))
        use_categories = len(with_tasks) >= 2 or any(heading_of[i][2] is not None for i in with_tasks)
        if use_categories:
            categories = [Category(*heading_of[i]) for i in with_tasks]
        for start, block in numbered:
            used.update(range(start, start + len(block)))
            m = _match(pattern, block[0])
            block = [block[0][m.start(2) :], *block[1:]]
            category = heading_of[owner[start]][0] if use_categories and start in owner else None
            pieces.append(_piece(m.group(1), block, category))
    else:
        blocks = _blocks(lines, _HEADING)
        with_numbers = [b for b in blocks if re.search(r"\d", "".join(b[1]))]
        if blocks and len(with_numbers) * 2 >= len(blocks):
            layout = "headings"
            for n, (start, block) in enumerate(blocks, 1):
                used.update(range(start, start + len(block)))
                m = _match(_HEADING, block[0])
                pieces.append(_piece(str(n), [block[0][m.start(2) :], *block[1:]], None))
    rest = [line for i, line in enumerate(lines) if i not in used]
    return pieces, categories, layout, rest


def _match(pattern: re.Pattern[str], line: str) -> re.Match[str]:
    """``pattern`` matched on the folded ``line`` (a line already known to match)."""
    m = pattern.match(fold(line))
    assert m is not None
    return m


def _units(text: str) -> tuple[str, list[str], int]:
    """``text`` without its unit parenthetical or line, the units named there, and how many lead."""
    norm = fold(text)
    m = _UNITS_PAREN.search(norm) or _UNITS_LINE.search(norm)
    if not m:
        return text, [], 0
    inner = text[m.start(1) : m.end(1)]
    lead: list[str] = []
    others: list[str] = []
    for ps, pe in spans(inner, "；;"):
        part = inner[ps:pe]
        label, _, names = re.split(r"([:：])", part, maxsplit=1) if re.search(r"[:：]", part) else ("", "", part)
        found = [clean(n) for s, e in spans(names, UNIT_SEPARATORS) if (n := names[s:e].strip(" 。.")) and clean(n)]
        (lead if "牵头" in fold(label) else others).extend(found)
    units = list(dict.fromkeys([*lead, *others]))
    return (text[: m.start()] + text[m.end() :]).strip(), units, len(lead)


def _piece(number: str, block: list[str], category: str | None) -> Piece:
    body_lines = []
    units: list[str] = []
    leads = 0
    for line in block:
        rest, found, lead_count = _units(line)
        if found:
            units, leads = units + found, leads + lead_count
        if rest:
            body_lines.append(rest)
    first = body_lines[0] if body_lines else ""
    norm = fold(first)
    stop = norm.find("。")
    guessed = False
    if len(body_lines) > 1 and len(first) <= 40 and not re.search(r"[，,；;]", norm):
        name, description = first.rstrip("。"), "".join(body_lines[1:])
        body = description
    elif 0 < stop <= 40 and stop < len(first) - 1:
        name, description = first[:stop], "".join([first[stop + 1 :], *body_lines[1:]])
        body = description
    else:
        text = "".join(body_lines)
        first_clause = next(spans(fold(text), "，,；;。"))
        name = text[first_clause[0] : first_clause[1]]
        guessed = first_clause[1] < len(text.rstrip("。"))
        if len(name) > 30:
            name = name[:30]
        description, body = text, text
    return Piece(number, clean(name), description.strip(), body, units, leads, category, name_guessed=guessed)


# --- tables --------------------------------------------------------------------------------------

_COLUMNS = {
    "id": re.compile(r"^(序号|编号)$"),
    "name": re.compile(r"项目名称|^项目$|实事名称|^名称$"),
    "content": re.compile(r"内容|规模|目标任务|主要任务|^任务$"),
    "investment": re.compile(r"投资|资金"),
    "lead": re.compile(r"牵头单位|牵头部门"),
    "units": re.compile(r"责任单位|责任部门|实施单位|承办单位"),
    "co": re.compile(r"配合单位|配合部门|协办单位"),
    "location": re.compile(r"建设地点|地点|实施地点"),
}


def _columns(row: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        norm = re.sub(r"\s+", "", fold(cell))
        for key, pattern in _COLUMNS.items():
            if key not in found and pattern.search(norm):
                if key == "investment" and key in found:
                    continue
                found[key] = i
                break
    if "name" in found and ("content" in found or "units" in found or "lead" in found):
        return found
    return None


def _investment_column(row: list[str]) -> tuple[int | None, bool, float]:
    """The yearly investment column if there is one, else the total; whether it is the total; 万元 factor."""
    best, total, factor = None, True, 1.0
    for i, cell in enumerate(row):
        norm = re.sub(r"\s+", "", fold(cell))
        if "投资" in norm or "资金" in norm:
            yearly = bool(re.search(r"年度|当年|今年|\d{4}年|计划", norm)) and "总" not in norm
            if best is None or (yearly and total):
                best, total = i, not yearly
                factor = 10000.0 if "亿元" in norm else 0.0001 if re.search(r"[(（]元[)）]", norm) else 1.0
    return best, total, factor


def _table_pieces(doc: Document) -> list[Piece] | None:
    for table in doc.tables:
        for hi, header in enumerate(table):
            columns = _columns(header)
            if columns is None:
                continue
            inv_col, inv_total, factor = _investment_column(header)
            pieces = []
            for n, row in enumerate(table[hi + 1 :], 1):
                pieces.extend(_row_piece(row, n, columns, inv_col, inv_total, factor))
            return pieces
    return None


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    i = columns.get(key)
    return row[i].strip() if i is not None and i < len(row) else ""


def _row_piece(
    row: list[str], n: int, columns: dict[str, int], inv_col: int | None, inv_total: bool, factor: float
) -> list[Piece]:
    name = clean(_cell(row, columns, "name"))
    if not name or len([c for c in row if c.strip()]) < 2:
        return []
    number = _cell(row, columns, "id")
    content = _cell(row, columns, "content")
    units: list[str] = []
    for key in ("lead", "units", "co"):
        cell = _cell(row, columns, key)
        units.extend(u for s, e in spans(cell, UNIT_SEPARATORS + "；;\n") if (u := clean(cell[s:e])))
    piece = Piece(
        number if re.fullmatch(r"\d{1,3}", number) else str(n),
        name,
        clean(content) or name,
        content,
        list(dict.fromkeys(units)),
        1 if _cell(row, columns, "lead") else 0,
        location=clean(_cell(row, columns, "location")) or None,
    )
    if inv_col is not None and inv_col < len(row):
        m = re.search(r"\d+(?:\.\d+)?", row[inv_col].replace(",", ""))
        if m:
            value = float(m.group()) * factor
            piece.investment = int(value) if value.is_integer() else round(value, 4)
            if inv_total:
                piece.investment_note = "取自总投资列，是否为年度投资请核对"
    return [piece]

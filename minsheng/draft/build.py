"""From the document's pieces to a draft plan: tasks, indicators, units and what needs review.

The draft is a plain value (:class:`DraftPlan`); :mod:`minsheng.draft.emit` is the
one place that turns it into YAML. Every choice a rule made without the text
saying so is recorded as a review note on the thing it concerns, and becomes a
``# 待核对：…`` comment in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minsheng.draft.read import Document
from minsheng.draft.segment import Category, Piece, segment
from minsheng.draft.targets import Skipped, extract
from minsheng.draft.text import fold

PLACEHOLDER_UNIT = "待定责任单位"


class DraftContentError(Exception):
    """The document has nothing a plan can be drafted from (no numbered projects)."""


@dataclass
class DraftUnit:
    name: str
    aliases: list[str] = field(default_factory=list)
    group: bool = False
    review: list[str] = field(default_factory=list)


@dataclass
class DraftIndicator:
    id: str
    name: str
    unit: str
    kind: str = "amount"
    target: int | float | None = None
    measure: str | None = None
    floor: bool = False
    scale: str | None = None
    part_of: str | None = None
    items: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    written: str = ""
    review: list[str] = field(default_factory=list)


@dataclass
class DraftTask:
    id: str
    name: str
    description: str
    units: list[str]
    indicators: list[DraftIndicator]
    category: str | None = None
    investment: int | float | None = None
    location: str | None = None
    due: str | None = None
    skipped: list[Skipped] = field(default_factory=list)
    review: list[str] = field(default_factory=list)


@dataclass
class DraftPlan:
    title: str
    region: str
    year: int
    deadlines: list[tuple[str, str]]  # basic, final
    units: list[DraftUnit]
    tasks: list[DraftTask]
    categories: list[Category] = field(default_factory=list)
    source: str | None = None
    file: str = ""
    approved_by: str | None = None
    layout: str = "numbered"
    review: list[str] = field(default_factory=list)
    units_review: list[str] = field(default_factory=list)
    tasks_review: list[str] = field(default_factory=list)

    @property
    def indicators(self) -> list[DraftIndicator]:
        return [i for t in self.tasks for i in t.indicators]

    def notes(self) -> list[tuple[str, str]]:
        """Every review note with where it is ("任务3", "指标3.1", "单位区住建局", "计划"), in file order."""
        found = [("计划", n) for n in self.review]
        found += [("全部单位", n) for n in self.units_review]
        found += [(f"单位{u.name}", n) for u in self.units for n in u.review]
        found += [("全部指标", n) for n in self.tasks_review]
        for task in self.tasks:
            found += [(f"任务{task.id}", n) for n in task.review]
            found += [(f"任务{task.id}", f"数字未作为目标（{s.reason}）") for s in task.skipped]
            found += [(f"指标{i.id}", n) for i in task.indicators for n in i.review]
        return found


def build(doc: Document, *, file_name: str, year: int | None = None, region: str | None = None) -> DraftPlan:
    seg = segment(doc, year, region)
    if not seg.pieces:
        raise DraftContentError(
            "没有找到编号的项目：起草需要“1.项目名称。内容……”这样编号的条目、“一、……”开头的各项，"
            "或含“项目名称”“建设内容”“责任单位”等表头的表格"
        )
    header = seg.header
    plan_review: list[str] = []
    if header.year is None:
        raise DraftContentError("文中找不到年度（如“2024年”）：请用 --year 指定")
    title = header.title or f"{header.region or ''}{header.year}年民生实事"
    if header.title is None:
        plan_review.append("文中找不到标题，title 为推测")
    if header.region is None:
        plan_review.append("文中找不到地区名称，region 暂填“待定地区”，可用 --region 指定")
    region_name = header.region or "待定地区"
    deadlines = _deadlines(header.deadlines, header.year, plan_review)
    if header.approved_guess:
        plan_review.append(f"approved_by 取自“经{header.approved_by}同意”，请核对")

    tasks = [_task(p) for p in seg.pieces]
    _dedupe_ids(tasks)
    units = _units(tasks, region_name)
    return DraftPlan(
        units_review=["各单位的简称（aliases）是按名称推测的"] if any(u.aliases for u in units) else [],
        tasks_review=["各指标的名称（name）取自原文数字前后的文字，请改成台账上要用的说法"],
        title=title,
        region=region_name,
        year=header.year,
        deadlines=deadlines,
        units=units,
        tasks=tasks,
        categories=seg.categories,
        source=header.source,
        file=file_name,
        approved_by=header.approved_by,
        layout=seg.layout,
        review=plan_review,
    )


def _deadlines(found: list[tuple[str, str]], year: int, review: list[str]) -> list[tuple[str, str]]:
    end = f"{year:04d}-12-31"
    if not found:
        review.append(f"文中没有写完成时限：两个节点暂定为 {end}")
        return [(end, "基本完成"), (end, "全面完成")]
    if len(found) == 1:
        review.append(f"文中只写了一个完成时限（{found[0][1]}），基本完成与全面完成暂用同一天")
        return [found[0], found[0]]
    if len(found) > 2:
        review.append("文中写了两个以上的时限，取最早的为基本完成、最晚的为全面完成")
    return [found[0], found[-1]]


def _task(piece: Piece) -> DraftTask:
    found = extract(piece.body)
    review: list[str] = []
    units = piece.units or [PLACEHOLDER_UNIT]
    if not piece.units:
        review.append("原文没有写责任单位，暂填“待定责任单位”")
    elif len(units) > 1:
        if piece.lead_units != 1:
            review.append(f"原文列了 {len(units)} 个责任单位，第一个“{units[0]}”暂作牵头单位")
        review.append("各指标的报送单位（unit）暂按牵头单位：请按分工修改，并把其他单位填入 co_units")
    if piece.name_guessed:
        review.append("原文没有单独的项目名称，name 取自第一句")
    investment = piece.investment if piece.investment is not None else found.investment
    note = piece.investment_note if piece.investment is not None else found.investment_note
    if note:
        review.append(note)
    if piece.due:
        review.append(f"due 取自原文的完成时限（{piece.due}）")
    lead = next((u for u in units if not is_group(u)), units[0])
    indicators: list[DraftIndicator] = []
    for n, target in enumerate(found.targets, 1):
        ind = DraftIndicator(
            id=f"{piece.id}.{n}",
            name=target.name or piece.name,
            unit=lead,
            kind=target.kind,
            target=target.value,
            measure=target.measure,
            floor=target.floor,
            scale=target.scale,
            items=target.items,
            examples=target.examples,
            written=target.written,
            review=list(target.notes),
        )
        if target.value is None:
            ind.kind, ind.measure = "milestone", None
        if not target.name:
            ind.review.append("原文数字前后没有指标名称，暂用项目名称")
        if target.part_of_previous and indicators:
            ind.part_of = indicators[-1].id
            ind.review.append(f"“其中”：暂作 {ind.part_of} 的一部分（part_of）")
        indicators.append(ind)
    _dedupe_names(indicators)
    if not indicators:
        indicators.append(
            DraftIndicator(
                id=f"{piece.id}.1",
                name=piece.name,
                unit=lead,
                kind="milestone",
                examples=found.examples,
                review=["原文没有数字目标，按“完成/未完成”跟踪"],
            )
        )
    return DraftTask(
        id=piece.id,
        name=piece.name,
        description=piece.description or piece.name,
        units=units,
        indicators=indicators,
        category=piece.category,
        investment=investment,
        location=piece.location,
        due=piece.due,
        skipped=found.skipped,
        review=review,
    )


def _dedupe_names(indicators: list[DraftIndicator]) -> None:
    seen: dict[str, int] = {}
    for ind in indicators:
        seen[ind.name] = seen.get(ind.name, 0) + 1
    for ind in indicators:
        if seen[ind.name] > 1 and ind.measure:
            ind.name = f"{ind.name}（{ind.measure}）"


def _dedupe_ids(tasks: list[DraftTask]) -> None:
    seen: set[str] = set()
    for n, task in enumerate(tasks, 1):
        if task.id in seen:
            new = str(n)
            while new in seen:
                new += "b"
            task.review.append(f"原文编号“{task.id}”重复，改为“{new}”")
            task.id = new
            for i, ind in enumerate(task.indicators, 1):
                ind.id = f"{new}.{i}"
        seen.add(task.id)


_LEVELS = "省市区县旗州盟"


def is_group(name: str) -> bool:
    """A name for many units ("各乡镇(街道)", "市直各相关单位"), which never reports itself."""
    norm = fold(name)
    return norm.startswith("各") or norm.endswith(("等单位", "各相关单位", "有关单位", "相关单位"))


def _units(tasks: list[DraftTask], region: str) -> list[DraftUnit]:
    names = list(dict.fromkeys(u for t in tasks for u in t.units))
    taken = set(names)
    # "唐山市丰润区" -> "丰润区": the last level of the region, used as 丰润区住建局
    m = re.search(rf"([^{_LEVELS}]+[{_LEVELS}])$", fold(region))
    local = region[m.start(1) :] if m else ""
    units = []
    for name in names:
        unit = DraftUnit(name)
        norm = fold(name)
        if name == PLACEHOLDER_UNIT:
            unit.review.append("占位单位：请改为实际的责任单位")
        elif is_group(name):
            unit.group = True
            unit.review.append("泛指的单位（如“各乡镇”），标为 group：不报送指标")
        elif len(norm) > 2 and norm[0] in _LEVELS:
            proposed = [name[1:]]
            if local and local[-1:] == norm[0]:
                proposed.append(local + name[1:])
            unit.aliases = [a for a in proposed if a not in taken]
            taken.update(unit.aliases)
        units.append(unit)
    return units

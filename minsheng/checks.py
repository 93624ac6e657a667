"""Rules across fields and files, each a small function returning problems.

Every rule has a code (listed in the README). A rule takes the loaded plans and
ledgers and returns :class:`~minsheng.problems.Problem` values; it never raises
and never prints. :data:`PLAN_RULES` and :data:`LEDGER_RULES` are the registry.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator

from minsheng.dataset import plan_of
from minsheng.load import LedgerFile, Loaded, PlanFile
from minsheng.model import STAGES, Indicator, Milestone, Plan, Task
from minsheng.numbers import MAX_NUMBER
from minsheng.problems import Problem
from minsheng.suggest import Suggester
from minsheng.units import UnitIndex, unsafe_file_name
from minsheng.yamlio import nfc

PlanRule = Callable[[PlanFile], Iterator[Problem]]
LedgerRule = Callable[[LedgerFile, "Context"], Iterator[Problem]]


# --- plan rules -------------------------------------------------------------


_BAD_ID = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def check_plan_ids(pf: PlanFile) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for ti, task in enumerate(pf.plan.tasks):
        if _BAD_ID.search(task.id):
            yield pf.source.problem(("tasks", ti, "id"), "bad-id", f"任务编号“{task.id}”含空白或控制字符", "编号如 2")
        if task.id in seen:
            yield pf.source.problem(
                ("tasks", ti, "id"), "duplicate-id", f"任务编号“{task.id}”重复", "每个任务的编号必须唯一"
            )
        seen.setdefault(task.id, "task")
    indicator_ids: set[str] = set()
    for ti, task in enumerate(pf.plan.tasks):
        for ii, ind in enumerate(task.indicators):
            if _BAD_ID.search(ind.id):
                yield pf.source.problem(
                    ("tasks", ti, "indicators", ii, "id"), "bad-id", f"指标编号“{ind.id}”含空白或控制字符", "编号如 2.1"
                )
            if ind.id in indicator_ids:
                yield pf.source.problem(
                    ("tasks", ti, "indicators", ii, "id"),
                    "duplicate-id",
                    f"指标编号“{ind.id}”重复",
                    "每个指标的编号必须唯一，如 2.1、2.2",
                )
            indicator_ids.add(ind.id)


def check_plan_units(pf: PlanFile) -> Iterator[Problem]:
    plan = pf.plan
    # Names first, then aliases: the clash is reported where the second claim is made,
    # and an alias that takes another unit's own name is always the one at fault.
    # Compared by NFKC: 区AB局 and 区ＡＢ局 (full-width) look like one unit to every reader.
    names: dict[str, tuple[int, str]] = {}
    for ui, unit in enumerate(plan.units):
        key = _nfkc(unit.name)
        if key in names:
            yield _duplicate_unit(pf, ("units", ui, "name"), unit.name, names[key][1])
        names.setdefault(key, (ui, unit.name))
    aliases: dict[str, str] = {}
    for ui, unit in enumerate(plan.units):
        for k, alias in enumerate(unit.aliases):
            key = _nfkc(alias)
            owner = names.get(key, (ui, alias))
            if owner[0] != ui or key in aliases:
                yield _duplicate_unit(pf, ("units", ui, "aliases", k), alias, aliases.get(key, owner[1]))
            aliases.setdefault(key, alias)
    for ui, unit in enumerate(plan.units):
        reason = unsafe_file_name(unit.name)
        if reason is not None:
            yield pf.source.problem(("units", ui, "name"), "unit-name", reason, "单位名称用普通文字，如 区住建局")
    known = [u.name for u in plan.units]
    known_set = set(known)  # membership per indicator: a set keeps 10 000 units linear
    guesses = Suggester()
    for ti, task in enumerate(plan.tasks):
        for k, name in enumerate(task.units):
            if name not in known_set:
                yield _unknown_unit(pf, ("tasks", ti, "units", k), name, known, guesses)
        for ii, ind in enumerate(task.indicators):
            base = ("tasks", ti, "indicators", ii)
            if ind.unit not in known_set:
                yield _unknown_unit(pf, (*base, "unit"), ind.unit, known, guesses)
            elif ind.unit not in task.units:
                yield pf.source.problem(
                    (*base, "unit"),
                    "unit-not-in-task",
                    f"指标 {ind.id} 的报送单位“{ind.unit}”不在任务 {task.id} 的责任单位中",
                    f"把它加入任务的 units，或改为 {'、'.join(task.units)} 之一",
                )
            for k, name in enumerate(ind.co_units):
                if name not in known_set:
                    yield _unknown_unit(pf, (*base, "co_units", k), name, known, guesses)
                elif name == ind.unit:
                    yield pf.source.problem(
                        (*base, "co_units", k),
                        "co-unit-is-unit",
                        f"“{name}”已是指标 {ind.id} 的报送单位，不必再列为配合单位",
                        "从 co_units 中删去",
                    )
    # A unit that assists (a task's 配合单位, a co-unit), reports an area's share, or is a
    # group ("各街道") has a part in the plan: it is not idle.
    involved = {ind.unit for task in plan.tasks for ind in task.indicators}
    involved |= {name for task in plan.tasks for name in task.units}
    involved |= {name for task in plan.tasks for ind in task.indicators for name in ind.co_units}
    involved |= {area.unit for area in plan.areas if area.unit}
    for ui, unit in enumerate(plan.units):
        if unit.name not in involved and not unit.group:
            yield pf.source.problem(
                ("units", ui, "name"),
                "idle-unit",
                f"单位“{unit.name}”不负责报送任何指标",
                "给它分配指标或列为配合单位（co_units）；如是“各街道”这样的统称，写 group: true",
                severity="warning",
            )


def _duplicate_unit(pf: PlanFile, path: tuple[str | int, ...], name: str, first: str) -> Problem:
    if name != first:
        return pf.source.problem(
            path,
            "duplicate-unit",
            f"单位名称或简称“{name}”与已有的“{first}”只差全角/半角等写法，读者看来是同一个",
            "每个名称只能指向一个单位：统一写法，或改成另一个名称",
        )
    return pf.source.problem(path, "duplicate-unit", f"单位名称或简称“{name}”出现不止一次", "每个名称只能指向一个单位")


def _nfkc(name: str) -> str:
    return name if name.isascii() else unicodedata.normalize("NFKC", name)


def _unknown_unit(
    pf: PlanFile, path: tuple[str | int, ...], name: str, known: list[str], guesses: Suggester
) -> Problem:
    return pf.source.problem(
        path,
        "unknown-unit",
        f"未知单位“{name}”",
        (guesses.hint(name, known) + "计划中的单位须在 units 中列出，并写全称").strip(),
    )


def check_plan_targets(pf: PlanFile) -> Iterator[Problem]:
    for ti, task in enumerate(pf.plan.tasks):
        for ii, ind in enumerate(task.indicators):
            base = ("tasks", ti, "indicators", ii)
            yield from _indicator_target_problems(pf, base, ind)


def _indicator_target_problems(pf: PlanFile, base: tuple[str | int, ...], ind: Indicator) -> Iterator[Problem]:
    if not MIN_WEIGHT <= ind.weight <= MAX_WEIGHT:
        yield pf.source.problem(
            (*base, "weight"),
            "out-of-range",
            f"指标 {ind.id} 的权重 {_num(ind.weight)} 不在 {_num(MIN_WEIGHT)} 到 {_num(MAX_WEIGHT)} 之间",
            "权重只表示任务内各指标的相对分量，如 1、2、0.5",
        )
    if ind.complete_target is not None:
        yield from _complete_target_problems(pf, base, ind)
    if ind.kind == "milestone":
        for name in ("target", "baseline", "measure"):
            if getattr(ind, name) is not None:
                yield pf.source.problem(
                    (*base, name),
                    "milestone-number",
                    f"指标 {ind.id} 是无数量的事项（milestone），不能有 {name}",
                    "删去这一项，或把 kind 改为 amount / level",
                )
        return
    if ind.target is None:
        yield pf.source.problem(
            base, "missing-target", f"指标 {ind.id} 缺少目标值 target", "填写数字目标，或把 kind 改为 milestone"
        )
        return
    if ind.measure is None:
        yield pf.source.problem(
            base, "missing-measure", f"指标 {ind.id} 缺少计量单位 measure", "如 条、公里、名、个", severity="warning"
        )
    if ind.items and len(ind.items) != ind.target:
        yield pf.source.problem(
            (*base, "items"),
            "items-count",
            f"指标 {ind.id} 点名了 {len(ind.items)} 项，与目标 {_num(ind.target)} 不符",
            "items 须列全；只列举部分时改用 examples",
        )
    baseline = ind.baseline
    if ind.kind == "ceiling":
        return  # kept at or under the target: where it starts from does not matter
    if ind.kind == "level" and ind.direction == "up" and baseline is None:
        yield pf.source.problem(
            base,
            "baseline-unknown",
            f"指标 {ind.id} 是达到的水平（level），未填年初基数，按 0 计，完成率会偏高",
            "填写年初基数 baseline（确实从零起步时写 baseline: 0）",
            severity="warning",
        )
    if ind.direction == "down":
        if baseline is None:
            yield pf.source.problem(
                base,
                "missing-baseline",
                f"指标 {ind.id} 越低越好（direction: down），须给出基数 baseline",
                "填写起始水平，如 baseline: 4.8",
            )
        elif baseline <= ind.target:
            yield pf.source.problem(
                (*base, "baseline"),
                "baseline-direction",
                f"指标 {ind.id} 越低越好，基数 {_num(baseline)} 应高于目标 {_num(ind.target)}",
                "检查 baseline、target 和 direction",
            )
    elif baseline is not None and (baseline > ind.target or (baseline == ind.target and ind.kind != "level")):
        yield pf.source.problem(
            (*base, "baseline"),
            "baseline-direction",
            f"指标 {ind.id} 的基数 {_num(baseline)} 不低于目标 {_num(ind.target)}，完成率无法计算",
            "越低越好的指标请写 direction: down",
        )


def _complete_target_problems(pf: PlanFile, base: tuple[str | int, ...], ind: Indicator) -> Iterator[Problem]:
    """ "实施12个，计划竣工3个": a count of projects (amount), of which no more can be 完工 than are implemented."""
    where = (*base, "complete_target")
    if ind.kind != "amount" or ind.direction != "up":
        yield pf.source.problem(
            where,
            "complete-target-kind",
            f"指标 {ind.id} 不是完成量（kind: amount），不能写计划竣工数 complete_target",
            "complete_target 用于“实施…项目12个，计划竣工3个”这样的项目个数",
        )
    elif ind.target is not None and ind.complete_target > ind.target:
        yield pf.source.problem(
            where,
            "complete-target-over",
            f"指标 {ind.id} 计划竣工 {_num(ind.complete_target)}{ind.measure or '个'}，"
            f"多于实施的 {_num(ind.target)}{ind.measure or '个'}",
            "竣工的是实施项目中的一部分：检查 target 和 complete_target",
        )


MIN_WEIGHT = 0.001
MAX_WEIGHT = 1000
"""Weights are relative shares within a task; beyond these bounds one indicator swamps the rest."""


def check_plan_dates(pf: PlanFile) -> Iterator[Problem]:
    plan = pf.plan
    basic, final = plan.deadlines.basic.date, plan.deadlines.final.date
    outside = [
        (path, what, day)
        for path, what, day in (
            (("start",), "开始日期", plan.start),
            (("deadlines", "basic", "date"), "基本完成日期", basic),
            (("deadlines", "final", "date"), "全面完成日期", final),
        )
        if day is not None and day.year != plan.year
    ]
    for path, what, day in outside:
        yield pf.source.problem(
            path, "deadline-year", f"{what} {day} 不在计划年度 {plan.year} 年内", f"计划的节点都在 {plan.year} 年内"
        )
    if outside:
        # The order of dates that are wrong anyway says nothing more; milestones are held to the year.
        for ti, task in enumerate(plan.tasks):
            yield from _milestone_year(pf, ("tasks", ti, "milestones"), task.milestones, plan)
            for ii, ind in enumerate(task.indicators):
                yield from _milestone_year(pf, ("tasks", ti, "indicators", ii, "milestones"), ind.milestones, plan)
        return
    if plan.start_date >= basic:
        yield pf.source.problem(
            ("start",) if plan.start else ("deadlines", "basic", "date"),
            "deadline-order",
            f"开始日期 {plan.start_date} 不早于基本完成日期 {basic}",
            "开始日期须早于两个节点",
        )
    if basic > final:
        yield pf.source.problem(
            ("deadlines", "final", "date"),
            "deadline-order",
            f"全面完成日期 {final} 早于基本完成日期 {basic}",
            "final 不能早于 basic",
        )
    if plan.thresholds.yellow > plan.thresholds.red:
        yield pf.source.problem(
            ("thresholds", "red"),
            "thresholds",
            f"红灯阈值 {plan.thresholds.red} 小于黄灯阈值 {plan.thresholds.yellow}",
            "落后越多越严重：red 应不小于 yellow",
        )
    for ti, task in enumerate(plan.tasks):
        yield from _milestone_problems(pf, ("tasks", ti, "milestones"), task.milestones, plan)
        for ii, ind in enumerate(task.indicators):
            yield from _milestone_problems(pf, ("tasks", ti, "indicators", ii, "milestones"), ind.milestones, plan)


def _milestone_problems(
    pf: PlanFile, base: tuple[str | int, ...], points: tuple[Milestone, ...], plan: Plan
) -> Iterator[Problem]:
    for k, point in enumerate(points):
        if not plan.start_date < point.date <= plan.deadlines.final.date:
            yield pf.source.problem(
                (*base, k, "date"),
                "milestone-date",
                f"序时节点 {point.date} 不在计划期内（{plan.start_date} 至 {plan.deadlines.final.date}）",
                "",
            )
        if k and (point.date <= points[k - 1].date or point.expected < points[k - 1].expected):
            yield pf.source.problem(
                (*base, k),
                "milestone-order",
                "序时节点须按日期先后排列，且进度不能回落",
                "按日期从早到晚排列，expected 逐个不减",
            )


def _milestone_year(
    pf: PlanFile, base: tuple[str | int, ...], points: tuple[Milestone, ...], plan: Plan
) -> Iterator[Problem]:
    for k, point in enumerate(points):
        if point.date.year != plan.year:
            yield pf.source.problem(
                (*base, k, "date"), "milestone-date", f"序时节点 {point.date} 不在计划年度 {plan.year} 年内", ""
            )


def check_plan_categories(pf: PlanFile) -> Iterator[Problem]:
    """Category ids are unique, every task names a known one, and every one is used."""
    plan = pf.plan
    seen: set[str] = set()
    for ci, cat in enumerate(plan.categories):
        if cat.id in seen:
            yield pf.source.problem(
                ("categories", ci, "id"), "duplicate-id", f"分类编号“{cat.id}”重复", "每个分类的编号必须唯一"
            )
        seen.add(cat.id)
    used = {task.category for task in plan.tasks}
    guesses, listed = Suggester(), sorted(seen)
    for ti, task in enumerate(plan.tasks):
        if task.category is not None and task.category not in seen:
            yield pf.source.problem(
                ("tasks", ti, "category"),
                "unknown-category",
                f"任务 {task.id} 的分类“{task.category}”不在 categories 中",
                (guesses.hint(task.category, listed) + "先在计划的 categories 中列出该分类").strip(),
            )
    if any(task.category is not None and task.category not in seen for task in plan.tasks):
        return  # a misspelt category would also leave the meant one unused: one mistake, one problem
    for ci, cat in enumerate(plan.categories):
        tasks = [t.id for t in plan.tasks if t.category == cat.id]
        if cat.count is not None and cat.count != len(tasks) and cat.id in used:
            listed = f"（{'、'.join(tasks)}）" if tasks else ""
            yield pf.source.problem(
                ("categories", ci, "count"),
                "category-count",
                f"分类 {cat.id}（{cat.name}）写明 {cat.count} 项，计划中属于它的任务有 {len(tasks)} 项{listed}",
                "补全或改正任务的 category，或按原文核对 count",
            )
        if cat.id not in used:
            yield pf.source.problem(
                ("categories", ci, "id"),
                "unused-category",
                f"分类 {cat.id}（{cat.name}）没有任务",
                "给任务写上 category，或删去这个分类",
                severity="warning",
            )


def check_plan_investment(pf: PlanFile) -> Iterator[Problem]:
    plan = pf.plan
    for ti, task in enumerate(plan.tasks):
        if task.investment is not None and task.investment < 0:
            yield pf.source.problem(
                ("tasks", ti, "investment"),
                "negative-investment",
                f"任务 {task.id} 的计划投资 {_num(task.investment)} 万元是负数",
                "填年度计划投资（万元），不小于 0",
            )
        elif task.investment is None and plan.task_weighting == "investment":
            yield pf.source.problem(
                ("tasks", ti),
                "missing-investment",
                f"计划按投资加权（task_weighting: investment），任务 {task.id} 却没有计划投资 investment",
                "填写该任务的年度计划投资（万元）",
            )


def check_plan_deadlines(pf: PlanFile) -> Iterator[Problem]:
    """Own deadlines (task, indicator, item) lie within the plan and after their own start."""
    plan = pf.plan
    final = plan.deadlines.final.date
    for ti, task in enumerate(plan.tasks):
        base: tuple[str | int, ...] = ("tasks", ti)
        yield from _own_dates(pf, base, f"任务 {task.id} ", task.start, task.due, final)
        for ii, ind in enumerate(task.indicators):
            ibase = (*base, "indicators", ii)
            yield from _own_dates(pf, ibase, f"指标 {ind.id} ", ind.start, ind.due, final)
            for k, item in enumerate(ind.items):
                if not isinstance(item, str):
                    yield from _own_dates(pf, (*ibase, "items", k), f"“{item.name}”", item.start, item.due, final)


def _own_dates(
    pf: PlanFile, base: tuple[str | int, ...], what: str, start: object, due: object, final: object
) -> Iterator[Problem]:
    if due is not None and due > final:  # type: ignore[operator]
        yield pf.source.problem(
            (*base, "due"),
            "due-after-final",
            f"{what}的完成时限 {due} 晚于计划的全面完成日期 {final}",
            "完成时限须在计划期内；确需延后时改计划的 deadlines",
        )
    if start is not None and due is not None and start > due:  # type: ignore[operator]
        yield pf.source.problem(
            (*base, "start"), "start-after-due", f"{what}的计划开工日期 {start} 晚于完成时限 {due}", "检查两个日期"
        )


def check_plan_schedules(pf: PlanFile) -> Iterator[Problem]:
    """A monthly plan in numbers runs forward in time and never falls."""
    plan = pf.plan
    for ti, task in enumerate(plan.tasks):
        for ii, ind in enumerate(task.indicators):
            base = ("tasks", ti, "indicators", ii, "schedule")
            if ind.schedule and ind.milestones:
                yield pf.source.problem(
                    base,
                    "schedule-and-milestones",
                    f"指标 {ind.id} 同时有 milestones 和 schedule",
                    "二选一：按比例写 milestones，或按数量写 schedule",
                )
            for k, point in enumerate(ind.schedule):
                if not plan.start_date < point.date <= plan.deadlines.final.date:
                    yield pf.source.problem(
                        (*base, k, "date"),
                        "schedule-date",
                        f"月度计划的日期 {point.date} 不在计划期内（{plan.start_date} 至 {plan.deadlines.final.date}）",
                        "",
                    )
                previous = ind.schedule[k - 1] if k else None
                if previous is not None and (point.date <= previous.date or point.value < previous.value):
                    yield pf.source.problem(
                        (*base, k),
                        "schedule-order",
                        f"指标 {ind.id} 的月度计划须按日期先后排列，累计数不能减少"
                        f"（{previous.date} 为 {_num(previous.value)}，{point.date} 为 {_num(point.value)}）",
                        "按日期从早到晚写累计计划数，逐月不减",
                    )


def check_plan_areas(pf: PlanFile) -> Iterator[Problem]:
    """Areas are named once, report through a plan unit, and an indicator's split adds up to its target."""
    plan = pf.plan
    names: set[str] = set()
    units = {u.name for u in plan.units}
    reporters: dict[str, str] = {}
    guesses = Suggester()
    known_units = sorted(units)
    known_areas: list[str] = []
    for ai, area in enumerate(plan.areas):
        if area.name in names:
            yield pf.source.problem(
                ("areas", ai, "name"), "duplicate-area", f"区域“{area.name}”重复", "每个区域只列一次"
            )
        names.add(area.name)
        if area.unit is not None and area.unit not in units:
            yield _unknown_unit(pf, ("areas", ai, "unit"), area.unit, known_units, guesses)
        elif area.unit is not None and area.unit in reporters:
            # its one value per indicator could not tell its areas apart
            yield pf.source.problem(
                ("areas", ai, "unit"),
                "area-unit-shared",
                f"“{area.unit}”已是区域“{reporters[area.unit]}”的报送单位，不能再报送“{area.name}”",
                "每个区域的报送单位各不相同；一个单位汇总几个区域时，不写 unit，由指标的报送单位按区域报",
            )
        if area.unit is not None:
            reporters.setdefault(area.unit, area.name)
    for ti, task in enumerate(plan.tasks):
        for ii, ind in enumerate(task.indicators):
            if not ind.areas:
                continue
            base = ("tasks", ti, "indicators", ii, "areas")
            seen: set[str] = set()
            known = True
            for k, share in enumerate(ind.areas):
                if share.area not in names:
                    known = False
                    known_areas = known_areas or sorted(names)
                    hint = guesses.hint(share.area, known_areas) + "区域须在计划的 areas 中列出"
                    yield pf.source.problem((*base, k, "area"), "unknown-area", f"未知区域“{share.area}”", hint)
                elif share.area in seen:
                    yield pf.source.problem(
                        (*base, k, "area"), "duplicate-area", f"指标 {ind.id} 的区域“{share.area}”出现两次", ""
                    )
                seen.add(share.area)
            total = sum(share.target for share in ind.areas)
            if not known or ind.target is None or abs(total - ind.target) <= EPSILON * max(1.0, abs(ind.target)):
                continue
            if ind.floor and total > ind.target:
                # "以上": areas may together plan more than the floor; worth a look, not an error
                yield pf.source.problem(
                    base,
                    "area-split-over",
                    f"指标 {ind.id} 各区域目标合计 {_num(total)}，高于总目标 {_num(ind.target)}（以上）",
                    "总目标为下限时合计可以更高；如非有意，请核对各区域目标",
                    severity="warning",
                )
            else:
                yield pf.source.problem(
                    base,
                    "area-split",
                    f"指标 {ind.id} 各区域目标合计 {_num(total)}，与总目标 {_num(ind.target)} 不符",
                    "各区域目标之和应等于总目标" + ("（总目标为下限时，合计不能更低）" if ind.floor else ""),
                )


EPSILON = 1e-9


def check_plan_parts(pf: PlanFile) -> Iterator[Problem]:
    """``part_of`` names another indicator of the same task; item names are unique; a whole count is whole."""
    for ti, task in enumerate(pf.plan.tasks):
        ids = {ind.id for ind in task.indicators}
        for ii, ind in enumerate(task.indicators):
            base = ("tasks", ti, "indicators", ii)
            if ind.part_of is not None and (ind.part_of not in ids or ind.part_of == ind.id):
                yield pf.source.problem(
                    (*base, "part_of"),
                    "unknown-part-of",
                    f"指标 {ind.id} 的 part_of“{ind.part_of}”不是任务 {task.id} 的另一个指标",
                    f"写本任务的指标编号：{'、'.join(sorted(ids - {ind.id}))}".rstrip("："),
                )
            names: set[str] = set()
            for k, name in enumerate(ind.item_names):
                if name in names:
                    yield pf.source.problem(
                        (*base, "items", k), "duplicate-item", f"指标 {ind.id} 的项目“{name}”出现两次", ""
                    )
                names.add(name)
            if ind.counts_whole and ind.target is not None and not float(ind.target).is_integer():
                yield pf.source.problem(
                    (*base, "target"),
                    "fraction-value",
                    f"指标 {ind.id} {_whole_why(ind)}，目标 {_num(ind.target)} 却有小数",
                    "改为整数；如确有小数，在该指标下写 whole: false"
                    if ind.whole is None
                    else "改为整数，或删去 whole",
                )


def _whole_why(ind: Indicator) -> str:
    return "按整数计（whole: true）" if ind.whole else f"以“{ind.measure}”计，按整数计"


def check_plan_reporting(pf: PlanFile) -> Iterator[Problem]:
    """One due rule: days after the period (``due_days``) or a day of its last month (``due_day_of_month``)."""
    reporting = pf.plan.reporting
    if reporting.due_day_of_month is not None and reporting.due_days != 0:
        yield pf.source.problem(
            ("reporting", "due_day_of_month"),
            "due-rule-conflict",
            f"报送时限写了两种：due_days: {reporting.due_days} 和 due_day_of_month: {reporting.due_day_of_month}",
            "“每季度末月20日前”只写 due_day_of_month: 20；“次月5日前”只写 due_days: 5",
        )


PLAN_RULES: tuple[PlanRule, ...] = (
    check_plan_ids,
    check_plan_units,
    check_plan_targets,
    check_plan_dates,
    check_plan_categories,
    check_plan_investment,
    check_plan_deadlines,
    check_plan_schedules,
    check_plan_areas,
    check_plan_parts,
    check_plan_reporting,
)


# --- ledger rules -----------------------------------------------------------


class Context:
    """What ledger rules need to know about the plans, built once."""

    def __init__(self, plans: list[Plan], plan_id: str | None = None) -> None:
        """``plan_id``: the ``plan:`` of the progress files checked (several plans in a year)."""
        every = plans
        plans = [p for year in sorted({p.year for p in every}) if (p := plan_of(every, year, plan_id)) is not None]
        self.plans = plans
        self.years = {p.year: p for p in plans}
        self.units = UnitIndex([u for p in plans for u in p.units])
        self.indicators: dict[int, dict[str, Indicator]] = {
            p.year: {ind.id: ind for t in p.tasks for ind in t.indicators} for p in plans
        }
        self.tasks: dict[int, dict[str, Task]] = {p.year: {t.id: t for t in p.tasks} for p in plans}
        self._area_cache: dict[tuple[int, str], set[str]] = {}
        self._ids: dict[int, tuple[str, ...]] = {}
        self._own: dict[tuple[int, str | None], tuple[str, ...]] = {}
        self.unit_names = self.units.names()
        self.guesses = Suggester()
        """One budget of "是不是" guesses for the run (see :mod:`minsheng.suggest`)."""
        self._area_units: dict[int, dict[str, str]] = {
            p.year: {a.name: a.unit for a in p.areas if a.unit} for p in plans
        }

    def ids(self, year: int) -> tuple[str, ...]:
        """The plan's indicator ids of ``year``, one list for every guess."""
        found = self._ids.get(year)
        if found is None:
            found = self._ids[year] = tuple(self.indicators.get(year, {}))
        return found

    def own_ids(self, year: int, unit: str | None) -> tuple[str, ...]:
        """The ids ``unit`` reports in ``year``, the likeliest meant by a misspelt key in its file."""
        key = (year, unit)
        found = self._own.get(key)
        if found is None:
            found = self._own[key] = tuple(i for i, v in self.indicators.get(year, {}).items() if v.unit == unit)
        return found

    def area_units(self, year: int, ind: Indicator) -> set[str]:
        """The units that report an area's share of ``ind`` in their own file (built once per indicator:
        a roll-up of 2 000 areas asks for every value of every area's report)."""
        key = (year, ind.id)
        found = self._area_cache.get(key)
        if found is None:
            units = self._area_units.get(year, {})
            found = self._area_cache[key] = {units[share.area] for share in ind.areas if share.area in units}
        return found


def check_ledger_unit(lf: LedgerFile, ctx: Context) -> Iterator[Problem]:
    name = lf.ledger.unit
    canonical = ctx.units.canonical(name)
    if canonical is None:
        yield lf.source.problem(
            ("unit",),
            "unknown-unit",
            f"未知单位“{name}”",
            (ctx.guesses.hint(name, ctx.unit_names) + "单位须是计划中列出的单位").strip(),
        )
        return
    stem = lf.source.path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".yml")
    stem = nfc(stem)  # macOS keeps file names decomposed (NFD); the text was read in NFC
    if lf.ledger.plan is not None:
        stem = stem.removesuffix(f"-{lf.ledger.plan}")
    if ctx.units.canonical(stem) != canonical:
        yield lf.source.problem(
            ("unit",),
            "file-unit-mismatch",
            f"文件名“{stem}”与 unit: {name} 不一致",
            f"把文件改名为 {canonical}.yaml，或改正 unit",
        )


def check_ledger_dates(lf: LedgerFile, ctx: Context) -> Iterator[Problem]:
    reports = lf.ledger.reports
    seen: dict[object, int] = {}
    for k, report in enumerate(reports):
        if report.date.year not in ctx.years:
            years = "、".join(str(y) for y in sorted(ctx.years))
            yield lf.source.problem(
                ("reports", k, "date"),
                "date-outside-year",
                f"报告日期 {report.date} 不在计划年度（{years}）内",
                "检查年份是否写错",
            )
        if report.date in seen:
            yield lf.source.problem(
                ("reports", k, "date"),
                "duplicate-date",
                f"日期 {report.date} 已有一份报告（第 {seen[report.date] + 1} 份）",
                "同一天只能有一份报告：合并两份，或更正日期",
            )
        seen.setdefault(report.date, k)
        if k and report.date < reports[k - 1].date:
            yield lf.source.problem(
                ("reports", k, "date"),
                "date-order",
                f"报告 {report.date} 排在 {reports[k - 1].date} 之后，顺序颠倒",
                "报告须按日期从早到晚排列",
                severity="warning",
            )


_GUESSES = 20
"""Unknown ids per file that get a "did you mean"."""


def check_ledger_values(lf: LedgerFile, ctx: Context) -> Iterator[Problem]:
    unit = ctx.units.canonical(lf.ledger.unit)
    last: dict[tuple[int, str], tuple[object, object]] = {}
    unknown = 0
    ordered = sorted(enumerate(lf.ledger.reports), key=lambda pair: pair[1].date)
    for k, report in ordered:
        indicators = ctx.indicators.get(report.date.year)
        if indicators is None:
            continue
        for key, value in report.values.items():
            path = ("reports", k, "values", key)
            ind = indicators.get(key)
            if ind is None:
                unknown += 1
                # The likeliest meant id is one of this unit's that the report lacks. Past a few,
                # a file is not a typo but the wrong file; past the run's budget, no guessing at all.
                plain = unicodedata.normalize("NFKC", key).strip()
                if plain != key and plain in indicators:
                    guess = f"是不是“{plain}”？"
                elif unknown <= _GUESSES and not ctx.guesses.spent:
                    own = ctx.own_ids(report.date.year, unit)
                    if any(i not in report.values for i in own):
                        guess = ctx.guesses.hint(key, own, exclude=report.values)
                    else:
                        guess = ctx.guesses.hint(key, ctx.ids(report.date.year))
                else:
                    guess = ""
                yield lf.source.problem(
                    path,
                    "unknown-indicator",
                    f"计划中没有编号为“{key}”的指标",
                    (guess + "编号按计划写，如 2.2").strip(),
                    at_key=True,
                )
                continue
            if unit is not None and ind.unit != unit and unit not in ctx.area_units(report.date.year, ind):
                yield lf.source.problem(
                    path,
                    "wrong-unit",
                    f"指标 {key}（{ind.name}）由“{ind.unit}”报送，不由“{unit}”报送",
                    f"把这一项移到 {ind.unit} 的进展文件",
                    at_key=True,
                )
                continue
            problem = _value_problem(lf, path, ind, value) or _implausible(lf, path, ind, value)
            if problem is not None:
                yield problem
                continue
            # cumulative values restart with each plan year
            previous = last.get((report.date.year, key))
            if (
                previous is not None
                and ind.kind not in {"level", "ceiling"}
                and ind.direction == "up"
                and value < previous[1]  # type: ignore[operator]
            ) and report.correction:
                yield lf.source.problem(
                    path,
                    "value-corrected",
                    f"指标 {key} 累计值从 {previous[0]} 的 {_num(previous[1])} 更正为 {report.date} 的 {_num(value)}"
                    f"（更正说明：{report.correction}）",
                    severity="info",
                )
            elif (
                previous is not None
                and ind.kind not in {"level", "ceiling"}
                and ind.direction == "up"
                and value < previous[1]  # type: ignore[operator]
            ):
                yield lf.source.problem(
                    path,
                    "value-decrease",
                    f"指标 {key} 累计值从 {previous[0]} 的 {_num(previous[1])} 降到 {report.date} 的 {_num(value)}",
                    "进展填累计数；如确为更正，请写明更正说明（record --correction 或填报表的“更正说明”）",
                    severity="warning",
                )
            last[(report.date.year, key)] = (report.date, value)


def _value_problem(lf: LedgerFile, path: tuple[str | int, ...], ind: Indicator, value: object) -> Problem | None:
    if ind.kind == "milestone":
        if value not in (0, 1) and value is not True and value is not False:
            return lf.source.problem(
                path,
                "milestone-value",
                f"指标 {ind.id} 是无数量事项，只能填 true（已完成）或 false，这里是 {_num(value)}",
                "填 true 或 false",
            )
        return None
    if isinstance(value, bool):
        return lf.source.problem(
            path, "value-type", f"指标 {ind.id} 应填数字（{ind.measure or ''}），这里是 {value}", "填累计完成数"
        )
    if value < 0:  # type: ignore[operator]
        return lf.source.problem(path, "negative-value", f"指标 {ind.id} 的值 {_num(value)} 是负数", "填累计完成数")
    if ind.counts_whole and not float(value).is_integer():  # type: ignore[arg-type]
        return lf.source.problem(
            path,
            "fraction-value",
            f"指标 {ind.id} 按整数计（{ind.measure or '个'}），这里是 {_num(value)}",
            "填整数" + ("；计划允许小数时，在计划中给该指标写 whole: false" if ind.whole is None else ""),
        )
    if abs(value) > MAX_NUMBER:  # type: ignore[arg-type]
        # Text is held to this bound when read (minsheng.numbers); this holds values built in code.
        return lf.source.problem(
            path, "out-of-range", f"指标 {ind.id} 的值超出可计算的范围（绝对值不超过 10^15）", "检查是否多打了数字"
        )
    return None


IMPLAUSIBLE = 10
"""A level or lower-is-better value this many times outside baseline..target is a slip, not a figure."""


def _implausible(lf: LedgerFile, path: tuple[str | int, ...], ind: Indicator, value: object) -> Problem | None:
    """A level (or a lower-is-better rate) stays near its baseline..target range.

    Cumulative amounts only grow, and value-decrease watches them; a level or a rate can move
    either way, so the slip to catch is one of scale: 4.5% typed as 0.045, or a figure with
    digits too many.
    """
    if ind.kind == "milestone" or (ind.kind != "level" and ind.direction != "down") or ind.target is None:
        return None
    assert isinstance(value, int | float)
    low, high = sorted((float(ind.baseline or 0), float(ind.target)))
    too_low = low > 0 and value < low / IMPLAUSIBLE
    too_high = high > 0 and value > high * IMPLAUSIBLE
    if not (too_low or too_high):
        return None
    start = f"基数 {_num(ind.baseline)} 到" if ind.baseline is not None else ""
    return lf.source.problem(
        path,
        "implausible-value",
        f"指标 {ind.id} 的值 {_num(value)} 与{start}目标 {_num(ind.target)} 相差 {IMPLAUSIBLE} 倍以上",
        "百分数填百分号前的数（4.5% 填 4.5）；如数值无误，请检查计划中的 baseline 和 target",
    )


def check_ledger_reports(lf: LedgerFile, ctx: Context) -> Iterator[Problem]:
    for k, report in enumerate(lf.ledger.reports):
        if not report.values and not (report.summary or report.problems or report.next_steps):
            yield lf.source.problem(
                ("reports", k),
                "empty-report",
                f"{report.date} 的报告既无数值也无文字",
                "填写数值或进展情况，或删去这份报告",
                severity="warning",
            )


def check_unit_files(ledgers: list[LedgerFile], ctx: Context) -> Iterator[Problem]:
    first: dict[str, LedgerFile] = {}
    for lf in ledgers:
        canonical = ctx.units.canonical(lf.ledger.unit)
        if canonical is None:
            continue
        key = canonical if lf.ledger.plan is None else f"{canonical}\0{lf.ledger.plan}"
        if key in first:
            yield lf.source.problem(
                ("unit",),
                "duplicate-unit-file",
                f"单位“{canonical}”已有进展文件 {first[key].source.path}",
                "每个单位只用一个进展文件：把报告合并过去",
            )
        first.setdefault(key, lf)


def _report_indicator(
    lf: LedgerFile, ctx: Context, path: tuple[str | int, ...], year: int, key: str
) -> tuple[Indicator | None, Problem | None]:
    """The indicator a report's key names, or the problem with it (unknown id)."""
    ind = ctx.indicators.get(year, {}).get(key)
    if ind is None:
        return None, lf.source.problem(
            path,
            "unknown-indicator",
            f"计划中没有编号为“{key}”的指标",
            (ctx.guesses.hint(key, ctx.ids(year)) + "编号按计划写，如 2.2").strip(),
            at_key=True,
        )
    return ind, None


def _report_task(
    lf: LedgerFile, ctx: Context, path: tuple[str | int, ...], year: int, key: str
) -> tuple[Task | None, Problem | None]:
    task = ctx.tasks.get(year, {}).get(key)
    if task is None:
        return None, lf.source.problem(
            path,
            "unknown-task",
            f"计划中没有编号为“{key}”的任务",
            (ctx.guesses.hint(key, list(ctx.tasks.get(year, {}))) + "这里按任务编号写，如 1").strip(),
            at_key=True,
        )
    return task, None


def _not_task_unit(lf: LedgerFile, path: tuple[str | int, ...], task: Task, unit: str | None) -> Problem | None:
    if unit is None or unit in task.units:
        return None
    return lf.source.problem(
        path,
        "wrong-unit",
        f"任务 {task.id} 的责任单位是 {'、'.join(task.units)}，不含“{unit}”",
        f"由 {task.units[0]} 报送",
        at_key=True,
    )


def check_ledger_investment(lf: LedgerFile, ctx: Context) -> Iterator[Problem]:
    """Cumulative 万元 invested: a known task of the unit, not negative, and (a warning) not above plan."""
    unit = ctx.units.canonical(lf.ledger.unit)
    for k, report in enumerate(lf.ledger.reports):
        for key, amount in report.investment.items():
            path = ("reports", k, "investment", key)
            task, problem = _report_task(lf, ctx, path, report.date.year, key)
            if task is None or (problem := _not_task_unit(lf, path, task, unit)) is not None:
                yield from [problem] if problem else []
                continue
            if amount < 0:
                yield lf.source.problem(
                    path,
                    "negative-investment",
                    f"任务 {key} 的累计投资 {_num(amount)} 万元是负数",
                    "填累计完成投资（万元）",
                )
            elif task.investment is not None and 0 <= task.investment < amount:
                yield lf.source.problem(
                    path,
                    "investment-over",
                    f"任务 {key} 累计投资 {_num(amount)} 万元，超过计划投资 {_num(task.investment)} 万元",
                    "核对金额（万元）；确已超出计划时可保留",
                    severity="warning",
                )


def check_ledger_stages(lf: LedgerFile, ctx: Context) -> Iterator[Problem]:
    """开工 dates and item stages: for tasks and items the plan tracks, never going backwards unexplained."""
    unit = ctx.units.canonical(lf.ledger.unit)
    stages: dict[tuple[int, str, str], tuple[object, str]] = {}
    for k, report in sorted(enumerate(lf.ledger.reports), key=lambda pair: pair[1].date):
        year = report.date.year
        for key, day in report.started.items():
            path = ("reports", k, "started", key)
            if key not in ctx.tasks.get(year, {}) and key in ctx.indicators.get(year, {}):
                ind = ctx.indicators[year][key]
                yield from _indicator_start_problems(lf, path, ind, day, report.date, unit)
                continue
            task, problem = _report_task(lf, ctx, path, year, key)
            if task is None or (problem := _not_task_unit(lf, path, task, unit)) is not None:
                yield from [problem] if problem else []
                continue
            if not task.tracks_stages:
                yield lf.source.problem(
                    path,
                    "start-untracked",
                    f"任务 {key} 未设计划开工日期，不跟踪开工",
                    "在计划中给任务写 start（计划开工日期），或删去这一项",
                    at_key=True,
                )
            elif day > report.date:
                yield lf.source.problem(
                    path, "start-after-report", f"开工日期 {day} 晚于报告日期 {report.date}", "填实际开工日期"
                )
        for key, items in report.items.items():
            path = ("reports", k, "items", key)
            ind, problem = _report_indicator(lf, ctx, path, year, key)
            if ind is None:
                yield from [problem] if problem else []
                continue
            names = ind.item_names
            explained = bool((d := report.details.get(key)) and (d.summary or d.problems))
            for name, stage in items.items():
                if name not in names:
                    yield lf.source.problem(
                        (*path, name),
                        "unknown-item",
                        f"指标 {key} 没有名为“{name}”的项目",
                        (ctx.guesses.hint(name, list(names)) + "项目名须与计划 items 中的写法一致").strip(),
                        at_key=True,
                    )
                    continue
                before = stages.get((year, key, name))
                if before is not None and STAGES.index(stage) < STAGES.index(before[1]) and not explained:
                    yield lf.source.problem(
                        (*path, name),
                        "stage-backwards",
                        f"“{name}”从 {before[0]} 的“{before[1]}”退回“{stage}”",
                        f"如确为更正，请在 details 中为指标 {key} 写明原因",
                    )
                stages[(year, key, name)] = (report.date, stage)
            count = report.values.get(key)
            # a count that is itself refused (true/false, a fraction) has its own problem already
            if isinstance(count, int | float) and not isinstance(count, bool) and float(count).is_integer():
                # with a complete_target the count is of projects implemented (在建 or 完工)
                counted = {"在建", "完工"} if _counts_implemented(ind) else {"完工"}
                done = sum(1 for (y, i, _), (_, s) in stages.items() if y == year and i == key and s in counted)
                if count != done:
                    what = "实施（在建或完工）" if _counts_implemented(ind) else "完工"
                    yield lf.source.problem(
                        ("reports", k, "values", key),
                        "items-count-mismatch",
                        f"指标 {key} 填了 {_num(count)}，而逐项报告中{what}的有 {done} 项",
                        f"逐项报告了阶段的指标，数量按{what}项目计：改正数值，或删去 values 中的这一项",
                    )


def _counts_implemented(ind: Indicator) -> bool:
    """Its count is of projects implemented (a valid ``complete_target``); a refused one has its own
    problem and leaves the count of 完工 items, so that one mistake is one problem."""
    ct = ind.complete_target
    return ct is not None and ind.kind == "amount" and ind.direction == "up" and ct <= (ind.target or 0)


def _indicator_start_problems(
    lf: LedgerFile, path: tuple[str | int, ...], ind: Indicator, day: dt.date, reported: dt.date, unit: str | None
) -> Iterator[Problem]:
    """``started: {指标: 日期}``: by the indicator's unit, for an indicator that tracks stages."""
    key = ind.id
    if unit is not None and unit != ind.unit:
        yield lf.source.problem(
            path, "wrong-unit", f"指标 {key} 由“{ind.unit}”报送，不由“{unit}”报送", f"由 {ind.unit} 报送", at_key=True
        )
    elif not ind.tracks_stages:
        yield lf.source.problem(
            path,
            "start-untracked",
            f"指标 {key} 未设计划开工日期，不跟踪开工",
            "在计划中给指标写 start（计划开工日期）或 stages: true，或删去这一项",
            at_key=True,
        )
    elif day > reported:
        yield lf.source.problem(path, "start-after-report", f"开工日期 {day} 晚于报告日期 {reported}", "填实际开工日期")


def check_ledger_completed(lf: LedgerFile, ctx: Context) -> Iterator[Problem]:
    """``completed: {指标: 竣工数}``: an indicator with a complete_target, by its unit, no more than implemented."""
    unit = ctx.units.canonical(lf.ledger.unit)
    for k, report in enumerate(lf.ledger.reports):
        for key, count in report.completed.items():
            path = ("reports", k, "completed", key)
            ind, problem = _report_indicator(lf, ctx, path, report.date.year, key)
            if ind is None:
                yield from [problem] if problem else []
                continue
            if unit is not None and unit != ind.unit:
                hint = f"由 {ind.unit} 报送"
                yield lf.source.problem(
                    path, "wrong-unit", f"指标 {key} 由“{ind.unit}”报送，不由“{unit}”报送", hint, at_key=True
                )
            elif ind.complete_target is None:
                yield lf.source.problem(
                    path,
                    "completed-untracked",
                    f"指标 {key} 没有计划竣工数（complete_target），不单报竣工数",
                    "在计划中给指标写 complete_target，或删去这一项",
                    at_key=True,
                )
            elif (problem := _value_problem(lf, path, ind, count)) is not None:
                yield problem
            elif (
                isinstance(implemented := report.values.get(key), int | float)
                and not isinstance(implemented, bool)
                and count > implemented
            ):
                measure = ind.measure or "个"
                yield lf.source.problem(
                    path,
                    "completed-over",
                    f"指标 {key} 竣工 {_num(count)}{measure}，多于实施的 {_num(implemented)}{measure}",
                    "竣工的是已实施项目中的一部分：检查两个数",
                )


def check_ledger_areas(lf: LedgerFile, ctx: Context) -> Iterator[Problem]:
    """Per-area values: areas the indicator is split among, reported by its unit or the area's unit."""
    unit = ctx.units.canonical(lf.ledger.unit)
    for k, report in enumerate(lf.ledger.reports):
        year = report.date.year
        for key, shares in report.areas.items():
            path = ("reports", k, "areas", key)
            ind, problem = _report_indicator(lf, ctx, path, year, key)
            if ind is None:
                yield from [problem] if problem else []
                continue
            split = [share.area for share in ind.areas]
            for name, value in shares.items():
                where = (*path, name)
                if name not in split:
                    hint = ctx.guesses.hint(name, split) + "区域须在计划中该指标的 areas 里列出"
                    yield lf.source.problem(
                        where, "unknown-area", f"指标 {key} 的区域中没有“{name}”", hint, at_key=True
                    )
                    continue
                if unit is not None and unit != ind.unit:
                    # An area's own unit reports its share in values; areas: is the indicator unit's.
                    own = unit in ctx.area_units(year, ind)
                    hint = f"在 values 中填本区域的累计数：{key}: 数值" if own else f"由 {ind.unit} 报送"
                    yield lf.source.problem(
                        where,
                        "wrong-unit",
                        f"指标 {key} 的分区域数由“{ind.unit}”报送，不由“{unit}”报送",
                        hint,
                        at_key=True,
                    )
                    continue
                problem = _value_problem(lf, where, ind, value)
                if problem is not None:
                    yield problem


def check_ledger_details(lf: LedgerFile, ctx: Context) -> Iterator[Problem]:
    for k, report in enumerate(lf.ledger.reports):
        for key in report.details:
            _, problem = _report_indicator(lf, ctx, ("reports", k, "details", key), report.date.year, key)
            if problem is not None:
                yield problem


LEDGER_RULES: tuple[LedgerRule, ...] = (
    check_ledger_unit,
    check_ledger_dates,
    check_ledger_values,
    check_ledger_reports,
    check_ledger_investment,
    check_ledger_stages,
    check_ledger_completed,
    check_ledger_areas,
    check_ledger_details,
)


def run_checks(loaded: Loaded) -> list[Problem]:
    """Every rule over everything loaded; the loader's own problems are not repeated."""
    problems: list[Problem] = []
    for pf in loaded.plans:
        for plan_rule in PLAN_RULES:
            problems.extend(plan_rule(pf))
    # Several plans a year (省级、市级、区级) are told apart by their ids.
    years = Counter((pf.plan.year, pf.plan.id) for pf in loaded.plans)
    for pf in loaded.plans:
        if years[(pf.plan.year, pf.plan.id)] > 1:
            where = f"编号为“{pf.plan.id}”的" if pf.plan.id else "没有编号（id）的"
            problems.append(
                pf.source.problem(
                    ("id",) if pf.plan.id else ("year",),
                    "duplicate-plan",
                    f"有不止一个{where} {pf.plan.year} 年计划文件",
                    "同一年度的几个计划（省级、市级、区级……）各写不同的 id，如 id: 区级",
                )
            )
    if not loaded.plans:
        return problems
    every = [pf.plan for pf in loaded.plans]
    contexts: dict[str | None, Context] = {}
    for lf in loaded.ledgers:
        plan_id = lf.ledger.plan
        which = _which_plan(lf, every)
        if which is not None:
            problems.append(which)  # nothing else of the file can be judged without its plan
            continue
        if plan_id not in contexts:
            contexts[plan_id] = Context(every, plan_id)
        for ledger_rule in LEDGER_RULES:
            problems.extend(ledger_rule(lf, contexts[plan_id]))
    problems.extend(check_unit_files(loaded.ledgers, contexts.get(None) or Context(every)))
    return problems


def _which_plan(lf: LedgerFile, plans: list[Plan]) -> Problem | None:
    """A progress file must say its plan (``plan: 市级``) where its year has several, and name a real one."""
    plan_id = lf.ledger.plan
    years = sorted({r.date.year for r in lf.ledger.reports})
    if plan_id is not None and not any(p.id == plan_id for p in plans):
        ids = "、".join(p.id for p in plans if p.id)
        return lf.source.problem(
            ("plan",), "unknown-plan", f"没有编号为“{plan_id}”的计划", f"可用的计划编号：{ids}" if ids else "删去 plan:"
        )
    for year in years:
        same = [p for p in plans if p.year == year]
        if plan_id is None and len(same) > 1 and plan_of(plans, year, None) is None:
            ids = "、".join(p.id or "" for p in same)
            return lf.source.problem(
                ("unit",),
                "plan-needed",
                f"{year} 年有多个计划（{ids}），这个进展文件没有说属于哪一个",
                "在文件中写 plan: 计划编号；同一单位报送几个计划时，文件名写成 单位-计划编号.yaml",
            )
    return None


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

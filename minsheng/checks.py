"""Rules across fields and files, each a small function returning problems.

Every rule has a code (listed in the README). A rule takes the loaded plans and
ledgers and returns :class:`~minsheng.problems.Problem` values; it never raises
and never prints. :data:`PLAN_RULES` and :data:`LEDGER_RULES` are the registry.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator

from minsheng.load import LedgerFile, Loaded, PlanFile
from minsheng.model import Indicator, Milestone, Plan
from minsheng.numbers import MAX_NUMBER
from minsheng.problems import Problem
from minsheng.units import UnitIndex, unsafe_file_name
from minsheng.yamlio import nfc

PlanRule = Callable[[PlanFile], Iterator[Problem]]
LedgerRule = Callable[[LedgerFile, "Context"], Iterator[Problem]]


def _suggest(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    return f"是不是“{close[0]}”？" if close else ""


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
    for ti, task in enumerate(plan.tasks):
        for k, name in enumerate(task.units):
            if name not in known_set:
                yield _unknown_unit(pf, ("tasks", ti, "units", k), name, known)
        for ii, ind in enumerate(task.indicators):
            base = ("tasks", ti, "indicators", ii)
            if ind.unit not in known_set:
                yield _unknown_unit(pf, (*base, "unit"), ind.unit, known)
            elif ind.unit not in task.units:
                yield pf.source.problem(
                    (*base, "unit"),
                    "unit-not-in-task",
                    f"指标 {ind.id} 的报送单位“{ind.unit}”不在任务 {task.id} 的责任单位中",
                    f"把它加入任务的 units，或改为 {'、'.join(task.units)} 之一",
                )
            for k, name in enumerate(ind.co_units):
                if name not in known_set:
                    yield _unknown_unit(pf, (*base, "co_units", k), name, known)
                elif name == ind.unit:
                    yield pf.source.problem(
                        (*base, "co_units", k),
                        "co-unit-is-unit",
                        f"“{name}”已是指标 {ind.id} 的报送单位，不必再列为配合单位",
                        "从 co_units 中删去",
                    )
    reporting = {ind.unit for task in plan.tasks for ind in task.indicators}
    for ui, unit in enumerate(plan.units):
        if unit.name not in reporting:
            yield pf.source.problem(
                ("units", ui, "name"),
                "idle-unit",
                f"单位“{unit.name}”不负责报送任何指标",
                "给它分配指标，或从 units 中删去",
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


def _unknown_unit(pf: PlanFile, path: tuple[str | int, ...], name: str, known: list[str]) -> Problem:
    return pf.source.problem(
        path,
        "unknown-unit",
        f"未知单位“{name}”",
        (_suggest(name, known) + "计划中的单位须在 units 中列出，并写全称").strip(),
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
    elif baseline is not None and baseline >= ind.target:
        yield pf.source.problem(
            (*base, "baseline"),
            "baseline-direction",
            f"指标 {ind.id} 的基数 {_num(baseline)} 不低于目标 {_num(ind.target)}，完成率无法计算",
            "越低越好的指标请写 direction: down",
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


PLAN_RULES: tuple[PlanRule, ...] = (check_plan_ids, check_plan_units, check_plan_targets, check_plan_dates)


# --- ledger rules -----------------------------------------------------------


class Context:
    """What ledger rules need to know about the plans, built once."""

    def __init__(self, plans: list[Plan]) -> None:
        self.plans = plans
        self.years = {p.year: p for p in plans}
        self.units = UnitIndex([u for p in plans for u in p.units])
        self.indicators: dict[int, dict[str, Indicator]] = {
            p.year: {ind.id: ind for t in p.tasks for ind in t.indicators} for p in plans
        }


def check_ledger_unit(lf: LedgerFile, ctx: Context) -> Iterator[Problem]:
    name = lf.ledger.unit
    canonical = ctx.units.canonical(name)
    if canonical is None:
        yield lf.source.problem(
            ("unit",),
            "unknown-unit",
            f"未知单位“{name}”",
            (_suggest(name, ctx.units.names()) + "单位须是计划中列出的单位").strip(),
        )
        return
    stem = lf.source.path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".yml")
    stem = nfc(stem)  # macOS keeps file names decomposed (NFD); the text was read in NFC
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
                # a file is not a typo but the wrong file: skip the (costly) guessing.
                own = [i for i, v in indicators.items() if v.unit == unit and i not in report.values]
                guess = _suggest(key, own or list(indicators)) if unknown <= _GUESSES else ""
                yield lf.source.problem(
                    path,
                    "unknown-indicator",
                    f"计划中没有编号为“{key}”的指标",
                    (guess + "编号按计划写，如 2.2").strip(),
                    at_key=True,
                )
                continue
            if unit is not None and ind.unit != unit:
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
                previous is not None and ind.kind != "level" and ind.direction == "up" and value < previous[1]  # type: ignore[operator]
            ):
                yield lf.source.problem(
                    path,
                    "value-decrease",
                    f"指标 {key} 累计值从 {previous[0]} 的 {_num(previous[1])} 降到 {report.date} 的 {_num(value)}",
                    "进展填累计数；如确为更正，请在进展情况中说明",
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
        if canonical in first:
            yield lf.source.problem(
                ("unit",),
                "duplicate-unit-file",
                f"单位“{canonical}”已有进展文件 {first[canonical].source.path}",
                "每个单位只用一个进展文件：把报告合并过去",
            )
        first.setdefault(canonical, lf)


LEDGER_RULES: tuple[LedgerRule, ...] = (
    check_ledger_unit,
    check_ledger_dates,
    check_ledger_values,
    check_ledger_reports,
)


def run_checks(loaded: Loaded) -> list[Problem]:
    """Every rule over everything loaded; the loader's own problems are not repeated."""
    problems: list[Problem] = []
    for pf in loaded.plans:
        for plan_rule in PLAN_RULES:
            problems.extend(plan_rule(pf))
    years = Counter(pf.plan.year for pf in loaded.plans)
    for pf in loaded.plans:
        if years[pf.plan.year] > 1:
            problems.append(
                pf.source.problem(
                    ("year",), "duplicate-plan", f"有不止一个 {pf.plan.year} 年的计划文件", "每个年度只留一个计划文件"
                )
            )
    if not loaded.plans:
        return problems
    ctx = Context([pf.plan for pf in loaded.plans])
    for lf in loaded.ledgers:
        for ledger_rule in LEDGER_RULES:
            problems.extend(ledger_rule(lf, ctx))
    problems.extend(check_unit_files(loaded.ledgers, ctx))
    return problems


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

"""The report as plain data: the JSON contract, and the sentences every format shares.

``status_dict`` is the value ``status --format json`` prints; the tables, CSV,
Markdown, xlsx, HTML and docx are drawn from the same :class:`StatusReport`,
with the same wording from :func:`summary_sentence`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from minsheng.compute import (
    LIGHT_LABELS,
    STATUS_LABELS,
    CategoryStatus,
    Forecast,
    IndicatorStatus,
    LatestTexts,
    StatusReport,
    TaskStatus,
    UnitFreshness,
)
from minsheng.model import SCALES, Indicator, Value
from minsheng.periods import due_period_info, reporting_period
from minsheng.render.fmt import clean, cn_date, num, pct

if TYPE_CHECKING:
    from minsheng.areas import AreaStatus
    from minsheng.investment import InvestmentStatus

SCHEMA_VERSION = 3
"""2 (issue 12): categories, investment, stages (开工), own deadlines, areas, items, per-indicator
texts, people and plan ids were added; every field of version 1 is unchanged.
3: ``indicators[].started_on``, ``planned_start``, ``start_light``, ``complete_target`` and
``completed`` ("实施12个，计划竣工3个"), ``categories[].count`` (the count the plan states); every
field of version 2 is unchanged."""
EXAMPLE_NOTE = "注：进展数据为示例数据（虚构），仅供演示。"
BASELINE_NOTE = "基数未填，按0计"
# Two 序时进度 for one date, each named for what it is: the plan's line to its 基本完成 deadline
# (the headline), and a project's own (its deadline, milestones and indicators' weights); the
# overall trend line is the weighted mean of the projects' own, so it may differ from the first.
PLAN_TIME_LABEL = "全年序时进度"
TASK_TIME_LABEL = "本项目序时进度（按其完成时限）"
TREND_TIME_LABEL = "各项目加权序时进度"
START_LABELS = {"green": "已开工或未到开工时间", "yellow": "开工滞后", "red": "开工严重滞后"}


def amount(ind: Indicator, value: Value | float | None) -> str:
    """A number as the plan writes it: 43000 with ``scale: 万`` is "4.3万"; true/false as words."""
    if ind.scale is None or value is None or isinstance(value, bool):
        return num(value)
    return num(float(value) / SCALES[ind.scale]) + ind.scale


def wan(value: float | None) -> str:
    """万元, as 台账 write them: 4930, 1200.5."""
    return num(value)


def investment_sentence(inv: InvestmentStatus | None) -> str | None:
    """计划投资4000万元，已完成2100万元，投资完成率52.5%"""
    if inv is None or inv.planned is None:
        return None
    return f"计划投资{wan(inv.planned)}万元，已完成{wan(inv.done)}万元，投资完成率{pct(inv.completion)}"


def start_sentence(report: StatusReport) -> str | None:
    """已开工1项，开工率50.0%: only where the plan tracks stages."""
    if report.start_rate is None:
        return None
    tracked = f"其中{report.tracked}项跟踪开工，" if report.tracked != len(report.tasks) else ""
    return f"{tracked}已开工{report.started}项，开工率{pct(report.start_rate)}"


def category_sentence(cat: CategoryStatus) -> str:
    """一、促进就业（3项）：总体进度50.0%，已完成1项…；牵头单位：市人社局"""
    c = cat.counts
    parts = [f"总体进度{pct(cat.completion)}"]
    parts += [f"{STATUS_LABELS[key]}{c[key]}项" for key in STATUS_LABELS if c.get(key)]
    if cat.tracked:
        parts.append(f"已开工{cat.started}项")
    if (inv := investment_sentence(cat.investment)) is not None:
        parts.append(inv)
    lead = f"；牵头单位：{cat.lead}" if cat.lead else ""
    return f"{cat.id}、{cat.name}（{len(cat.tasks)}项）：" + "，".join(parts) + lead


def correction_lines(report: StatusReport, unit: str) -> list[str]:
    """Each 更正 of the unit: "2024-08-31 更正：指标 2.2 6500 → 6000；更正说明：7月多报500块"."""
    out = []
    for c in report.corrections:
        if c.unit != unit:
            continue
        what = "、".join(f"指标 {k} {num(old)} → {num(new)}" for k, old, new in c.changes)
        out.append(f"{c.date} 更正：{what + '；' if what else ''}更正说明：{c.reason}")
    return out


def labelled(texts: LatestTexts) -> list[tuple[str, str]]:
    """The texts a report gave, with their 台账 labels, empty ones left out."""
    pairs = (("进展情况", texts.summary), ("存在问题", texts.problems), ("下步计划", texts.next_steps))
    return [(label, value) for label, value in pairs if value]


def task_groups(report: StatusReport) -> list[tuple[str | None, list[TaskStatus]]]:
    """The tasks grouped by category ("一、促进就业（3项）"), in the plan's category order, those
    without one last; a plan without categories is one group without a heading."""
    if not report.categories:
        return [(None, list(report.tasks))]
    by_id = {t.task.id: t for t in report.tasks}
    groups: list[tuple[str | None, list[TaskStatus]]] = [
        (f"{cat.id}、{cat.name}（{len(cat.tasks)}项）", [by_id[i] for i in cat.tasks]) for cat in report.categories
    ]
    rest = [t for t in report.tasks if t.task.category is None]
    if rest:
        groups.append((f"未分类（{len(rest)}项）", rest))
    return groups


def indicator_texts(report: StatusReport, row: IndicatorStatus) -> LatestTexts | None:
    """The texts that belong to this indicator: its own (``details``), else its unit's latest."""
    return row.texts if row.texts is not None else report.texts.get(row.indicator.unit)


def problems_for(report: StatusReport, row: IndicatorStatus) -> str | None:
    texts = indicator_texts(report, row)
    return None if texts is None else texts.problems


def people(report: StatusReport, row: IndicatorStatus) -> tuple[str | None, str | None]:
    """(责任领导, 责任人) of an indicator: its own, else its task's."""
    task = next(t.task for t in report.tasks if t.task.id == row.task_id)
    return (row.indicator.leader or task.leader, row.indicator.owner or task.owner)


def has_people(report: StatusReport) -> bool:
    return any(
        t.task.leader or t.task.owner or any(i.leader or i.owner for i in t.task.indicators) for t in report.tasks
    )


def items_text(row: IndicatorStatus) -> str:
    """荣宁道：完工；燕山路：在建（开工滞后）: each named item with its stage."""
    parts = []
    for item in row.items:
        note = (
            "逾期" if item.overdue else START_LABELS[item.start_light] if item.start_light in {"yellow", "red"} else ""
        )
        parts.append(f"{item.name}：{item.stage or '未报'}" + (f"（{note}）" if note else ""))
    return "；".join(parts)


def areas_text(row: IndicatorStatus) -> str:
    """东镇 1000/4000（25.0%）；西镇 …: each area's value against its share."""
    ind = row.indicator
    return "；".join(
        f"{a.area} {amount(ind, a.value)}/{amount(ind, a.target)}（{pct(a.completion)}）" for a in row.areas
    )


def target_note(row: IndicatorStatus) -> str:
    """What a reader must know beside the target: no baseline, a sub-target, a ceiling."""
    ind = row.indicator
    notes = []
    if row.baseline_missing:
        notes.append(BASELINE_NOTE)
    if ind.part_of:
        notes.append(f"含于 {ind.part_of}")
    if ind.kind == "ceiling":
        notes.append("控制在目标以内")
    if (stage := complete_note(row)) is not None:
        notes.append(stage)
    return "；".join(notes)


def complete_note(row: IndicatorStatus) -> str | None:
    """其中计划竣工3个，已竣工1个: the 完工 part of "实施…项目12个，计划竣工3个"."""
    ind = row.indicator
    if ind.complete_target is None:
        return None
    measure = ind.measure or ""
    done = "未报竣工数" if row.completed is None else f"已竣工{amount(ind, row.completed)}{measure}"
    return f"其中计划竣工{amount(ind, ind.complete_target)}{measure}，{done}"


def summary_sentence(report: StatusReport) -> str:
    """截至2024年7月31日，10项民生实事已完成2项，完成率20.0%；总体进度68.2%，序时进度69.7%；按序时推进…

    Two numbers with two names, as 通报 print them: 完成率 is the share of projects done, 总体进度 the
    weighted progress of all of them (the README says how each is computed).
    """
    c = report.counts
    parts = []
    on_time = c["ahead"] + c["on_track"]
    if on_time:
        parts.append(f"按序时推进{on_time}项" + (f"（其中超序时{c['ahead']}项）" if c["ahead"] else ""))
    for key in ("behind", "far_behind", "not_started", "overdue"):
        if c[key]:
            parts.append(f"{STATUS_LABELS[key]}{c[key]}项")
    head = (
        f"截至{cn_date(report.as_of)}，{len(report.tasks)}项民生实事已完成{report.done_count}项，"
        f"完成率{pct(report.done_rate)}；总体进度{pct(report.completion)}，序时进度{pct(report.time_progress)}"
    )
    tail = [s for s in (start_sentence(report), investment_sentence(report.investment)) if s]
    body = "；" + "，".join(parts) if parts else ""
    return head + body + "".join(f"；{s}" for s in tail) + "。"


def counts_text(report: StatusReport) -> str:
    """超序时6项，按序时2项，滞后1项: the projects by status, only the statuses that occur
    (zero counts are noise in a 公文, "已完成0项")."""
    return "，".join(f"{label}{report.counts[key]}项" for key, label in STATUS_LABELS.items() if report.counts.get(key))


def deadline_sentence(report: StatusReport) -> str | None:
    """What the day means against the plan's two deadlines (None before 基本完成)."""
    plan, day = report.plan, report.as_of
    basic, final = plan.deadlines.basic.date, plan.deadlines.final.date
    open_ = len(report.tasks) - report.done_count
    if day < basic:
        return None
    if day == basic:
        return f"今天是{plan.deadlines.basic.label}的时限（{cn_date(basic)}），尚有{open_}项未完成。"
    if day < final:
        left = (final - day).days
        return (
            f"已过{plan.deadlines.basic.label}时限（{cn_date(basic)}），尚有{open_}项未完成，"
            f"距{plan.deadlines.final.label}时限（{cn_date(final)}）还有{left}天。"
        )
    if day == final:
        return f"今天是{plan.deadlines.final.label}的最后一天（{cn_date(final)}），尚有{open_}项未完成。"
    return f"{plan.deadlines.final.label}时限（{cn_date(final)}）已过，{open_}项逾期未完成。" if open_ else None


def plan_period_note(report: StatusReport) -> str | None:
    """A date outside the plan's period is said plainly: the figures are then the plan's as they ended (or began)."""
    plan, day = report.plan, report.as_of
    start, final = plan.start_date, plan.deadlines.final.date
    if start <= day <= dt.date(plan.year, 12, 31):
        return None
    where = "之前" if day < start else "之后"
    return (
        f"注意：统计日{cn_date(day)}在本计划的计划期（{cn_date(start)}至{cn_date(final)}）{where}；"
        f"如要看别的年度，请用 --plan 或 --as-of。"
    )


def time_progress_note(report: StatusReport) -> str:
    """How 序时进度 is computed here, and which settings are the plan's own and which defaults."""
    plan = report.plan
    basic = plan.deadlines.basic
    t = plan.thresholds
    said = "（计划未写 start，开始日按1月1日）" if plan.start is None else ""
    return (
        f"注：序时进度按{cn_date(plan.start_date)}至{basic.label}时限{cn_date(basic.date)}直线计算"
        f"（有序时进度安排或月度计划的指标按节点）；任务的序时进度是其各指标的加权平均，"
        f"所以可与开头的序时进度不同。落后{t.yellow * 100:.0f}个百分点起为黄灯，"
        f"{t.red * 100:.0f}个百分点起为红灯（取自计划的 thresholds，未写时默认10和30）{said}。"
    )


def reporting_sentences(report: StatusReport) -> list[str]:
    """What was received and for which period, and what is due next (a 督查 clerk chases both)."""
    units = report.units
    if not units:
        return []
    plan = report.plan
    out: list[str] = []
    due = due_period_info(plan, report.as_of)
    missing = report.missing_units()
    if due is not None:
        if missing:
            names = "、".join(clean(u.unit) for u in missing)
            out.append(f"{names}未按时报送{due.label}进展（应于{cn_date(due.due)}前报送）。")
        else:
            out.append(f"{len(units)}个责任单位均已报送{due.label}进展。")
    if report.as_of > plan.deadlines.final.date:
        return out
    current = reporting_period(plan, report.as_of)
    start, label, deadline = current.start, current.label, current.due
    early = [u for u in units if _reported_since(u, start)]
    if len(early) == len(units):
        out.append(f"{label}进展已全部报送（截至{cn_date(report.as_of)}）。")
    elif early:
        out.append(
            f"{label}进展已有{len(early)}个单位报送，其余{len(units) - len(early)}个单位应于{cn_date(deadline)}前报送。"
        )
    else:
        out.append(f"{label}进展应于{cn_date(deadline)}前报送。")
    return out


def _reported_since(unit: UnitFreshness, start: dt.date) -> bool:
    return unit.last_report is not None and unit.last_report >= start


def since_sentence(report: StatusReport) -> str | None:
    """总体进度较6月底提高26.2个百分点，10项有新进展。 (with ``--since``; every output says it this way)"""
    if report.since is None or report.change is None:
        return None
    since = report.since
    month_end = (since + dt.timedelta(days=1)).day == 1
    when = f"{since.month}月底" if month_end and since.year == report.as_of.year else cn_date(since)
    change = report.change * 100
    if abs(change) < 0.05:
        moved = "与" + when + "持平"
    else:
        moved = f"较{when}{'提高' if change > 0 else '下降'}{abs(change):.1f}个百分点"
    count = sum(1 for t in report.tasks if t.change and t.change > 1e-9)
    tail = f"，{count}项有新进展" if count else "，各项目均无新进展"
    return f"总体进度{moved}{tail}。"


def lagging_heading(report: StatusReport) -> str:
    """滞后项目清单（2个项目、4个指标）: the list is of indicators, grouped under the projects they belong to."""
    rows = report.lagging()
    tasks = len({r.task_id for r in rows})
    return f"滞后项目清单（{tasks}个项目、{len(rows)}个指标）"


def forecast_label(forecast: Forecast | None, done: bool) -> str:
    if done:
        return "已完成"
    if forecast is None:
        return "数据不足"
    if forecast.date is None:
        return "进度过慢" if forecast.too_slow else "无进展"
    text = forecast.date.isoformat()
    return f"{text} 预计逾期" if forecast.overdue else text


def forecast_short(forecast: Forecast | None, done: bool, today: dt.date | None) -> str:
    """The forecast for a narrow column: 11-15, 2025-01 逾期, 无进展."""
    label = forecast_label(forecast, done)
    if forecast is None or forecast.date is None or done:
        return label
    year = today.year if today else forecast.date.year
    text = forecast.date.strftime("%m-%d") if forecast.date.year == year else forecast.date.strftime("%Y-%m")
    return f"{text} 逾期" if forecast.overdue else text


def _date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _forecast(forecast: Forecast | None) -> dict[str, Any] | None:
    if forecast is None:
        return None
    return {
        "date": _date(forecast.date),
        "overdue": forecast.overdue,
        "basis": forecast.basis,
        "too_slow": forecast.too_slow,
        "estimate": True,
    }


def _investment(inv: InvestmentStatus | None) -> dict[str, Any] | None:
    if inv is None:
        return None
    return {"planned": inv.planned, "done": inv.done, "completion": inv.completion}


def _texts(texts: LatestTexts | None) -> dict[str, Any] | None:
    if texts is None:
        return None
    return {
        "date": texts.date.isoformat(),
        "summary": texts.summary,
        "problems": texts.problems,
        "next_steps": texts.next_steps,
    }


def indicator_dict(row: IndicatorStatus) -> dict[str, Any]:
    ind = row.indicator
    return {
        "id": ind.id,
        "task": row.task_id,
        "name": ind.name,
        "kind": ind.kind,
        "target": ind.target,
        "floor": ind.floor,
        "direction": ind.direction,
        "baseline": ind.baseline,
        "weight": ind.weight,
        "measure": ind.measure,
        "unit": ind.unit,
        "co_units": list(ind.co_units),
        "value": row.value,
        "completion": row.completion,
        "expected": row.expected,
        "gap": row.gap,
        "status": row.status,
        "status_label": STATUS_LABELS[row.status],
        "light": row.light,
        "last_report": _date(row.last_report),
        "forecast": _forecast(row.forecast),
        "change": row.change,
        "history": [{"date": d.isoformat(), "value": v} for d, v in row.history],
        # schema_version 2
        "due": _date(row.due),
        "scale": ind.scale,
        "display": {
            "target": None if ind.kind == "milestone" else amount(ind, ind.target),
            "value": amount(ind, row.value),
        },
        "part_of": ind.part_of,
        "baseline_missing": row.baseline_missing,
        "started": row.started,
        "areas": [
            {"area": a.area, "target": a.target, "value": a.value, "completion": a.completion} for a in row.areas
        ],
        "items": [
            {
                "name": i.name,
                "stage": i.stage,
                "start": _date(i.start),
                "due": _date(i.due),
                "start_light": i.start_light,
                "overdue": i.overdue,
            }
            for i in row.items
        ],
        "details": _texts(row.texts),
        "leader": ind.leader,
        "owner": ind.owner,
        # schema_version 3
        "started_on": _date(row.started_on),
        "planned_start": _date(ind.start),
        "start_light": row.start_light,
        "complete_target": ind.complete_target,
        "completed": row.completed,
    }


def task_dict(row: TaskStatus) -> dict[str, Any]:
    return {
        "id": row.task.id,
        "name": row.task.name,
        "units": list(row.task.units),
        "completion": row.completion,
        "expected": row.expected,
        "gap": row.gap,
        "status": row.status,
        "status_label": STATUS_LABELS[row.status],
        "light": row.light,
        "last_report": _date(row.last_report),
        "forecast": _forecast(row.forecast),
        "change": row.change,
        "indicators": [indicator_dict(i) for i in row.indicators],
        # schema_version 2
        "category": row.task.category,
        "investment": _investment(row.investment),
        "started": row.started,
        "started_on": _date(row.started_on),
        "planned_start": _date(row.planned_start),
        "start_light": row.start_light,
        "due": _date(row.task.due),
        "location": row.task.location,
        "leader": row.task.leader,
        "owner": row.task.owner,
        "weight": row.weight,
    }


def category_dict(cat: CategoryStatus) -> dict[str, Any]:
    return {
        "id": cat.id,
        "name": cat.name,
        "lead": cat.lead,
        "tasks": list(cat.tasks),
        "completion": cat.completion,
        "counts": dict(cat.counts),
        "investment": _investment(cat.investment),
        "started": cat.started,
        "tracked": cat.tracked,
        "start_rate": cat.started / cat.tracked if cat.tracked else None,
        "sentence": category_sentence(cat),
        # schema_version 3
        "count": cat.count,
    }


def unit_dict(report: StatusReport, row: UnitFreshness) -> dict[str, Any]:
    texts = report.texts.get(row.unit)
    return {
        "unit": row.unit,
        "last_report": _date(row.last_report),
        "due_period": row.due_period,
        "missing": row.missing,
        "reports": row.reports,
        "latest": _texts(texts),
    }


def status_dict(report: StatusReport) -> dict[str, Any]:
    plan = report.plan
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": {
            "title": plan.title,
            "region": plan.region,
            "year": plan.year,
            "start": plan.start_date.isoformat(),
            "deadlines": {
                "basic": {"date": plan.deadlines.basic.date.isoformat(), "label": plan.deadlines.basic.label},
                "final": {"date": plan.deadlines.final.date.isoformat(), "label": plan.deadlines.final.label},
            },
            "thresholds": {"yellow": plan.thresholds.yellow, "red": plan.thresholds.red},
            "id": plan.id,
            "level": plan.level,
            "task_weighting": plan.task_weighting,
            "stages": {"yellow_months": plan.stages.yellow_months, "red_months": plan.stages.red_months},
            "areas": [{"name": a.name, "unit": a.unit} for a in plan.areas],
        },
        "example": report.example,
        "as_of": report.as_of.isoformat(),
        "since": _date(report.since),
        "summary": summary_sentence(report),
        "time_progress": report.time_progress,
        "completion": report.completion,
        "done": report.done_count,
        "done_rate": report.done_rate,
        "change": report.change,
        "counts": dict(report.counts),
        "status_labels": dict(STATUS_LABELS),
        "light_labels": dict(LIGHT_LABELS),
        "tasks": [task_dict(t) for t in report.tasks],
        "lagging": [
            {
                "indicator": row.indicator.id,
                "task": row.task_id,
                "name": row.indicator.name,
                "unit": row.indicator.unit,
                "gap": row.gap,
                "status": row.status,
                "light": row.light,
                "problems": problems_for(report, row),
            }
            for row in report.lagging()
        ],
        "units": [unit_dict(report, u) for u in report.units],
        "missing_reports": [u.unit for u in report.missing_units()],
        "trend": [
            {
                "date": point.date.isoformat(),
                "completion": point.completion,
                "expected": point.expected,
                "tasks": {tid: {"completion": c, "expected": e} for tid, (c, e) in point.tasks.items()},
            }
            for point in report.trend
        ],
        # schema_version 2
        "start_rate": report.start_rate,
        "started": report.started if report.start_rate is not None else None,
        "investment": _investment(report.investment),
        "categories": [category_dict(c) for c in report.categories],
    }


def unit_rows(report: StatusReport, unit: str) -> list[IndicatorStatus]:
    """Every indicator a unit reports, co-reports, or reports an area's share of, across tasks."""
    mine = {a.name for a in report.plan.areas if a.unit == unit}
    return [
        row
        for row in report.indicators()
        if row.indicator.unit == unit
        or unit in row.indicator.co_units
        or any(s.area in mine for s in row.indicator.areas)
    ]


def area_rows(report: StatusReport, area: str) -> list[tuple[IndicatorStatus, AreaStatus]]:
    """Each indicator split among areas, with this area's share (``report --area``)."""
    return [(row, share) for row in report.indicators() for share in row.areas if share.area == area]


def area_report_dict(report: StatusReport, area: str) -> dict[str, Any]:
    unit = next((a.unit for a in report.plan.areas if a.name == area), None)
    return {
        "schema_version": SCHEMA_VERSION,
        "example": report.example,
        "as_of": report.as_of.isoformat(),
        "time_progress": report.time_progress,
        "area": area,
        "unit": unit,
        "indicators": [
            {
                "id": row.indicator.id,
                "task": row.task_id,
                "name": row.indicator.name,
                "measure": row.indicator.measure,
                "target": share.target,
                "value": share.value,
                "completion": share.completion,
                "expected": row.expected,
                "indicator_completion": row.completion,
            }
            for row, share in area_rows(report, area)
        ],
    }


def task_row(report: StatusReport, task_id: str) -> TaskStatus | None:
    return next((t for t in report.tasks if t.task.id == task_id), None)


def unit_report_dict(report: StatusReport, unit: str) -> dict[str, Any]:
    freshness = next((u for u in report.units if u.unit == unit), None)
    return {
        "schema_version": SCHEMA_VERSION,
        "example": report.example,
        "as_of": report.as_of.isoformat(),
        "since": _date(report.since),
        "time_progress": report.time_progress,
        "unit": unit_dict(report, freshness) if freshness else {"unit": unit},
        "indicators": [indicator_dict(r) for r in unit_rows(report, unit)],
    }


def task_report_dict(report: StatusReport, row: TaskStatus) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "example": report.example,
        "as_of": report.as_of.isoformat(),
        "since": _date(report.since),
        "time_progress": report.time_progress,
        "task": task_dict(row),
        "units": [unit_dict(report, u) for u in report.units if u.unit in row.task.units],
    }

"""Pure report computations: (dataset, as_of, since) -> report values.

Nothing here reads files or the clock; ``as_of`` is always a parameter. Every
renderer (table, JSON, CSV, Markdown, xlsx, HTML, docx) draws from the
:class:`StatusReport` built once by :func:`build_status`.

The rules, in the words of the people who use them:

- 完成率 = (value − baseline) / (target − baseline); a milestone is 0 or 1;
  no report yet is 0. Above 1 is kept (超额完成) but counts as 1 in averages.
- 序时进度 = (as_of − start) / (基本完成 − start), clamped to 0..1, or the
  plan's 序时进度安排 (milestones) interpolated. A milestone-kind indicator is
  expected done at the 基本完成 deadline, not pro rata.
- Status from gap = expected − completion, with the plan's thresholds.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from dataclasses import field
from typing import TYPE_CHECKING

from minsheng.dataset import Dataset
from minsheng.lazyclass import dataclass
from minsheng.model import Indicator, Milestone, Plan, Report, Task, Value
from minsheng.periods import DuePeriod as DuePeriod  # the shared due-period API, re-exported
from minsheng.periods import due_period_info

if TYPE_CHECKING:
    from minsheng.areas import AreaStatus
    from minsheng.investment import InvestmentStatus
    from minsheng.stages import ItemStatus

# The modules of areas, stages and investment are imported where a plan uses them: a plan
# without them (the shipped one) does not pay for loading them on every `status`.

EPSILON = 1e-9
"""Tolerance when comparing a gap with a threshold (0.7 − 0.6 is 0.0999…)."""

STATUS_LABELS = {
    "done": "已完成",
    "ahead": "超序时",
    "on_track": "按序时",
    "behind": "滞后",
    "far_behind": "严重滞后",
    "overdue": "逾期未完成",
    "not_started": "未启动",
}
LIGHT_LABELS = {"blue": "蓝灯", "green": "绿灯", "yellow": "黄灯", "red": "红灯"}
LAGGING = frozenset({"behind", "far_behind", "overdue"})
MAX_FORECAST_DAYS = 3650
FORECAST_WINDOW = 3
"""How many of the latest reports define the "current pace" of a forecast."""


@dataclass(frozen=True, slots=True)
class Forecast:
    """An estimate from the recent pace: when the target would be reached."""

    date: dt.date | None
    overdue: bool
    basis: str
    too_slow: bool = False
    """No date because at this pace it would take more than ten years."""

    @property
    def stalled(self) -> bool:
        return self.date is None


@dataclass(frozen=True, slots=True)
class IndicatorStatus:
    indicator: Indicator
    task_id: str
    value: Value | None
    completion: float
    expected: float
    status: str
    light: str
    last_report: dt.date | None
    history: tuple[tuple[dt.date, Value], ...]
    forecast: Forecast | None
    change: float | None
    due: dt.date | None = None
    """Its own deadline (the indicator's, else the task's); ``None`` where the plan's apply."""
    areas: tuple[AreaStatus, ...] = ()
    items: tuple[ItemStatus, ...] = ()
    """The named items with their stages, where the unit reports stages."""
    texts: LatestTexts | None = None
    """The latest report's texts for this indicator (``details``), where it gave any."""
    started: bool = False
    started_on: dt.date | None = None
    """The 开工 date its unit reported for it (``started: {指标: 日期}``), where it tracks stages."""
    completed: Value | None = None
    """How many are 完工, where it has a ``complete_target`` ("计划竣工3个")."""
    start_light: str | None = None
    """The 开工 light where the indicator has its own planned start (``start``)."""

    @property
    def capped(self) -> float:
        return _clamp(self.completion)

    @property
    def baseline_missing(self) -> bool:
        """A level with no 年初基数: counted from 0, which flatters it ("基数未填，按0计")."""
        ind = self.indicator
        return ind.kind == "level" and ind.direction == "up" and ind.baseline is None

    @property
    def gap(self) -> float:
        return self.expected - self.capped


@dataclass(frozen=True, slots=True)
class TaskStatus:
    task: Task
    completion: float
    expected: float
    status: str
    light: str
    indicators: tuple[IndicatorStatus, ...]
    last_report: dt.date | None
    forecast: Forecast | None
    change: float | None
    investment: InvestmentStatus | None = None
    started: bool | None = None
    """``None`` where the task tracks no stage, else whether it has started (开工)."""
    started_on: dt.date | None = None
    planned_start: dt.date | None = None
    start_light: str | None = None
    weight: float = 1.0
    """Its weight in the plan's overall completion (task_weighting)."""

    @property
    def gap(self) -> float:
        return self.expected - self.completion


@dataclass(frozen=True, slots=True)
class CategoryStatus:
    """A group of tasks ("一、促进就业（3项）") with its counts, completion and investment."""

    id: str
    name: str
    lead: str | None
    tasks: tuple[str, ...]
    completion: float
    counts: dict[str, int]
    investment: InvestmentStatus | None
    started: int
    tracked: int
    count: int | None = None
    """The count the plan states ("（3项）"); ``validate`` checks it against ``tasks``."""


@dataclass(frozen=True, slots=True)
class UnitFreshness:
    """A reporting unit's last report against the period due on ``as_of`` (see :mod:`minsheng.periods`)."""

    unit: str
    last_report: dt.date | None
    due_period: str | None
    """The label of the latest period whose report is late (2024年7月); ``None`` before any is."""
    missing: bool
    """No report since the first day of that period."""
    reports: int
    due_date: dt.date | None = None
    """The day the report of ``due_period`` was due; ``None`` with no period due."""
    days_overdue: int | None = None
    """``as_of`` − ``due_date`` in days when ``missing`` (at least 1); ``None`` when not missing."""


@dataclass(frozen=True, slots=True)
class LatestTexts:
    date: dt.date
    summary: str | None
    problems: str | None
    next_steps: str | None


@dataclass(frozen=True, slots=True)
class Correction:
    """A report that lowered a cumulative value, with its 更正说明: ``changes`` are (id, before, after)."""

    unit: str
    date: dt.date
    reason: str
    changes: tuple[tuple[str, Value, Value], ...]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """Completion of every task (and overall) at one report date, with what was expected."""

    date: dt.date
    completion: float
    expected: float
    tasks: dict[str, tuple[float, float]]


@dataclass(frozen=True, slots=True)
class StatusReport:
    plan: Plan
    as_of: dt.date
    since: dt.date | None
    time_progress: float
    completion: float
    tasks: tuple[TaskStatus, ...]
    units: tuple[UnitFreshness, ...]
    texts: dict[str, LatestTexts]
    change: float | None
    example: bool
    counts: dict[str, int] = field(default_factory=dict)
    trend: tuple[TrendPoint, ...] = ()
    categories: tuple[CategoryStatus, ...] = ()
    investment: InvestmentStatus | None = None
    start_rate: float | None = None
    """Share of the tasks that track stages which have started (开工率); ``None`` where none does."""
    started: int = 0
    tracked: int = 0
    corrections: tuple[Correction, ...] = ()
    """Reports of the plan year up to ``as_of`` that carry a 更正说明, in unit then date order."""

    def indicators(self) -> list[IndicatorStatus]:
        return [ind for task in self.tasks for ind in task.indicators]

    def lagging(self) -> list[IndicatorStatus]:
        """Indicators behind time (滞后项目清单), the furthest behind first."""
        rows = [
            i for i in self.indicators() if i.status in LAGGING or (i.status == "not_started" and i.light != "green")
        ]
        order = {ind.indicator.id: n for n, ind in enumerate(self.indicators())}
        return sorted(rows, key=lambda i: (-round(i.gap, 9), order[i.indicator.id]))

    @property
    def done_count(self) -> int:
        """Projects (tasks) done: the 完成率 that 通报 print ("已完成26件，完成率40%")."""
        return sum(1 for t in self.tasks if t.status == "done")

    @property
    def done_rate(self) -> float:
        return self.done_count / len(self.tasks) if self.tasks else 0.0

    def missing_units(self) -> list[UnitFreshness]:
        return [u for u in self.units if u.missing]


# --- the rules --------------------------------------------------------------


def time_progress(plan: Plan, as_of: dt.date) -> float:
    """Share of the time from the start to the 基本完成 deadline that has passed."""
    start, basic = plan.start_date, plan.deadlines.basic.date
    return _clamp((as_of - start).days / (basic - start).days)


def expected_at(plan: Plan, points: Sequence[Milestone], as_of: dt.date, due: dt.date | None = None) -> float:
    """The 序时进度安排 curve at ``as_of``: (start, 0), the milestones, then 100%.

    After the last milestone the curve rises straight to 1 at ``due`` (an own
    deadline), else the 基本完成 deadline (or the final one, when the
    milestones run past it).
    """
    if not points:
        return time_progress(plan, as_of) if due is None else _line(plan, as_of, due)
    curve = [(plan.start_date, 0.0), *((p.date, float(p.expected)) for p in points)]
    if curve[-1][1] < 1:
        basic, final = plan.deadlines.basic.date, plan.deadlines.final.date
        end = due if due is not None and due > curve[-1][0] else basic if basic > curve[-1][0] else final
        curve.append((end, 1.0))
    if as_of <= curve[0][0]:
        return 0.0
    for (d0, v0), (d1, v1) in itertools.pairwise(curve):
        if as_of <= d1:
            span = (d1 - d0).days
            return v0 + (v1 - v0) * ((as_of - d0).days / span if span else 1.0)
    return curve[-1][1]


def _line(plan: Plan, as_of: dt.date, due: dt.date) -> float:
    """Straight 序时进度 from the plan's start to an own deadline."""
    span = (due - plan.start_date).days
    return _clamp((as_of - plan.start_date).days / span) if span > 0 else 1.0


def own_due(task: Task, ind: Indicator) -> dt.date | None:
    return ind.due or task.due


def indicator_expected(plan: Plan, task: Task, ind: Indicator, as_of: dt.date) -> float:
    """The indicator's own 序时进度安排 (fractions, or a monthly plan in numbers), else (for a
    milestone) due at its deadline, else the task's, else the line to its own deadline or 基本完成.
    A ceiling is to be held all along."""
    due = own_due(task, ind)
    if ind.schedule:
        target = float(ind.target or 0)
        points = [Milestone(p.date, _clamp(float(p.value) / target) if target else 1.0) for p in ind.schedule]
        return expected_at(plan, points, as_of, due)
    if ind.milestones:
        return expected_at(plan, ind.milestones, as_of, due)
    if ind.kind == "milestone":
        return 1.0 if as_of >= (due or plan.deadlines.basic.date) else 0.0
    if ind.kind == "ceiling":
        return 1.0
    if task.milestones:
        return expected_at(plan, task.milestones, as_of, due)
    return time_progress(plan, as_of) if due is None else _line(plan, as_of, due)


def completion_of(ind: Indicator, value: Value | None, completed: Value | None = None) -> float:
    """完成率 of one value; may exceed 1 (超额完成) or fall below 0.

    With a ``complete_target`` ("实施12个，计划竣工3个") it is the mean of the two parts, each
    capped at 1: (实施数/12 + 竣工数/3) / 2.
    """
    if ind.complete_target is not None and ind.kind == "amount":
        done = 1.0 if not ind.complete_target else float(completed or 0) / float(ind.complete_target)
        return (_clamp(_plain_completion(ind, value)) + _clamp(done)) / 2
    return _plain_completion(ind, value)


def _plain_completion(ind: Indicator, value: Value | None) -> float:
    if value is None:
        return 0.0
    if ind.kind == "milestone":
        return 1.0 if value is True or value == 1 else 0.0
    target = float(ind.target or 0)
    if ind.kind == "ceiling":
        # held at or under the target is done; above it, the share of the way the target allows
        return 1.0 if float(value) <= target else (target / float(value) if target > 0 else 0.0)
    base = float(ind.baseline or 0)
    if target == base:
        return 1.0 if float(value) >= target else 0.0
    return (float(value) - base) / (target - base)


def classify(
    completion: float, expected: float, plan: Plan, as_of: dt.date, started: bool, due: dt.date | None = None
) -> tuple[str, str]:
    """(status, light) from completion and expected, per the plan's thresholds and the own deadline ``due``."""
    if completion >= 1 - EPSILON:
        return "done", "blue"
    if as_of > (due or plan.deadlines.final.date):
        return "overdue", "red"
    gap = expected - completion
    thresholds = plan.thresholds
    if gap >= thresholds.red - EPSILON:
        status, light = "far_behind", "red"
    elif gap >= thresholds.yellow - EPSILON or (as_of > plan.deadlines.basic.date and expected >= 1 - EPSILON):
        # Past 基本完成 everything should be done: anything unfinished is behind, however close.
        status, light = "behind", "yellow"
    elif completion > expected + EPSILON:
        status, light = "ahead", "green"
    else:
        status, light = "on_track", "green"
    return ("not_started", light) if not started else (status, light)


def forecast(
    ind: Indicator, history: Sequence[tuple[dt.date, Value]], plan: Plan, due: dt.date | None = None
) -> Forecast | None:
    """When the target would be reached at the pace of the latest reports.

    ``None`` where it does not apply (a milestone, already done) or there are
    fewer than two reports to measure a pace from.
    """
    if ind.kind in {"milestone", "ceiling"} or ind.complete_target is not None or len(history) < 2:
        return None  # no pace for a milestone, a ceiling, or a count with its 竣工 part
    window = history[-FORECAST_WINDOW:]
    (d0, v0), (d1, v1) = window[0], window[-1]
    c0, c1 = completion_of(ind, v0), completion_of(ind, v1)
    if c1 >= 1 - EPSILON:
        return None
    basis = f"按 {d0:%m-%d} 至 {d1:%m-%d} 的进度推算"
    days = (d1 - d0).days
    pace = (c1 - c0) / days if days else 0.0
    if pace <= 0:
        return Forecast(None, True, basis)
    days_left = math.ceil((1 - c1) / pace - EPSILON)
    if days_left > MAX_FORECAST_DAYS:  # at this pace, not within any horizon worth a date
        return Forecast(None, True, basis, too_slow=True)
    eta = d1 + dt.timedelta(days=days_left)
    return Forecast(eta, eta > (due or plan.deadlines.final.date), basis)


# --- building the report ----------------------------------------------------


def build_status(data: Dataset, as_of: dt.date, since: dt.date | None = None, *, trend: bool = True) -> StatusReport:
    """Everything `status`, `report` and the exports show, computed once. ``trend=False`` leaves
    :attr:`StatusReport.trend` empty for outputs that do not show it (most of the time at scale)."""
    plan = data.plan
    before = _completions(data, since) if since is not None else None
    tasks = tuple(_task_status(data, task, as_of, before) for task in plan.tasks)
    weights = [t.weight for t in tasks]
    completion = _mean([t.completion for t in tasks], weights)
    counts = _counts(tasks)
    change = None
    if before is not None:
        change = completion - _mean([before.tasks[t.task.id] for t in tasks], weights)
    tracked = [t for t in tasks if t.started is not None]
    started = sum(1 for t in tracked if t.started)
    return StatusReport(
        plan=plan,
        as_of=as_of,
        since=since,
        time_progress=time_progress(plan, as_of),
        completion=completion,
        tasks=tasks,
        units=tuple(_freshness(data, name, as_of) for name in _reporting_units(plan)),
        texts=_latest_texts(data, as_of),
        corrections=_corrections(data, as_of),
        change=change,
        example=data.example,
        counts=counts,
        trend=build_trend(data, as_of) if trend else (),
        categories=_categories(plan, tasks),
        investment=_total_investment(tasks),
        start_rate=started / len(tracked) if tracked else None,
        started=started,
        tracked=len(tracked),
    )


def _counts(tasks: Sequence[TaskStatus]) -> dict[str, int]:
    counts = {key: 0 for key in STATUS_LABELS}
    for task in tasks:
        counts[task.status] += 1
    return counts


def _categories(plan: Plan, tasks: Sequence[TaskStatus]) -> tuple[CategoryStatus, ...]:
    out = []
    for cat in plan.categories:
        mine = [t for t in tasks if t.task.category == cat.id]
        tracked = [t for t in mine if t.started is not None]
        out.append(
            CategoryStatus(
                id=cat.id,
                name=cat.name,
                lead=cat.lead,
                tasks=tuple(t.task.id for t in mine),
                completion=_mean([t.completion for t in mine], [t.weight for t in mine]),
                counts=_counts(mine),
                investment=_total_investment(mine),
                started=sum(1 for t in tracked if t.started),
                tracked=len(tracked),
                count=cat.count,
            )
        )
    return tuple(out)


def _total_investment(tasks: Sequence[TaskStatus]) -> InvestmentStatus | None:
    if all(t.investment is None for t in tasks):
        return None
    from minsheng.investment import total_investment

    return total_investment(t.investment for t in tasks)


def task_weight(plan: Plan, task: Task) -> float:
    """A task's weight in the overall completion, by the plan's ``task_weighting``."""
    if plan.task_weighting == "investment":
        return float(task.investment or 0)
    if plan.task_weighting == "weight":
        return float(task.weight or 1)
    return 1.0


def indicator_weight(ind: Indicator) -> float:
    """A sub-target (``part_of``, "其中幼儿园7个") is shown but not counted again in its task."""
    return 0.0 if ind.part_of is not None else float(ind.weight)


def build_trend(data: Dataset, as_of: dt.date) -> tuple[TrendPoint, ...]:
    """Completion over time: at every date any unit reported, up to ``as_of``."""
    plan = data.plan
    dates = sorted({r.date for reports in data.reports.values() for r in reports if r.date <= as_of})
    task_weights = [task_weight(plan, t) for t in plan.tasks]
    points = []
    for day in dates:
        values = _completions(data, day).tasks
        tasks = {
            t.id: (values[t.id], _mean([indicator_expected(plan, t, i, day) for i in t.indicators], _weights(t)))
            for t in plan.tasks
        }
        overall = _mean([c for c, _ in tasks.values()], task_weights)
        expected = _mean([e for _, e in tasks.values()], task_weights)
        points.append(TrendPoint(day, overall, expected, tasks))
    return tuple(points)


def _weights(task: Task) -> list[float]:
    return [indicator_weight(i) for i in task.indicators]


def _task_status(data: Dataset, task: Task, as_of: dt.date, before: _Completions | None) -> TaskStatus:
    plan = data.plan
    inds = tuple(_indicator_status(data, task, ind, as_of, before) for ind in task.indicators)
    weights = [indicator_weight(i.indicator) for i in inds]
    completion = _mean([i.capped for i in inds], weights)
    expected = _mean([i.expected for i in inds], weights)
    reports = [r for unit in task.units for r in data.reports_until(unit, as_of)]
    tracks = task.tracks_stages
    planned, started_on, start = None, None, None
    if tracks:
        from minsheng.stages import planned_start, reported_start

        planned, started_on = planned_start(task), reported_start(task, reports)
    own_starts = [i.started_on for i in inds if i.started_on is not None]
    if own_starts:
        started_on = min([started_on, *own_starts] if started_on else own_starts)
    started = started_on is not None or any(i.started for i in inds)
    status, light = classify(completion, expected, plan, as_of, started, task.due)
    if status != "done" and any(i.status == "overdue" for i in inds if i.indicator.part_of is None):
        status, light = "overdue", "red"  # an item or indicator past its own deadline: the task is too
    last = [i.last_report for i in inds if i.last_report is not None]
    if tracks:
        from minsheng.stages import start_light

        start = start_light(plan, planned, started, as_of)
    investment = None
    if task.investment is not None or any(task.id in r.investment for r in reports):
        from minsheng.investment import task_investment

        investment = task_investment(task, lambda unit: data.reports_until(unit, as_of))
    return TaskStatus(
        task=task,
        completion=completion,
        expected=expected,
        status=status,
        light=light,
        indicators=inds,
        last_report=max(last) if last else None,
        forecast=_task_forecast(inds, plan),
        change=None if before is None else completion - before.tasks[task.id],
        investment=investment,
        started=started if tracks else None,
        started_on=started_on,
        planned_start=planned,
        start_light=start,
        weight=task_weight(plan, task),
    )


def _indicator_status(
    data: Dataset, task: Task, ind: Indicator, as_of: dt.date, before: _Completions | None
) -> IndicatorStatus:
    plan = data.plan
    own = data.reports_until(ind.unit, as_of)
    history = indicator_history(data, ind, as_of)
    value, last = (history[-1][1], history[-1][0]) if history else (None, None)
    completed = completed_value(data, ind, as_of)
    completion = completion_of(ind, value, completed)
    due = own_due(task, ind)
    stages: dict[str, str] = {}
    items: tuple[ItemStatus, ...] = ()
    if ind.items and any(ind.id in r.items for r in own):
        from minsheng.stages import item_stages, item_statuses

        stages = item_stages(own, ind.id)
        items = item_statuses(plan, ind, stages, due or plan.deadlines.basic.date, as_of)
    # One-off targets whose items report stages are judged by stage: on time while no item
    # is past its own deadline, not against a straight line of quantity.
    if items:
        from minsheng.stages import expected_by_items

        expected = expected_by_items(items, as_of)
    elif one_off(ind):
        # A single thing to build (1个品牌, 1家基地) that tracks 开工 is one item: due by its deadline.
        expected = 1.0 if (due or plan.deadlines.basic.date) <= as_of else 0.0
    else:
        expected = indicator_expected(plan, task, ind, as_of)
    # A ceiling broken (2 households over 动态清零) is reported, not "not started".
    started_on = _indicator_start(plan, ind, own)
    started = (
        completion > 0
        or started_on is not None
        or any(s in {"在建", "完工"} for s in stages.values())
        or (ind.kind == "ceiling" and value is not None)
    )
    status, light = classify(_clamp(completion), expected, plan, as_of, started, due)
    if status != "done" and any(item.overdue for item in items):
        status, light = "overdue", "red"
    areas: tuple[AreaStatus, ...] = ()
    if ind.areas:
        from minsheng.areas import area_histories, area_statuses

        areas = area_statuses(ind, area_histories(plan, ind, lambda unit: data.reports_until(unit, as_of)))
    return IndicatorStatus(
        indicator=ind,
        task_id=task.id,
        value=value,
        completion=completion,
        expected=expected,
        status=status,
        light=light,
        last_report=last,
        history=history,
        forecast=forecast(ind, history, plan, due),
        change=None if before is None else completion - before.indicators[ind.id],
        due=due,
        areas=areas,
        items=items,
        texts=_details(own, ind.id),
        started=started,
        started_on=started_on,
        completed=completed,
        start_light=_own_start_light(plan, ind, started, as_of),
    )


def one_off(ind: Indicator) -> bool:
    """A one-off target judged by stage, not by a straight line of quantity: one whole thing
    (``target: 1`` counted in 个/家/座…) whose 开工 the plan tracks."""
    return ind.kind == "amount" and ind.target == 1 and ind.counts_whole and ind.tracks_stages and not ind.items


def _own_start_light(plan: Plan, ind: Indicator, started: bool, as_of: dt.date) -> str | None:
    if ind.start is None:
        return None
    from minsheng.stages import start_light

    return start_light(plan, ind.start, started, as_of)


def _indicator_start(plan: Plan, ind: Indicator, reports: Sequence[Report]) -> dt.date | None:
    """The earliest 开工 date reported for the indicator; a key that is also a task's id names the task."""
    if not ind.tracks_stages or any(t.id == ind.id for t in plan.tasks):
        return None
    dates = [r.started[ind.id] for r in reports if ind.id in r.started]
    return min(dates) if dates else None


def completed_value(data: Dataset, ind: Indicator, as_of: dt.date) -> Value | None:
    """How many are 完工 where the indicator has a ``complete_target``: the 完工 items where items
    report stages, else the latest ``completed`` its unit reported."""
    if ind.complete_target is None:
        return None
    reports = data.reports_until(ind.unit, as_of)
    if ind.items and any(ind.id in r.items for r in reports):
        from minsheng.stages import item_stages

        return sum(1 for stage in item_stages(reports, ind.id).values() if stage == "完工")
    values = [r.completed[ind.id] for r in reports if ind.id in r.completed]
    return values[-1] if values else None


def indicator_history(data: Dataset, ind: Indicator, as_of: dt.date) -> tuple[tuple[dt.date, Value], ...]:
    """The indicator's reported values up to ``as_of``: the sum of its areas where it is split
    and they reported, the count of 完工 items where items report stages, else its unit's values."""
    reports = data.reports_until(ind.unit, as_of)
    if ind.areas:
        from minsheng.areas import area_histories, summed_history

        summed = summed_history(area_histories(data.plan, ind, lambda unit: data.reports_until(unit, as_of)))
        if summed:
            return summed
    plain = _history(reports, ind.id)
    if not ind.items or not any(ind.id in r.items for r in reports):
        return plain
    from minsheng.stages import stage_history

    counted = dict(stage_history(reports, ind.id, started=ind.complete_target is not None))
    if not counted:
        return plain
    merged = {**dict(plain), **counted}
    return tuple(sorted(merged.items()))


def _details(reports: Sequence[Report], indicator_id: str) -> LatestTexts | None:
    if not reports or indicator_id not in reports[-1].details:
        return None
    last = reports[-1]
    d = last.details[indicator_id]
    return LatestTexts(last.date, d.summary, d.problems, d.next_steps)


def _task_forecast(inds: Sequence[IndicatorStatus], plan: Plan) -> Forecast | None:
    # A milestone has no pace; the task's date is that of its measurable work.
    pending = [
        i
        for i in inds
        if i.capped < 1 - EPSILON and i.indicator.kind not in {"milestone", "ceiling"} and i.indicator.part_of is None
    ]
    if not pending or any(i.forecast is None for i in pending):
        return None
    forecasts = [i.forecast for i in pending if i.forecast is not None]
    if any(f.stalled for f in forecasts):
        return next(f for f in forecasts if f.stalled)
    latest = max(forecasts, key=lambda f: f.date or dt.date.max)
    return Forecast(latest.date, latest.overdue, "取各指标预计完成日期中最晚者")


@dataclass(frozen=True, slots=True)
class _Completions:
    """Completions at one date: raw by indicator id, capped mean by task id (ids may coincide)."""

    indicators: dict[str, float]
    tasks: dict[str, float]


def _completions(data: Dataset, as_of: dt.date) -> _Completions:
    indicators: dict[str, float] = {}
    tasks: dict[str, float] = {}
    for task in data.plan.tasks:
        capped, weights = [], []
        for ind in task.indicators:
            history = indicator_history(data, ind, as_of)
            value = history[-1][1] if history else None
            indicators[ind.id] = completion_of(ind, value, completed_value(data, ind, as_of))
            capped.append(_clamp(indicators[ind.id]))
            weights.append(indicator_weight(ind))
        tasks[task.id] = _mean(capped, weights)
    return _Completions(indicators, tasks)


def _history(reports: Sequence[Report], indicator_id: str) -> tuple[tuple[dt.date, Value], ...]:
    return tuple((r.date, r.values[indicator_id]) for r in reports if indicator_id in r.values)


def _reporting_units(plan: Plan) -> list[str]:
    reporting = {ind.unit for task in plan.tasks for ind in task.indicators}
    # an area's unit reports its share of every indicator split among the areas (the split areas
    # gathered once: asking every share for every area is quadratic at 25 000 areas)
    split = {s.area for t in plan.tasks for i in t.indicators for s in i.areas}
    reporting |= {a.unit for a in plan.areas if a.unit and a.name in split}
    return [u.name for u in plan.units if u.name in reporting and not u.group]


def _freshness(data: Dataset, unit: str, as_of: dt.date) -> UnitFreshness:
    reports = data.reports_until(unit, as_of)
    last = reports[-1].date if reports else None
    period = due_period_info(data.plan, as_of)
    if period is None:
        return UnitFreshness(unit, last, None, False, len(reports))
    missing = last is None or last < period.start
    late = period.days_late(as_of) if missing else None
    return UnitFreshness(unit, last, period.label, missing, len(reports), period.due, late)


def due_period(plan: Plan, as_of: dt.date) -> tuple[dt.date, str] | None:
    """The latest reporting period whose report was overdue on ``as_of``: its first day and label.

    See :func:`minsheng.periods.due_period_info` for the whole period (end, due date) and the rule.
    """
    period = due_period_info(plan, as_of)
    return None if period is None else (period.start, period.label)


def _latest_texts(data: Dataset, as_of: dt.date) -> dict[str, LatestTexts]:
    texts: dict[str, LatestTexts] = {}
    for unit in data.reports:
        reports = data.reports_until(unit, as_of)
        if reports:
            r = reports[-1]
            texts[unit] = LatestTexts(r.date, r.summary, r.problems, r.next_steps)
    return texts


def _corrections(data: Dataset, as_of: dt.date) -> tuple[Correction, ...]:
    """Every report with a 更正说明, with the values it lowered (none: the reason alone is shown)."""
    out: list[Correction] = []
    for unit in data.reports:
        last: dict[str, Value] = {}
        for r in data.reports_until(unit, as_of):
            if r.date.year != as_of.year:
                continue
            if r.correction:
                lowered = tuple(
                    (k, last[k], v)
                    for k, v in r.values.items()
                    if k in last and not isinstance(v, bool) and not isinstance(last[k], bool) and v < last[k]
                )
                out.append(Correction(unit, r.date, r.correction, lowered))
            last.update(r.values)
    return tuple(out)


def _mean(values: Sequence[float], weights: Sequence[float]) -> float:
    total = sum(weights)
    return sum(v * w for v, w in zip(values, weights, strict=True)) / total if total else 0.0


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)

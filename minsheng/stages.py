"""开工 and 完工: the stages a plan tracks for its tasks and named items (pure functions).

A task tracks stages when it (or one of its indicators or items) has a planned
start, or says ``stages: true``. A unit reports a task's start (``started: {任务: 日期}``),
an indicator's where the indicator tracks stages (``started: {指标: 日期}``), and each
item's stage (``items: {指标: {项目: 未开工|在建|完工}}``); stages carry over from one
report to the next, so a report may name only the items that moved.

The start light follows the plan's rule (default as 银川): not started in the
month it was due is yellow, ``red_months`` months late is red.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from minsheng.model import Indicator, Plan, Report, Task

STARTED_STAGES = frozenset({"在建", "完工"})


@dataclass(frozen=True, slots=True)
class ItemStatus:
    """One named item of a target as of a date: its stage and whether it is late."""

    name: str
    stage: str | None
    """未开工 / 在建 / 完工, or ``None`` when never reported."""
    start: dt.date | None
    due: dt.date
    start_light: str | None
    """The 开工 light where the item has a planned start; ``None`` otherwise."""
    overdue: bool
    """Past its own deadline and not 完工."""


def months_late(planned: dt.date, as_of: dt.date) -> int:
    """Whole calendar months from the month of ``planned`` to that of ``as_of`` (0 in the same month)."""
    return (as_of.year - planned.year) * 12 + as_of.month - planned.month


def start_light(plan: Plan, planned: dt.date | None, started: bool, as_of: dt.date) -> str | None:
    """The 开工 light: ``None`` where no start is planned, green once started or before it is due."""
    if planned is None:
        return None
    if started or as_of < planned:
        return "green"
    late = months_late(planned, as_of)
    if late >= plan.stages.red_months:
        return "red"
    return "yellow" if late >= plan.stages.yellow_months else "green"


def planned_start(task: Task) -> dt.date | None:
    """The task's planned 开工: its own ``start``, else the earliest of its indicators' and items'."""
    if task.start is not None:
        return task.start
    dates = [ind.start for ind in task.indicators if ind.start is not None]
    dates += [item.start for ind in task.indicators for item in ind.items if not isinstance(item, str) and item.start]
    return min(dates) if dates else None


def reported_start(task: Task, reports: Iterable[Report]) -> dt.date | None:
    """The earliest start date any of the task's units reported (reports up to the as-of date)."""
    dates = [r.started[task.id] for r in reports if task.id in r.started]
    return min(dates) if dates else None


def item_stages(reports: Sequence[Report], indicator_id: str) -> dict[str, str]:
    """Each item's latest stage, reports taken in date order."""
    stages: dict[str, str] = {}
    for report in reports:
        stages.update(report.items.get(indicator_id, {}))
    return stages


def stage_history(reports: Sequence[Report], indicator_id: str, *, started: bool = False) -> list[tuple[dt.date, int]]:
    """The count of 完工 items (with ``started``, of items 在建 or 完工: the 实施 count of an indicator
    with a ``complete_target``) at each report that gave stages for the indicator."""
    counted = STARTED_STAGES if started else frozenset({"完工"})
    stages: dict[str, str] = {}
    out = []
    for report in reports:
        if indicator_id in report.items:
            stages.update(report.items[indicator_id])
            out.append((report.date, sum(1 for s in stages.values() if s in counted)))
    return out


def item_statuses(
    plan: Plan, ind: Indicator, stages: dict[str, str], default_due: dt.date, as_of: dt.date
) -> tuple[ItemStatus, ...]:
    out = []
    for name in ind.item_names:
        item = ind.item(name)
        stage = stages.get(name)
        started = stage in STARTED_STAGES
        due = item.due or default_due
        out.append(
            ItemStatus(
                name=name,
                stage=stage,
                start=item.start,
                due=due,
                start_light=start_light(plan, item.start, started, as_of),
                overdue=stage != "完工" and as_of > due,
            )
        )
    return tuple(out)


def expected_by_items(items: Sequence[ItemStatus], as_of: dt.date) -> float:
    """序时进度 of a one-off target judged by stage: the share of its items already due."""
    return sum(1 for item in items if item.due <= as_of) / len(items) if items else 0.0

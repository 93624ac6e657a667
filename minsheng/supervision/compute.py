"""Pure computations on the 督办 ledger: each action's state, lights per period, suggested escalations,
verifications, and the year's 考评. Today is a parameter (``as_of``); nothing here reads a file or the clock.

Lights per period come from :func:`minsheng.compute.build_status` at each period's end, so they
reproduce exactly what ``status --as-of`` said on that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from minsheng.compute import StatusReport, build_status
from minsheng.dataset import Dataset
from minsheng.lazyclass import dataclass
from minsheng.model import Plan
from minsheng.periods import due_period_info, plan_periods
from minsheng.supervision.model import Action, Close, Correct, Entry, Reply, Verify


@dataclass(frozen=True, slots=True)
class ActionState:
    """An action as it stands on ``as_of``: with its corrections applied, replies and closing."""

    action: Action
    unit: str | None
    demand: str
    due: dt.date | None
    owner: str | None
    replies: tuple[Reply, ...]
    corrections: tuple[Correct, ...]
    closed: Close | None
    overdue: bool
    """Open and past its 整改时限 (逾期未整改)."""

    @property
    def id(self) -> str:
        return self.action.action

    @property
    def open(self) -> bool:
        return self.closed is None

    @property
    def closed_on_time(self) -> bool | None:
        if self.closed is None or self.due is None:
            return None if self.closed is None else True
        return self.closed.date <= self.due


@dataclass(frozen=True, slots=True)
class PeriodLight:
    end: dt.date
    label: str
    light: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An escalation the plan's rules call for, with the history that triggered it."""

    id: str
    kind: str
    task: str | None
    unit: str | None
    reason: str
    lights: tuple[PeriodLight, ...]
    action: str | None = None
    """For an overdue 督办: the action it follows up."""


@dataclass(frozen=True, slots=True)
class UnitReview:
    """考评 of one responsible unit (the rule is in the README and the plan's ``supervision.review``)."""

    unit: str
    periods_due: int
    reported: int
    missing: int
    lights: dict[str, int]
    completion: float
    verified: float
    actions: int
    closed_on_time: int
    overdue: int
    score: float
    rank: int = 0


def entries_until(entries: Iterable[Entry], as_of: dt.date) -> list[Entry]:
    return [e for e in entries if e.date <= as_of]


def action_states(plan: Plan, entries: Iterable[Entry], as_of: dt.date) -> list[ActionState]:
    """Every action opened on or before ``as_of``, in the order opened."""
    chosen = entries_until(entries, as_of)
    actions: dict[str, Action] = {}
    for e in chosen:
        if isinstance(e, Action):
            actions.setdefault(e.action, e)
    replies: dict[str, list[Reply]] = {k: [] for k in actions}
    corrections: dict[str, list[Correct]] = {k: [] for k in actions}
    closes: dict[str, Close] = {}
    for e in chosen:
        if isinstance(e, Reply) and e.reply in actions:
            replies[e.reply].append(e)
        elif isinstance(e, Correct) and e.correct in actions:
            corrections[e.correct].append(e)
        elif isinstance(e, Close) and e.close in actions:
            closes.setdefault(e.close, e)
    states = []
    for key, action in actions.items():
        unit, demand, due, owner = responsible_unit(plan, action), action.demand, action.due, action.owner
        for c in corrections[key]:
            unit = c.unit or unit
            demand = c.demand or demand
            due = c.due or due
            owner = c.owner or owner
        closed = closes.get(key)
        overdue = closed is None and due is not None and as_of > due
        states.append(
            ActionState(action, unit, demand, due, owner, tuple(replies[key]), tuple(corrections[key]), closed, overdue)
        )
    return states


def responsible_unit(plan: Plan, action: Action) -> str | None:
    """The unit that answers: as written, else the concerned indicator's unit, else the task's lead."""
    if action.unit:
        return action.unit
    for task in plan.tasks:
        for ind in task.indicators:
            if action.indicator is not None and ind.id == action.indicator:
                return ind.unit
        if action.task is not None and task.id == action.task:
            return task.units[0]
    return None


def standing(
    entries: Iterable[Entry], as_of: dt.date | None = None
) -> dict[tuple[str, str | None, str | None], Verify]:
    """The verifications in force (on ``as_of``): for each (indicator, item, area), its first
    verification since the last revoke of it, in the order written."""
    found: dict[tuple[str, str | None, str | None], Verify] = {}
    for e in entries if as_of is None else entries_until(entries, as_of):
        if isinstance(e, Verify):
            key = (e.verify, e.item, e.area)
            if e.revoke:
                found.pop(key, None)
            else:
                found.setdefault(key, e)
    return found


def verified(entries: Iterable[Entry], as_of: dt.date) -> dict[str, Verify]:
    """Indicators verified whole (no item or area given) and in force on ``as_of``: id → the verification."""
    return {key[0]: v for key, v in standing(entries, as_of).items() if key[1] is None and key[2] is None}


def verified_parts(entries: Iterable[Entry], as_of: dt.date) -> list[Verify]:
    return list(standing(entries, as_of).values())


def period_ends(plan: Plan, as_of: dt.date) -> list[tuple[dt.date, str]]:
    """The ends of the reporting periods from the plan's start up to ``as_of``, with their labels;
    the last one ends at the final deadline (the lights are read there)."""
    final = plan.deadlines.final.date
    last = min(as_of, final)
    ends = [(min(p.end, final), p.label) for p in plan_periods(plan)]
    return [(end, label) for end, label in ends if end <= last]


def light_history(data: Dataset, as_of: dt.date) -> tuple[list[tuple[dt.date, str]], list[StatusReport]]:
    """The status at each period end up to ``as_of``: what ``status --as-of END`` shows."""
    ends = period_ends(data.plan, as_of)
    return ends, [build_status(data, end) for end, _ in ends]


def task_lights(ends: Sequence[tuple[dt.date, str]], reports: Sequence[StatusReport]) -> dict[str, list[PeriodLight]]:
    lights: dict[str, list[PeriodLight]] = {}
    for (end, label), report in zip(ends, reports, strict=True):
        for row in report.tasks:
            lights.setdefault(row.task.id, []).append(PeriodLight(end, label, row.light))
    return lights


def suggestions(
    plan: Plan, states: Sequence[ActionState], lights: dict[str, list[PeriodLight]], as_of: dt.date
) -> list[Suggestion]:
    """What the plan's escalation rules suggest on ``as_of``, less what the office has already done.

    A red-run rule fires for a task whose last ``after_red`` periods are all red, unless an action of
    that kind on the task was opened on or after the first of those periods; of the red rules that
    fire for one task only the strongest (longest run) is suggested. An overdue rule fires for each
    open action past its 整改时限 with no action of that kind on the same task or unit opened since.
    """
    found: list[Suggestion] = []
    red_rules = sorted((r for r in plan.supervision.escalation if r.after_red), key=lambda r: -(r.after_red or 0))
    for task in plan.tasks:
        history = lights.get(task.id, [])
        run = _red_run(history)
        for rule in red_rules:
            need = rule.after_red or 0
            if run < need:
                continue
            window = history[-need:]
            done = any(
                s.action.kind == rule.suggest and s.action.task == task.id and s.action.date >= window[0].end
                for s in states
            )
            if not done:
                labels = "、".join(p.label for p in window)
                found.append(
                    Suggestion(
                        f"{task.id}-{rule.suggest}",
                        rule.suggest,
                        task.id,
                        task.units[0],
                        f"连续{need}期红灯（{labels}）",
                        tuple(history),
                    )
                )
            break
    for rule in (r for r in plan.supervision.escalation if r.overdue):
        for s in states:
            if not s.overdue:
                continue
            done = any(
                o.action.kind == rule.suggest
                and o.action.date > (s.due or o.action.date)
                and (o.action.task == s.action.task or o.unit == s.unit)
                for o in states
            )
            if not done:
                found.append(
                    Suggestion(
                        f"{s.id}-{rule.suggest}",
                        rule.suggest,
                        s.action.task,
                        s.unit,
                        f"督办事项 {s.id}（{s.action.kind}）超过整改时限 {s.due} 未整改销号",
                        tuple(lights.get(s.action.task or "", [])),
                        s.id,
                    )
                )
    return found


def _red_run(history: Sequence[PeriodLight]) -> int:
    run = 0
    for p in reversed(history):
        if p.light != "red":
            break
        run += 1
    return run


def review(
    plan: Plan,
    data: Dataset,
    states: Sequence[ActionState],
    verifications: dict[str, Verify],
    ends: Sequence[tuple[dt.date, str]],
    reports: Sequence[StatusReport],
    current: StatusReport,
) -> list[UnitReview]:
    """考评 of every reporting unit, ranked.

    Parts, each a share from 0 to 1: reporting = periods with a report ÷ periods due (from the period
    of the first report anyone made, when the 台账 began); progress =
    mean over the unit's indicators of min(完成率 ÷ 序时进度, 1) (1 where nothing is expected yet);
    verified = indicators 核验销号 ÷ indicators; supervision = 1 − (督办 overdue or closed late) ÷ 督办
    received (1 with none). Lights are counted per period from the 台账's first period.
    Score = Σ weight × part ÷ Σ weights × 100; ties keep the plan's order.
    """
    weights = plan.supervision.review
    total_weight = weights.reporting + weights.progress + weights.verified + weights.supervision
    units = [u.name for u in plan.units if any(i.unit == u.name for t in plan.tasks for i in t.indicators)]
    rows: list[UnitReview] = []
    due = _periods_due(plan, current.as_of, _first_report(data))
    for unit in units:
        mine = [i for i in current.indicators() if i.indicator.unit == unit]
        reported = sum(1 for start, end in due if any(start <= r.date <= end for r in data.reports.get(unit, ())))
        lights: dict[str, int] = {}
        for (end, _label), report in zip(ends, reports, strict=True):
            light = _unit_light(report, unit) if due and end >= due[0][0] else None
            if light:
                lights[light] = lights.get(light, 0) + 1
        progress = [min(i.completion / i.expected, 1.0) if i.expected > 1e-9 else 1.0 for i in mine]
        done = [min(i.completion, 1.0) for i in mine]
        checked = sum(1 for i in mine if i.indicator.id in verifications)
        received = [s for s in states if s.unit == unit]
        late = sum(1 for s in received if s.overdue or s.closed_on_time is False)
        parts = (
            reported / len(due) if due else 1.0,
            sum(progress) / len(progress) if progress else 1.0,
            checked / len(mine) if mine else 0.0,
            1 - late / len(received) if received else 1.0,
        )
        score = (
            (
                weights.reporting * parts[0]
                + weights.progress * parts[1]
                + weights.verified * parts[2]
                + weights.supervision * parts[3]
            )
            / total_weight
            * 100
            if total_weight
            else 0.0
        )
        rows.append(
            UnitReview(
                unit,
                len(due),
                reported,
                len(due) - reported,
                lights,
                sum(done) / len(done) if done else 0.0,
                checked / len(mine) if mine else 0.0,
                len(received),
                sum(1 for s in received if s.closed_on_time),
                sum(1 for s in received if s.overdue),
                round(score, 1),
            )
        )
    order = sorted(range(len(rows)), key=lambda n: (-rows[n].score, n))
    return [_ranked(rows[n], rank) for rank, n in enumerate(order, 1)]


def _ranked(row: UnitReview, rank: int) -> UnitReview:
    from dataclasses import replace

    return replace(row, rank=rank)


def _first_report(data: Dataset) -> dt.date | None:
    dates = [r.date for reports in data.reports.values() for r in reports]
    return min(dates) if dates else None


def _periods_due(plan: Plan, as_of: dt.date, first: dt.date | None) -> list[tuple[dt.date, dt.date]]:
    """(start, end) of each period whose report was late on ``as_of`` (the rule of
    :func:`minsheng.periods.due_period_info`, the day 未报送 is shown), from the period of the
    first report anyone made (the month the 台账 began) on."""
    due = due_period_info(plan, as_of)
    if due is None or first is None:
        return []
    return [
        (max(p.start, plan.start_date), p.end) for p in plan_periods(plan) if p.end >= first and p.start <= due.start
    ]


def _unit_light(report: StatusReport, unit: str) -> str | None:
    """A unit's light in one period: the worst light among the indicators it reports."""
    order = {"red": 3, "yellow": 2, "green": 1, "blue": 0}
    lights = [i.light for i in report.indicators() if i.indicator.unit == unit]
    return max(lights, key=lambda light: order.get(light, 0)) if lights else None


def verified_drops(data: Dataset, entries: Iterable[Entry]) -> list[tuple[Verify, dt.date, object, object]]:
    """Verified indicators whose unit later reported less than at verification:
    (the verification, the later report's date, the value verified, the value reported)."""
    found = []
    indicators = {i.id: i for t in data.plan.tasks for i in t.indicators}
    for v in entries:
        if not isinstance(v, Verify) or v.item is not None or v.area is not None or v.verify not in indicators:
            continue
        ind = indicators[v.verify]
        reports = data.reports.get(ind.unit, ())
        at = [r.values[ind.id] for r in reports if r.date <= v.date and ind.id in r.values]
        if not at:
            continue
        base = at[-1]
        for r in reports:
            if r.date > v.date and ind.id in r.values:
                later = r.values[ind.id]
                if _lower(later, base, ind.direction == "down"):
                    found.append((v, r.date, base, later))
                    break
    return found


def _lower(later: object, base: object, down: bool) -> bool:
    if isinstance(base, bool) or isinstance(later, bool):
        return base is True and later is False
    if isinstance(base, int | float) and isinstance(later, int | float):
        return later > base if down else later < base
    return False


def summarize(
    data: Dataset, entries: Sequence[Entry], as_of: dt.date
) -> tuple[list[ActionState], list[Suggestion], dict[str, Verify], list[tuple[dt.date, str]], list[StatusReport]]:
    """Everything 督办 needs on ``as_of``: states, suggestions, verifications and the lights per period."""
    states = action_states(data.plan, entries, as_of)
    ends, reports = light_history(data, as_of)
    found = suggestions(data.plan, states, task_lights(ends, reports), as_of)
    return states, found, verified(entries, as_of), ends, reports


def year_review(
    data: Dataset, entries: Sequence[Entry], as_of: dt.date, current: StatusReport | None = None
) -> list[UnitReview]:
    """The year's 考评 on ``as_of``, ranked: :func:`review` over :func:`summarize` (``current`` is the status
    on ``as_of`` when the caller has it already)."""
    states, _found, verifs, ends, reports = summarize(data, entries, as_of)
    now = current if current is not None else build_status(data, as_of)
    return review(data.plan, data, states, verifs, ends, reports, now)

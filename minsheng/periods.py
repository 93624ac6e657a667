"""Reporting periods and when their reports are due: the one rule every command uses.

A period is a whole calendar month (or quarter), also the one holding the final
deadline: a final deadline of 12-20 does not cut December short (issue 10 item
5a). Its report is due ``reporting.due_days`` after its last day, or on day
``reporting.due_day_of_month`` of its last month (:meth:`Reporting.due_on`), and is
late from the day after (次月5日前 means late from the 6th).

The periods of a plan run from the one holding its start to the one holding its
final deadline. Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt

from minsheng.lazyclass import dataclass
from minsheng.model import Plan


@dataclass(frozen=True, slots=True)
class DuePeriod:
    """One reporting period: its first and last day, the day its report is due, and its label.

    ``start`` is the calendar first day even when the plan starts later in the period.
    """

    start: dt.date
    end: dt.date
    due: dt.date
    label: str
    """2024年7月, or 2024年第3季度 for a quarterly plan."""

    def late_on(self, day: dt.date) -> bool:
        """True when a report still missing on ``day`` is late (the day after ``due`` on)."""
        return day > self.due

    def days_late(self, day: dt.date) -> int:
        """Days past the due date on ``day``: 8月9日 for a report due 8月5日 is 4; 0 until then."""
        return max((day - self.due).days, 0)


def months_per_period(plan: Plan) -> int:
    return 3 if plan.reporting.cadence == "quarterly" else 1


def due_rule_words(plan: Plan) -> str:
    """The plan's due rule as an office writes it: 每月结束后5日内, 每季度末月20日前, 每月结束前5日."""
    reporting, quarterly = plan.reporting, months_per_period(plan) == 3
    if reporting.due_day_of_month is not None:
        return f"{'每季度末月' if quarterly else '每月'}{reporting.due_day_of_month}日前"
    each, days = "每季度" if quarterly else "每月", reporting.due_days
    if days > 0:
        return f"{each}结束后{days}日内"
    return f"{each}结束前{-days}日" if days < 0 else "每期结束时"


def reporting_period(plan: Plan, day: dt.date) -> DuePeriod:
    """The period holding ``day`` (whether or not it is inside the plan's year)."""
    months = months_per_period(plan)
    month = day.month - (day.month - 1) % months
    start = dt.date(day.year, month, 1)
    end = _add_months(start, months) - dt.timedelta(days=1)
    label = f"{day.year}年第{(month - 1) // 3 + 1}季度" if months == 3 else f"{day.year}年{month}月"
    return DuePeriod(start, end, plan.reporting.due_on(end), label)


def first_period(plan: Plan) -> DuePeriod:
    """The plan's first period: the one holding its start."""
    return reporting_period(plan, plan.start_date)


def last_period(plan: Plan) -> DuePeriod:
    """The plan's last period: the one holding its final deadline. After its due date the plan is over."""
    return reporting_period(plan, plan.deadlines.final.date)


def plan_periods(plan: Plan) -> list[DuePeriod]:
    """Every period of the plan, first to last."""
    out = [first_period(plan)]
    last = last_period(plan)
    while out[-1].start < last.start:
        out.append(reporting_period(plan, out[-1].end + dt.timedelta(days=1)))
    return out


def due_period_info(plan: Plan, as_of: dt.date) -> DuePeriod | None:
    """The latest period of the plan whose report was late on ``as_of`` (its due date has passed).

    ``None`` before the plan starts and before its first period's report is late. Long after
    the plan's year it stays the last period (the one holding the final deadline).
    """
    if as_of < plan.start_date:
        return None
    first = first_period(plan)
    period = reporting_period(plan, min(as_of, plan.deadlines.final.date))
    while not period.late_on(as_of):
        if period.start <= first.start:
            return None
        period = reporting_period(plan, period.start - dt.timedelta(days=1))
    return period


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def period_key(period: DuePeriod) -> str:
    """How a form's hidden sheet names its period: 2024-07 (the period's first month)."""
    return f"{period.start.year}-{period.start.month:02d}"


def parse_period(plan: Plan, text: str) -> DuePeriod | str:
    """``2024-07`` (or ``2024-Q3`` for a quarterly plan) as a period of ``plan``; else why not (``--period``)."""
    import re

    shown = text.strip()
    if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", shown):
        day = dt.date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1)
    elif (m := re.fullmatch(r"(\d{4})-(\d{1,2})", shown)) and 1 <= int(m[2]) <= 12:
        day = dt.date(int(m[1]), int(m[2]), 1)
    else:
        return f"报送期应写成 YYYY-MM，如 {plan.year}-07（按季度报送时也可写 {plan.year}-Q3），而不是“{shown}”"
    period = reporting_period(plan, day)
    if not first_period(plan).start <= period.start <= last_period(plan).start:
        return f"{period.label}不在计划的期限内（{plan.start_date} 至 {plan.deadlines.final.date}）"
    return period

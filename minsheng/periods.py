"""Reporting periods: the month (or quarter) a form is for, its days and when its report is due.

Pure functions of the plan and a date; nothing here reads the clock. The
period a form is sent for is the one :func:`minsheng.compute.due_period`
names (the latest period whose report is due), unless one is asked for.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from minsheng.compute import due_period
from minsheng.model import Plan

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])")


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date
    """The period's last day (the final deadline when it falls inside the period)."""
    label: str
    """2024年7月, or 2024年第3季度 for a quarterly plan."""
    due: dt.date
    """The last day its report is on time (``end`` + ``due_days``)."""

    @property
    def key(self) -> str:
        """How the form's hidden sheet names it: 2024-07 (the period's first month)."""
        return f"{self.start.year}-{self.start.month:02d}"


def period_of(plan: Plan, day: dt.date) -> Period:
    """The reporting period holding ``day``."""
    months = 3 if plan.reporting.cadence == "quarterly" else 1
    month = day.month - (day.month - 1) % months
    start = dt.date(day.year, month, 1)
    index = month - 1 + months
    end = dt.date(day.year + index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)
    final = plan.deadlines.final.date
    if start <= final < end:
        end = final
    label = f"{day.year}年第{(month - 1) // 3 + 1}季度" if months == 3 else f"{day.year}年{month}月"
    return Period(start, end, label, end + dt.timedelta(days=plan.reporting.due_days))


def form_period(plan: Plan, as_of: dt.date) -> Period | None:
    """The period whose forms go out on ``as_of``: the latest one due; ``None`` before any is."""
    due = due_period(plan, as_of)
    return None if due is None else period_of(plan, due[0])


def parse_period(plan: Plan, text: str) -> Period | str:
    """``2024-07`` (or ``2024-Q3`` for a quarterly plan) as a period of ``plan``; else why not."""
    shown = text.strip()
    if m := _QUARTER.fullmatch(shown):
        day = dt.date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1)
    elif (m := _MONTH.fullmatch(shown)) and 1 <= int(m[2]) <= 12:
        day = dt.date(int(m[1]), int(m[2]), 1)
    else:
        return f"报送期应写成 YYYY-MM，如 {plan.year}-07（按季度报送时也可写 {plan.year}-Q3），而不是“{shown}”"
    period = period_of(plan, day)
    if period.end < plan.start_date or period.start > plan.deadlines.final.date:
        return f"{period.label}不在计划的期限内（{plan.start_date} 至 {plan.deadlines.final.date}）"
    return period

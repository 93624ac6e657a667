"""催报: the reporting units whose report for the period due is missing, with whom to call.

Drawn from the :class:`~minsheng.compute.StatusReport` of ``as_of`` (its
:class:`~minsheng.compute.UnitFreshness` rows), so ``remind`` lists exactly the
units ``status`` shows as 未报送, and from the shared period rule of
:mod:`minsheng.periods`. Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from minsheng.compute import StatusReport
from minsheng.model import Plan
from minsheng.periods import DuePeriod, due_period_info, first_period, last_period

RemindState = Literal["before_start", "not_due", "all_reported", "missing"]
"""before_start: ``as_of`` is before the plan starts; not_due: no period's report is late yet;
all_reported: every reporting unit has reported for the period due; missing: some have not."""


@dataclass(frozen=True, slots=True)
class Reminder:
    """One unit to chase: its report for ``period`` was due on ``due_date``."""

    unit: str
    period: str
    due_date: dt.date
    days_overdue: int
    last_report: dt.date | None
    contact: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class Reminders:
    plan: Plan
    as_of: dt.date
    period: DuePeriod | None
    """The latest period whose report is late on ``as_of``; ``None`` before any is."""
    first: DuePeriod
    last: DuePeriod
    units: int
    """How many units report (those a reminder could go to)."""
    rows: tuple[Reminder, ...]

    @property
    def state(self) -> RemindState:
        if self.as_of < self.plan.start_date:
            return "before_start"
        if self.period is None:
            return "not_due"
        return "missing" if self.rows else "all_reported"

    @property
    def ended(self) -> bool:
        """The plan is over: ``as_of`` is after its last period's due date (the last period stays due)."""
        return self.as_of > self.last.due


def reminders(report: StatusReport) -> Reminders:
    """The units :class:`StatusReport` shows as 未报送 on its ``as_of``, in the plan's order."""
    plan = report.plan
    people = {u.name: u for u in plan.units}
    period = due_period_info(plan, report.as_of)
    rows = tuple(
        Reminder(
            u.unit,
            u.due_period or "",
            u.due_date,
            u.days_overdue or 0,
            u.last_report,
            people[u.unit].contact if u.unit in people else None,
            people[u.unit].phone if u.unit in people else None,
        )
        for u in report.units
        if u.missing and u.due_date is not None
    )
    return Reminders(plan, report.as_of, period, first_period(plan), last_period(plan), len(report.units), rows)

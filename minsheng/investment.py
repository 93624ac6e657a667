"""投资完成率: planned yearly investment (万元) against the cumulative amount reported (pure functions)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from minsheng.model import Report, Task


@dataclass(frozen=True, slots=True)
class InvestmentStatus:
    planned: float | None
    """万元; ``None`` where the plan gives none."""
    done: float
    """Cumulative 万元 reported (0 before any report)."""

    @property
    def completion(self) -> float | None:
        return self.done / self.planned if self.planned else None


def task_investment(task: Task, reports: Callable[[str], Sequence[Report]]) -> InvestmentStatus | None:
    """Each of the task's units' latest cumulative figure, summed; ``None`` where nothing is planned or reported."""
    done = 0.0
    reported = False
    for unit in task.units:
        latest = [r.investment[task.id] for r in reports(unit) if task.id in r.investment]
        if latest:
            done += float(latest[-1])
            reported = True
    if task.investment is None and not reported:
        return None
    return InvestmentStatus(None if task.investment is None else float(task.investment), done)


def total_investment(parts: Iterable[InvestmentStatus | None]) -> InvestmentStatus | None:
    """A category's or the plan's: planned and done summed over the tasks that plan an investment."""
    planned = [p for p in parts if p is not None and p.planned is not None]
    if not planned:
        return None
    return InvestmentStatus(sum(p.planned or 0.0 for p in planned), sum(p.done for p in planned))

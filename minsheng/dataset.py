"""One plan with its units' reports, ready to compute on.

Built from what the loader read (or from the cache); holds no file positions.
Reports are keyed by canonical unit name, sorted by date, and limited to the
plan's year: reports of another year belong to that year's plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from minsheng.lazyclass import dataclass
from minsheng.model import Ledger, Plan, Report
from minsheng.units import UnitIndex


@dataclass(frozen=True, slots=True)
class Dataset:
    plan: Plan
    reports: dict[str, tuple[Report, ...]]
    example: bool = False

    def reports_until(self, unit: str, as_of: dt.date) -> tuple[Report, ...]:
        return tuple(r for r in self.reports.get(unit, ()) if r.date <= as_of)


def plan_of(plans: Sequence[Plan], year: int, plan_id: str | None) -> Plan | None:
    """The plan a progress file's reports of ``year`` belong to.

    A file naming a plan (``plan: 市级``) belongs to the plan of that id; one naming
    none, to the year's only plan, or (where a year has several) to the one without an id.
    """
    same = [p for p in plans if p.year == year]
    if plan_id is not None:
        return next((p for p in same if p.id == plan_id), None)
    if len(same) == 1:
        return same[0]
    return next((p for p in same if p.id is None), None)


def build_dataset(plan: Plan, ledgers: Iterable[Ledger], plans: Sequence[Plan] = ()) -> Dataset:
    """The plan with its reports; ``plans`` (all plans read) decide which files belong to it."""
    units = UnitIndex(plan.units)
    by_unit: dict[str, list[Report]] = {}
    example = False
    everyone = list(plans) or [plan]
    for ledger in ledgers:
        name = units.canonical(ledger.unit)
        if name is None or plan_of(everyone, plan.year, ledger.plan) is not plan:
            continue
        mine = [r for r in ledger.reports if r.date.year == plan.year]
        if mine:
            example = example or ledger.example
        by_unit.setdefault(name, []).extend(mine)
    return Dataset(
        plan,
        {name: tuple(sorted(reports, key=lambda r: r.date)) for name, reports in by_unit.items()},
        example,
    )

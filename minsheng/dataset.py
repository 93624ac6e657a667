"""One plan with its units' reports, ready to compute on.

Built from what the loader read (or from the cache); holds no file positions.
Reports are keyed by canonical unit name, sorted by date, and limited to the
plan's year: reports of another year belong to that year's plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from minsheng.model import Ledger, Plan, Report
from minsheng.units import UnitIndex


@dataclass(frozen=True, slots=True)
class Dataset:
    plan: Plan
    reports: dict[str, tuple[Report, ...]]
    example: bool = False

    def reports_until(self, unit: str, as_of: dt.date) -> tuple[Report, ...]:
        return tuple(r for r in self.reports.get(unit, ()) if r.date <= as_of)


def build_dataset(plan: Plan, ledgers: Iterable[Ledger]) -> Dataset:
    units = UnitIndex(plan.units)
    by_unit: dict[str, list[Report]] = {}
    example = False
    for ledger in ledgers:
        name = units.canonical(ledger.unit)
        if name is None:
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

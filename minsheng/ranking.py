"""The 月度通报's periods and its ranking of responsible units: pure functions over computed reports.

Which period a bulletin reports on: the reporting period (month, or quarter for a quarterly plan)
that ends on the as-of date when the as-of date is a period end, otherwise the last period that
ended before it; after the plan's year, the period holding its final deadline. The previous period
is the one before that (none for the plan's first).

The ranking (责任单位排名) rule, as the README and the bulletin's note state it:

- a unit's 平均偏差 is the mean, over the indicators it reports (sub-targets ``part_of`` another
  indicator are left out: they are counted in that one), of 完成率 − 序时进度 in percentage points,
  the 完成率 capped at 100% as in every average of this tool;
- units are ranked by 平均偏差, highest first; units whose 平均偏差 is equal to 0.1 个百分点 (as printed)
  share a 位次 (并列) and are listed in the plan's order of units;
- 位次变化 = previous 位次 − this 位次 (positive: up), computed the same way from the status at the
  previous period's end; ``None`` where there is no previous period or the unit was not ranked then.

Nothing here reads files or the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minsheng.compute import StatusReport
from minsheng.model import Plan
from minsheng.supervision.compute import period_ends


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period: its last day, its label (2024年7月, 2024年第3季度) and its ordinal in the plan."""

    end: dt.date
    label: str
    number: int


@dataclass(frozen=True, slots=True)
class UnitRank:
    unit: str
    indicators: int
    score: float
    """平均偏差 as a fraction: mean of (capped 完成率 − 序时进度) over the unit's indicators."""
    rank: int
    previous: int | None = None

    @property
    def change(self) -> int | None:
        """Places gained since the previous period (negative: lost)."""
        return None if self.previous is None else self.previous - self.rank


def reported_periods(plan: Plan, as_of: dt.date) -> tuple[Period, Period | None] | None:
    """The period a bulletin dated ``as_of`` reports on and the one before it; ``None`` before any has ended."""
    ends = period_ends(plan, as_of)
    if not ends:
        return None
    periods = [Period(end, label, n) for n, (end, label) in enumerate(ends, start=1)]
    return periods[-1], periods[-2] if len(periods) > 1 else None


def unit_scores(report: StatusReport) -> list[tuple[str, int, float]]:
    """(unit, indicators, 平均偏差) of every unit that reports an indicator, in the plan's order of units."""
    rows = [i for i in report.indicators() if i.indicator.part_of is None]
    out = []
    for unit in report.plan.units:
        mine = [i for i in rows if i.indicator.unit == unit.name]
        if mine:
            out.append((unit.name, len(mine), sum(i.capped - i.expected for i in mine) / len(mine)))
    return out


def rank_units(report: StatusReport, previous: StatusReport | None = None) -> list[UnitRank]:
    """The units ranked by 平均偏差 (the module's rule), each with its 位次 in ``previous``."""
    ranked = rank_scores(unit_scores(report))
    before = {row.unit: row.rank for row in rank_scores(unit_scores(previous))} if previous is not None else {}
    return [UnitRank(r.unit, r.indicators, r.score, r.rank, before.get(r.unit)) for r in ranked]


def _key(score: float) -> float:
    """The 平均偏差 as printed (个百分点, one decimal): equal keys share a 位次."""
    return round(score * 100 + 0.0, 1)


def rank_scores(scores: list[tuple[str, int, float]]) -> list[UnitRank]:
    """(unit, indicators, 平均偏差) in the plan's order, ranked by the rule (ties share a 位次)."""
    order = sorted(range(len(scores)), key=lambda n: (-_key(scores[n][2]), n))
    out: list[UnitRank] = []
    for place, n in enumerate(order, start=1):
        unit, count, score = scores[n]
        rank = out[-1].rank if out and _key(out[-1].score) == _key(score) else place
        out.append(UnitRank(unit, count, score, rank))
    return out

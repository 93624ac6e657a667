"""Targets split among areas: each area's value, and the indicator's as their sum (pure functions).

An area's share is reported either by the area's own unit (in its ``values``,
under the indicator's id) or by the indicator's unit per area (``areas:``).
The latest report of either kind, up to the as-of date, is the area's value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from minsheng.model import Indicator, Plan, Report, Value


@dataclass(frozen=True, slots=True)
class AreaStatus:
    area: str
    target: float
    value: Value | None
    completion: float


Reports = Callable[[str], Sequence[Report]]
"""A unit's reports up to the as-of date, in date order."""


def area_histories(plan: Plan, ind: Indicator, reports: Reports) -> dict[str, list[tuple[dt.date, Value]]]:
    """For each area of the split, its reported values in date order."""
    units = {a.name: a.unit for a in plan.areas}
    out: dict[str, list[tuple[dt.date, Value]]] = {}
    for share in ind.areas:
        points = [
            (r.date, r.areas[ind.id][share.area]) for r in reports(ind.unit) if share.area in r.areas.get(ind.id, {})
        ]
        unit = units.get(share.area)
        if unit is not None and unit != ind.unit:
            points += [(r.date, r.values[ind.id]) for r in reports(unit) if ind.id in r.values]
        out[share.area] = sorted(points, key=lambda point: point[0])
    return out


def summed_history(histories: dict[str, list[tuple[dt.date, Value]]]) -> tuple[tuple[dt.date, Value], ...]:
    """The indicator's value at every date any area reported: the sum of each area's latest."""
    dates = sorted({d for points in histories.values() for d, _ in points})
    out = []
    for day in dates:
        total: float = 0
        for points in histories.values():
            latest = [v for d, v in points if d <= day]
            total += float(latest[-1]) if latest else 0
        out.append((day, int(total) if total.is_integer() else total))
    return tuple(out)


def area_statuses(ind: Indicator, histories: dict[str, list[tuple[dt.date, Value]]]) -> tuple[AreaStatus, ...]:
    out = []
    for share in ind.areas:
        points = histories.get(share.area, [])
        value = points[-1][1] if points else None
        target = float(share.target)
        completion = 0.0 if value is None else (float(value) / target if target else 1.0)
        out.append(AreaStatus(share.area, target, value, completion))
    return tuple(out)

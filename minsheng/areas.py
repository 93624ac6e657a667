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
    target: int | float
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
    # One sweep over every report in date order, keeping each area's latest: linear in the reports.
    # by date only: on one date, an area's own unit (listed last) wins, as in area_statuses
    events = sorted(((d, area, float(v)) for area, points in histories.items() for d, v in points), key=lambda e: e[0])
    latest: dict[str, float] = {}
    total = 0.0
    out: list[tuple[dt.date, Value]] = []
    for k, (day, area, value) in enumerate(events):
        total += value - latest.get(area, 0.0)
        latest[area] = value
        if k + 1 == len(events) or events[k + 1][0] != day:
            shown = round(total, 9)  # running sums of decimals drift in the last bits
            out.append((day, int(shown) if shown.is_integer() else shown))
    return tuple(out)


def area_statuses(ind: Indicator, histories: dict[str, list[tuple[dt.date, Value]]]) -> tuple[AreaStatus, ...]:
    out = []
    for share in ind.areas:
        points = histories.get(share.area, [])
        value = points[-1][1] if points else None
        target = float(share.target)
        completion = 0.0 if value is None else (float(value) / target if target else 1.0)
        out.append(AreaStatus(share.area, share.target, value, completion))
    return tuple(out)

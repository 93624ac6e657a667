"""The data schema: the plan, its tasks and indicators, units, and progress reports.

These are plain frozen dataclasses so that the report commands can use them
without importing pydantic (see ``docs/performance.md``). Pydantic validates
them through ``TypeAdapter`` in :mod:`minsheng.schema`; the ``__pydantic_config__``
on each class forbids unknown keys and non-finite numbers.

Constraints a single field can express live here (``annotated_types``);
rules that look at several fields or files live in :mod:`minsheng.checks`,
where each has a code.

Nothing here knows about any district or year.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import field
from typing import TYPE_CHECKING, Annotated, Literal

from minsheng.lazyclass import dataclass
from minsheng.numbers import WHOLE_MEASURES
from minsheng.supervision.model import SupervisionRules

if TYPE_CHECKING:
    import annotated_types as at

    from minsheng.schema import iso_date_only

_CONFIG = {"extra": "forbid", "allow_inf_nan": False}

# The constraints are written as strings and resolved only when pydantic builds
# the validators (see load_constraints): importing annotated_types costs more
# than a whole `status` run reading from the cache.
NonEmpty = "Annotated[str, at.MinLen(1)]"
# A date written YYYY-MM-DD, nothing else (pydantic alone would also take 1719705600 as a date).
IsoDate = "Annotated[dt.date, iso_date_only]"
Fraction = "Annotated[float, at.Ge(0), at.Le(1)]"
Number = int | float
Value = int | float | bool  # order matters: "1" is the number 1, "true" a bool

Kind = Literal["amount", "level", "milestone", "ceiling"]
Direction = Literal["up", "down"]
Cadence = Literal["monthly", "quarterly"]
Scale = Literal["万", "亿"]
Stage = Literal["未开工", "在建", "完工"]
TaskWeighting = Literal["equal", "investment", "weight"]
SCALES = {"万": 10_000, "亿": 100_000_000}
STAGES: tuple[str, ...] = ("未开工", "在建", "完工")


@dataclass(frozen=True, slots=True)
class Milestone:
    """One point of a 序时进度安排: by ``date``, ``expected`` of the work is done."""

    __pydantic_config__ = _CONFIG
    date: IsoDate
    expected: Fraction


@dataclass(frozen=True, slots=True)
class Deadline:
    __pydantic_config__ = _CONFIG
    date: IsoDate
    label: NonEmpty


@dataclass(frozen=True, slots=True)
class Deadlines:
    """``basic``: 基本完成 (the time-progress line reaches 100% here); ``final``: 全面完成."""

    __pydantic_config__ = _CONFIG
    basic: Deadline
    final: Deadline


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Gaps behind 序时进度, as fractions, at which the light turns yellow and red."""

    __pydantic_config__ = _CONFIG
    yellow: Fraction = 0.10
    red: Fraction = 0.30


@dataclass(frozen=True, slots=True)
class Reporting:
    """How often units report, and when a period's report is due: ``due_days`` after the period
    ends, or on day ``due_day_of_month`` of its last month ("每季度末月20日前")."""

    __pydantic_config__ = _CONFIG
    cadence: Cadence = "monthly"
    # Negative: due before the period ends.
    due_days: Annotated[int, at.Ge(-60), at.Le(60)] = 0
    due_day_of_month: Annotated[int, at.Ge(1), at.Le(31)] | None = None

    def due_on(self, end: dt.date) -> dt.date:
        """The last day to report the period ending on ``end`` (late from the day after).

        ``due_day_of_month: 20`` is the 20th of the month ``end`` falls in (its last day in a
        shorter month); otherwise ``end`` plus ``due_days``.
        """
        if self.due_day_of_month is None:
            return end + dt.timedelta(days=self.due_days)
        last = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=min(self.due_day_of_month, last.day))


@dataclass(frozen=True, slots=True)
class Stages:
    """The 开工 light: not started ``yellow_months`` after the month it was due is yellow, ``red_months`` red."""

    __pydantic_config__ = _CONFIG
    yellow_months: Annotated[int, at.Ge(0), at.Le(24)] = 0
    red_months: Annotated[int, at.Ge(0), at.Le(24)] = 3


@dataclass(frozen=True, slots=True)
class Category:
    """A group of tasks ("一、促进就业（3项）"), with its 牵头单位."""

    __pydantic_config__ = _CONFIG
    id: NonEmpty
    name: NonEmpty
    lead: str | None = None
    count: Annotated[int, at.Ge(0)] | None = None
    """The number of tasks the plan says the category has ("（3项）"); checked against its tasks."""


@dataclass(frozen=True, slots=True)
class Area:
    """A place a target is split among (乡镇/街道, 县区); ``unit`` reports its share."""

    __pydantic_config__ = _CONFIG
    name: NonEmpty
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class AreaShare:
    __pydantic_config__ = _CONFIG
    area: NonEmpty
    target: Annotated[Number, at.Ge(0)]


@dataclass(frozen=True, slots=True)
class SchedulePoint:
    """One month of a 月度工作计划 in absolute numbers: by ``date``, ``value`` done."""

    __pydantic_config__ = _CONFIG
    date: IsoDate
    value: Annotated[Number, at.Ge(0)]


@dataclass(frozen=True, slots=True)
class Item:
    """A named item of a target (a road, a school), with its own planned start and deadline."""

    __pydantic_config__ = _CONFIG
    name: NonEmpty
    start: Annotated[dt.date, iso_date_only] | None = None
    due: Annotated[dt.date, iso_date_only] | None = None


@dataclass(frozen=True, slots=True)
class Unit:
    __pydantic_config__ = _CONFIG
    name: NonEmpty
    full_name: str | None = None
    aliases: tuple[NonEmpty, ...] = ()
    contact: str | None = None
    phone: str | None = None
    group: bool = False
    """A group name used as a co-unit ("各街道"): it never reports and is never idle."""


@dataclass(frozen=True, slots=True)
class Indicator:
    """One numeric target (or a milestone) with the one unit that reports it."""

    __pydantic_config__ = _CONFIG
    id: NonEmpty
    name: NonEmpty
    unit: NonEmpty
    kind: Kind = "amount"
    target: Annotated[Number, at.Ge(0)] | None = None
    measure: str | None = None
    floor: bool = False
    direction: Direction = "up"
    baseline: Number | None = None
    weight: Annotated[Number, at.Gt(0)] = 1
    co_units: tuple[NonEmpty, ...] = ()
    items: tuple[Annotated[str, at.MinLen(1)] | Item, ...] = ()
    examples: tuple[NonEmpty, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    note: str | None = None
    scale: Scale | None = None
    due: Annotated[dt.date, iso_date_only] | None = None
    start: Annotated[dt.date, iso_date_only] | None = None
    part_of: str | None = None
    schedule: tuple[SchedulePoint, ...] = ()
    areas: tuple[AreaShare, ...] = ()
    leader: str | None = None
    owner: str | None = None
    whole: bool | None = None
    """Counted in whole units (fractions refused): by default when the measure is one
    (:data:`~minsheng.numbers.WHOLE_MEASURES`) and no ``scale`` is given; ``true``/``false`` decides."""
    stages: bool = False
    """Tracks 开工 without a planned date: its unit may report it started (``started: {指标: 日期}``)."""
    complete_target: Annotated[Number, at.Ge(0)] | None = None
    """"实施项目12个，计划竣工3个": of ``target`` implemented, this many to be 完工 (reported in ``completed``)."""

    @property
    def counts_whole(self) -> bool:
        """Whether a fraction is refused in this indicator's target and values."""
        if self.whole is not None:
            return self.whole
        return (
            self.kind in ("amount", "level") and self.scale is None and (self.measure or "").strip() in WHOLE_MEASURES
        )

    @property
    def has_planned_start(self) -> bool:
        """It, or one of its items, has a planned start date."""
        return self.start is not None or any(
            not isinstance(item, str) and item.start is not None for item in self.items
        )

    @property
    def tracks_stages(self) -> bool:
        """It has a planned start (its own or an item's), or the plan says it tracks stages."""
        return self.stages or self.has_planned_start

    @property
    def item_names(self) -> tuple[str, ...]:
        return tuple(item if isinstance(item, str) else item.name for item in self.items)

    def item(self, name: str) -> Item:
        for item in self.items:
            if (item if isinstance(item, str) else item.name) == name:
                return Item(item) if isinstance(item, str) else item
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class Task:
    __pydantic_config__ = _CONFIG
    id: NonEmpty
    name: NonEmpty
    description: NonEmpty
    units: Annotated[tuple[NonEmpty, ...], at.MinLen(1)]
    indicators: Annotated[tuple[Indicator, ...], at.MinLen(1)]
    milestones: tuple[Milestone, ...] = ()
    category: str | None = None
    investment: Number | None = None
    """Planned yearly investment in 万元 (a negative one is refused by a check, with its code)."""
    location: str | None = None
    start: Annotated[dt.date, iso_date_only] | None = None
    due: Annotated[dt.date, iso_date_only] | None = None
    weight: Annotated[Number, at.Gt(0)] | None = None
    leader: str | None = None
    owner: str | None = None
    stages: bool = False
    """Tracks 开工 without a planned date (``start``): its units may report it started."""

    @property
    def tracks_stages(self) -> bool:
        """A task tracks 开工 (and counts in 开工率) when it, one of its indicators or one of their items
        has a planned start, or the task says so (``stages: true``). An indicator's own ``stages: true``
        lets its unit report that indicator's start without making the task's 开工 tracked."""
        return self.stages or self.start is not None or any(ind.has_planned_start for ind in self.indicators)


@dataclass(frozen=True, slots=True)
class Plan:
    __pydantic_config__ = _CONFIG
    title: NonEmpty
    region: NonEmpty
    year: Annotated[int, at.Ge(2000), at.Le(2100)]
    deadlines: Deadlines
    units: Annotated[tuple[Unit, ...], at.MinLen(1)]
    tasks: Annotated[tuple[Task, ...], at.MinLen(1)]
    source: str | None = None
    approved_by: str | None = None
    start: Annotated[dt.date, iso_date_only] | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    reporting: Reporting = field(default_factory=Reporting)
    id: str | None = None
    """Tells apart several plans of one year (省级/市级/区级); ``--plan`` chooses by it."""
    level: str | None = None
    categories: tuple[Category, ...] = ()
    areas: tuple[Area, ...] = ()
    stages: Stages = field(default_factory=Stages)
    task_weighting: TaskWeighting = "equal"
    supervision: SupervisionRules = field(default_factory=SupervisionRules)
    """督办: the office's name, the kinds of action, the escalation rules and the 考评 weights."""

    @property
    def start_date(self) -> dt.date:
        return self.start or dt.date(self.year, 1, 1)


@dataclass(frozen=True, slots=True)
class Details:
    """进展情况 / 存在问题 / 下步计划 of one indicator."""

    __pydantic_config__ = _CONFIG
    summary: str | None = None
    problems: str | None = None
    next_steps: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """A unit's cumulative figures as of ``date``, with its three texts."""

    __pydantic_config__ = _CONFIG
    date: IsoDate
    values: dict[NonEmpty, Value] = field(default_factory=dict)
    summary: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    investment: dict[NonEmpty, Number] = field(default_factory=dict)
    """Cumulative 万元 invested, by task id."""
    started: dict[NonEmpty, IsoDate] = field(default_factory=dict)
    """Task or indicator id -> the date it started (开工); a task's id where the two coincide."""
    completed: dict[NonEmpty, Number] = field(default_factory=dict)
    """Indicator id -> how many of its projects are 完工 (竣工), where it has a ``complete_target``."""
    items: dict[NonEmpty, dict[NonEmpty, Stage]] = field(default_factory=dict)
    """Indicator id -> item name -> stage."""
    areas: dict[NonEmpty, dict[NonEmpty, Value]] = field(default_factory=dict)
    """Indicator id -> area name -> cumulative value of that area."""
    details: dict[NonEmpty, Details] = field(default_factory=dict)
    """Indicator id -> the three texts for that indicator, besides the unit-wide ones."""
    correction: str | None = None
    """更正说明: why a cumulative value is lower than the report before (a correction, not a slip)."""


@dataclass(frozen=True, slots=True)
class Ledger:
    """One progress file: a unit's reports, in the order written."""

    __pydantic_config__ = _CONFIG
    unit: NonEmpty
    reports: tuple[Report, ...] = ()
    example: bool = False
    plan: str | None = None
    """The plan's ``id`` where a year has several plans (the file is then ``<单位>-<id>.yaml``)."""


def load_constraints(namespace: dict[str, object] | None = None, **names: object) -> None:
    """Make ``at`` (annotated_types) and the validators given resolvable before pydantic reads the annotations:
    here, or in ``namespace`` (another schema module's globals, as the 督办 ledger's)."""
    into = globals() if namespace is None else namespace
    into.setdefault("at", importlib.import_module("annotated_types"))
    for name, value in names.items():
        into.setdefault(name, value)

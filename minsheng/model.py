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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Literal

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

Kind = Literal["amount", "level", "milestone"]
Direction = Literal["up", "down"]
Cadence = Literal["monthly", "quarterly"]


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
    """How often units report, and how many days after a period ends its report is due."""

    __pydantic_config__ = _CONFIG
    cadence: Cadence = "monthly"
    due_days: Annotated[int, at.Ge(0), at.Le(60)] = 0


@dataclass(frozen=True, slots=True)
class Unit:
    __pydantic_config__ = _CONFIG
    name: NonEmpty
    full_name: str | None = None
    aliases: tuple[NonEmpty, ...] = ()


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
    items: tuple[NonEmpty, ...] = ()
    examples: tuple[NonEmpty, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Task:
    __pydantic_config__ = _CONFIG
    id: NonEmpty
    name: NonEmpty
    description: NonEmpty
    units: Annotated[tuple[NonEmpty, ...], at.MinLen(1)]
    indicators: Annotated[tuple[Indicator, ...], at.MinLen(1)]
    milestones: tuple[Milestone, ...] = ()


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
    supervision: SupervisionRules = field(default_factory=SupervisionRules)
    """督办: the office's name, the kinds of action, the escalation rules and the 考评 weights."""

    @property
    def start_date(self) -> dt.date:
        return self.start or dt.date(self.year, 1, 1)


@dataclass(frozen=True, slots=True)
class Report:
    """A unit's cumulative figures as of ``date``, with its three texts."""

    __pydantic_config__ = _CONFIG
    date: IsoDate
    values: dict[NonEmpty, Value] = field(default_factory=dict)
    summary: str | None = None
    problems: str | None = None
    next_steps: str | None = None


@dataclass(frozen=True, slots=True)
class Ledger:
    """One progress file: a unit's reports, in the order written."""

    __pydantic_config__ = _CONFIG
    unit: NonEmpty
    reports: tuple[Report, ...] = ()
    example: bool = False


def load_constraints(**names: object) -> None:
    """Make ``at`` (annotated_types) and the validators given resolvable here before pydantic reads the annotations."""
    globals().setdefault("at", importlib.import_module("annotated_types"))
    for name, value in names.items():
        globals().setdefault(name, value)

"""The 督办 ledger's schema, and the rules a plan gives it (kinds, escalation, 考评 weights).

Plain frozen dataclasses validated by pydantic through :mod:`minsheng.schema` (which resolves their
string annotations with :func:`minsheng.model.load_constraints`),
like :mod:`minsheng.model`; unknown keys are refused. Kinds and rules are data
with defaults, never code: a plan may name its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import TYPE_CHECKING, Annotated

from minsheng.lazyclass import dataclass

if TYPE_CHECKING:
    import annotated_types as at

    from minsheng.schema import iso_date_only

_CONFIG = {"extra": "forbid", "allow_inf_nan": False}
NonEmpty = "Annotated[str, at.MinLen(1)]"
IsoDate = "Annotated[dt.date, iso_date_only]"
Weight = "Annotated[float, at.Ge(0), at.Le(1000)]"

DEFAULT_KINDS: tuple[str, ...] = ("提醒", "督办函", "挂牌督办", "现场督查", "约谈", "通报批评")


@dataclass(frozen=True, slots=True)
class Escalation:
    """One rule: after ``after_red`` periods in a row at red (or for a 督办 past its 整改时限, ``overdue``),
    suggest an action of kind ``suggest``."""

    __pydantic_config__ = _CONFIG
    suggest: NonEmpty
    after_red: Annotated[int, at.Ge(1), at.Le(24)] | None = None
    overdue: bool = False


DEFAULT_ESCALATION: tuple[Escalation, ...] = (
    Escalation("挂牌督办", after_red=2),
    Escalation("约谈", after_red=3),
    Escalation("通报批评", overdue=True),
)


@dataclass(frozen=True, slots=True)
class ReviewWeights:
    """考评: the weight of each part of a unit's score (they need not add up to 100; the score is scaled)."""

    __pydantic_config__ = _CONFIG
    reporting: Weight = 20
    progress: Weight = 40
    verified: Weight = 20
    supervision: Weight = 20


@dataclass(frozen=True, slots=True)
class SupervisionRules:
    """A plan's ``supervision:`` block. ``office`` signs letters and bulletins."""

    __pydantic_config__ = _CONFIG
    office: str | None = None
    kinds: tuple[NonEmpty, ...] = DEFAULT_KINDS
    escalation: tuple[Escalation, ...] = DEFAULT_ESCALATION
    review: ReviewWeights = field(default_factory=ReviewWeights)

    def signed_by(self, region: str) -> str:
        """The signing office of letters, 催报通知 and bulletins: ``office``, else the region's 人民政府督查室."""
        return self.office or f"{region}人民政府督查室"


@dataclass(frozen=True, slots=True)
class Action:
    """立项交办: the office puts something under supervision. ``action`` is its id."""

    __pydantic_config__ = _CONFIG
    action: NonEmpty
    date: IsoDate
    kind: NonEmpty
    demand: NonEmpty
    due: Annotated[dt.date, iso_date_only] | None = None
    task: Annotated[str, at.MinLen(1)] | None = None
    indicator: Annotated[str, at.MinLen(1)] | None = None
    area: Annotated[str, at.MinLen(1)] | None = None
    unit: Annotated[str, at.MinLen(1)] | None = None
    owner: Annotated[str, at.MinLen(1)] | None = None
    basis: str | None = None
    note: str | None = None
    by: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """The unit's answer (整改情况) to an action, dated."""

    __pydantic_config__ = _CONFIG
    reply: NonEmpty
    date: IsoDate
    text: NonEmpty
    by: str | None = None


@dataclass(frozen=True, slots=True)
class Close:
    """销号: the office closes an action, saying what it checked."""

    __pydantic_config__ = _CONFIG
    close: NonEmpty
    date: IsoDate
    check: NonEmpty
    by: str | None = None


@dataclass(frozen=True, slots=True)
class Correct:
    """A correction of an action's fields; the entry corrected stays in the file as written."""

    __pydantic_config__ = _CONFIG
    correct: NonEmpty
    date: IsoDate
    reason: NonEmpty
    due: Annotated[dt.date, iso_date_only] | None = None
    demand: Annotated[str, at.MinLen(1)] | None = None
    owner: Annotated[str, at.MinLen(1)] | None = None
    unit: Annotated[str, at.MinLen(1)] | None = None
    by: str | None = None


@dataclass(frozen=True, slots=True)
class Verify:
    """核验销号: the office's own check that an indicator (or one item, or one area) is done.

    With ``revoke: true`` it withdraws the verification in force of the same indicator (item, area),
    saying why in ``note``: the insert-only way to undo a check found wrong."""

    __pydantic_config__ = _CONFIG
    verify: NonEmpty
    date: IsoDate
    note: NonEmpty
    item: Annotated[str, at.MinLen(1)] | None = None
    area: Annotated[str, at.MinLen(1)] | None = None
    revoke: bool = False
    by: str | None = None


Entry = Action | Reply | Close | Correct | Verify
ENTRY_TYPES: dict[str, type] = {"action": Action, "reply": Reply, "close": Close, "correct": Correct, "verify": Verify}
"""The key that says what an entry is, and its class."""


@dataclass(frozen=True, slots=True)
class SupervisionHeader:
    __pydantic_config__ = _CONFIG
    year: Annotated[int, at.Ge(2000), at.Le(2100)]
    entries: tuple[dict[str, object], ...] = ()
    example: bool = False


@dataclass(frozen=True, slots=True)
class SupervisionLedger:
    """One file, read: its year and its entries in the order written."""

    path: str
    year: int
    entries: tuple[Entry, ...]
    example: bool = False
    positions: tuple[int, ...] = ()
    """Where each entry stands in the file's list (entries that did not validate are left out)."""

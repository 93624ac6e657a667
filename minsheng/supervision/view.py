"""督办 as plain values: the JSON every format shares, the table rows, and the sentences.

The list, the status section, the report section, the letter and the bulletin all draw
from these; a renderer formats, it never works a state out again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from minsheng.supervision.compute import ActionState, PeriodLight, Suggestion, UnitReview
from minsheng.supervision.model import Verify

LIGHT_WORDS = {"red": "红", "yellow": "黄", "green": "绿", "blue": "蓝"}
# (header, wraps, drop rank): the terminal table leaves out the highest drop rank first when narrow.
LIST_COLUMNS = (
    ("编号", False, 0),
    ("日期", False, 0),
    ("方式", False, 0),
    ("督办对象", True, 0),
    ("责任单位", True, 0),
    ("责任人", True, 1),
    ("整改要求", True, 0),
    ("整改时限", False, 0),
    ("状态", False, 0),
    ("最近答复", True, 2),
    ("销号", True, 3),
)
REVIEW_COLUMNS = (
    ("位次", False, 0),
    ("单位", True, 0),
    ("应报", False, 0),
    ("已报", False, 0),
    ("未报", False, 0),
    ("红灯期", False, 0),
    ("黄灯期", False, 1),
    ("完成率", False, 0),
    ("核验率", False, 0),
    ("督办", False, 0),
    ("按时销号", False, 2),
    ("逾期未整改", False, 0),
    ("得分", False, 0),
)
LIST_HEADER = [c[0] for c in LIST_COLUMNS]
REVIEW_HEADER = [c[0] for c in REVIEW_COLUMNS]


@dataclass(frozen=True, slots=True)
class SupervisionSummary:
    """What status, report and the bulletin say about 督办 on one day."""

    states: tuple[ActionState, ...]
    suggestions: tuple[Suggestion, ...]
    verified: dict[str, Any]

    @property
    def open(self) -> list[ActionState]:
        return [s for s in self.states if s.open]

    @property
    def overdue(self) -> list[ActionState]:
        return [s for s in self.states if s.overdue]


def concern(state: ActionState) -> str:
    a = state.action
    parts = [f"任务{a.task}" if a.task else "", f"指标{a.indicator}" if a.indicator else "", a.area or ""]
    shown = "、".join(p for p in parts if p)
    return shown or (a.unit or "")


def state_label(state: ActionState) -> str:
    if state.closed is not None:
        return "已销号" if state.closed_on_time is not False else "已销号（逾期）"
    return "逾期未整改" if state.overdue else "整改中"


def _date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def action_dict(state: ActionState) -> dict[str, Any]:
    a = state.action
    return {
        "id": a.action,
        "date": _date(a.date),
        "kind": a.kind,
        "task": a.task,
        "indicator": a.indicator,
        "area": a.area,
        "unit": state.unit,
        "owner": state.owner,
        "demand": state.demand,
        "due": _date(state.due),
        "basis": a.basis,
        "status": "closed" if state.closed else "overdue" if state.overdue else "open",
        "status_label": state_label(state),
        "replies": [{"date": _date(r.date), "text": r.text} for r in state.replies],
        "corrections": [{"date": _date(c.date), "reason": c.reason} for c in state.corrections],
        "closed": None
        if state.closed is None
        else {"date": _date(state.closed.date), "check": state.closed.check, "on_time": state.closed_on_time},
    }


def action_row(state: ActionState) -> list[str]:
    last = state.replies[-1] if state.replies else None
    return [
        state.id,
        state.action.date.isoformat(),
        state.action.kind,
        concern(state),
        state.unit or "",
        state.owner or "",
        state.demand,
        _date(state.due) or "",
        state_label(state),
        f"{last.date.isoformat()} {last.text}" if last else "",
        f"{state.closed.date.isoformat()} {state.closed.check}" if state.closed else "",
    ]


def lights_text(lights: tuple[PeriodLight, ...]) -> str:
    return "、".join(f"{p.label}{LIGHT_WORDS.get(p.light, p.light)}" for p in lights)


def suggestion_dict(s: Suggestion) -> dict[str, Any]:
    return {
        "id": s.id,
        "kind": s.kind,
        "task": s.task,
        "unit": s.unit,
        "reason": s.reason,
        "action": s.action,
        "lights": [{"period": p.label, "end": _date(p.end), "light": p.light} for p in s.lights],
    }


def summary_dict(summary: SupervisionSummary, report: Any = None) -> dict[str, Any]:
    v = verification_of(summary, report) if report is not None else None
    return {
        "self_reported_done": list(v.done) if v is not None else [],
        "open": [action_dict(s) for s in summary.open],
        "overdue": [s.id for s in summary.overdue],
        "closed": [s.id for s in summary.states if s.closed is not None],
        "suggestions": [suggestion_dict(s) for s in summary.suggestions],
        "verified": sorted(summary.verified),
        "verification": None if v is None else verification_counts(v),
    }


def review_dict(row: UnitReview) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "unit": row.unit,
        "periods_due": row.periods_due,
        "reported": row.reported,
        "missing": row.missing,
        "lights": row.lights,
        "completion": row.completion,
        "verified": row.verified,
        "actions": row.actions,
        "closed_on_time": row.closed_on_time,
        "overdue": row.overdue,
        "score": row.score,
    }


def review_row(row: UnitReview) -> list[str]:
    return [
        str(row.rank),
        row.unit,
        str(row.periods_due),
        str(row.reported),
        str(row.missing),
        str(row.lights.get("red", 0)),
        str(row.lights.get("yellow", 0)),
        f"{row.completion * 100:.1f}%",
        f"{row.verified * 100:.1f}%",
        str(row.actions),
        str(row.closed_on_time),
        str(row.overdue),
        f"{row.score:.1f}",
    ]


@dataclass(frozen=True, slots=True)
class Verification:
    """单位自报完成 and 核验销号 of one day, counted apart: what units say and what the office checked.

    Every output that shows them (status, report --unit, the HTML 看板, the docx 专题报告, the 台账 and
    its CSV) reads this one value; none works the two counts out for itself."""

    done: tuple[str, ...]
    """Indicators whose unit reports them done (单位自报完成), in the plan's order."""
    verified: dict[str, Verify]
    """Indicators the office has verified whole (核验销号), with the verification."""
    names: dict[str, tuple[str, str]]
    """Every indicator's (name, unit), in the plan's order."""

    @property
    def checked(self) -> list[str]:
        """Reported done and verified."""
        return [i for i in self.done if i in self.verified]

    @property
    def waiting(self) -> list[str]:
        """Reported done, not yet verified (待核验)."""
        return [i for i in self.done if i not in self.verified]

    @property
    def unconfirmed(self) -> list[str]:
        """Verified, but the unit's reports no longer show it done."""
        return [i for i in self.names if i in self.verified and i not in self.done]


def verification_of(summary: SupervisionSummary, report: Any) -> Verification:
    rows = report.indicators()
    done = tuple(i.indicator.id for i in rows if i.status == "done")
    names = {i.indicator.id: (i.indicator.name, i.indicator.unit) for i in rows}
    return Verification(done, dict(summary.verified), names)


def verification_label(v: Verification, indicator: str) -> str:
    """One indicator's cell: 核验销号 2024-08-10 / 自报完成，待核验 / 已核验销号，现报未完成 / (empty)."""
    check = v.verified.get(indicator)
    if check is not None:
        return f"核验销号 {check.date}" if indicator in v.done else f"已核验销号（{check.date}），现报未完成"
    return "自报完成，待核验" if indicator in v.done else ""


def verification_counts(v: Verification) -> dict[str, int]:
    return {
        "self_reported_done": len(v.done),
        "verified": len(v.verified),
        "verified_done": len(v.checked),
        "waiting": len(v.waiting),
        "verified_not_done": len(v.unconfirmed),
    }


VERIFICATION_HEADER = ["指标", "名称", "责任单位", "单位自报", "核验销号", "核验情况"]


def verification_rows(v: Verification) -> list[list[str]]:
    """Each indicator reported done or verified: the table of the HTML, docx and 台账 sheet."""
    rows = []
    for ind, (name, unit) in v.names.items():
        check = v.verified.get(ind)
        if ind not in v.done and check is None:
            continue
        rows.append(
            [
                ind,
                name,
                unit,
                "自报完成" if ind in v.done else "未完成",
                str(check.date) if check else "待核验",
                check.note if check else "",
            ]
        )
    return rows


def verification_column(v: Verification) -> tuple[str, dict[str, str]]:
    """The 台账's 核验销号 column: header, and the cell of each indicator by id."""
    return "核验销号", {ind: verification_label(v, ind) for ind in v.names}


def verification_line(summary: SupervisionSummary, report: Any, hint: bool = True) -> str | None:
    """单位自报完成 and 核验销号 counted apart: what units say and what the office checked
    (``hint``: name the command that lists a verified indicator no longer reported done)."""
    v = verification_of(summary, report)
    if not v.done and not v.verified:
        return None
    line = f"单位自报完成的指标{len(v.done)}个，其中核验销号{len(v.checked)}个"
    line += f"，待核验{len(v.waiting)}个" if v.waiting else ""
    if v.unconfirmed:
        line += f"；另有{len(v.unconfirmed)}个已核验销号的指标现在的报告未显示完成"
        line += "（minsheng validate 查看）" if hint else ""
    return line + "。"


def action_lines(summary: SupervisionSummary) -> list[str]:
    """督办事项N件：整改中…，逾期未整改…，已销号…; then each one past its 整改时限."""
    if not summary.states:
        return []
    closed = sum(1 for s in summary.states if s.closed is not None)
    line = f"督办事项{len(summary.states)}件：整改中{len(summary.open) - len(summary.overdue)}件"
    line += f"，逾期未整改{len(summary.overdue)}件" if summary.overdue else ""
    line += f"，已销号{closed}件。" if closed else "。"
    lines = [line]
    for s in summary.overdue:
        lines.append(f"逾期未整改：{s.id} {s.action.kind} {concern(s)}（{s.unit or ''}，整改时限 {s.due}）")
    return lines


def summary_lines(summary: SupervisionSummary, report: Any = None) -> list[str]:
    """The sentences status prints under its tables."""
    lines: list[str] = []
    verified = verification_line(summary, report) if report is not None else None
    if verified:
        lines.append(verified)
    lines += action_lines(summary)
    for s in summary.suggestions:
        history = f"；各期亮灯：{lights_text(s.lights)}" if s.lights else ""  # what triggered it, period by period
        lines.append(f"建议{s.kind}：{s.id}，{s.reason}{history}。（minsheng supervise add --from-suggestion {s.id}）")
    return lines


def unit_dict(summary: SupervisionSummary, unit: str, report: Any) -> dict[str, Any]:
    """``report --unit --format json``: the unit's 督办 items not closed (with replies), and its indicators
    verified (核验销号) or reported done and waiting for the check; the values :func:`unit_lines` says."""
    v = verification_of(summary, report)
    own = [i for i, (_name, owner) in v.names.items() if owner == unit]
    return {
        "open": [action_dict(s) for s in summary.open if s.unit == unit],
        "closed": [s.id for s in summary.states if s.unit == unit and s.closed is not None],
        "verified": [
            {"indicator": i, "date": _date(v.verified[i].date), "note": v.verified[i].note}
            for i in own
            if i in v.verified
        ],
        "waiting": [i for i in own if i in v.waiting],
    }


def unit_lines(summary: SupervisionSummary, unit: str, report: Any = None) -> list[str]:
    """A unit's open 督办 items with their replies, and which of its indicators are 核验销号 (report --unit)."""
    mine = [s for s in summary.open if s.unit == unit]
    lines = []
    if report is not None:
        v = verification_of(summary, report)
        own = [i for i, (_name, owner) in v.names.items() if owner == unit]
        checked = [f"{i}（{v.verified[i].date}）" for i in own if i in v.verified]
        waiting = [i for i in own if i in v.waiting]
        if checked:
            lines.append("已核验销号：" + "、".join(checked))
        if waiting:
            lines.append("单位自报完成、待核验：" + "、".join(waiting))
    if not mine:
        return [*lines, "本单位无未销号的督办事项。"]
    for s in mine:
        due = f"，整改时限 {s.due}" if s.due else ""
        lines.append(f"{s.id} {s.action.kind}（{concern(s)}，{state_label(s)}{due}）：{s.demand}")
        lines += [f"    答复 {r.date}：{r.text}" for r in s.replies]
    return lines

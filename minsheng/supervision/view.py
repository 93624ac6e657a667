"""督办 as plain values: the JSON every format shares, the table rows, and the sentences.

The list, the status section, the report section, the letter and the bulletin all draw
from these; a renderer formats, it never works a state out again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from minsheng.supervision.compute import ActionState, PeriodLight, Suggestion, UnitReview

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
    done = [i.indicator.id for i in report.indicators() if i.status == "done"] if report is not None else []
    return {
        "self_reported_done": done,
        "open": [action_dict(s) for s in summary.open],
        "overdue": [s.id for s in summary.overdue],
        "closed": [s.id for s in summary.states if s.closed is not None],
        "suggestions": [suggestion_dict(s) for s in summary.suggestions],
        "verified": sorted(summary.verified),
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


def verification_line(summary: SupervisionSummary, report: Any) -> str | None:
    """单位自报完成 and 核验销号 counted apart: what units say and what the office checked."""
    done = [i.indicator.id for i in report.indicators() if i.status == "done"]
    if not done and not summary.verified:
        return None
    checked = [i for i in done if i in summary.verified]
    unchecked = len(summary.verified) - len(checked)
    line = f"单位自报完成的指标{len(done)}个，其中核验销号{len(checked)}个"
    line += f"，待核验{len(done) - len(checked)}个" if len(done) > len(checked) else ""
    if unchecked:
        line += f"；另有{unchecked}个已核验销号的指标现在的报告未显示完成（minsheng validate 查看）"
    return line + "。"


def summary_lines(summary: SupervisionSummary, report: Any = None) -> list[str]:
    """The sentences status prints under its tables."""
    lines: list[str] = []
    verified = verification_line(summary, report) if report is not None else None
    if verified:
        lines.append(verified)
    if summary.states:
        closed = sum(1 for s in summary.states if s.closed is not None)
        line = f"督办事项{len(summary.states)}件：整改中{len(summary.open) - len(summary.overdue)}件"
        line += f"，逾期未整改{len(summary.overdue)}件" if summary.overdue else ""
        line += f"，已销号{closed}件。" if closed else "。"
        lines.append(line)
        for s in summary.overdue:
            lines.append(f"逾期未整改：{s.id} {s.action.kind} {concern(s)}（{s.unit or ''}，整改时限 {s.due}）")
    for s in summary.suggestions:
        lines.append(f"建议{s.kind}：{s.id}，{s.reason}。（minsheng supervise add --from-suggestion {s.id}）")
    return lines


def unit_lines(summary: SupervisionSummary, unit: str, report: Any = None) -> list[str]:
    """A unit's open 督办 items with their replies, and which of its indicators are 核验销号 (report --unit)."""
    mine = [s for s in summary.open if s.unit == unit]
    lines = []
    if report is not None:
        own = [i for i in report.indicators() if i.indicator.unit == unit]
        checked = [
            f"{i.indicator.id}（{summary.verified[i.indicator.id].date}）"
            for i in own
            if i.indicator.id in summary.verified
        ]
        waiting = [i.indicator.id for i in own if i.status == "done" and i.indicator.id not in summary.verified]
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

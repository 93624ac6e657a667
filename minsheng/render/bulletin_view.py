"""The 月度通报 as plain values: every sentence and table cell, worked out once for the docx and the Markdown.

Sections, as 督查 offices publish their monthly 通报: 一、总体情况 (完成率, 开工率 and 投资完成率
where tracked, counts by status) → 二、亮灯情况 (红黄绿蓝 with the projects under each) →
三、责任单位排名 (位次及变化, the rule in :mod:`minsheng.ranking`) → 四、未报送单位 →
五、挂牌督办及逾期未整改事项 (from the 督办 ledger) → 六、下步要求, then 落款 and 成文日期.

The figures are those of the status at the end of the period reported on (so they equal
``status --as-of END``); who has not reported, and the 督办 items, are as of the bulletin's own
date. Text here is plain (cleaned of control characters); each renderer escapes it its own way.
Nothing here computes a number: the reports, the ranking and the 督办 states are given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minsheng.compute import LIGHT_LABELS, StatusReport
from minsheng.periods import due_rule_words
from minsheng.ranking import Period, UnitRank
from minsheng.render.fmt import clean, cn_date, cn_number, points
from minsheng.render.view import (
    EXAMPLE_NOTE,
    category_sentence,
    counts_text,
    deadline_sentence,
    reporting_sentences,
    since_sentence,
    summary_sentence,
)
from minsheng.supervision.compute import ActionState
from minsheng.supervision.view import SupervisionSummary, concern, state_label

SECTIONS = (
    "一、总体情况",
    "二、亮灯情况",
    "三、责任单位排名",
    "四、未报送单位",
    "五、挂牌督办及逾期未整改事项",
    "六、下步要求",
)
SUPERVISION_HEADINGS = ("（一）挂牌督办事项", "（二）逾期未整改事项")
LIGHT_HEADER = ("灯色", "项目数", "项目")
RANK_HEADER = ("位次", "责任单位", "指标数", "平均偏差（个百分点）", "上期位次", "位次变化")
ACTION_HEADER = ("编号", "督办对象", "责任单位", "整改要求", "整改时限", "状态")
LIGHT_ORDER = ("red", "yellow", "green", "blue")
RECIPIENT = "各责任单位："
LISTED_KIND = "挂牌督办"


@dataclass(frozen=True, slots=True)
class LightRow:
    light: str
    label: str
    tasks: tuple[str, ...]
    """"4 “四好农村路”提升工程" for each project under this light, in the plan's order."""

    def cells(self) -> tuple[str, str, str]:
        return (self.label, str(len(self.tasks)), "、".join(self.tasks) or "无")


@dataclass(frozen=True, slots=True)
class Requirement:
    heading: str
    """（一）加快滞后项目进度"""
    text: str


@dataclass(frozen=True, slots=True)
class Bulletin:
    title: str
    number: str | None
    """第7期"""
    office: str | None
    """The issuing office as the plan names it (``supervision.office``), for the head of the page."""
    period: Period
    date: dt.date
    """The bulletin's own date (as-of): its 成文日期."""
    example: str | None
    opening: str
    overview: tuple[str, ...]
    lights: tuple[LightRow, ...]
    light_note: str
    ranking: tuple[tuple[str, ...], ...]
    ranking_note: str
    reporting: tuple[str, ...]
    missing: tuple[str, ...]
    """One line per unit that has not reported the period now due."""
    listed: tuple[tuple[str, ...], ...]
    """挂牌督办 items open on the bulletin's date (or closed within the period), as table cells."""
    overdue: tuple[tuple[str, ...], ...]
    requirements: tuple[Requirement, ...]
    signer: str

    @property
    def headings(self) -> tuple[str, ...]:
        return SECTIONS

    def supervision_parts(self) -> tuple[tuple[str, tuple[tuple[str, ...], ...], str], ...]:
        """Section 五's two parts: (heading, rows, what to say when there are none)."""
        return (
            (SUPERVISION_HEADINGS[0], self.listed, "本期无挂牌督办事项。"),
            (SUPERVISION_HEADINGS[1], self.overdue, "无逾期未整改事项。"),
        )


def period_words(period: Period) -> str:
    """2024年7月份, 2024年第3季度: how a 通报 names the period it reports on."""
    return period.label + ("份" if period.label.endswith("月") else "")


def bulletin_title(period: Period) -> str:
    """关于2024年7月份民生实事项目进展情况的通报"""
    return f"关于{period_words(period)}民生实事项目进展情况的通报"


def build_bulletin(
    report: StatusReport,
    current: StatusReport,
    period: Period,
    ranking: list[UnitRank],
    supervision: SupervisionSummary | None,
    number: int | None = None,
    previous: Period | None = None,
) -> Bulletin:
    """The bulletin: ``report`` is the status at the period's end (``since`` the previous end where there
    is one), ``current`` the status on the bulletin's date (who has reported), ``ranking`` from
    :func:`minsheng.ranking.rank_units`, ``supervision`` the 督办 picture on that date (None without a ledger)."""
    plan = report.plan
    names = {t.task.id: f"{t.task.id} {clean(t.task.name)}" for t in report.tasks}
    states = list(supervision.states) if supervision is not None else []
    start = previous.end + dt.timedelta(days=1) if previous is not None else plan.start_date
    listed = [s for s in states if s.action.kind == LISTED_KIND and (s.open or (s.closed and s.closed.date >= start))]
    overdue = [s for s in states if s.overdue]
    return Bulletin(
        title=bulletin_title(period),
        number=f"第{number if number is not None else period.number}期",
        office=clean(plan.supervision.office) or None,
        period=period,
        date=current.as_of,
        example=EXAMPLE_NOTE if report.example else None,
        opening=f"现将{period_words(period)}民生实事项目进展情况通报如下：",
        overview=tuple(_overview(report)),
        lights=tuple(
            LightRow(key, LIGHT_LABELS[key], tuple(names[t.task.id] for t in report.tasks if t.light == key))
            for key in LIGHT_ORDER
        ),
        light_note=_light_note(report),
        ranking=tuple(_rank_cells(row, previous is not None) for row in ranking),
        ranking_note=ranking_note(period, previous),
        reporting=tuple(reporting_sentences(current)),
        missing=tuple(
            f"{clean(u.unit)}：未报送{clean(u.due_period)}进展（"
            + (f"最近一次报送为{cn_date(u.last_report)}）" if u.last_report else "尚无报告）")
            for u in current.missing_units()
        ),
        listed=tuple(_action_cells(s, names, current.as_of) for s in listed),
        overdue=tuple(_action_cells(s, names, current.as_of) for s in overdue),
        requirements=tuple(
            _requirements(
                report, current, ranking, overdue, supervision, {t.task.id: clean(t.task.name) for t in report.tasks}
            )
        ),
        signer=clean(plan.supervision.signed_by(plan.region)),
    )


def _overview(report: StatusReport) -> list[str]:
    out = [summary_sentence(report)]
    moved = since_sentence(report)
    if moved:
        out.append(moved)
    out += [category_sentence(cat) for cat in report.categories]
    lagging = report.lagging()
    total = len(report.indicators())
    behind = f"{total}个指标中，{len(lagging)}个落后于序时进度" if lagging else f"{total}个指标均未落后于序时进度"
    out.append(f"按项目状态统计：{counts_text(report)}；{behind}。")
    deadline = deadline_sentence(report)
    if deadline:
        out.append(deadline)
    return [clean(line) for line in out]


def _light_note(report: StatusReport) -> str:
    t = report.plan.thresholds
    return (
        f"注：项目完成率落后序时进度{t.yellow * 100:.0f}个百分点起为黄灯，{t.red * 100:.0f}个百分点起"
        "或逾期未完成为红灯，已完成为蓝灯，其余为绿灯（开工情况另有开工灯，不在此列）。"
    )


def ranking_note(period: Period, previous: Period | None) -> str:
    """The rule, as printed under the table (the README says the same)."""
    before = (
        f"位次变化与{previous.label}（截至{cn_date(previous.end)}）的位次相比。"
        if previous is not None
        else "本期为首期，无位次变化。"
    )
    return (
        "注：平均偏差为单位负责报送的各指标（其中项除外）“完成率 − 序时进度”的平均数（完成率超过100%的按100%计），"
        f"按平均偏差从高到低排列，保留一位小数后相同的并列；{before}"
    )


def _rank_cells(row: UnitRank, has_previous: bool) -> tuple[str, ...]:
    if row.previous is None:
        before, change = "—", "—" if has_previous else "首期"
    else:
        before = str(row.previous)
        n = row.change or 0
        change = f"上升{n}位" if n > 0 else f"下降{-n}位" if n < 0 else "持平"
    return (str(row.rank), clean(row.unit), str(row.indicators), points(row.score), before, change)


def _action_cells(state: ActionState, names: dict[str, str], day: dt.date) -> tuple[str, ...]:
    what = names.get(state.action.task or "") or concern(state)
    label = state_label(state)
    if state.overdue and state.due is not None:
        label += f"（逾期{(day - state.due).days}天）"
    due = cn_date(state.due) if state.due else "—"
    return (clean(state.id), clean(what), clean(state.unit), clean(state.demand), due, label)


def _requirements(
    report: StatusReport,
    current: StatusReport,
    ranking: list[UnitRank],
    overdue: list[ActionState],
    supervision: SupervisionSummary | None,
    names: dict[str, str],
) -> list[Requirement]:
    plan = report.plan
    out: list[tuple[str, str]] = []
    lagging = report.lagging()
    if lagging:
        units: dict[str, list[str]] = {}
        worst: dict[str, float] = {}
        for row in lagging:  # the furthest behind first
            unit = row.indicator.unit
            task = next(t.task.name for t in report.tasks if t.task.id == row.task_id)
            units.setdefault(unit, [])
            if clean(task) not in units[unit]:
                units[unit].append(clean(task))
            worst.setdefault(unit, row.gap)
        named = "、".join(
            f"{clean(u)}（{'、'.join(tasks)}，最多落后序时{worst[u] * 100:.1f}个百分点）" for u, tasks in units.items()
        )
        out.append(
            (
                "加快滞后项目进度",
                f"{named}要认真分析滞后原因，倒排工期、挂图作战，加大人员和资金投入，尽快赶上序时进度。",
            )
        )
    else:
        out.append(("保持推进力度", "各项目均未落后于序时进度，各责任单位要保持推进力度，防止出现新的滞后。"))
    when = due_rule_words(plan)
    missing = current.missing_units()
    report_line = f"各责任单位要于{when}报送进展，确保台账数据及时准确。"
    if missing:
        names = "、".join(clean(u.unit) for u in missing)
        report_line = f"{names}未按时报送{clean(missing[0].due_period)}进展，要立即补报；" + report_line
    out.append(("按时报送进展", report_line))
    suggested = list(supervision.suggestions) if supervision is not None else []
    if overdue or suggested:
        parts = []
        if overdue:
            units_ = "、".join(dict.fromkeys(clean(s.unit) for s in overdue))
            parts.append(
                f"{units_}的{len(overdue)}件督办事项已超过整改时限未整改到位，要立即整改，"
                "并书面说明逾期原因；挂牌督办事项整改到位后报请核验销号"
            )
        if suggested:
            # The plan's escalation rules (supervision.escalation), as status lists them.
            said = "；".join(
                f"对{clean(s.unit)}"
                + (f"（{names[s.task]}）" if s.task in names else "")
                + f"{clean(s.kind)}（{clean(s.reason)}）"
                for s in suggested
            )
            parts.append(f"按升级督办规则，建议{said}")
        out.append(("抓好督办整改", "。".join(parts) + "。"))
    basic, final = plan.deadlines.basic, plan.deadlines.final
    if report.as_of < basic.date:
        goal = f"确保{cn_date(basic.date)}前{clean(basic.label)}、{cn_date(final.date)}前{clean(final.label)}"
    elif report.as_of < final.date:
        goal = f"{clean(basic.label)}时限（{cn_date(basic.date)}）已过，确保{cn_date(final.date)}前{clean(final.label)}"
    else:
        goal = "未完成的项目要说明原因，明确完成时限"
    bottom = [r.unit for r in ranking if r.rank == max((x.rank for x in ranking), default=0)]
    tail = f"排名靠后的{'、'.join(clean(u) for u in bottom)}要" if bottom and lagging else "各责任单位要"
    out.append(("确保按期完成", f"{tail}对照年度目标任务，{goal}。"))
    return [Requirement(f"（{cn_number(n)}）{h}", text) for n, (h, text) in enumerate(out, start=1)]

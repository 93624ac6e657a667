"""督办函 as a Word document: one action, in 公文 form, its facts taken from the computed status.

Title, 主送 unit, the facts (完成率, 序时进度, 偏差, the lights that led here),
the 整改要求 and its 时限, what the unit is to report back, and the office and
date (落款). Page setup and fonts are the 专题报告's.
"""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from minsheng.compute import STATUS_LABELS, StatusReport
from minsheng.render.fmt import cn_date, pct
from minsheng.render.gongwen import safe_text, setup
from minsheng.render.view import EXAMPLE_NOTE
from minsheng.supervision.compute import ActionState


def office_name(report: StatusReport) -> str:
    """The signing office: the plan's ``supervision.office``, else the region's 人民政府督查室."""
    return report.plan.supervision.signed_by(report.plan.region)


def facts(report: StatusReport, state: ActionState) -> list[str]:
    """The sentences of fact, each number from ``report`` (the status on the action's date)."""
    a = state.action
    out: list[str] = []
    day = cn_date(report.as_of)
    task = next((t for t in report.tasks if t.task.id == a.task), None) if a.task else None
    ind = next((i for i in report.indicators() if i.indicator.id == a.indicator), None) if a.indicator else None
    if task is not None:
        behind = task.expected - task.completion
        relation = f"落后序时进度{behind * 100:.1f}个百分点" if behind > 0 else "未落后于序时进度"
        out.append(
            f"截至{day}，“{safe_text(task.task.name)}”完成率{pct(task.completion)}，序时进度{pct(task.expected)}，"
            f"{relation}，状态为{STATUS_LABELS[task.status]}。"
        )
        lagging = [i for i in task.indicators if i.gap > 0 and i.status != "done"]
        for i in lagging:
            out.append(
                f"其中“{safe_text(i.indicator.name)}”完成率{pct(i.completion)}，序时进度{pct(i.expected)}"
                f"（{STATUS_LABELS[i.status]}）。"
            )
    if ind is not None:
        out.append(
            f"截至{day}，“{safe_text(ind.indicator.name)}”完成率{pct(ind.completion)}，"
            f"序时进度{pct(ind.expected)}，状态为{STATUS_LABELS[ind.status]}。"
        )
    if a.basis:
        out.append(f"督办依据：{safe_text(a.basis)}。")
    return out


def letter_title(state: ActionState, report: StatusReport) -> str:
    a = state.action
    task = next((t for t in report.tasks if t.task.id == a.task), None) if a.task else None
    what = f"“{task.task.name}”" if task else f"指标{a.indicator}" if a.indicator else (a.area or a.unit or "")
    return (
        f"关于对{safe_text(what)}实行{safe_text(a.kind)}的通知"
        if a.kind != "督办函"
        else f"关于{safe_text(what)}的督办函"
    )


def letter_docx(report: StatusReport, state: ActionState) -> bytes:
    document = docx.Document()
    title = letter_title(state, report)
    setup(document, title, safe_text(state.id), state.action.date)
    document.add_paragraph(title, style="Title")
    document.add_paragraph(f"（{safe_text(state.id)}）", style="Subtitle")
    if report.example:
        note = document.add_paragraph(EXAMPLE_NOTE)
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    to = document.add_paragraph(f"{safe_text(state.unit or '')}：")
    to.paragraph_format.first_line_indent = Pt(0)
    for line in facts(report, state):
        document.add_paragraph(line)
    document.add_paragraph(f"现提出如下整改要求：{safe_text(state.demand)}")
    if state.due is not None:
        document.add_paragraph(
            f"请于{cn_date(state.due)}前完成整改，并将整改情况书面报送{office_name(report)}。逾期未整改的，将予以通报。"
        )
    if state.owner:
        document.add_paragraph(f"责任人：{safe_text(state.owner)}。")
    for line in (office_name(report), cn_date(state.action.date)):
        sign = document.add_paragraph(safe_text(line))
        sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

"""The 专题报告 draft as a Word document (.docx), drawn from the computed report.

Structure, as the 督查 office writes it, in the shape of a 公文 (GB/T 9704):
title "关于…的报告" and 截至 date, 主送 (区委、区政府：), an opening line, then
一、总体情况 → 二、滞后项目清单 → 三、分单位推进情况 → 四、存在问题 → 五、下步工作建议,
then 落款 (the office) and 成文日期, and 附件 for a lagging list too long for the body.
Page numbers ("— 1 —") sit in the footer. After the final deadline the report is a
完成情况 report rather than a 进展情况 one.

Every piece of body text is a plain run: no fields, no formulas; the one field is
the page number in the footer. User text goes
through :func:`~minsheng.render.fmt.clean` and then loses any character XML
cannot hold (python-docx refuses them). Fonts follow official-document habits
(方正小标宋简体 title, 黑体 / 楷体 headings, 仿宋_GB2312 body, Times New Roman
for digits and Latin text), with the common substitutes recorded in the font
table for machines that lack them. (LibreOffice ignores those substitutes and
asks fontconfig, which knows no 仿宋_GB2312 and answers with a sans face: a
limit of the reader, noted in tests/test_office_docx.py.)

Where the office keeps a 督办 ledger, 一、总体情况 ends with 单位自报完成 and 核验销号 counted
apart (and a table of each indicator reported done or verified) and the 督办 items, and
五、下步工作建议 asks for the 整改 of each item past its 整改时限: sentences and rows of the
shared :mod:`minsheng.supervision.view`.

This module imports python-docx, so only the export command imports it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from minsheng.compute import STATUS_LABELS, IndicatorStatus, StatusReport
from minsheng.model import Plan
from minsheng.render.fmt import cn_date, cn_number, pct, points
from minsheng.render.gongwen import (
    HEADING_FONT,
    TITLE_LINE,
    add_table,
    labelled,
    package,
    page_numbers,
    safe_text,
    set_fonts,
    setup,
    signature,
    width,
)
from minsheng.render.rows import (
    indicator_extra_cells,
    indicator_extra_header,
    target_with_measure,
    task_extra_cells,
    task_extra_header,
)
from minsheng.render.view import (
    EXAMPLE_NOTE,
    amount,
    category_sentence,
    correction_lines,
    counts_text,
    deadline_sentence,
    lagging_heading,
    plan_period_note,
    reporting_sentences,
    since_sentence,
    summary_sentence,
    unit_rows,
)

if TYPE_CHECKING:
    from minsheng.supervision.view import SupervisionSummary

SECTIONS = ("一、总体情况", "二、滞后项目清单", "三、分单位推进情况", "四、存在问题", "五、下步工作建议")
LAGGING_HEADER = ("序号", "项目", "指标", "责任单位", "完成率", "序时进度", "偏差", "状态")
UNIT_HEADER = ("指标", "目标", "累计完成", "完成率", "状态")

_NOTHING = frozenset({"无", "暂无", "没有", "无问题", "暂无问题"})
"""存在问题 that say there are none (after dropping the final 。)."""

# 责任单位 holds 区水务集团 (5 汉字 of 10.5 pt and the cell margins) on one line, 状态 严重滞后.
LAGGING_WIDTHS = (0.9, 3.1, 3.2, 2.4, 1.5, 1.5, 1.1, 1.9)
UNIT_WIDTHS = (6.2, 2.9, 2.7, 1.8, 2.0)
RECIPIENT = "区委、区政府："
ANNEX_ROWS = 10
"""A lagging list longer than this goes to 附件1 at the end, with a pointer in section 二."""


def status_docx(report: StatusReport, supervision: SupervisionSummary | None = None) -> bytes:
    """The 专题报告 draft for ``report`` as the bytes of a .docx file (with ``supervision``, the office's
    督办 ledger on the same day)."""
    document = docx.Document()
    _setup(document, report)
    _title(document, report)
    _overview(document, report)
    if supervision is not None:
        _supervision(document, report, supervision)
    _lagging(document, report)
    _units(document, report)
    _problems(document, report)
    _suggestions(document, report, supervision)
    _signature(document, report)
    _annex(document, report)
    page_numbers(document)
    package(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_title(report: StatusReport) -> str:
    """关于唐山市丰润区2024年民生实事进展情况的报告 (完成情况 once the final deadline has come)."""
    kind = "完成情况" if report.as_of >= report.plan.deadlines.final.date else "进展情况"
    return f"关于{safe_text(report.plan.region)}{report.plan.year}年民生实事{kind}的报告"


def office_name(plan: Plan) -> str:
    """The office that signs: the district government's office (区政府办 督查 staff write the report)."""
    return f"{safe_text(plan.region)}人民政府办公室"


def _setup(document: Document, report: StatusReport) -> None:
    """The 公文 page and styles, titled and dated from ``report`` (the 督办函 uses it too)."""
    setup(document, report_title(report), f"截至{cn_date(report.as_of)}", report.as_of)


def _signature(document: Document, report: StatusReport) -> None:
    """落款 and 成文日期; the as-of date stands for the 成文日期 of a draft."""
    signature(document, office_name(report.plan), report.as_of)


# --- the sections -----------------------------------------------------------


def _title(document: Document, report: StatusReport) -> None:
    title = document.add_paragraph(style="Title")
    head = f"关于{safe_text(report.plan.region)}{report.plan.year}年民生实事"
    tail = report_title(report)[len(head) :]
    title.add_run(head)
    # A line holds about 20 characters of 二号: break where the phrase breaks, not wherever it overflows.
    if width(head + tail) > TITLE_LINE:
        title.add_run().add_break()
    title.add_run(tail)
    document.add_paragraph(f"（截至{cn_date(report.as_of)}）", style="Subtitle")
    if report.example:
        note = document.add_paragraph(EXAMPLE_NOTE)
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        note.paragraph_format.first_line_indent = Pt(0)
    recipient = document.add_paragraph(RECIPIENT)
    recipient.paragraph_format.first_line_indent = Pt(0)
    kind = "完成情况" if report.as_of >= report.plan.deadlines.final.date else "推进情况"
    document.add_paragraph(f"现将{report.plan.year}年民生实事{kind}报告如下：")


def _overview(document: Document, report: StatusReport) -> None:
    document.add_heading(SECTIONS[0], level=1)
    document.add_paragraph(safe_text(summary_sentence(report)))
    for line in (deadline_sentence(report), since_sentence(report), plan_period_note(report)):
        if line:
            document.add_paragraph(safe_text(line))
    for cat in report.categories:
        document.add_paragraph(safe_text(category_sentence(cat)))
    header = task_extra_header(report)
    if header:
        body = [[f"{t.task.id} {safe_text(t.task.name)}", *task_extra_cells(report, t)] for t in report.tasks]
        # 16 cm of text width: the project name gets what the figures leave.
        widths = (16.0 - 1.9 * len(header), *(1.9,) * len(header))
        add_table(document, ("项目", *header), body, widths, left={0})
    delta = report.completion - report.time_progress
    if report.as_of >= report.plan.deadlines.final.date:
        # On and after the last deadline 序时 is 100%: what is left is unfinished work, not a lag.
        left = (1 - report.completion) * 100
        relation = "已全部完成" if left < 0.05 else f"距全部完成尚差{left:.1f}个百分点"
    elif abs(delta) < 0.0005:
        relation = "与序时进度持平"
    else:
        relation = f"{'快于' if delta > 0 else '慢于'}序时进度{abs(delta) * 100:.1f}个百分点"
    counts = counts_text(report)
    # The figures are in the opening sentence: this one says what they mean, not them again.
    document.add_paragraph(f"总体进度{relation}。按项目状态统计：{counts}。")
    lagging = report.lagging()
    total = len(report.indicators())
    if lagging:
        where = "附件1" if len(lagging) > ANNEX_ROWS else "滞后项目清单"
        document.add_paragraph(f"{total}个指标中，{len(lagging)}个落后于序时进度，详见{where}。")
    else:
        document.add_paragraph(f"{total}个指标均未落后于序时进度。")
    for sentence in reporting_sentences(report):
        document.add_paragraph(safe_text(sentence))


def _lagging(document: Document, report: StatusReport) -> None:
    rows = report.lagging()
    # 二、滞后项目清单（2个项目、4个指标）: the list is of indicators, counted as every output counts them
    document.add_heading(SECTIONS[1].replace("滞后项目清单", lagging_heading(report)) if rows else SECTIONS[1], level=1)
    if not rows:
        document.add_paragraph("无。")
        return
    if len(rows) > ANNEX_ROWS:
        tasks = {row.task_id for row in rows}
        document.add_paragraph(f"{len(tasks)}个项目的{len(rows)}个指标落后于序时进度，清单见附件1。")
        return
    _lagging_table(document, report, rows)


def _lagging_table(document: Document, report: StatusReport, rows: list[IndicatorStatus]) -> None:
    names = {t.task.id: t.task.name for t in report.tasks}
    body = [
        [
            str(n),
            f"{row.task_id} {safe_text(names[row.task_id])}",
            f"{row.indicator.id} {safe_text(row.indicator.name)}",
            safe_text(row.indicator.unit),
            pct(row.completion),
            pct(row.expected),
            points(-row.gap),
            STATUS_LABELS[row.status],
        ]
        for n, row in enumerate(rows, start=1)
    ]
    add_table(document, LAGGING_HEADER, body, LAGGING_WIDTHS, left={1, 2})
    document.add_paragraph("注：偏差 = 完成率 − 序时进度（百分点），负数为落后于序时进度。")


def _units(document: Document, report: StatusReport) -> None:
    document.add_heading(SECTIONS[2], level=1)
    lagging = {row.indicator.id for row in report.lagging()}
    for n, fresh in enumerate(report.units, start=1):
        unit = fresh.unit
        document.add_heading(f"（{cn_number(n)}）{safe_text(unit)}", level=2)
        rows = unit_rows(report, unit)
        line = unit_sentence(rows, unit, lagging)
        if fresh.last_report is not None:
            line += f"；最近一次报送为{cn_date(fresh.last_report)}"
        if fresh.missing:
            line += f"，未报送{fresh.due_period}进展"
        document.add_paragraph(line + "。")
        body = [_unit_cells(row, unit) for row in rows]
        add_table(document, UNIT_HEADER, body, UNIT_WIDTHS, left={0})
        extra = indicator_extra_header(rows)
        for row in rows:
            said = [
                f"{name}：{cell}" for name, cell in zip(extra, indicator_extra_cells(rows, row), strict=True) if cell
            ]
            if said:
                labelled(document, f"指标{row.indicator.id}", "；".join(said))
            if row.texts is not None and (row.texts.summary or row.texts.next_steps):
                labelled(document, f"指标{row.indicator.id}进展", row.texts.summary)
        for line in correction_lines(report, unit):
            labelled(document, "数据更正", line)
        texts = report.texts.get(unit)
        if texts is None:
            document.add_paragraph(f"截至{cn_date(report.as_of)}尚无报告。")
            continue
        labelled(document, "进展情况", texts.summary)
        labelled(document, "下步计划", texts.next_steps)


def unit_sentence(rows: list[IndicatorStatus], unit: str, lagging: set[str]) -> str:
    """负责报送指标2个，其中1个落后于序时进度；配合1个 — a unit answers for its own indicators only."""
    own = [r for r in rows if r.indicator.unit == unit]
    helps = [r for r in rows if r.indicator.unit != unit]
    behind = sum(1 for r in own if r.indicator.id in lagging)
    if not own:
        line = "无牵头报送的指标"
    elif behind:
        line = f"负责报送指标{len(own)}个，其中{behind}个落后于序时进度"
    else:
        line = f"负责报送指标{len(own)}个，" + ("均未" if len(own) > 1 else "未") + "落后于序时进度"
    if helps:
        ids = "、".join(r.indicator.id for r in helps)
        line += f"；配合其他单位的指标{len(helps)}个（{ids}）"
    return line


def _unit_cells(row: IndicatorStatus, unit: str) -> list[str]:
    ind = row.indicator
    measure = safe_text(ind.measure)
    name = f"{ind.id} {safe_text(ind.name)}" + ("（配合）" if ind.unit != unit else "")
    target = safe_text(target_with_measure(row))
    value = amount(ind, row.value)
    if row.value is not None and not isinstance(row.value, bool):
        value += measure
    completion = pct(row.completion) + ("（超额）" if row.completion > 1 + 1e-9 else "")
    return [name, target, value, completion, STATUS_LABELS[row.status]]


def _problems(document: Document, report: StatusReport) -> None:
    document.add_heading(SECTIONS[3], level=1)
    written = 0
    for fresh in report.units:
        texts = report.texts.get(fresh.unit)
        problems = safe_text(texts.problems) if texts else ""
        if problems and problems.rstrip("。.；;") not in _NOTHING:
            labelled(document, safe_text(fresh.unit), problems)
            written += 1
        # Problems a report gave for one indicator are listed under it, not spread over the unit's others.
        for row in unit_rows(report, fresh.unit):
            own = safe_text(row.texts.problems) if row.texts and row.indicator.unit == fresh.unit else ""
            if own and own.rstrip("。.；;") not in _NOTHING:
                labelled(document, f"{safe_text(fresh.unit)}（指标{row.indicator.id}）", own)
                written += 1
    if not written:
        document.add_paragraph("各单位最近一次报告均未反映存在问题。")


def _supervision(document: Document, report: StatusReport, summary: SupervisionSummary) -> None:
    """The end of 一、总体情况: what units report done against what the office verified, and the 督办 items."""
    from minsheng.supervision.view import VERIFICATION_HEADER, action_lines, verification_line, verification_of
    from minsheng.supervision.view import verification_rows as rows_of

    line = verification_line(summary, report, hint=False)
    if line:
        document.add_paragraph(safe_text(line))
    rows = rows_of(verification_of(summary, report))
    if rows:
        add_table(document, tuple(VERIFICATION_HEADER), rows, (1.2, 4.6, 2.6, 2.0, 2.4, 3.2), left={1, 5})
    for text in action_lines(summary) or ["本年度尚无督办事项。"]:
        document.add_paragraph(safe_text(text))


def overdue_suggestions(summary: SupervisionSummary | None) -> list[str]:
    """下步工作建议 for each 督办 item past its 整改时限."""
    if summary is None:
        return []
    from minsheng.supervision.view import concern

    return [
        f"督促{s.unit or ''}对督办事项{s.id}（{s.action.kind}，{concern(s)}）抓紧整改，"
        f"整改时限{cn_date(s.due)}已过，尽快报送整改情况、申请销号。"
        for s in summary.overdue
        if s.due is not None
    ]


def _suggestions(document: Document, report: StatusReport, supervision: SupervisionSummary | None = None) -> None:
    document.add_heading(SECTIONS[4], level=1)
    plan = report.plan
    past_basic = report.as_of > plan.deadlines.basic.date
    groups: dict[str, list[IndicatorStatus]] = {}
    for row in report.lagging():
        groups.setdefault(row.task_id, []).append(row)
    # Past 基本完成 every unfinished item is a matter for the office, even one not yet 滞后.
    unfinished: dict[str, list[IndicatorStatus]] = {}
    if report.as_of >= plan.deadlines.basic.date:
        listed = {row.indicator.id for rows in groups.values() for row in rows}
        for row in report.indicators():
            if row.indicator.id not in listed and row.status not in ("done", "overdue"):
                unfinished.setdefault(row.task_id, []).append(row)
    names = {t.task.id: t.task.name for t in report.tasks}
    lines = []
    # One suggestion per project: its lagging indicators together, by the worst of them.
    for task_id, rows in groups.items():
        if past_basic and all(r.status == "behind" for r in rows):
            lines.append(finishing(names[task_id], rows, report))
        else:
            lines.append(suggestion(names[task_id], rows))
    lines += [finishing(names[task_id], rows, report) for task_id, rows in unfinished.items()]
    lines += overdue_suggestions(supervision)
    missing = report.missing_units()
    if missing:
        names_ = "、".join(safe_text(u.unit) for u in missing)
        lines.append(f"督促{names_}按时报送{missing[0].due_period}进展，确保台账数据及时准确。")
    if report.as_of < plan.deadlines.final.date:
        basic, final = plan.deadlines.basic, plan.deadlines.final
        head = "其余项目" if lines else "各项目"
        goal = f"{cn_date(final.date)}前{safe_text(final.label)}"
        if report.as_of < basic.date:
            goal = f"{cn_date(basic.date)}前{safe_text(basic.label)}、" + goal
        lines.append(f"{head}继续加强调度，按月跟踪进度，确保{goal}。")
    if not lines:
        document.add_paragraph("无。")
    for n, line in enumerate(lines, start=1):
        document.add_paragraph(safe_text(f"{n}．{line}"))


def _units_of(rows: list[IndicatorStatus]) -> str:
    return "、".join(dict.fromkeys(safe_text(r.indicator.unit) for r in rows))


def _figures(rows: list[IndicatorStatus]) -> str:
    """改造提升农村公路（条数）完成率35.0%，…: each indicator named with its 完成率."""
    return "，".join(f"{safe_text(r.indicator.name)}完成率{pct(r.completion)}" for r in rows)


def _behind(rows: list[IndicatorStatus]) -> str:
    gaps = sorted({round(r.gap * 100, 1) for r in rows})
    if len(gaps) == 1:
        return f"落后序时{gaps[0]:.1f}个百分点"
    return f"落后序时{gaps[0]:.1f}至{gaps[-1]:.1f}个百分点"


def suggestion(task_name: str, rows: list[IndicatorStatus]) -> str:
    """One line of 下步工作建议 for a project's lagging indicators, by how far behind the worst is."""
    worst = rows[0]  # report.lagging() puts the furthest behind first
    item = safe_text(task_name)
    unit = _units_of(rows)
    figures = _figures(rows)
    if any(r.status == "overdue" for r in rows):
        return f"{item}：{unit}逾期未完成（{figures}），建议挂牌督办，限期完成。"
    if all(r.status == "not_started" for r in rows):
        tail = "，必要时挂牌督办。" if worst.light == "red" else "。"
        return f"{item}：督促{unit}尽快启动（尚无进展，{_behind(rows)}）" + tail
    if any(r.status == "far_behind" for r in rows):
        return f"{item}：督促{unit}加快推进（{figures}，{_behind(rows)}），必要时挂牌督办。"
    return f"{item}：督促{unit}加快推进（{figures}，{_behind(rows)}），尽快赶上序时进度。"


def finishing(task_name: str, rows: list[IndicatorStatus], report: StatusReport) -> str:
    """下步工作建议 for a project's unfinished indicators past the 基本完成 deadline, not (yet) far behind."""
    final = report.plan.deadlines.final
    if report.as_of < final.date:
        goal = f"确保{cn_date(final.date)}前{safe_text(final.label)}"
    elif report.as_of == final.date:
        goal = "今日为完成期限，未能完成的须说明原因并明确完成时限"
    else:
        goal = "尽快完成"
    return f"{safe_text(task_name)}：督促{_units_of(rows)}抓紧收尾（{_figures(rows)}），{goal}。"


def _annex(document: Document, report: StatusReport) -> None:
    rows = report.lagging()
    if len(rows) <= ANNEX_ROWS:
        return
    document.add_page_break()
    label = document.add_paragraph("附件1")
    label.paragraph_format.first_line_indent = Pt(0)
    label.runs[0].font.name = HEADING_FONT[1]
    set_fonts(label.runs[0]._r.get_or_add_rPr().get_or_add_rFonts(), HEADING_FONT)
    document.add_paragraph("滞后指标清单", style="Title")
    _lagging_table(document, report, rows)

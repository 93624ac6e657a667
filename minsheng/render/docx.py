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

This module imports python-docx, so only the export command imports it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from typing import cast

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.styles.style import BaseStyle, ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from minsheng.compute import STATUS_LABELS, IndicatorStatus, StatusReport, UnitFreshness, due_period
from minsheng.model import Plan
from minsheng.render.fmt import clean, cn_date, pct, points
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
    deadline_sentence,
    lagging_heading,
    plan_period_note,
    since_sentence,
    summary_sentence,
    unit_rows,
)

SECTIONS = ("一、总体情况", "二、滞后项目清单", "三、分单位推进情况", "四、存在问题", "五、下步工作建议")
LAGGING_HEADER = ("序号", "项目", "指标", "责任单位", "完成率", "序时进度", "偏差", "状态")
UNIT_HEADER = ("指标", "目标", "累计完成", "完成率", "状态")
TABLE_STYLE = "Table Text"

# (East Asian font, font for Latin text); the font table maps each to its usual substitute.
TITLE_FONT = ("方正小标宋简体", "宋体")
HEADING_FONT = ("黑体", "SimHei")
SUBHEADING_FONT = ("楷体_GB2312", "楷体")
BODY_FONT = ("仿宋_GB2312", "Times New Roman")
SUBSTITUTES = {
    "方正小标宋简体": "宋体",
    "宋体": "SimSun",
    "黑体": "SimHei",
    "楷体_GB2312": "楷体",
    "楷体": "KaiTi",
    "仿宋_GB2312": "仿宋",
    "仿宋": "FangSong",
}

# XML 1.0 cannot hold these; fmt.clean already drops the C0/C1 controls and escapes.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOTHING = frozenset({"无", "暂无", "没有", "无问题", "暂无问题"})
"""存在问题 that say there are none (after dropping the final 。)."""
_CN_DIGITS = "零一二三四五六七八九"

# A4 with the margins of GB/T 9704 (党政机关公文格式): text block 156 mm wide.
PAGE = (Cm(21.0), Cm(29.7))
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
# 责任单位 holds 区水务集团 (5 汉字 of 10.5 pt and the cell margins) on one line, 状态 严重滞后.
LAGGING_WIDTHS = (0.9, 3.1, 3.2, 2.4, 1.5, 1.5, 1.1, 1.9)
UNIT_WIDTHS = (6.2, 2.9, 2.7, 1.8, 2.0)
ZERO = Pt(0)
TITLE_LINE = 38
"""Half-width cells that surely fit one line of the title (156 mm holds 20 汉字 of 22 pt; digits vary)."""
RECIPIENT = "区委、区政府："
ANNEX_ROWS = 10
"""A lagging list longer than this goes to 附件1 at the end, with a pointer in section 二."""
APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>minsheng</Application><DocSecurity>0</DocSecurity></Properties>"
)


def status_docx(report: StatusReport) -> bytes:
    """The 专题报告 draft for ``report`` as the bytes of a .docx file."""
    document = docx.Document()
    _setup(document, report)
    _title(document, report)
    _overview(document, report)
    _lagging(document, report)
    _units(document, report)
    _problems(document, report)
    _suggestions(document, report)
    _signature(document, report)
    _annex(document, report)
    _page_numbers(document)
    _package(document)
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


def safe_text(value: str | None) -> str:
    """User text as one plain line that XML (and so Word) can hold."""
    return _XML_INVALID.sub("", clean(value)).replace("\t", " ")


# --- the sections -----------------------------------------------------------


def _title(document: Document, report: StatusReport) -> None:
    title = document.add_paragraph(style="Title")
    head = f"关于{safe_text(report.plan.region)}{report.plan.year}年民生实事"
    tail = report_title(report)[len(head) :]
    title.add_run(head)
    # A line holds about 20 characters of 二号: break where the phrase breaks, not wherever it overflows.
    if _width(head + tail) > TITLE_LINE:
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
        _table(document, ("项目", *header), body, widths, left={0})
    delta = report.completion - report.time_progress
    if report.as_of >= report.plan.deadlines.final.date:
        # On and after the last deadline 序时 is 100%: what is left is unfinished work, not a lag.
        left = (1 - report.completion) * 100
        relation = "已全部完成" if left < 0.05 else f"距全部完成尚差{left:.1f}个百分点"
    elif abs(delta) < 0.0005:
        relation = "与序时进度持平"
    else:
        relation = f"{'快于' if delta > 0 else '慢于'}序时进度{abs(delta) * 100:.1f}个百分点"
    # Zero counts are noise in a 公文 ("已完成0项"): only the statuses that occur.
    counts = "，".join(
        f"{label}{report.counts[key]}项" for key, label in STATUS_LABELS.items() if report.counts.get(key)
    )
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
        document.add_paragraph(sentence)


def _period_of(plan: Plan, day: dt.date) -> tuple[dt.date, str, dt.date]:
    """The reporting period holding ``day``: its first day, its label (2024年7月) and when its report is due."""
    months = 3 if plan.reporting.cadence == "quarterly" else 1
    month = day.month - (day.month - 1) % months
    start = dt.date(day.year, month, 1)
    index = month - 1 + months
    end = min(dt.date(day.year + index // 12, index % 12 + 1, 1) - dt.timedelta(days=1), plan.deadlines.final.date)
    label = f"{day.year}年第{(month - 1) // 3 + 1}季度" if months == 3 else f"{day.year}年{month}月"
    return start, label, end + dt.timedelta(days=plan.reporting.due_days)


def reporting_sentences(report: StatusReport) -> list[str]:
    """What was received and for which period, and what is due next (a 督查 clerk chases both)."""
    units = report.units
    if not units:
        return []
    plan = report.plan
    out: list[str] = []
    due = due_period(plan, report.as_of)
    missing = report.missing_units()
    if due is not None:
        _, label, deadline = _period_of(plan, due[0])
        if missing:
            names = "、".join(safe_text(u.unit) for u in missing)
            out.append(f"{names}未按时报送{label}进展（应于{cn_date(deadline)}前报送）。")
        else:
            out.append(f"{len(units)}个责任单位均已报送{label}进展。")
    if report.as_of > plan.deadlines.final.date:
        return out
    start, label, deadline = _period_of(plan, report.as_of)
    early = [u for u in units if _reported_since(u, start)]
    if len(early) == len(units):
        out.append(f"{label}进展已全部报送（截至{cn_date(report.as_of)}）。")
    elif early:
        out.append(
            f"{label}进展已有{len(early)}个单位报送，其余{len(units) - len(early)}个单位应于{cn_date(deadline)}前报送。"
        )
    else:
        out.append(f"{label}进展应于{cn_date(deadline)}前报送。")
    return out


def _reported_since(unit: UnitFreshness, start: dt.date) -> bool:
    return unit.last_report is not None and unit.last_report >= start


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
    _table(document, LAGGING_HEADER, body, LAGGING_WIDTHS, left={1, 2})
    document.add_paragraph("注：偏差 = 完成率 − 序时进度（百分点），负数为落后于序时进度。")


def _units(document: Document, report: StatusReport) -> None:
    document.add_heading(SECTIONS[2], level=1)
    lagging = {row.indicator.id for row in report.lagging()}
    for n, fresh in enumerate(report.units, start=1):
        unit = fresh.unit
        document.add_heading(f"（{_cn_number(n)}）{safe_text(unit)}", level=2)
        rows = unit_rows(report, unit)
        line = unit_sentence(rows, unit, lagging)
        if fresh.last_report is not None:
            line += f"；最近一次报送为{cn_date(fresh.last_report)}"
        if fresh.missing:
            line += f"，未报送{fresh.due_period}进展"
        document.add_paragraph(line + "。")
        body = [_unit_cells(row, unit) for row in rows]
        _table(document, UNIT_HEADER, body, UNIT_WIDTHS, left={0})
        extra = indicator_extra_header(rows)
        for row in rows:
            said = [
                f"{name}：{cell}" for name, cell in zip(extra, indicator_extra_cells(rows, row), strict=True) if cell
            ]
            if said:
                _labelled(document, f"指标{row.indicator.id}", "；".join(said))
            if row.texts is not None and (row.texts.summary or row.texts.next_steps):
                _labelled(document, f"指标{row.indicator.id}进展", row.texts.summary)
        for line in correction_lines(report, unit):
            _labelled(document, "数据更正", line)
        texts = report.texts.get(unit)
        if texts is None:
            document.add_paragraph(f"截至{cn_date(report.as_of)}尚无报告。")
            continue
        _labelled(document, "进展情况", texts.summary)
        _labelled(document, "下步计划", texts.next_steps)


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
            _labelled(document, safe_text(fresh.unit), problems)
            written += 1
        # Problems a report gave for one indicator are listed under it, not spread over the unit's others.
        for row in unit_rows(report, fresh.unit):
            own = safe_text(row.texts.problems) if row.texts and row.indicator.unit == fresh.unit else ""
            if own and own.rstrip("。.；;") not in _NOTHING:
                _labelled(document, f"{safe_text(fresh.unit)}（指标{row.indicator.id}）", own)
                written += 1
    if not written:
        document.add_paragraph("各单位最近一次报告均未反映存在问题。")


def _suggestions(document: Document, report: StatusReport) -> None:
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


def _signature(document: Document, report: StatusReport) -> None:
    """落款 and 成文日期, right-aligned under the body; the as-of date stands for the 成文日期 of a draft."""
    document.add_paragraph()
    for text in (office_name(report.plan), cn_date(report.as_of)):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.right_indent = Pt(32)


def _annex(document: Document, report: StatusReport) -> None:
    rows = report.lagging()
    if len(rows) <= ANNEX_ROWS:
        return
    document.add_page_break()
    label = document.add_paragraph("附件1")
    label.paragraph_format.first_line_indent = Pt(0)
    label.runs[0].font.name = HEADING_FONT[1]
    _set_fonts(label.runs[0]._r.get_or_add_rPr().get_or_add_rFonts(), HEADING_FONT)
    document.add_paragraph("滞后指标清单", style="Title")
    _lagging_table(document, report, rows)


def _page_numbers(document: Document) -> None:
    """ "— 1 —" centred in the footer, 4号 (14 pt) as 公文 number their pages: the document's one field."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        r.font.size = Pt(14)
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "28")
    rpr.append(size)
    run.insert(0, rpr)


def _package(document: Document) -> None:
    """Drop the template's blank thumbnail and its "Microsoft Macintosh Word" app.xml."""
    package = document.part.package
    for key, rel in list(package.rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            del package.rels[key]
    app = next((p for p in package.parts if str(p.partname) == "/docProps/app.xml"), None)
    if app is not None and hasattr(app, "_blob"):
        app._blob = APP_XML.encode()


# --- building blocks --------------------------------------------------------


def _labelled(document: Document, label: str, value: str | None) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}：").bold = True
    paragraph.add_run(safe_text(value) or "（未填写）")


def _table(
    document: Document,
    header: tuple[str, ...],
    body: list[list[str]],
    widths: tuple[float, ...],
    left: set[int],
) -> Table:
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    head = table.rows[0]
    # Repeat the header row on every page the table runs over.
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(head.cells, header, strict=True):
        _fill(cell.paragraphs[0], text, bold=True, center=True)
    for cells in body:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        for index, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            _fill(cell.paragraphs[0], text, bold=False, center=index not in left)
    # Word reads the cells' widths, LibreOffice and WPS the grid's: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def _fill(paragraph: Paragraph, text: str, *, bold: bool, center: bool) -> None:
    paragraph.style = TABLE_STYLE
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(safe_text(text))  # ids and names too: every cell is user text
    if bold:
        run.bold = True


def _width(text: str) -> int:
    """Display width in half-width cells (a 汉字 is two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (for （一）（二）…)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    if tens >= 10:
        return str(n)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


# --- page and styles --------------------------------------------------------


def _setup(document: Document, report: StatusReport) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]

    styles = document.styles
    _defaults(document)
    normal = cast(ParagraphStyle, styles["Normal"])
    _font(normal, BODY_FONT, Pt(16))
    _paragraph(normal, indent=Pt(32), line=Pt(28))

    title = cast(ParagraphStyle, styles["Title"])
    _font(title, TITLE_FONT, Pt(22))
    _paragraph(title, indent=Pt(0), line=None, center=True, after=Pt(6))
    _drop(title, "w:pBdr", "w:contextualSpacing")  # the template's blue rule under the title
    _plain(title)

    subtitle = cast(ParagraphStyle, styles["Subtitle"])
    _font(subtitle, SUBHEADING_FONT, Pt(16))
    _paragraph(subtitle, indent=Pt(0), line=Pt(28), center=True, after=Pt(12))
    _drop(subtitle, "w:numPr")  # the template hangs the subtitle on a numbering level
    _plain(subtitle)

    for level, font in ((1, HEADING_FONT), (2, SUBHEADING_FONT)):
        heading = cast(ParagraphStyle, styles[f"Heading {level}"])
        _font(heading, font, Pt(16))
        _paragraph(heading, indent=Pt(32), line=Pt(28), before=Pt(6 if level == 1 else 0))
        _plain(heading)

    table_text = cast(ParagraphStyle, styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH))
    table_text.base_style = normal
    _font(table_text, BODY_FONT, Pt(10.5))
    _paragraph(table_text, indent=Pt(0), line=None)

    props = document.core_properties
    props.title = report_title(report)
    props.subject = f"截至{cn_date(report.as_of)}"
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = "民生实事"
    # The statistical date, not the clock: the same data always gives the same document.
    stamp = dt.datetime(report.as_of.year, report.as_of.month, report.as_of.day, tzinfo=dt.UTC)
    props.created = props.modified = stamp
    props.revision = 1
    _font_table(document)


def _defaults(document: Document) -> None:
    """Document defaults: our body font instead of the template's theme fonts, and Chinese as the language."""
    rpr = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = etree.SubElement(rpr, qn("w:rFonts"))
    _set_fonts(fonts, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _font(style: BaseStyle, font: tuple[str, str], size: Length) -> None:
    style.font.size = size
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr.get_or_add_rFonts(), font)
    # The complex-script size too, or Word shows the template's size for some characters.
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = etree.SubElement(rpr, qn("w:szCs"))
    size_cs.set(qn("w:val"), str(round(size.pt * 2)))


def _set_fonts(fonts: etree._Element, font: tuple[str, str]) -> None:
    east_asia, latin = font
    # Theme attributes win over explicit names in Word, so they must go.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)


def _paragraph(
    style: ParagraphStyle,
    *,
    indent: Length,
    line: Length | None,
    center: bool = False,
    before: Length = ZERO,
    after: Length = ZERO,
) -> None:
    fmt = style.paragraph_format
    fmt.first_line_indent = indent
    fmt.space_before = before
    fmt.space_after = after
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing = line
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    if center:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _drop(style: BaseStyle, *tags: str) -> None:
    ppr = style.element.find(qn("w:pPr"))
    if ppr is None:
        return
    for tag in tags:
        for element in ppr.findall(qn(tag)):
            ppr.remove(element)


def _plain(style: BaseStyle) -> None:
    """Black, upright, not bold: the template's blue bold headings are not how 公文 look."""
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:bCs", "w:iCs", "w:spacing", "w:kern"):
        for element in rpr.findall(qn(tag)):
            rpr.remove(element)


def _font_table(document: Document) -> None:
    """Record each font's usual substitute (w:altName) for machines that lack it, e.g. 仿宋_GB2312 → 仿宋."""
    part = next((p for p in document.part.package.parts if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None or not hasattr(part, "_blob"):
        return
    root = etree.fromstring(part.blob)
    known = {el.get(qn("w:name")) for el in root.findall(qn("w:font"))}
    for name, alt in SUBSTITUTES.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alt)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "modern" if "黑" in name else "roman")
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

"""The 专题报告 draft as a Word document (.docx), drawn from the computed report.

Structure, as the 督查 office writes it: title and 截至 date, then
一、总体情况 → 二、滞后项目清单 → 三、分单位推进情况 → 四、存在问题 → 五、下步工作建议.

Every piece of text is a plain run: no fields, no formulas. User text goes
through :func:`~minsheng.render.fmt.clean` and then loses any character XML
cannot hold (python-docx refuses them). Fonts follow official-document habits
(方正小标宋简体 title, 黑体 / 楷体 headings, 仿宋_GB2312 body), with the
common substitutes recorded in the font table for machines that lack them.

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

from minsheng.compute import STATUS_LABELS, IndicatorStatus, StatusReport
from minsheng.render.fmt import clean, cn_date, pct, points
from minsheng.render.rows import (
    indicator_extra_cells,
    indicator_extra_header,
    target_text,
    task_extra_cells,
    task_extra_header,
)
from minsheng.render.view import (
    EXAMPLE_NOTE,
    amount,
    category_sentence,
    correction_lines,
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
BODY_FONT = ("仿宋_GB2312", "仿宋")
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
LAGGING_WIDTHS = (1.2, 2.5, 2.9, 1.9, 1.7, 1.9, 1.5, 2.0)
UNIT_WIDTHS = (6.2, 2.9, 2.7, 1.8, 2.0)
ZERO = Pt(0)
TITLE_LINE = 38
"""Half-width cells that surely fit one line of the title (156 mm holds 20 汉字 of 22 pt; digits vary)."""


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
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_title(report: StatusReport) -> str:
    """唐山市丰润区2024年民生实事进展情况的报告"""
    return f"{safe_text(report.plan.region)}{report.plan.year}年民生实事进展情况的报告"


def safe_text(value: str | None) -> str:
    """User text as one plain line that XML (and so Word) can hold."""
    return _XML_INVALID.sub("", clean(value)).replace("\t", " ")


# --- the sections -----------------------------------------------------------


def _title(document: Document, report: StatusReport) -> None:
    title = document.add_paragraph(style="Title")
    head = f"{safe_text(report.plan.region)}{report.plan.year}年民生实事"
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


def _overview(document: Document, report: StatusReport) -> None:
    document.add_heading(SECTIONS[0], level=1)
    document.add_paragraph(safe_text(summary_sentence(report)))
    moved = since_sentence(report)
    if moved:
        document.add_paragraph(safe_text(moved))
    for cat in report.categories:
        document.add_paragraph(safe_text(category_sentence(cat)))
    header = task_extra_header(report)
    if header:
        body = [[f"{t.task.id} {safe_text(t.task.name)}", *task_extra_cells(report, t)] for t in report.tasks]
        # 16 cm of text width: the project name gets what the figures leave.
        widths = (16.0 - 1.9 * len(header), *(1.9,) * len(header))
        _table(document, ("项目", *header), body, widths, left={0})
    delta = report.completion - report.time_progress
    if abs(delta) < 0.0005:
        relation = "与序时进度持平"
    else:
        relation = f"{'快于' if delta > 0 else '慢于'}序时进度{abs(delta) * 100:.1f}个百分点"
    counts = "，".join(f"{label}{report.counts.get(key, 0)}项" for key, label in STATUS_LABELS.items())
    document.add_paragraph(
        f"总体完成率{pct(report.completion)}，序时进度{pct(report.time_progress)}，{relation}。按项目状态统计：{counts}。"
    )
    lagging = report.lagging()
    total = len(report.indicators())
    if lagging:
        document.add_paragraph(f"{total}个指标中，{len(lagging)}个落后于序时进度，详见滞后项目清单。")
    else:
        document.add_paragraph(f"{total}个指标均未落后于序时进度。")
    sentence = _reporting_sentence(report)
    if sentence:
        document.add_paragraph(sentence)


def _reporting_sentence(report: StatusReport) -> str | None:
    missing = report.missing_units()
    if missing:
        names = "、".join(safe_text(u.unit) for u in missing)
        return f"{names}未报送{missing[0].due_period}进展。"
    period = next((u.due_period for u in report.units if u.due_period), None)
    if period is None:
        return None
    return f"{len(report.units)}个责任单位均已报送{period}进展。"


def _lagging(document: Document, report: StatusReport) -> None:
    document.add_heading(SECTIONS[1], level=1)
    rows = report.lagging()
    if not rows:
        document.add_paragraph("无。")
        return
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
        behind = sum(1 for r in rows if r.indicator.id in lagging)
        if behind:
            line = f"负责指标{len(rows)}个，其中{behind}个落后于序时进度"
        else:
            line = f"负责指标{len(rows)}个，" + ("均未" if len(rows) > 1 else "未") + "落后于序时进度"
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


def _unit_cells(row: IndicatorStatus, unit: str) -> list[str]:
    ind = row.indicator
    measure = safe_text(ind.measure)
    name = f"{ind.id} {safe_text(ind.name)}" + ("（配合）" if ind.unit != unit else "")
    target = target_text(row) + (measure if ind.kind != "milestone" else "")
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
    lagging = report.lagging()
    plan = report.plan
    past_basic = report.as_of > plan.deadlines.basic.date
    # Past 基本完成 an item that is only a little short is to be finished, not to "catch up with time".
    lines = [finishing(row, report) if past_basic and row.status == "behind" else suggestion(row) for row in lagging]
    if report.as_of >= plan.deadlines.basic.date:
        # Past 基本完成 every unfinished item is a matter for the office, even one not yet 滞后.
        listed = {row.indicator.id for row in lagging}
        for row in report.indicators():
            if row.indicator.id not in listed and row.status not in ("done", "overdue"):
                lines.append(finishing(row, report))
    missing = report.missing_units()
    if missing:
        names = "、".join(safe_text(u.unit) for u in missing)
        lines.append(f"督促{names}按时报送{missing[0].due_period}进展，确保台账数据及时准确。")
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


def suggestion(row: IndicatorStatus) -> str:
    """One line of 下步工作建议 for a lagging indicator, by how far behind it is."""
    ind = row.indicator
    item = f"{ind.id} {safe_text(ind.name)}"
    unit = safe_text(ind.unit)
    figures = f"完成率{pct(row.completion)}，落后序时{row.gap * 100:.1f}个百分点"
    if row.status == "overdue":
        return f"{item}：{unit}逾期未完成（完成率{pct(row.completion)}），建议挂牌督办，限期完成。"
    if row.status == "not_started":
        tail = "，必要时挂牌督办。" if row.light == "red" else "。"
        return f"{item}：督促{unit}尽快启动（尚无进展，落后序时{row.gap * 100:.1f}个百分点）" + tail
    if row.status == "far_behind":
        return f"{item}：督促{unit}加快推进（{figures}），必要时挂牌督办。"
    return f"{item}：督促{unit}加快推进（{figures}），尽快赶上序时进度。"


def finishing(row: IndicatorStatus, report: StatusReport) -> str:
    """下步工作建议 for an unfinished indicator past the 基本完成 deadline that is not (yet) 滞后."""
    ind = row.indicator
    final = report.plan.deadlines.final
    goal = f"确保{cn_date(final.date)}前{safe_text(final.label)}" if report.as_of < final.date else "尽快完成"
    return f"{ind.id} {safe_text(ind.name)}：督促{safe_text(ind.unit)}抓紧收尾（完成率{pct(row.completion)}），{goal}。"


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

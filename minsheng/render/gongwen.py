"""The shape of a 公文 (GB/T 9704) in python-docx: page, fonts, styles, tables, page numbers, 落款.

The building blocks the 专题报告 (:mod:`minsheng.render.docx`), the 督办函 and the 月度通报 share:
A4 with the standard margins; 方正小标宋简体 title, 黑体 / 楷体 headings, 仿宋_GB2312 body and
Times New Roman for digits and Latin text, with the usual substitutes recorded in the font table;
tables whose header repeats on every page; "— 1 —" page numbers; document properties taken from
the statistical date, never the clock. Every cell and paragraph of user text goes through
:func:`safe_text`. This module imports python-docx, so only the docx exports import it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import cast

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

from minsheng.render.fmt import clean, cn_date

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

# A4 with the margins of GB/T 9704 (党政机关公文格式): text block 156 mm wide.
PAGE = (Cm(21.0), Cm(29.7))
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
ZERO = Pt(0)
TITLE_LINE = 38
"""Half-width cells that surely fit one line of the title (156 mm holds 20 汉字 of 22 pt; digits vary)."""
APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>minsheng</Application><DocSecurity>0</DocSecurity></Properties>"
)


def safe_text(value: str | None) -> str:
    """User text as one plain line that XML (and so Word) can hold."""
    return _XML_INVALID.sub("", clean(value)).replace("\t", " ")


def signature(document: Document, office: str, day: dt.date) -> None:
    """落款 and 成文日期, right-aligned under the body."""
    document.add_paragraph()
    for text in (office, cn_date(day)):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.right_indent = Pt(32)


def page_numbers(document: Document) -> None:
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


def package(document: Document) -> None:
    """Drop the template's blank thumbnail and its "Microsoft Macintosh Word" app.xml."""
    package = document.part.package
    for key, rel in list(package.rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            del package.rels[key]
    app = next((p for p in package.parts if str(p.partname) == "/docProps/app.xml"), None)
    if app is not None and hasattr(app, "_blob"):
        app._blob = APP_XML.encode()


# --- building blocks --------------------------------------------------------


def labelled(document: Document, label: str, value: str | None) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}：").bold = True
    paragraph.add_run(safe_text(value) or "（未填写）")


def add_table(
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


def width(text: str) -> int:
    """Display width in half-width cells (a 汉字 is two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# --- page and styles --------------------------------------------------------


def setup(document: Document, title: str, subject: str, day: dt.date) -> None:
    """Page, styles and document properties of a 公文 dated ``day`` (the statistical date)."""
    section = document.sections[0]
    section.page_width, section.page_height = PAGE
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]

    styles = document.styles
    _defaults(document)
    normal = cast(ParagraphStyle, styles["Normal"])
    _font(normal, BODY_FONT, Pt(16))
    _paragraph(normal, indent=Pt(32), line=Pt(28))

    title_style = cast(ParagraphStyle, styles["Title"])
    _font(title_style, TITLE_FONT, Pt(22))
    _paragraph(title_style, indent=Pt(0), line=None, center=True, after=Pt(6))
    _drop(title_style, "w:pBdr", "w:contextualSpacing")  # the template's blue rule under the title
    _plain(title_style)

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
    props.title = title
    props.subject = subject
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = "民生实事"
    # The statistical date, not the clock: the same data always gives the same document.
    stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
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
    set_fonts(fonts, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _font(style: BaseStyle, font: tuple[str, str], size: Length) -> None:
    style.font.size = size
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr.get_or_add_rFonts(), font)
    # The complex-script size too, or Word shows the template's size for some characters.
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = etree.SubElement(rpr, qn("w:szCs"))
    size_cs.set(qn("w:val"), str(round(size.pt * 2)))


def set_fonts(fonts: etree._Element, font: tuple[str, str]) -> None:
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

"""The 月度通报 as a Word document (.docx): the :class:`~minsheng.render.bulletin_view.Bulletin` in 公文 form.

Page, fonts, tables, page numbers and 落款 are the 专题报告's (:mod:`minsheng.render.gongwen`):
the issuing office and 期号 at the head, the title, 主送 (各责任单位：), the six sections with
一、 headings (黑体) and （一） subheadings (楷体), the 亮灯, 排名 and 督办 tables, then the office
and the date. This module formats; every sentence and cell comes from the view.
"""

from __future__ import annotations

import io

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from minsheng.render.bulletin_view import (
    ACTION_HEADER,
    LIGHT_HEADER,
    RANK_HEADER,
    RECIPIENT,
    Bulletin,
)
from minsheng.render.fmt import cn_date
from minsheng.render.gongwen import (
    TITLE_LINE,
    add_table,
    package,
    page_numbers,
    safe_text,
    setup,
    signature,
    width,
)

LIGHT_WIDTHS = (2.2, 1.8, 12.0)
RANK_WIDTHS = (1.4, 4.0, 1.6, 3.6, 2.2, 3.2)
ACTION_WIDTHS = (2.4, 3.6, 2.4, 4.0, 2.2, 1.4)


def bulletin_docx(bulletin: Bulletin) -> bytes:
    document = docx.Document()
    setup(document, bulletin.title, f"数据截至{cn_date(bulletin.period.end)}", bulletin.date)
    _head(document, bulletin)
    sections = bulletin.headings
    document.add_heading(sections[0], level=1)
    for line in bulletin.overview:
        document.add_paragraph(safe_text(line))

    document.add_heading(sections[1], level=1)
    add_table(document, LIGHT_HEADER, [list(row.cells()) for row in bulletin.lights], LIGHT_WIDTHS, left={2})
    _note(document, bulletin.light_note)

    document.add_heading(sections[2], level=1)
    if bulletin.ranking:
        add_table(document, RANK_HEADER, [list(r) for r in bulletin.ranking], RANK_WIDTHS, left={1})
    else:
        document.add_paragraph("无。")
    _note(document, bulletin.ranking_note)

    document.add_heading(sections[3], level=1)
    for line in bulletin.reporting:
        document.add_paragraph(safe_text(line))
    for n, line in enumerate(bulletin.missing, start=1):
        document.add_paragraph(safe_text(f"{n}．{line}"))
    if not bulletin.reporting and not bulletin.missing:
        document.add_paragraph("无。")

    document.add_heading(sections[4], level=1)
    for heading, rows, none in bulletin.supervision_parts():
        document.add_heading(heading, level=2)
        if rows:
            add_table(document, ACTION_HEADER, [list(r) for r in rows], ACTION_WIDTHS, left={1, 3})
        else:
            document.add_paragraph(none)

    document.add_heading(sections[5], level=1)
    for req in bulletin.requirements:
        document.add_heading(safe_text(req.heading), level=2)
        document.add_paragraph(safe_text(req.text))

    signature(document, safe_text(bulletin.signer), bulletin.date)
    page_numbers(document)
    package(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _head(document: Document, bulletin: Bulletin) -> None:
    """版头: the issuing office (where the plan names it) and 期号, then the title and 主送."""
    for line in (bulletin.office, bulletin.number):
        if line:
            _centered(document, safe_text(line))
    title = document.add_paragraph(style="Title")
    text = safe_text(bulletin.title)
    head, sep, tail = text.partition("项目")
    # A line holds about 20 characters of 二号: break where the phrase breaks, not wherever it overflows.
    if sep and width(text) > TITLE_LINE:
        title.add_run(head + sep)
        title.add_run().add_break()
        title.add_run(tail)
    else:
        title.add_run(text)
    if bulletin.example:
        _centered(document, bulletin.example)
    recipient = document.add_paragraph(RECIPIENT)
    recipient.paragraph_format.first_line_indent = Pt(0)
    document.add_paragraph(safe_text(bulletin.opening))


def _centered(document: Document, text: str) -> None:
    paragraph = document.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)


def _note(document: Document, text: str) -> None:
    paragraph = document.add_paragraph(safe_text(text))
    for run in paragraph.runs:
        run.font.size = Pt(12)

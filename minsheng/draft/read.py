"""Reading a published plan: .txt (UTF-8 or GBK), .docx, .html, .xlsx and .csv into one shape.

A :class:`Document` is the text as lines (paragraphs) plus any tables as rows of
cell texts. Nothing here interprets the content; what is refused (too large,
binary, old .doc, unreadable) is refused with a :class:`DraftInputError` whose
message tells the user what to do, before any expensive parsing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

# A 50-project plan is a few tens of kilobytes of text; a Word file with pictures a few megabytes.
MAX_TEXT_BYTES = 4 * 1024 * 1024
MAX_OFFICE_BYTES = 20 * 1024 * 1024
# Unpacked size of the parts we read from a .docx or .xlsx (a zip bomb stops here).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ROWS = 5000

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".docx", ".xlsx", ".csv")


class DraftInputError(Exception):
    """The input document cannot be drafted from; the message says why and what to do."""


@dataclass
class Document:
    lines: list[str]
    tables: list[list[list[str]]] = field(default_factory=list)


def read_document(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps"):
        raise DraftInputError(
            f"{path.name} 是旧版 Word 文件（.doc），无法直接读取：请在 Word 或 WPS 中另存为 .docx 后再试"
        )
    if suffix in (".xls", ".et"):
        raise DraftInputError(f"{path.name} 是旧版 Excel 文件（.xls）：请另存为 .xlsx 或 .csv 后再试")
    if suffix == ".pdf":
        raise DraftInputError(f"{path.name} 是 PDF：请复制其中文字另存为 .txt，或用原始的 .docx")
    if suffix not in SUFFIXES:
        raise DraftInputError(f"不认识 {path.name} 的格式：请给出 .txt、.docx、.html、.xlsx 或 .csv 文件")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DraftInputError(f"无法读取 {path}：{exc.strerror or exc}") from None
    limit = MAX_OFFICE_BYTES if suffix in (".docx", ".xlsx") else MAX_TEXT_BYTES
    if size > limit:
        raise DraftInputError(
            f"{path.name} 有 {size / 1024 / 1024:.1f} MB，超过上限 {limit // 1024 // 1024} MB；"
            "一份实施方案不会这么大，请确认文件是否选对"
        )
    if size == 0:
        raise DraftInputError(f"{path.name} 是空文件")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DraftInputError(f"无法读取 {path}：{exc.strerror or exc}") from None
    if suffix == ".docx":
        return _docx(path, data)
    if suffix == ".xlsx":
        return _xlsx(path, data)
    text = decode(path, data)
    if suffix == ".csv":
        return _csv(text)
    if suffix in HTML_SUFFIXES:
        return _html(text)
    return Document(text.splitlines())


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), else GBK; binary content is refused."""
    if data.startswith((b"\xd0\xcf\x11\xe0", b"PK\x03\x04", b"%PDF")):
        raise DraftInputError(f"{path.name} 不是文本文件（像是 Office 或 PDF 文件）：请用正确的扩展名或另存为 .txt")
    if b"\x00" in data[:65536]:
        raise DraftInputError(f"{path.name} 含二进制内容，不是文本文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if sum(1 for c in text[:65536] if ord(c) < 32 and c not in "\t\r\n\f") > 8:
            break
        return text
    raise DraftInputError(f"{path.name} 既不是 UTF-8 也不是 GBK 编码的文本：请另存为 UTF-8 后再试")


def _open_zip(path: Path, data: bytes, kind: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DraftInputError(
            f"{path.name} 不是有效的 {kind} 文件（可能是改了扩展名的旧格式），请重新另存为 {kind}"
        ) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise DraftInputError(f"{path.name} 解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，拒绝读取")
    return archive


def _docx(path: Path, data: bytes) -> Document:
    _open_zip(path, data, ".docx")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise DraftInputError(f"{path.name} 无法作为 .docx 打开：{exc}") from None
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    numbering = _Numbering(document)
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(block, document)
            lines.append(numbering.label(paragraph) + paragraph.text)
        elif tag == "tbl":
            rows = [[cell.text.strip() for cell in row.cells] for row in Table(block, document).rows]
            tables.append(_dedupe_merged(rows))
            lines.extend(" ".join(dict.fromkeys(c for c in row if c)) for row in rows)
    return Document(lines, tables)


_W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
_CN = "零一二三四五六七八九"
_CHINESE_FORMATS = ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting")


def _chinese(n: int) -> str:
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


class _Numbering:
    """The numbers Word draws in front of a numbered paragraph ("1." "一、"), which are not in its text."""

    def __init__(self, document: Any) -> None:
        try:
            self.root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            self.root = None
        self.counters: dict[tuple[str, int], int] = {}

    def label(self, paragraph: Any) -> str:
        if self.root is None:
            return ""
        num_pr = _num_pr(paragraph)
        if num_pr is None or num_pr.numId is None or num_pr.numId.val == 0:
            return ""
        num_id, level = str(num_pr.numId.val), num_pr.ilvl.val if num_pr.ilvl is not None else 0
        abstract = self.root.xpath(f'w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
        if not abstract:
            return ""
        lvl = self.root.xpath(f'w:abstractNum[@w:abstractNumId="{abstract[0]}"]/w:lvl[@w:ilvl="{level}"]')
        if not lvl:
            return ""
        fmt = (lvl[0].xpath("w:numFmt/@w:val", namespaces=_W) or ["decimal"])[0]
        text = (lvl[0].xpath("w:lvlText/@w:val", namespaces=_W) or [f"%{level + 1}."])[0]
        count = self.counters.get((num_id, level), 0) + 1
        self.counters[(num_id, level)] = count
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[deeper]
        if fmt == "decimal":
            shown = str(count)
        elif fmt in _CHINESE_FORMATS:
            shown = _chinese(count)
        else:  # bullets and letters carry no number the rules use
            return ""
        return text.replace(f"%{level + 1}", shown)


def _num_pr(paragraph: Any) -> Any:
    """The paragraph's numbering, written on it or on its style (or a style it is based on)."""
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None:
        return p_pr.numPr
    style = paragraph.style
    while style is not None:
        s_pr = style.element.pPr
        if s_pr is not None and s_pr.numPr is not None:
            return s_pr.numPr
        style = style.base_style
    return None


def _dedupe_merged(rows: list[list[str]]) -> list[list[str]]:
    """python-docx repeats a merged cell's text in every grid cell it spans; a title row becomes one cell."""
    out = []
    for row in rows:
        if len(set(row)) == 1 and len(row) > 1:
            out.append(row[:1])
        else:
            out.append(row)
    return out


def _xlsx(path: Path, data: bytes) -> Document:
    _open_zip(path, data, ".xlsx")
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken package
        raise DraftInputError(f"{path.name} 无法作为 .xlsx 打开：{exc}") from None
    tables: list[list[list[str]]] = []
    lines: list[str] = []
    try:
        for sheet in book.worksheets:
            rows: list[list[str]] = []
            for row in sheet.iter_rows(values_only=True):
                if len(rows) >= MAX_ROWS:
                    break
                cells = [_cell_text(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    rows.append(cells)
            tables.append(rows)
            lines.extend(" ".join(c for c in row if c) for row in rows)
    finally:
        book.close()
    return Document(lines, tables)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv(text: str) -> Document:
    rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))][:MAX_ROWS]
    rows = [row for row in rows if any(row)]
    return Document([" ".join(c for c in row if c) for row in rows], [rows])


_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "section", "article", "ul", "ol", "dd", "dt", "title", "hr",
}  # fmt: skip


class _HTMLText(HTMLParser):
    """Text by block, and tables as rows of cells; scripts and styles dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip += 1
        elif tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell = []
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._cell is not None and self._stack:
            self._stack[-1][-1].append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
            self.parts.append(" ")
        elif tag == "table" and self._stack:
            rows = [row for row in self._stack.pop() if any(row)]
            if rows:
                self.tables.append(rows)
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _html(text: str) -> Document:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    return Document(lines, parser.tables)

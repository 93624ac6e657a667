"""The same document saved as .txt (UTF-8, GBK), .docx, .html, .xlsx or .csv drafts the same plan."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml

from minsheng.draft import draft_file
from tests.conftest import SEED

DOCS = Path(__file__).resolve().parent / "draft_docs"


def body(text: str) -> dict:
    """The draft without its first comment line (which names the file)."""
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def seed_draft() -> dict:
    return body(draft_file(SEED).text)


def _rows(name: str) -> list[list[str]]:
    with (DOCS / name).open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle) if row and not row[0].startswith("# source")]


def test_gbk_and_bom_text(tmp_path: Path, seed_draft: dict) -> None:
    text = SEED.read_text(encoding="utf-8")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(text.encode("gb18030"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    for path in (gbk, bom, crlf):
        assert body(draft_file(path).text) == seed_draft, path.name


def test_docx_paragraphs(tmp_path: Path, seed_draft: dict) -> None:
    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "方案.docx"
    document.save(str(path))
    assert body(draft_file(path).text) == seed_draft


def test_html_saved_page(tmp_path: Path, seed_draft: dict) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    paragraphs = "\n".join(f"<p>{line.replace('“', '&ldquo;').replace('”', '&rdquo;')}</p>" for line in lines)
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>方案</title>"
        "<style>p{margin:0}</style><script>var x = '1.不是项目';</script></head>"
        f"<body><div class='content'>{paragraphs}</div></body></html>"
    )
    path = tmp_path / "方案.html"
    path.write_text(page, encoding="utf-8")
    assert body(draft_file(path).text) == seed_draft


def test_xlsx_table_is_the_csv_table(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in _rows("yangxian-2024.csv"):
        sheet.append([int(c) if c.isdigit() and len(c) < 5 else c for c in row])
    path = tmp_path / "清单.xlsx"
    book.save(path)
    from_csv = body(draft_file(DOCS / "yangxian-2024.csv").text)
    from_xlsx = body(draft_file(path).text)
    assert from_xlsx["tasks"] == from_csv["tasks"]
    assert [t["investment"] for t in from_xlsx["tasks"][:5]] == [300, 300, 1360, 3000, 4930]


def test_docx_table_and_html_table(tmp_path: Path) -> None:
    rows = _rows("jiangshan-2023.csv")
    header = next(i for i, row in enumerate(rows) if row[0] == "序号")
    document = docx.Document()
    document.add_paragraph(rows[0][0])
    table = document.add_table(rows=0, cols=len(rows[header]))
    for row in rows[header:]:
        cells = table.add_row().cells
        for cell, value in zip(cells, row + [""] * (len(cells) - len(row)), strict=True):
            cell.text = value
    path = tmp_path / "计划表.docx"
    document.save(str(path))
    from_csv = body(draft_file(DOCS / "jiangshan-2023.csv", region="江山市").text)
    assert body(draft_file(path, region="江山市").text)["tasks"] == from_csv["tasks"]

    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows[header:])
    page = tmp_path / "计划表.html"
    page.write_text(f"<html><body><h1>{rows[0][0]}</h1><table>{cells}</table></body></html>", encoding="utf-8")
    assert body(draft_file(page, region="江山市").text)["tasks"] == from_csv["tasks"]


def _numbered_docx(path: Path, lines: list[str], chinese_headings: bool = False) -> None:
    """A .docx whose item numbers are drawn by Word (style List Number), not typed."""
    document = docx.Document()
    if chinese_headings:
        # make the List Number 2 style's first level count 一、二、三、
        from docx.oxml.ns import qn

        style = document.styles["List Number 2"]
        num_id = style.element.pPr.numPr.numId.val
        root = document.part.numbering_part.element
        abstract = root.xpath(f'w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
        (lvl,) = root.xpath(f'w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl[@w:ilvl="0"]')
        lvl.find(qn("w:numFmt")).set(qn("w:val"), "chineseCounting")
        lvl.find(qn("w:lvlText")).set(qn("w:val"), "%1、")
    for line in lines:
        typed = line.split(".", 1)
        if typed[0].isdigit():
            document.add_paragraph(typed[1], style="List Number")
        elif chinese_headings and line.startswith(("一、", "二、", "三、")):
            document.add_paragraph(line[2:], style="List Number 2")
        else:
            document.add_paragraph(line)
    document.save(str(path))


def test_docx_with_numbers_drawn_by_word(tmp_path: Path, seed_draft: dict) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "自动编号.docx"
    _numbered_docx(path, lines, chinese_headings=True)
    assert body(draft_file(path).text) == seed_draft


def test_items_run_together_in_one_paragraph(tmp_path: Path, seed_draft: dict) -> None:
    # a page copied without its line breaks: section 二 is one paragraph
    text = SEED.read_text(encoding="utf-8")
    head, rest = text.split("二、主要任务", 1)
    section, tail = rest.split("三、保障措施", 1)
    one_line = " ".join(line.strip() for line in section.splitlines() if line.strip())
    path = tmp_path / "一段.txt"
    path.write_text(f"{head}二、主要任务\n\n{one_line}\n\n三、保障措施{tail}", encoding="utf-8")
    assert body(draft_file(path).text) == seed_draft

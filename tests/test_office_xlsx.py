"""The 台账 and the fill-in form as LibreOffice prints them and saves them again.

One ``soffice`` run per module turns the workbooks into PDF and another saves
them again as xlsx (what a colleague's WPS or LibreOffice hands back). The
tests read the printed text size, the pages and their numbers, every line of
the long texts, and the cells' types.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from minsheng.compute import StatusReport, build_status
from minsheng.project import open_project
from minsheng.render.fmt import clean
from minsheng.render.xlsx import ledger_xlsx, template_xlsx
from tests.conftest import DATA
from tests.office import Pdf, column_text, convert, is_a4, read_pdf, require_office, squeeze

AS_OF = dt.date(2024, 7, 31)


@dataclasses.dataclass(frozen=True)
class Office:
    report: StatusReport
    xlsx: dict[str, Path]
    pdf: dict[str, Pdf]
    resaved: dict[str, Path]


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    require_office()
    root = tmp_path_factory.mktemp("office-xlsx")
    report = build_status(open_project(DATA).dataset(None, AS_OF), AS_OF)
    files = {
        "ledger": ledger_xlsx(report),
        "unit": ledger_xlsx(report, "区住建局"),
        "form": template_xlsx(report, "区残联"),
        "roads": template_xlsx(report, "区交运局"),
    }
    xlsx = {}
    for name, data in files.items():
        xlsx[name] = root / f"{name}.xlsx"
        xlsx[name].write_bytes(data)
    sources = list(xlsx.values())
    pdfs = convert(sources, "pdf", root / "pdf", root / "profile")
    resaved = convert(sources, "xlsx", root / "resaved", root / "profile")
    return Office(
        report,
        xlsx,
        {name: read_pdf(path) for name, path in zip(xlsx, pdfs, strict=True)},
        dict(zip(xlsx, resaved, strict=True)),
    )


def sheet_pages(pdf: Pdf, sheet: str) -> list[int]:
    """Pages whose footer names ``sheet`` (the footer's left part is the sheet's name)."""
    bottom = [w for w in pdf.words if w.y0 > pdf.sizes[w.page - 1][1] - 40]
    return sorted({w.page for w in bottom if w.text == sheet})


def test_ledger_prints_at_a_readable_size_with_page_numbers(office: Office) -> None:
    pdf = office.pdf["ledger"]
    assert all(is_a4(size, landscape=True) for size in pdf.sizes)
    # 总台账 and one sheet per unit (11): at least one page each, 总台账 over several
    ledger = sheet_pages(pdf, "总台账")
    assert len(ledger) >= 3 and ledger == list(range(1, len(ledger) + 1))
    assert pdf.pages >= len(ledger) + 11
    # "第 n 页，共 N 页" on every page, in order (pdftotext splits at the spaces)
    numbers = [w.text for w in pdf.words if w.text.isdigit() and w.y0 > pdf.sizes[w.page - 1][1] - 40]
    assert numbers == [str(n) for p in range(1, pdf.pages + 1) for n in (p, pdf.pages)]
    assert [w.text for w in pdf.words].count("页，共") == pdf.pages
    # the body is 10 pt scaled to the page: at least 8.5 pt on paper (it was about 4 pt)
    sizes = [w.cjk_size for w in pdf.on(1) if w.cjk_size and 70 < w.y0 < pdf.sizes[0][1] - 40]
    assert len(sizes) > 30  # enough all-汉字 words measured on page 1
    assert min(sizes) >= 8.4, min(sizes)
    # the text fills the width of the page, not half of it
    assert max(w.x1 for w in pdf.on(1)) > pdf.sizes[0][0] * 0.9


def test_ledger_long_texts_print_whole(office: Office) -> None:
    """Every 进展情况 / 存在问题 / 下步计划 prints to its last character, once for each of the unit's rows."""
    pdf, report = office.pdf["ledger"], office.report
    pages = sheet_pages(pdf, "总台账")
    rows = report.indicators()
    for unit, texts in report.texts.items():
        own = sum(1 for r in rows if r.indicator.unit == unit)
        for text in (texts.summary, texts.problems, texts.next_steps):
            wanted = squeeze(clean(text))
            if len(wanted) < 12 or not own:  # "无" is in every column; the long texts are the ones cut
                continue
            starts = {round(w.x0) for w in pdf.words if w.page in pages and wanted.startswith(w.text[:6])}
            found = sum(column_text(pdf, p, x).count(wanted) for p in pages for x in starts)
            assert found == own, (unit, text, found, own)


def test_ledger_cells_keep_their_types_in_libreoffice(office: Office) -> None:
    ws = openpyxl.load_workbook(office.resaved["ledger"])["总台账"]
    assert [c.value for c in ws[2]][:4] == ["序号", "项目", "指标", "目标任务"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=3)}
    assert len(rows) == 30
    assert all(isinstance(key, str) for key in rows), "ids stay text"
    # targets are numbers a spreadsheet can sum: 3 roads, 10000 meters, 200 performances or more
    assert (rows["1.1"][3].value, rows["2.2"][3].value, rows["5.1"][3].value) == (3, 10000, 200)
    assert rows["5.1"][3].data_type == "n" and "场以上" in rows["5.1"][3].number_format
    assert rows["6.8"][3].value == "完成"  # a milestone has no number
    numeric = [r[3].value for key, r in rows.items() if key != "6.8"]
    assert all(isinstance(v, int | float) for v in numeric)
    # 35 of 100 roads, 51.2 km: numbers with their formats
    assert rows["4.1"][6].value == 35 and rows["4.2"][6].value == pytest.approx(51.2)
    assert rows["4.1"][7].value == pytest.approx(0.35) and rows["4.1"][7].number_format == "0.0%"
    # every row keeps the height that shows its text
    assert all((ws.row_dimensions[r].height or 0) > 15 for r in range(3, 33))


def test_floor_targets_print_with_the_measure_before_yishang(office: Office) -> None:
    text = office.pdf["ledger"].text()
    assert "200场以上" in text and "200以上" not in text


def test_unit_ledger_is_one_sheet_on_few_pages(office: Office) -> None:
    pdf = office.pdf["unit"]
    assert 1 <= pdf.pages <= 2 and sheet_pages(pdf, "区住建局") == list(range(1, pdf.pages + 1))
    assert "2.2" in pdf.text()


def test_form_prints_on_one_portrait_page_with_names_whole(office: Office) -> None:
    pdf, report = office.pdf["form"], office.report
    assert pdf.pages == 1 and is_a4(pdf.sizes[0], landscape=False)
    text = pdf.text()
    name = next(r.indicator.name for r in report.indicators() if r.indicator.id == "6.8")
    start = next(w for w in pdf.words if w.text.startswith(name[:6]))
    assert squeeze(name) in column_text(pdf, 1, start.x0)  # "…子女发放助学金", not cut at the column edge
    assert "填是/否" not in text  # the hint is the cell's drop-down, not a 计量单位
    # the three boxes: each label printed to the left of its own box, in order top to bottom
    labels = [next(w for w in pdf.words if w.text == label) for label in ("进展情况", "存在问题", "下步计划")]
    assert labels[0].y0 < labels[1].y0 < labels[2].y0
    header = next(w for w in pdf.words if w.text.startswith("本次累计完成"))
    assert squeeze("本次累计完成（填写）") in column_text(pdf, 1, header.x0) or "（填写）" in text


def test_form_layout_and_validation(office: Office) -> None:
    for path in (office.xlsx["form"], office.resaved["form"]):
        ws = openpyxl.load_workbook(path)["填报"]
        rows = {r[0].value: r for r in ws.iter_rows(min_row=7) if r[0].value}
        assert rows["6.8"][3].value in (None, "")  # no 是/否 in the 计量单位 column
        assert rows["6.1"][2].value == 117 and rows["6.8"][2].value == "完成"
        rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
        by_cell = {cell: dv for ref, dv in rules.items() for cell in ref.split()}
        assert by_cell["B3"].type == "date"
        boxes_labels = {"进展情况", "存在问题", "下步计划", "更正说明"}
        value_rows = [r[0].row for key, r in rows.items() if key not in boxes_labels]
        for r in value_rows:
            rule = next(dv for ref, dv in rules.items() if f"G{r}" in ref.split() or _in_range(f"G{r}", ref))
            assert rule.type == ("list" if rows[ws.cell(row=r, column=1).value][2].value == "完成" else "decimal")
        # the boxes: label cells centred beside bordered boxes, a gap row between them
        boxes = [rows[label][0].row for label in ("进展情况", "存在问题", "下步计划", "更正说明")]
        assert boxes[1] - boxes[0] == 2 and boxes[2] - boxes[1] == 2
        for r in boxes:
            assert ws.cell(row=r, column=1).alignment.vertical == "center"
            assert all(ws.cell(row=r, column=c).border.top.style == "thin" for c in (2, 7))
            assert (ws.row_dimensions[r].height or 0) >= 60


def _in_range(cell: str, ref: str) -> bool:
    """Whether ``cell`` (like G7) is inside any range of ``ref`` (like "G7:G9 G11")."""
    col, row = cell[0], int(cell[1:])
    for part in ref.split():
        if ":" in part:
            a, b = part.split(":")
            if a[0] == col == b[0] and int(a[1:]) <= row <= int(b[1:]):
                return True
    return False


def test_form_saved_again_by_libreoffice_still_imports(office: Office, shipped_copy: Path, tmp_path: Path) -> None:
    """A unit fills the form and its office program saves it: the import reads it as before."""
    form = tmp_path / "roads.xlsx"
    form.write_bytes(office.resaved["roads"].read_bytes())
    wb = openpyxl.load_workbook(form)
    ws = wb["填报"]
    ws["B3"] = dt.date(2024, 8, 15)
    for row in ws.iter_rows(min_row=7):
        if row[0].value in ("4.1", "4.2"):
            ws.cell(row=row[0].row, column=7).value = 41 if row[0].value == "4.1" else 60
    wb.save(form)
    result = CliRunner().invoke(app, ["import", str(form), "--data", str(shipped_copy), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "35 → 41条" in result.stdout

"""Issue 10, import: every filled cell is recorded where it belongs or refused with its address; size is bounded."""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from minsheng.xlsx_import import read_form
from tests.test_record import run
from tests.test_xlsx import make_template


@pytest.fixture
def data(shipped_copy: Path) -> Path:
    return shipped_copy


def housing_form(data: Path, tmp_path: Path) -> tuple[Path, openpyxl.Workbook]:
    """区住建局's form as of 07-31: row 7 is 1.1 (2 条 last time), row 8 is 2.1 (2 条)."""
    path = make_template(data, tmp_path, "区住建局")
    wb = openpyxl.load_workbook(path)
    ws = wb["填报"]
    assert [ws["A7"].value, ws["A8"].value, ws["F7"].value, ws["F8"].value] == ["1.1", "2.1", 2, 2]
    ws["B3"] = dt.date(2024, 8, 15)
    return path, wb


def refused(data: Path, form: Path, cell: str, words: str) -> None:
    before = (data / "progress" / "区住建局.yaml").read_bytes()
    result = run("import", str(form), "--data", str(data))
    assert result.exit_code == 1, result.output
    assert f"{form}!填报{'!' if cell else ''}{cell}: [" in result.stderr, result.stderr
    assert words in result.stderr
    assert (data / "progress" / "区住建局.yaml").read_bytes() == before


def test_value_typed_into_merged_last_and_new_cells_is_refused(data: Path, tmp_path: Path) -> None:
    form, wb = housing_form(data, tmp_path)
    ws = wb["填报"]
    ws.merge_cells("F7:G7")
    ws["F7"] = 3
    ws["G8"] = 3
    wb.save(form)
    refused(data, form, "F7:G7", "合并单元格")


@pytest.mark.parametrize("merge", ["A7:A8", "G7:G8"])
def test_merged_id_or_value_cells_are_refused(data: Path, tmp_path: Path, merge: str) -> None:
    form, wb = housing_form(data, tmp_path)
    ws = wb["填报"]
    ws["G7"], ws["G8"] = 3, 3
    ws.merge_cells(merge)
    wb.save(form)
    refused(data, form, merge, "合并单元格")


def test_a_value_beside_a_blank_id_is_refused(data: Path, tmp_path: Path) -> None:
    form, wb = housing_form(data, tmp_path)
    ws = wb["填报"]
    ws["G7"], ws["G8"] = 3, 3
    ws["A8"] = None
    wb.save(form)
    refused(data, form, "A8", "指标编号被删掉了（导出时为 2.1）")


def test_a_value_in_a_row_without_an_id_is_refused(data: Path, tmp_path: Path) -> None:
    form, wb = housing_form(data, tmp_path)
    ws = wb["填报"]
    ws["G7"] = 3
    row = ws.max_row - 3  # the blank row between the indicators and the texts
    assert ws.cell(row=row, column=1).value is None
    ws.cell(row=row, column=7).value = 5
    wb.save(form)
    refused(data, form, f"G{row}", "没有指标编号")


def test_a_value_outside_the_form_columns_is_refused(data: Path, tmp_path: Path) -> None:
    form, wb = housing_form(data, tmp_path)
    wb["填报"]["G7"] = 3
    wb["填报"]["H8"] = 3
    wb.save(form)
    refused(data, form, "H8", "不会被读取")


def test_a_value_typed_over_the_last_value_is_refused(data: Path, tmp_path: Path) -> None:
    form, wb = housing_form(data, tmp_path)
    wb["填报"]["G7"] = 3
    wb["填报"]["F8"] = 3  # meant as 2.1's new value
    wb.save(form)
    refused(data, form, "F8", "上次累计值")


def _with_id(data: Path, tmp_path: Path, new_id: str) -> Path:
    """The plan with 1.1 renamed ``new_id``, so the form's first row carries it."""
    plan = data / "plan-2024.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace('id: "1.1"', f'id: "{new_id}"'), encoding="utf-8")
    ledger = data / "progress" / "区住建局.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("1.1:", f"'{new_id}':"), encoding="utf-8")
    assert run("validate", "--data", str(data)).exit_code == 0, run("validate", "--data", str(data)).output
    return make_template(data, tmp_path, "区住建局")


def test_template_writes_ids_as_text(data: Path, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(make_template(data, tmp_path, "区住建局"))["填报"]
    assert (ws["A7"].data_type, ws["A7"].number_format) == ("s", "@")
    meta = openpyxl.load_workbook(make_template(data, tmp_path, "区住建局"))["_minsheng"]
    assert ["indicator", "1.1", 7, "条", "2"] in [list(r)[:5] for r in meta.iter_rows(values_only=True)]


def test_an_id_excel_turned_into_a_number_is_refused(data: Path, tmp_path: Path) -> None:
    form = _with_id(data, tmp_path, "1.10")
    wb = openpyxl.load_workbook(form)
    ws = wb["填报"]
    assert ws["A7"].value == "1.10"
    ws["B3"] = dt.date(2024, 8, 15)
    ws["A7"] = 1.1  # what Excel makes of 1.10 typed into a General cell
    ws["G7"] = 3
    wb.save(form)
    refused(data, form, "A7", "应为 1.10")


def test_a_percent_cell_reads_as_shown_for_a_rate_and_is_refused_otherwise(small_copy: Path, tmp_path: Path) -> None:
    plan = (small_copy / "plan-2025.yaml").read_text(encoding="utf-8")
    assert 'measure: "%"' in plan
    rate = next(i.id for i in _indicators(small_copy) if i.measure == "%")
    count = next(i for i in _indicators(small_copy) if i.measure != "%" and i.unit == _unit_of(small_copy, rate))
    out = tmp_path / "f.xlsx"
    unit = _unit_of(small_copy, rate)
    made = run("export", "xlsx", "--data", str(small_copy), "--template", "-u", unit, "-o", str(out))
    assert made.exit_code == 0, made.output
    wb = openpyxl.load_workbook(out)
    ws = wb["填报"]
    ws["B3"] = dt.date(2025, 12, 15)
    rows = {ws.cell(row=r, column=1).value: r for r in range(7, ws.max_row + 1)}
    ws.cell(row=rows[rate], column=7).value = 0.96  # "96%" typed in Excel
    ws.cell(row=rows[rate], column=7).number_format = "0%"
    wb.save(out)
    form = read_form(out)
    assert form.problems == [] and form.report is not None
    assert form.report.values[rate] == 96
    ws.cell(row=rows[count.id], column=7).value = 0.5
    ws.cell(row=rows[count.id], column=7).number_format = "0%"
    wb.save(out)
    problems = read_form(out).problems
    assert [(p.cell, p.code) for p in problems] == [(f"填报!G{rows[count.id]}", "type")]
    assert "百分数 50%" in problems[0].message


def _indicators(data: Path) -> list:
    from minsheng.load import load_dir

    return [i for pf in load_dir(data).plans for t in pf.plan.tasks for i in t.indicators]


def _unit_of(data: Path, indicator: str) -> str:
    return next(i.unit for i in _indicators(data) if i.id == indicator)


def test_a_hidden_form_sheet_is_never_read(data: Path, tmp_path: Path) -> None:
    form, wb = housing_form(data, tmp_path)
    wb["填报"]["G7"] = 1  # the hidden copy says 1
    copy = wb.copy_worksheet(wb["填报"])
    copy.title = "填报 (2)"
    copy["G7"] = 3
    copy["B3"] = dt.date(2024, 8, 15)
    wb["填报"].sheet_state = "hidden"
    wb.active = wb.sheetnames.index("填报 (2)")
    wb.save(form)
    refused(data, form, "", "被隐藏")


def test_a_second_visible_copy_is_refused(data: Path, tmp_path: Path) -> None:
    form, wb = housing_form(data, tmp_path)
    wb["填报"]["G7"] = 3
    copy = wb.copy_worksheet(wb["填报"])
    copy.title = "填报 (2)"
    copy["G7"] = 1
    wb.save(form)
    result = run("import", str(form), "--data", str(data))
    assert result.exit_code == 1
    assert "填报 (2)" in result.stderr and "不会被读取" in result.stderr


def test_a_hidden_row_with_a_value_is_refused(data: Path, tmp_path: Path) -> None:
    form, wb = housing_form(data, tmp_path)
    wb["填报"]["G7"] = 3
    wb["填报"]["G8"] = 3
    wb["填报"].row_dimensions[8].hidden = True
    wb.save(form)
    refused(data, form, "A8", "被隐藏")


def test_an_alias_in_the_unit_cell_is_that_unit(data: Path, tmp_path: Path) -> None:
    form, wb = housing_form(data, tmp_path)
    wb["填报"]["B2"] = "住建局"
    wb["填报"]["G7"] = 2
    wb.save(form)
    result = run("import", str(form), "--data", str(data), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "将记录 区住建局 2024-08-15" in result.stdout
    wb["填报"]["B2"] = "区水务集团"
    wb.save(form)
    result = run("import", str(form), "--data", str(data), "--dry-run")
    assert result.exit_code == 1
    assert f"{form}!填报!B2: [wrong-unit]" in result.stderr


def test_a_text_longer_than_a_cell_can_hold_is_refused(data: Path, tmp_path: Path) -> None:
    form, wb = housing_form(data, tmp_path)
    ws = wb["填报"]
    row = next(r for r in range(7, ws.max_row + 1) if ws.cell(row=r, column=1).value == "进展情况")
    ws.cell(row=row, column=2).value = "长" * 40_000
    wb.save(form)
    refused(data, form, f"B{row}", "32767")


# --- size: checked before openpyxl builds the sheet ---------------------------------------


def _with_sheet_rows(
    template: Path, out: Path, rows: int, row: bytes = b"<row/>", part: str = "xl/worksheets/sheet1.xml"
) -> Path:
    """The form with ``rows`` copies of ``row`` appended to a sheet's XML (compressed, so the file stays small)."""
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == part:
                head, tail = body.split(b"</sheetData>")
                filler = row * rows
                body = head + filler + b"</sheetData>" + tail
            dst.writestr(info.filename, body)
    return out


def test_a_row_bomb_is_refused_from_the_zip_directory(data: Path, tmp_path: Path) -> None:
    bomb = _with_sheet_rows(make_template(data, tmp_path, "区住建局"), tmp_path / "bomb.xlsx", 6_000_000)
    assert bomb.stat().st_size < 1_000_000
    start = time.process_time()
    problems = read_form(bomb).problems
    assert time.process_time() - start < 2
    assert [p.code for p in problems] == ["too-large"] and "解压后" in problems[0].message


def test_many_rows_under_the_zip_bound_are_streamed_and_stopped(data: Path, tmp_path: Path) -> None:
    # 300 000 rows of one empty cell inflate to about 6 MB: under the zip bound, so the streamed
    # row bound must stop it. Loading that sheet whole (what import did before) takes seconds.
    template = make_template(data, tmp_path, "区住建局")
    many = _with_sheet_rows(template, tmp_path / "many.xlsx", 300_000, b'<row><c s="0"/></row>')
    start = time.process_time()
    problems = read_form(many).problems
    assert time.process_time() - start < 1.5
    assert [p.code for p in problems] == ["too-large"] and "2000 行" in problems[0].message


def test_rows_in_the_hidden_sheet_are_bounded_too(data: Path, tmp_path: Path) -> None:
    # sheet2 is the hidden _minsheng sheet: loading the workbook whole would parse its 3 M rows (5 s)
    template = make_template(data, tmp_path, "区住建局")
    many = _with_sheet_rows(template, tmp_path / "meta.xlsx", 3_000_000, part="xl/worksheets/sheet2.xml")
    start = time.process_time()
    problems = read_form(many).problems
    assert time.process_time() - start < 1.5
    assert [p.code for p in problems] == ["too-large"] and "_minsheng" in problems[0].message

"""The Excel 台账, the fill-in form and `import`, and formula safety in xlsx and csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from minsheng.cli import app

runner = CliRunner()
EVIL = ['=HYPERLINK("http://x","点我")', "+1+2", "-3+4", "@SUM(A1)", "=cmd|' /C calc'!A0"]


@pytest.fixture
def data(shipped_copy: Path) -> Path:
    return shipped_copy


def run(*args: str):
    return runner.invoke(app, list(args))


def make_template(data: Path, tmp_path: Path, unit: str = "区交运局", as_of: str = "2024-07-31") -> Path:
    out = tmp_path / f"{unit}.xlsx"
    result = run("export", "xlsx", "--data", str(data), "--as-of", as_of, "--template", "--unit", unit, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def fill(path: Path, day: object, values: dict[str, object], texts: dict[str, str] | None = None) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb["填报"]
    ws["B3"] = day
    for row in ws.iter_rows(min_row=7):
        key = row[0].value
        if key in values:
            ws.cell(row=row[0].row, column=7).value = values[key]
        if key in (texts or {}):
            ws.cell(row=row[0].row, column=2).value = texts[key]  # type: ignore[index]
            ws.cell(row=row[0].row, column=2).data_type = "s"
    wb.save(path)
    return path


def test_template_shows_target_and_last_value(data: Path, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(make_template(data, tmp_path))["填报"]
    assert ws["B2"].value == "区交运局"
    header = ["指标编号", "指标名称", "目标", "计量单位", "上次报送日期", "上次累计值", "本次累计完成（填写）"]
    assert [c.value for c in ws[6]] == header
    assert [c.value for c in ws[7]][:6] == ["4.1", "改造提升农村公路（条数）", 100, "条", "2024-07-31", 35]
    assert [c.value for c in ws[8]][:6] == ["4.2", "改造提升农村公路（里程）", 146, "公里", "2024-07-31", 51.2]
    assert ws["G7"].value is None and ws["B3"].value is None
    assert openpyxl.load_workbook(make_template(data, tmp_path))["_minsheng"].sheet_state == "hidden"


def test_round_trip_template_fill_import_status(data: Path, tmp_path: Path) -> None:
    path = data / "progress" / "区交运局.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    form = fill(
        make_template(data, tmp_path),
        dt.date(2024, 8, 15),
        {"4.1": 41, "4.2": 60.35},
        {"进展情况": "8月中旬抢工，完成41条。", "存在问题": EVIL[0], "下步计划": "无"},
    )
    dry = run("import", str(form), "--data", str(data), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "35 → 41条" in dry.stdout and "51.2 → 60.35公里" in dry.stdout and "未写入" in dry.stdout
    assert path.read_text(encoding="utf-8").splitlines() == before
    result = run("import", str(form), "--data", str(data))
    assert result.exit_code == 0, result.output
    got = json.loads(run("status", "--data", str(data), "--as-of", "2024-08-15", "-f", "json").stdout)
    task4 = next(t for t in got["tasks"] if t["id"] == "4")
    assert [(i["value"], i["last_report"]) for i in task4["indicators"]] == [(41, "2024-08-15"), (60.35, "2024-08-15")]
    unit = next(u for u in got["units"] if u["unit"] == "区交运局")
    assert unit["latest"]["problems"] == EVIL[0]  # stored as written, as text
    after = path.read_text(encoding="utf-8").splitlines()
    it = iter(after)
    assert all(line in it for line in before), "every old line is still there, in the same order"
    assert len(after) == len(before) + 7


def test_import_refuses_formulas_and_bad_cells(data: Path, tmp_path: Path) -> None:
    form = make_template(data, tmp_path)
    wb = openpyxl.load_workbook(form)
    ws = wb["填报"]
    ws["B3"] = "2024-8-32"  # no 32nd (2024-8-15 is read since issue 11)
    ws["G7"] = "=35+6"
    ws["G8"] = "六十公里"
    wb.save(form)
    result = run("import", str(form), "--data", str(data))
    assert result.exit_code == 1
    assert f"{form}!填报!B3: [date]" in result.stderr
    assert f"{form}!填报!G7: [formula]" in result.stderr
    assert f"{form}!填报!G8: [type]" in result.stderr
    assert "未导入" in result.stderr


def test_import_refusal_points_at_the_cell(data: Path, tmp_path: Path) -> None:
    form = fill(make_template(data, tmp_path), dt.date(2024, 8, 15), {"4.1": 30, "4.2": 60})
    result = run("import", str(form), "--data", str(data))
    assert result.exit_code == 1
    # 30 roads on 08-15 is less than the 35 reported on 07-31
    assert f"{form}!填报!G7: [value-decrease] 指标 4.1 累计值从 2024-07-31 的 35 降到 2024-08-15 的 30" in result.stderr
    late = fill(make_template(data, tmp_path), dt.date(2025, 1, 15), {"4.1": 100, "4.2": 146})
    result = run("import", str(late), "--data", str(data))
    assert f"{late}!填报!B3: [date-outside-year]" in result.stderr


def test_import_of_a_date_already_reported_needs_replace(data: Path, tmp_path: Path) -> None:
    form = fill(make_template(data, tmp_path), dt.date(2024, 7, 31), {"4.1": 36, "4.2": 52})
    assert run("import", str(form), "--data", str(data)).exit_code == 2
    assert run("import", str(form), "--data", str(data), "--replace").exit_code == 0
    got = json.loads(run("status", "--data", str(data), "--as-of", "2024-07-31", "-f", "json").stdout)
    assert next(t for t in got["tasks"] if t["id"] == "4")["indicators"][0]["value"] == 36


def test_import_of_something_else(tmp_path: Path, data: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    result = run("import", str(junk), "--data", str(data))
    assert result.exit_code == 1 and "[xlsx]" in result.stderr
    assert run("import", str(tmp_path / "nope.xlsx"), "--data", str(data)).exit_code == 2


def test_ledger_workbook(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    assert run("export", "xlsx", "--data", str(data), "--as-of", "2024-07-31", "-o", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "总台账" and len(wb.sheetnames) == 12 and "区住建局" in wb.sheetnames
    ws = wb["总台账"]
    header = [c.value for c in ws[2]]
    assert header == [
        "序号", "项目", "指标", "目标任务", "计量单位", "责任单位", "累计完成",
        "完成率", "序时进度", "状态", "进展情况", "存在问题", "下步计划",
        # issue 12, item 8: 9.2-9.4 are levels with no 年初基数, and the 台账 says so
        "说明",
    ]  # fmt: skip
    assert rows_note(ws) == {"9.2": "基数未填，按0计", "9.3": "基数未填，按0计", "9.4": "基数未填，按0计"}
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    rows = {r[0].value: r for r in ws.iter_rows(min_row=3)}
    assert len(rows) == 30
    road = rows["4.1"]
    # 35 of 100 roads; 212 of 304 days
    assert road[7].value == pytest.approx(0.35) and road[7].number_format == "0.0%"
    assert road[8].value == pytest.approx(212 / 304) and road[8].number_format == "0.0%"
    assert road[9].value == "严重滞后" and road[9].fill.fgColor.rgb.endswith("FFC7CE")
    assert rows["2.1"][9].fill.fgColor.rgb.endswith("BDD7EE")  # done: blue
    # the widest text column, with the rows' stored heights showing the rest (tests/test_office_xlsx.py)
    assert ws.column_dimensions["K"].width >= 20 and (ws.row_dimensions[3].height or 0) > 15


def rows_note(ws) -> dict[str, str]:
    return {r[0].value: r[13].value for r in ws.iter_rows(min_row=3) if r[13].value}


def test_unit_workbook(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "u.xlsx"
    args = ["--data", str(data), "--unit", "住建局", "-o", str(out), "--as-of", "2024-07-31"]
    assert run("export", "xlsx", *args).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["区住建局"]
    assert [r[0].value for r in wb["区住建局"].iter_rows(min_row=3)] == ["1.1", "2.1", "2.2"]


def _with_evil_texts(data: Path) -> None:
    """Through the normal write path: a correction of 区司法局's year-end report."""
    args = ["-u", "区司法局", "-d", "2024-12-31", "7.1=583", "--summary", EVIL[1], "--problems", EVIL[4]]
    result = run("record", "--data", str(data), *args, "--replace")
    assert result.exit_code == 0, result.output


def test_formula_text_stays_text_in_xlsx_and_csv(data: Path, tmp_path: Path) -> None:
    _with_evil_texts(data)
    assert run("validate", "--data", str(data)).exit_code == 0, run("validate", "--data", str(data)).output
    out = tmp_path / "t.xlsx"
    assert run("export", "xlsx", "--data", str(data), "--as-of", "2024-12-31", "-o", str(out)).exit_code == 0
    ws = openpyxl.load_workbook(out)["总台账"]
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "7.1")
    assert (row[10].value, row[10].data_type) == (EVIL[1], "s")
    assert (row[11].value, row[11].data_type) == (EVIL[4], "s")
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
    text = run("export", "csv", "--data", str(data), "--as-of", "2024-12-31").stdout
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    row = next(r for r in rows if r[0] == "\u200b7.1")  # ids and formula-like texts carry an invisible mark
    assert row[10] == "\u200b" + EVIL[1] and row[11] == "\u200b" + EVIL[4]
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_csv_to_file(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "台账.csv"
    assert run("export", "csv", "--data", str(data), "--as-of", "2024-07-31", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 31 and rows[0][0] == "序号"


def test_template_needs_unit(data: Path, tmp_path: Path) -> None:
    assert run("export", "xlsx", "--data", str(data), "--template", "-o", str(tmp_path / "x.xlsx")).exit_code == 2

"""`minsheng import FILE... | DIR`: every file checked first, one summary, each file whole or not at all (issue 13).

The forms are those of `export xlsx --template --all` for July 2024 on the
shipped data cut back to June (tests/test_forms_all.py), filled in with
openpyxl as a unit's clerk would, and one through LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.office import SOFFICE, convert
from tests.test_forms_all import cut_after, export_all, form_path, run

JULY = dt.date(2024, 7, 31)


@pytest.fixture
def june(shipped_copy: Path) -> Path:
    return cut_after(shipped_copy, "2024-07-31")


@pytest.fixture
def forms(june: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "收回"
    result = export_all(june, folder)
    assert result.exit_code == 0, result.output
    return folder


def fill(path: Path, day: object, values: dict[str, object], texts: dict[str, str] | None = None) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb["填报"]
    ws["B3"] = day
    for row in ws.iter_rows(min_row=7):
        if row[0].value in values:
            ws.cell(row=row[0].row, column=7).value = values[row[0].value]
        if row[0].value in (texts or {}):
            ws.cell(row=row[0].row, column=2).value = (texts or {})[row[0].value]
    wb.save(path)
    return path


def fill_roads_and_housing(forms: Path) -> tuple[Path, Path]:
    """区交运局: 35 roads, 51.2 km (June: 24, 35.8); 区住建局: 2 roads, 2 pipe networks (June: 1, 1)."""
    roads = fill(form_path(forms, "区交运局"), JULY, {"4.1": 35, "4.2": 51.2}, {"进展情况": "7月完成11条。"})
    housing = fill(form_path(forms, "区住建局"), "2024年7月31日", {"1.1": 2, "2.1": 2})
    return roads, housing


def only(folder: Path, *keep: Path) -> Path:
    for path in folder.iterdir():
        if path not in keep:
            path.unlink()
    return folder


def status(data: Path, day: str = "2024-07-31") -> dict[str, object]:
    result = run("status", "--data", str(data), "--as-of", day, "-f", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    return {i["id"]: i["value"] for t in got["tasks"] for i in t["indicators"]}


def progress_bytes(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((data / "progress").iterdir())}


def test_a_folder_is_checked_then_recorded(june: Path, forms: Path) -> None:
    roads, housing = fill_roads_and_housing(forms)
    only(forms, roads, housing)
    result = run("import", str(forms), "--data", str(june))
    assert result.exit_code == 0, result.output
    out = result.stdout
    # one summary, sorted by file name: 区交运局 before 区住建局 (交 U+4EA4 < 住 U+4F4F)
    assert out.index("区交运局-2024年7月-填报表.xlsx") < out.index("区住建局-2024年7月-填报表.xlsx")
    assert "已记录  " in out and "2024年7月  2024-07-31" in out
    assert "4.1 改造提升农村公路（条数）：24 → 35条，完成率 35.0%" in out  # 35 / 100
    assert "4.2 改造提升农村公路（里程）：35.8 → 51.2公里" in out
    assert "1.1" in out and "1 → 2" in out
    assert "共 2 个文件：已记录 2 个。" in out
    values = status(june)
    assert (values["4.1"], values["4.2"], values["1.1"], values["2.1"]) == (35, 51.2, 2, 2)


def test_dry_run_writes_nothing(june: Path, forms: Path) -> None:
    roads, housing = fill_roads_and_housing(forms)
    before = progress_bytes(june)
    result = run("import", str(roads), str(housing), "--data", str(june), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "将记录  " in result.stdout and "未写入任何文件" in result.stdout
    assert "24 → 35条" in result.stdout
    assert progress_bytes(june) == before


def test_the_same_form_twice_is_refused_naming_the_report(june: Path, forms: Path) -> None:
    roads, housing = fill_roads_and_housing(forms)
    assert run("import", str(roads), str(housing), "--data", str(june)).exit_code == 0
    before = progress_bytes(june)
    copy = forms.parent / "again" / "区交运局（再发一次）.xlsx"  # renamed: the rule is the content, not the name
    copy.parent.mkdir()
    shutil.copy(roads, copy)
    result = run("import", str(copy.parent), "--data", str(june))
    assert result.exit_code == 1
    assert f"{copy}!填报!B3: [repeated-form] 这张表已经导入过：区交运局 2024-07-31 的报告（" in result.stdout
    assert "progress/区交运局.yaml:" in result.stdout
    single = run("import", str(housing), "--data", str(june))
    assert single.exit_code == 1 and "[repeated-form]" in single.stderr
    assert progress_bytes(june) == before


def test_two_forms_of_one_unit_in_one_import_are_both_refused(june: Path, forms: Path) -> None:
    roads, housing = fill_roads_and_housing(forms)
    second = forms / "区交运局-改.xlsx"
    shutil.copy(roads, second)
    fill(second, dt.date(2024, 7, 30), {"4.1": 34})
    before = (june / "progress" / "区交运局.yaml").read_bytes()
    result = run("import", str(roads), str(second), str(housing), "--data", str(june))
    assert result.exit_code == 1
    assert result.stdout.count("[duplicate-form] 本次导入中 区交运局 有 2 张填报表") == 2
    assert (june / "progress" / "区交运局.yaml").read_bytes() == before
    assert status(june)["1.1"] == 2  # the other unit's form went on


def test_a_form_returned_by_another_unit_is_refused(june: Path, forms: Path, tmp_path: Path) -> None:
    before = progress_bytes(june)
    # the unit cell edited to another unit
    edited = fill(form_path(forms, "区住建局"), JULY, {"1.1": 2, "2.1": 2})
    wb = openpyxl.load_workbook(edited)
    wb["填报"]["B2"] = "区水务集团"
    wb.save(edited)
    # another unit's sheet copied into this form (cell by cell, as a clerk's copy-paste does)
    copied = form_path(forms, "区教育局")
    water = openpyxl.load_workbook(fill(form_path(forms, "区水务集团"), JULY, {"2.2": 7600}))["填报"]
    wb = openpyxl.load_workbook(copied)
    ws = wb["填报"]
    for row in water.iter_rows(max_row=7):
        for c in row:
            if type(ws[c.coordinate]).__name__ == "Cell":
                ws[c.coordinate] = c.value
    wb.save(copied)
    # a form renamed for another unit
    renamed = tmp_path / "区卫健局-2024年7月-填报表.xlsx"
    fill(form_path(forms, "区民政局"), JULY, {}).rename(renamed)
    fill(renamed, JULY, {"6.1": 1}, {"进展情况": "见附件"})
    result = run("import", str(edited), str(copied), str(renamed), "--data", str(june))
    assert result.exit_code == 1
    out = result.stdout
    assert f"{edited}!填报!B2: [wrong-unit] 报送单位“区水务集团”与这张填报表导出时的单位“区住建局”不同" in out
    assert f"{copied}!填报!B2: [wrong-unit]" in out and "“区教育局”" in out
    assert f"{renamed}: [wrong-unit] 文件名写的是“区卫健局”，这张表却是为“区民政局”导出的" in out
    assert "共 3 个文件：拒绝 3 个。" in out
    assert progress_bytes(june) == before


def test_date_outside_the_period_empty_form_and_formula(june: Path, forms: Path) -> None:
    late = fill(form_path(forms, "区交运局"), dt.date(2024, 8, 15), {"4.1": 40})
    empty = form_path(forms, "区残联")  # as exported: nothing filled
    formula = fill(form_path(forms, "区住建局"), JULY, {"1.1": "=1+1", "2.1": 2})
    before = progress_bytes(june)
    result = run("import", str(late), str(empty), str(formula), "--data", str(june))
    assert result.exit_code == 1
    out = result.stdout
    assert (
        f"{late}!填报!B3: [date-outside-period] 报告日期 2024-08-15 不在这张填报表的报送期（2024-07-01至2024-07-31）内"
        in out
    )
    assert f"{empty}!填报!B3: [empty-report] 这张填报表是空的" in out
    assert f"{formula}!填报!G7: [formula]" in out
    assert progress_bytes(june) == before


def test_a_form_of_another_plan_is_refused(june: Path, forms: Path) -> None:
    form = fill(form_path(forms, "区住建局"), JULY, {"1.1": 2})
    wb = openpyxl.load_workbook(form)
    meta = wb["_minsheng"]
    row = next(r for r in meta.iter_rows() if r[0].value == "plan")
    row[1].value = "某县2024年民生实事"
    wb.save(form)
    result = run("import", str(form), str(form_path(forms, "区残联")), "--data", str(june))
    assert result.exit_code == 1
    assert f"{form}!填报!B4: [wrong-plan] 这是“某县2024年民生实事”的填报表" in result.stdout


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_files_that_are_not_forms_are_refused_and_the_others_go_on(june: Path, forms: Path) -> None:
    roads, _ = fill_roads_and_housing(forms)
    folder = only(forms, roads)
    (folder / "a-不是表.xlsx").write_bytes(b"just some text, not a zip")
    (folder / "b-旧表.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (folder / "c-加密.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 400
    )
    (folder / "d-开放格式.ods").write_bytes(_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}))
    (folder / "e-WPS.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    # inflates to 40 MB from a few kB: refused from the zip directory, before anything is parsed
    bomb = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * (40 * 1024 * 1024)})
    (folder / "f-炸弹.xlsx").write_bytes(bomb)
    (folder / "~$区交运局-2024年7月-填报表.xlsx").write_bytes(b"lock")  # Excel's lock file: not a form
    (folder / "说明.txt").write_text("not a form")
    result = run("import", str(folder), "--data", str(june))
    assert result.exit_code == 1
    out = result.stdout
    assert f"{folder / 'a-不是表.xlsx'}!填报: [xlsx] 不是 xlsx 文件" in out
    assert f"{folder / 'b-旧表.xls'}!填报: [xlsx] 这是旧版 Excel 工作簿（.xls），不是 .xlsx" in out
    assert f"{folder / 'c-加密.xlsx'}!填报: [encrypted] 文件设置了打开密码" in out
    assert f"{folder / 'd-开放格式.ods'}!填报: [xlsx] 这是OpenDocument 表格（.ods），不是 .xlsx" in out
    assert f"{folder / 'e-WPS.et'}!填报: [xlsx] 这是WPS 表格（.et），不是 .xlsx" in out
    assert out.count("另存为” Excel 工作簿（.xlsx）") == 3
    assert f"{folder / 'f-炸弹.xlsx'}!填报: [too-large] 解压后有 41943051 字节" in out
    assert "~$" not in out and "说明.txt" not in out
    assert "共 7 个文件：已记录 1 个，拒绝 6 个。" in out or "共 7 个文件：拒绝 6 个，已记录 1 个。" in out
    assert status(june)["4.1"] == 35


def test_one_bad_file_among_good_ones(june: Path, forms: Path) -> None:
    roads, housing = fill_roads_and_housing(forms)
    # 区水务集团 reports fewer households than in June: refused at its cell
    water_file = june / "progress" / "区水务集团.yaml"
    june_value = status(june, "2024-06-30")["2.2"]
    assert isinstance(june_value, int) and june_value > 0
    bad = fill(form_path(forms, "区水务集团"), JULY, {"2.2": june_value - 1})
    before = water_file.read_bytes()
    result = run("import", str(roads), str(bad), str(housing), "--data", str(june))
    assert result.exit_code == 1
    assert f"{bad}!填报!G7: [value-decrease]" in result.stdout
    assert "拒绝  " in result.stdout and result.stdout.count("已记录  ") == 2
    assert "1 个文件被拒绝" in result.stderr
    assert water_file.read_bytes() == before
    values = status(june)
    assert (values["4.1"], values["1.1"], values["2.2"]) == (35, 2, june_value)


def test_a_missing_path_is_a_usage_error(june: Path, forms: Path) -> None:
    result = run("import", str(forms), str(forms / "nope.xlsx"), "--data", str(june))
    assert result.exit_code == 2 and "找不到" in result.stderr


def test_a_form_saved_by_libreoffice_imports(june: Path, forms: Path, tmp_path: Path) -> None:
    """Filled with openpyxl, then opened and saved by LibreOffice (as a colleague's WPS would): it imports."""
    if SOFFICE is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("soffice not installed: CI must run the office tests")
        pytest.skip("soffice not installed")
    roads, housing = fill_roads_and_housing(forms)
    saved = tmp_path / "saved"
    convert([roads, housing], "xlsx", saved, tmp_path / "profile")
    old = convert([roads], "xls", tmp_path / "old", tmp_path / "profile")[0]
    result = run("import", str(saved), str(old), "--data", str(june))
    assert result.exit_code == 1, result.output  # the .xls only
    assert f"{old}!填报: [xlsx] 这是旧版 Excel 工作簿（.xls），不是 .xlsx" in result.stdout
    assert result.stdout.count("已记录  ") == 2, result.stdout
    values = status(june)
    assert (values["4.1"], values["4.2"], values["1.1"], values["2.1"]) == (35, 51.2, 2, 2)


def test_on_a_terminal_the_summary_is_one_table(
    june: Path, forms: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from minsheng import cli_forms
    from minsheng.forms import check_forms

    roads, _ = fill_roads_and_housing(forms)
    bad = fill(form_path(forms, "区住建局"), JULY, {"1.1": 0})
    results = check_forms(june, [roads, bad], replace=False, recorded_on=dt.date(2024, 8, 6))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")
    cli_forms._summary(results, dry_run=True)
    out = capsys.readouterr().out
    assert out.startswith("┏") and "文件" in out and "报送期" in out and "2024年7月" in out
    assert "[value-decrease]" in out  # printed as text, not taken for a rich style tag
    assert "24 → 35条" in out and "将记录" in out and "拒绝" in out


def test_a_workbook_that_is_not_a_form_of_this_tool(june: Path, forms: Path, tmp_path: Path) -> None:
    stripped = fill(form_path(forms, "区住建局"), JULY, {"1.1": 2})
    wb = openpyxl.load_workbook(stripped)
    del wb["_minsheng"]  # what the tool exported with: gone
    wb.save(stripped)
    other = tmp_path / "别的表.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便一张表"  # type: ignore[index]
    wb.save(other)
    result = run("import", str(stripped), str(other), "--data", str(june))
    assert result.exit_code == 1
    assert f"{stripped}!填报: [xlsx] 不是本工具导出的填报表（没有隐藏的 _minsheng 表" in result.stdout
    assert f"{other}!填报: [xlsx] 没有名为“填报”的工作表" in result.stdout

"""`export xlsx --template --all`: one form per reporting unit for the period due (issue 13, item 1).

The shipped data is cut back to June (every report from 2024-07-31 on is
taken out of a copy), so on 2024-08-06 July is the period due: its report was
due 2024-08-05 (``due_days: 5``) and nobody has sent it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from minsheng.periods import parse_period, reporting_period
from minsheng.project import open_project

runner = CliRunner()
UNITS = [
    "区住建局",
    "区水务集团",
    "区教育局",
    "区交运局",
    "区文旅局",
    "区残联",
    "区民政局",
    "区司法局",
    "区人社局",
    "区卫健局",
    "交警九大队",
]


def run(*args: str):
    return runner.invoke(app, list(args))


def cut_after(data: Path, day: str) -> Path:
    """Every unit's reports up to (not including) ``day``: the month nobody has reported yet."""
    for path in (data / "progress").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        at = text.find(f"  - date: {day}")
        if at > 0:
            path.write_text(text[:at], encoding="utf-8")
    return data


@pytest.fixture
def june(shipped_copy: Path) -> Path:
    """The shipped data as it stood once June was reported."""
    return cut_after(shipped_copy, "2024-07-31")


def export_all(data: Path, folder: Path, *extra: str, as_of: str = "2024-08-06"):
    return run(
        "export", "xlsx", "--template", "--all", "-o", str(folder), "--data", str(data), "--as-of", as_of, *extra
    )


def form_path(folder: Path, unit: str, period: str = "2024年7月") -> Path:
    return folder / f"{unit}-{period}-填报表.xlsx"


def test_one_form_per_unit_for_the_period_due(june: Path, tmp_path: Path) -> None:
    folder = tmp_path / "发出" / "7月"  # created, parents too
    result = export_all(june, folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(form_path(folder, u).name for u in UNITS)
    assert "已写入 11 张填报表" in result.stdout and "2024年8月5日前" in result.stdout
    wb = openpyxl.load_workbook(form_path(folder, "区交运局"))
    ws = wb["填报"]
    assert ws["B2"].value == "区交运局" and ws["B3"].value is None
    # the period and its due date, visible: July's report is due 5 days after 07-31
    assert ws["A5"].value == "报送期限"
    assert ws["B5"].value == "2024年7月（2024-07-01至2024-07-31）进展，请于2024年8月5日前报送"
    assert "2024-07-31" in ws["C3"].value
    # prefilled with the last values reported (June: 24 roads, 35.8 km), the new ones left blank
    assert [c.value for c in ws[7]][:7] == ["4.1", "改造提升农村公路（条数）", 100, "条", "2024-06-30", 24, None]
    assert [c.value for c in ws[8]][:7] == ["4.2", "改造提升农村公路（里程）", 146, "公里", "2024-06-30", 35.8, None]
    meta = {r[0]: r[1] for r in wb["_minsheng"].iter_rows(max_col=2, values_only=True) if r[0]}
    assert meta["unit"] == "区交运局" and meta["period"] == "2024-07"
    assert (meta["period_start"], meta["period_end"]) == ("2024-07-01", "2024-07-31")
    assert meta["plan"] == "唐山市丰润区2024年民生实事实施方案"
    # the date cell's check is the period, not the whole year
    rule = next(v for v in ws.data_validations.dataValidation if "B3" in str(v.sqref))
    assert (rule.formula1, rule.formula2) == ("DATE(2024,7,1)", "DATE(2024,7,31)")


def test_each_form_has_the_rows_its_unit_reports(june: Path, tmp_path: Path) -> None:
    assert export_all(june, tmp_path).exit_code == 0
    plan = open_project(june).plans[0][1]
    for unit in UNITS:
        ws = openpyxl.load_workbook(form_path(tmp_path, unit))["填报"]
        ids = [row[0].value for row in ws.iter_rows(min_row=7) if row[0].value and "." in str(row[0].value)]
        assert ids == [i.id for t in plan.tasks for i in t.indicators if i.unit == unit], unit


def test_existing_forms_are_kept_unless_force(june: Path, tmp_path: Path) -> None:
    assert export_all(june, tmp_path).exit_code == 0
    path = form_path(tmp_path, "区住建局")
    path.write_bytes(b"filled in already")
    again = export_all(june, tmp_path)
    assert again.exit_code == 1
    assert "已有 11 张同名填报表" in again.stderr and "--force" in again.stderr
    assert path.read_bytes() == b"filled in already"
    forced = export_all(june, tmp_path, "--force")
    assert forced.exit_code == 0, forced.output
    assert "覆盖了原有的 11 张" in forced.stdout
    assert openpyxl.load_workbook(path)["填报"]["B2"].value == "区住建局"


def test_a_unit_with_nothing_to_report_gets_no_form(june: Path, tmp_path: Path) -> None:
    plan = june / "plan-2024.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("units:\n", "units:\n  - name: 区财政局\n", 1), encoding="utf-8")
    result = export_all(june, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert not form_path(tmp_path / "out", "区财政局").exists()
    assert len(list((tmp_path / "out").iterdir())) == 11
    assert "没有生成填报表的单位（没有要报送的指标）：区财政局" in result.stdout


def test_named_period_and_none_due_yet(june: Path, tmp_path: Path) -> None:
    early = export_all(june, tmp_path / "a", as_of="2024-01-20")
    assert early.exit_code == 2 and "还没有到期的报送期" in early.stderr and "--period" in early.stderr
    ahead = export_all(june, tmp_path / "b", "--period", "2024-08")
    assert ahead.exit_code == 0, ahead.output
    assert form_path(tmp_path / "b", "区住建局", "2024年8月").exists()
    bad = export_all(june, tmp_path / "c", "--period", "2024-13")
    assert bad.exit_code == 2 and "YYYY-MM" in bad.stderr
    outside = export_all(june, tmp_path / "d", "--period", "2025-01")
    assert outside.exit_code != 0


def test_quarterly_plans_name_the_quarter(june: Path, tmp_path: Path) -> None:
    plan = june / "plan-2024.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("cadence: monthly", "cadence: quarterly"), "utf-8")
    # Q3 ends 09-30 and is due 10-05: on 10-06 it is the quarter due
    result = export_all(june, tmp_path, as_of="2024-10-06")
    assert result.exit_code == 0, result.output
    path = form_path(tmp_path, "区住建局", "2024年第3季度")
    assert openpyxl.load_workbook(path)["填报"]["B5"].value.startswith("2024年第3季度（2024-07-01至2024-09-30）")


def test_the_single_unit_form_takes_a_period_too(june: Path, tmp_path: Path) -> None:
    out = tmp_path / "one.xlsx"
    args = ["--template", "--unit", "住建局", "--period", "2024-07", "-o", str(out), "--data", str(june)]
    result = run("export", "xlsx", *args)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["填报"]
    assert ws["B2"].value == "区住建局" and ws["B5"].value.endswith("请于2024年8月5日前报送")
    assert run("export", "xlsx", "--all", "-o", str(tmp_path), "--data", str(june)).exit_code == 2


def test_periods_worked_by_hand() -> None:
    plan = open_project(Path(__file__).resolve().parent.parent / "data").plans[0][1]
    july = reporting_period(plan, dt.date(2024, 7, 15))
    assert (july.start, july.end, july.label, july.due) == (
        dt.date(2024, 7, 1),
        dt.date(2024, 7, 31),
        "2024年7月",
        dt.date(2024, 8, 5),
    )
    assert reporting_period(plan, dt.date(2024, 12, 1)).due == dt.date(2025, 1, 5)
    assert parse_period(plan, "2024-7") == july
    assert isinstance(parse_period(plan, "七月"), str)

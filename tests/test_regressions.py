"""Regression tests for the reviewer's bug list (one test, or a few, per numbered bug).

Each test asserts the expected behaviour, so it fails while the bug is there.
An uncaught exception inside a command (exit code 3 from the real entry point)
fails the test with the exception's name instead of an unhelpful exit code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from minsheng.cli import app

runner = CliRunner()
BIG = "1" + "0" * 400  # 10**400: an int no float can hold


def run(*args: str) -> Any:
    """Invoke the CLI; an internal error (what `main` turns into exit 3) fails the test."""
    result = runner.invoke(app, list(args))
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        pytest.fail(f"internal error (exit 3): {type(exc).__name__}: {exc}", pytrace=False)
    return result


def output(result: Any) -> str:
    return result.stdout + result.stderr


def reports_of(path: Path) -> dict[str, dict]:
    """The file's reports by date, every scalar as the text written (independent of minsheng's loader)."""
    doc = yaml.load(path.read_bytes().decode("utf-8-sig"), Loader=yaml.BaseLoader)
    return {r["date"]: r for r in doc["reports"]}


def dates_of(path: Path) -> list[str]:
    doc = yaml.load(path.read_bytes().decode("utf-8-sig"), Loader=yaml.BaseLoader)
    return [r["date"] for r in doc["reports"]]


def assert_only_added(before: list, after: list) -> list:
    """Every old line is still there, in order, and the new ones form one block."""
    added = len(after) - len(before)
    assert added > 0, "nothing was added"
    for start in range(len(after) - added + 1):
        if after[:start] + after[start + added :] == before:
            return after[start : start + added]
    raise AssertionError("old lines were changed, not only added to")


def validate_clean(data: Path) -> None:
    result = run("validate", "--data", str(data))
    assert result.exit_code == 0, output(result)
    # The shipped plan's own warnings (9.2–9.4 have no 年初基数) are all there may be.
    codes = re.findall(r"\[([a-z0-9-]+)\]", result.stdout)
    assert "0 个错误" in result.stdout and set(codes) <= {"baseline-unknown"}, result.stdout


def template(data: Path, tmp_path: Path, unit: str, as_of: str) -> Path:
    out = tmp_path / f"{unit}-{as_of}.xlsx"
    result = run("export", "xlsx", "--data", str(data), "--as-of", as_of, "--template", "--unit", unit, "-o", str(out))
    assert result.exit_code == 0, output(result)
    return out


def fill(path: Path, day: object, values: dict[str, object]) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb["填报"]
    ws["B3"] = day
    for row in ws.iter_rows(min_row=7):
        if row[0].value in values:
            ws.cell(row=row[0].row, column=7).value = values[row[0].value]
    wb.save(path)
    return path


WATER = "区水务集团.yaml"


def water(data: Path, text: str) -> Path:
    """Replace 区水务集团's progress file with ``text``."""
    path = data / "progress" / WATER
    path.write_text(text, encoding="utf-8")
    return path


# --- 1 ------------------------------------------------------------------------------------------

BLOCK_WITH_HASH_LINES = """\
unit: 区水务集团
reports:
  - date: 2024-05-31
    values:
      2.2: 2500
  - date: 2024-06-30
    values:
      2.2: 4400
    summary: 累计更换4400块。
    next_steps: |
      7月计划更换以下楼栋：
      #3楼、#5楼
  - date: 2024-07-31
    values:
      2.2: 6500
    summary: 累计更换6500块。
"""


def test_r01_record_keeps_hash_lines_inside_block_text(shipped_copy: Path) -> None:
    path = water(shipped_copy, BLOCK_WITH_HASH_LINES)
    validate_clean(shipped_copy)
    before = path.read_text(encoding="utf-8").splitlines()
    result = run("record", "--data", str(shipped_copy), "--unit", "水务集团", "--date", "2024-07-15", "2.2=5000")
    assert result.exit_code == 0, output(result)
    reports = reports_of(path)
    assert reports["2024-06-30"]["next_steps"] == "7月计划更换以下楼栋：\n#3楼、#5楼\n"
    assert dates_of(path) == ["2024-05-31", "2024-06-30", "2024-07-15", "2024-07-31"]
    assert_only_added(before, path.read_text(encoding="utf-8").splitlines())
    validate_clean(shipped_copy)


QUOTED_WITH_HASH_LINE = """\
unit: 区水务集团
reports:
  - date: 2024-05-31
    values:
      2.2: 2500
  - date: 2024-06-30
    values:
      2.2: 4400
    summary: "7月计划更换以下楼栋：
      #3楼、#5楼"
  - date: 2024-07-31
    values:
      2.2: 6500
"""


def test_r01_record_next_to_a_quoted_text_line_starting_with_hash(shipped_copy: Path) -> None:
    path = water(shipped_copy, QUOTED_WITH_HASH_LINE)
    validate_clean(shipped_copy)
    original = path.read_bytes()
    result = run("record", "--data", str(shipped_copy), "--unit", "水务集团", "--date", "2024-07-15", "2.2=5000")
    assert result.exit_code in (0, 1, 2), output(result)
    assert reports_of(path)["2024-06-30"]["summary"] == "7月计划更换以下楼栋： #3楼、#5楼"
    if result.exit_code == 0:
        assert dates_of(path) == ["2024-05-31", "2024-06-30", "2024-07-15", "2024-07-31"]
        validate_clean(shipped_copy)
    else:
        assert path.read_bytes() == original


# --- 2 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shipped", "renamed", "unit", "value"),
    [
        ("区水务集团.yaml", "水务集团.yaml", "水务集团", "2.2=5000"),
        ("区残联.yaml", "区残联.yml", "区残联", "6.1=80"),
    ],
    ids=["alias-name", "yml-suffix"],
)
def test_r02_record_writes_into_the_existing_file(
    shipped_copy: Path, shipped: str, renamed: str, unit: str, value: str
) -> None:
    folder = shipped_copy / "progress"
    (folder / shipped).rename(folder / renamed)
    validate_clean(shipped_copy)
    names = sorted(p.name for p in folder.iterdir())
    result = run("record", "--data", str(shipped_copy), "--unit", unit, "--date", "2024-07-15", value)
    assert result.exit_code == 0, output(result)
    assert sorted(p.name for p in folder.iterdir()) == names, "a second progress file was created"
    assert "2024-07-15" in dates_of(folder / renamed)
    validate_clean(shipped_copy)


# --- 3 ------------------------------------------------------------------------------------------


def add_2025_plan(data: Path) -> None:
    text = (data / "plan-2024.yaml").read_text(encoding="utf-8")
    old = "        target: 10000\n        measure: 块\n        unit: 区水务集团\n"
    assert old in text
    text = text.replace(old, old.replace("10000", "20000")).replace("2024", "2025")
    (data / "plan-2025.yaml").write_text(text, encoding="utf-8")


def test_r03a_cumulative_values_restart_in_a_new_plan_year(shipped_copy: Path) -> None:
    add_2025_plan(shipped_copy)
    validate_clean(shipped_copy)
    result = run("record", "--data", str(shipped_copy), "--unit", "水务集团", "--date", "2025-03-31", "2.2=5000")
    assert result.exit_code == 0, output(result)
    assert "value-decrease" not in output(result)
    check = run("validate", "--data", str(shipped_copy))
    assert check.exit_code == 0, output(check)
    assert "value-decrease" not in check.stdout


def test_r03b_record_in_the_second_year_uses_that_years_plan(shipped_copy: Path) -> None:
    add_2025_plan(shipped_copy)
    path = shipped_copy / "progress" / WATER
    with path.open("a", encoding="utf-8") as f:
        f.write("  - date: 2025-03-31\n    values:\n      2.2: 5000\n    summary: 一季度\n")
    result = run("record", "--data", str(shipped_copy), "--unit", "水务集团", "--date", "2025-04-30", "2.2=10000")
    assert result.exit_code == 0, output(result)
    assert "5000 → 10000" in result.stdout
    assert "完成率 50.0%" in result.stdout, result.stdout


def test_r03c_form_of_one_year_filled_with_a_date_of_another_is_refused(shipped_copy: Path, tmp_path: Path) -> None:
    add_2025_plan(shipped_copy)
    form = fill(template(shipped_copy, tmp_path, "区水务集团", "2024-07-31"), dt.date(2025, 4, 30), {"2.2": 10000})
    path = shipped_copy / "progress" / WATER
    original = path.read_bytes()
    result = run("import", str(form), "--data", str(shipped_copy))
    assert result.exit_code in (1, 2), output(result)
    assert f"{form}!填报!B3" in result.stderr
    assert path.read_bytes() == original


# --- 4 ------------------------------------------------------------------------------------------

OLD_DECREASE = """\
unit: 区水务集团
reports:
  - date: 2024-05-31
    summary: 五月
    values:
      2.2: 2500
  - date: 2024-06-30
    summary: 六月
    values:
      2.2: 2400
"""


def test_r04_old_warning_just_above_does_not_block_a_new_report(shipped_copy: Path) -> None:
    path = water(shipped_copy, OLD_DECREASE)
    result = run("record", "--data", str(shipped_copy), "--unit", "水务集团", "--date", "2024-07-31", "2.2=6000")
    assert result.exit_code == 0, output(result)
    assert reports_of(path)["2024-07-31"]["values"] == {"2.2": "6000"}


# --- 5 ------------------------------------------------------------------------------------------


def test_r05_export_xlsx_of_text_with_newline_and_control_characters(shipped_copy: Path, tmp_path: Path) -> None:
    summary = "第一行\n\x1b[31m红色\x07第二行"
    args = ["-u", "区司法局", "-d", "2024-12-31", "7.1=583", "--replace", "--summary", summary]
    recorded = run("record", "--data", str(shipped_copy), *args)
    assert recorded.exit_code == 0, output(recorded)
    out = tmp_path / "台账.xlsx"
    result = run("export", "xlsx", "--data", str(shipped_copy), "--as-of", "2024-12-31", "-o", str(out))
    assert result.exit_code == 0, output(result)
    ws = openpyxl.load_workbook(out)["总台账"]
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "7.1")
    cell = row[10].value
    assert isinstance(cell, str)
    assert re.search("第一行.*红色.*第二行", cell, re.S), cell
    assert not [ch for ch in cell if unicodedata.category(ch) == "Cc" and ch != "\n"], repr(cell)


# --- 6 ------------------------------------------------------------------------------------------

HUGE = f"""\
unit: 区水务集团
reports:
  - date: 2024-05-31
    values:
      2.2: 2500
  - date: 2024-06-30
    values:
      2.2: {BIG}
"""


def test_r06_huge_value_in_a_file_is_a_located_problem(shipped_copy: Path) -> None:
    path = water(shipped_copy, HUGE)
    result = run("validate", "--data", str(shipped_copy))
    assert result.exit_code == 1, output(result)
    assert f"{path}:8:" in result.stdout, result.stdout
    shown = run("status", "--data", str(shipped_copy), "--as-of", "2024-07-31")
    assert shown.exit_code == 1, output(shown)


def test_r06_record_of_a_huge_value_is_refused(shipped_copy: Path) -> None:
    path = shipped_copy / "progress" / WATER
    original = path.read_bytes()
    args = ["-u", "区水务集团", "-d", "2024-12-31", f"2.2={BIG}", "--replace"]
    result = run("record", "--data", str(shipped_copy), *args)
    assert result.exit_code in (1, 2), output(result)
    assert path.read_bytes() == original


# --- 7 ------------------------------------------------------------------------------------------


def _damaged(source: Path, target: Path) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]
            out.writestr(name, data)
    return target


@pytest.mark.parametrize("kind", ["xlsx-named-xls", "ole-xls", "truncated-sheet-xml"])
def test_r07_import_of_xls_or_damaged_xlsx_is_an_xlsx_problem(shipped_copy: Path, tmp_path: Path, kind: str) -> None:
    form = template(shipped_copy, tmp_path, "区水务集团", "2024-07-31")
    if kind == "xlsx-named-xls":
        bad = tmp_path / "填报表.xls"
        shutil.copy(form, bad)
    elif kind == "ole-xls":
        bad = tmp_path / "旧格式.xls"
        bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    else:
        bad = _damaged(form, tmp_path / "损坏.xlsx")
    result = run("import", str(bad), "--data", str(shipped_copy))
    assert result.exit_code == 1, output(result)
    assert "[xlsx]" in result.stderr


# --- 8 ------------------------------------------------------------------------------------------

TAB_IN_BLOCK_THEN_SYNTAX_ERROR = """\
unit: 区水务集团
reports:
  - date: 2024-05-31
    values:
      2.2: 2500
    next_steps: |
      计划：
      \t1. 换表
  - date: 2024-06-30
    values:
      2.2: 4400
    summary: 进展: 顺利
"""


def test_r08_syntax_error_is_not_blamed_on_a_tab_inside_block_text(shipped_copy: Path) -> None:
    path = water(shipped_copy, TAB_IN_BLOCK_THEN_SYNTAX_ERROR)
    result = run("validate", "--data", str(shipped_copy))
    assert result.exit_code == 1, output(result)
    assert "[tab]" not in result.stdout, result.stdout
    assert re.search(rf"{re.escape(str(path))}:12:\d+: \[yaml-syntax\]", result.stdout), result.stdout


LINE_SEPARATOR_IN_QUOTES = """\
unit: 区水务集团
reports:
  - date: 2024-05-31
    values:
      2.2: 2500
    summary: "第一句\u2028第二句"
  - date: 2024-06-30
    values:
      2.9: 4400
"""


def test_r08_line_separator_in_quoted_text_does_not_shift_lines(shipped_copy: Path) -> None:
    path = water(shipped_copy, LINE_SEPARATOR_IN_QUOTES)
    result = run("validate", "--data", str(shipped_copy))
    assert result.exit_code == 1, output(result)
    assert re.search(rf"{re.escape(str(path))}:9:\d+: \[unknown-indicator\]", result.stdout), result.stdout


# --- 9 ------------------------------------------------------------------------------------------

NUMBER = re.compile(r"^'[-+]?\d+(\.\d+)?%?$")


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_r09_csv_numbers_get_no_apostrophe_but_formula_texts_do(shipped_copy: Path) -> None:
    data = str(shipped_copy)
    status = run("status", "--data", data, "--as-of", "2024-07-31", "--since", "2024-06-30", "-f", "csv")
    assert status.exit_code == 0, output(status)
    rows = _csv_rows(status.stdout)
    first = next(r for r in rows if r[0] == "1")
    assert (first[5], first[10]) == ("-3.1", "+33.3"), first
    report = run(
        "report", "--data", data, "--unit", "住建局", "--as-of", "2024-07-31", "--since", "2024-06-30", "-f", "csv"
    )
    assert report.exit_code == 0, output(report)
    quoted = [c for r in rows + _csv_rows(report.stdout) for c in r if NUMBER.match(c)]
    assert quoted == [], quoted
    # texts starting with = + - @ still get the apostrophe
    texts = ["--summary", "=1+1", "--problems", "-减少了", "--next", "@提醒"]
    recorded = run("record", "--data", data, "-u", "区司法局", "-d", "2024-12-31", "7.1=583", "--replace", *texts)
    assert recorded.exit_code == 0, output(recorded)
    ledger = run("export", "csv", "--data", data, "--as-of", "2024-12-31")
    row = next(r for r in _csv_rows(ledger.stdout) if r[0] == "7.1")
    assert row[10:13] == ["'=1+1", "'-减少了", "'@提醒"], row


# --- 10 -----------------------------------------------------------------------------------------


def test_r10_unfinished_after_basic_deadline_is_behind(shipped_copy: Path) -> None:
    result = run("status", "--data", str(shipped_copy), "--as-of", "2024-12-31", "-f", "json")
    assert result.exit_code == 0, output(result)
    got = json.loads(result.stdout)
    task2 = next(t for t in got["tasks"] if t["id"] == "2")
    assert task2["status"] == "behind", task2["status"]
    assert "2.2" in [item["indicator"] for item in got["lagging"]], got["lagging"]


# --- 11 -----------------------------------------------------------------------------------------


def test_r11_replace_shows_the_replaced_reports_old_value(shipped_copy: Path, tmp_path: Path) -> None:
    data = str(shipped_copy)
    form = fill(template(shipped_copy, tmp_path, "区水务集团", "2024-07-31"), dt.date(2024, 7, 31), {"2.2": 6600})
    dry = run("import", str(form), "--data", data, "--dry-run", "--replace")
    assert dry.exit_code == 0, output(dry)
    assert "6500 → 6600" in dry.stdout, dry.stdout
    result = run("record", "--data", data, "-u", "区水务集团", "-d", "2024-07-31", "2.2=6600", "--replace")
    assert result.exit_code == 0, output(result)
    assert "6500 → 6600" in result.stdout, result.stdout


# --- 12 -----------------------------------------------------------------------------------------


def test_r12_import_points_existing_yaml_errors_at_the_yaml_file(shipped_copy: Path, tmp_path: Path) -> None:
    form = fill(
        template(shipped_copy, tmp_path, "区交运局", "2024-07-31"), dt.date(2024, 8, 15), {"4.1": 41, "4.2": 60}
    )
    path = shipped_copy / "progress" / "区交运局.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = lines.index("      4.1: 35") + 1
    lines[number - 1] = "      4.1: 三十五"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("import", str(form), "--data", str(shipped_copy))
    assert result.exit_code == 1, output(result)
    assert f"{path}:{number}:" in result.stderr, result.stderr
    assert "填报!B3: [type]" not in result.stderr, result.stderr


# --- 13 -----------------------------------------------------------------------------------------


def rename_small_unit(data: Path, quoted: str, file_name: str | None) -> None:
    """Rename 丙办 in the small plan and its progress file (``quoted`` is the YAML scalar)."""
    plan = data / "plan-2025.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("丙办", quoted), encoding="utf-8")
    old = data / "progress" / "丙办.yaml"
    text = old.read_text(encoding="utf-8").replace("unit: 丙办", f"unit: {quoted}")
    old.unlink()
    if file_name is not None:
        (data / "progress" / f"{file_name}.yaml").write_text(text, encoding="utf-8")


def test_r13_control_characters_in_a_unit_name_are_refused(small_copy: Path) -> None:
    name = "丙办\x1b]0;pwned\x07\x1b[2J"
    rename_small_unit(small_copy, r'"丙办\x1b]0;pwned\x07\x1b[2J"', name)
    result = run("validate", "--data", str(small_copy))
    assert result.exit_code == 1, output(result)
    assert "\x1b" not in output(result) and "\x07" not in output(result), repr(output(result))


@pytest.mark.parametrize("name", ["丙办[bold]", "丙办[/]"])
def test_r13_unit_name_with_markup_is_shown_literally(small_copy: Path, name: str) -> None:
    rename_small_unit(small_copy, f'"{name}"', name if "/" not in name else None)
    if "/" in name:
        # "/" cannot be in a file name: validate may refuse the name; then status refuses the data cleanly
        status = run("status", "--data", str(small_copy), "--as-of", "2025-12-31")
        assert status.exit_code in (0, 1), output(status)
        if status.exit_code == 1:
            assert "plan-2025.yaml:" in status.stderr, status.stderr
            return
    else:
        validate_clean(small_copy)
        status = run("status", "--data", str(small_copy), "--as-of", "2025-12-31")
    assert status.exit_code == 0, output(status)
    assert name in status.stdout, status.stdout
    report = run("report", "--data", str(small_copy), "--as-of", "2025-12-31", "--unit", name)
    assert report.exit_code == 0, output(report)
    assert name in report.stdout, report.stdout
    # nowhere is the bracket eaten as markup (a narrow column may cut the name short, as in 丙办[bo…)
    for text in (status.stdout, report.stdout):
        eaten = [line for line in text.splitlines() if "丙办" in line and "丙办[" not in line]
        assert eaten == [], eaten


# --- 14 -----------------------------------------------------------------------------------------

ONE_ONE_PLAN = """\
title: 测试区2025年民生实事
region: 测试区
year: 2025
deadlines:
  basic: {date: 2025-09-30, label: 基本完成}
  final: {date: 2025-11-30, label: 全面完成}
units:
  - name: 甲局
tasks:
  - id: "1"
    name: 修路
    description: 修路10公里。
    units: [甲局]
    indicators:
      - id: "1"
        name: 修路
        target: 10
        measure: 公里
        unit: 甲局
"""

ONE_ONE_PROGRESS = """\
unit: 甲局
reports:
  - date: 2025-03-31
    values:
      "1": 12
  - date: 2025-06-30
    values:
      "1": 15
"""


def test_r14_indicator_change_when_task_and_indicator_share_an_id(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "progress").mkdir(parents=True)
    (data / "plan-2025.yaml").write_text(ONE_ONE_PLAN, encoding="utf-8")
    (data / "progress" / "甲局.yaml").write_text(ONE_ONE_PROGRESS, encoding="utf-8")
    validate_clean(data)
    args = ["--task", "1", "--as-of", "2025-06-30", "--since", "2025-03-31", "-f", "json"]
    result = run("report", "--data", str(data), *args)
    assert result.exit_code == 0, output(result)
    indicator = json.loads(result.stdout)["task"]["indicators"][0]
    assert indicator["id"] == "1"
    assert indicator["change"] == pytest.approx(0.3)


# --- 15 -----------------------------------------------------------------------------------------


def test_r15_last_quarter_is_due_after_the_final_deadline(small_copy: Path) -> None:
    folder = small_copy / "progress"
    extra = {
        "甲局": "      1.1: 8\n      1.2: 45\n",
        "乙中心": "      2.1: 180\n      2.2: 4.5\n",
        "丙办": "      2.10: true\n",
    }
    for unit, values in extra.items():
        with (folder / f"{unit}.yaml").open("a", encoding="utf-8") as f:
            f.write(f"  - date: 2025-09-30\n    values:\n{values}")
    validate_clean(small_copy)
    result = run("status", "--data", str(small_copy), "--as-of", "2026-01-20", "-f", "json")
    assert result.exit_code == 0, output(result)
    got = json.loads(result.stdout)
    assert sorted(got["missing_reports"]) == sorted(extra)
    assert {u["unit"]: (u["due_period"], u["missing"]) for u in got["units"]} == {
        unit: ("2025年第4季度", True) for unit in extra
    }


# --- 16 -----------------------------------------------------------------------------------------


def test_r16_text_ending_with_a_colon_is_recorded(shipped_copy: Path) -> None:
    args = ["-u", "区水务集团", "-d", "2024-12-31", "2.2=9700", "--replace", "--summary", "存在问题如下:"]
    result = run("record", "--data", str(shipped_copy), *args)
    assert result.exit_code == 0, output(result)
    assert reports_of(shipped_copy / "progress" / WATER)["2024-12-31"]["summary"] == "存在问题如下:"
    validate_clean(shipped_copy)


def test_r16_record_into_quoted_keys_and_empty_flow_list(shipped_copy: Path) -> None:
    path = water(shipped_copy, '"unit": 区水务集团\n"reports": []\n')
    validate_clean(shipped_copy)
    result = run("record", "--data", str(shipped_copy), "-u", "水务集团", "-d", "2024-07-31", "2.2=6000")
    assert result.exit_code == 0, output(result)
    assert reports_of(path)["2024-07-31"]["values"] == {"2.2": "6000"}
    validate_clean(shipped_copy)


WIDE_DASH = """\
unit: 区水务集团
reports:
  -   date: 2024-05-31
      values:
        2.2: 2500
  -   date: 2024-07-31
      values:
        2.2: 6500
"""


def test_r16_record_with_extra_spaces_after_the_dash(shipped_copy: Path) -> None:
    path = water(shipped_copy, WIDE_DASH)
    validate_clean(shipped_copy)
    before = path.read_text(encoding="utf-8").splitlines()
    result = run("record", "--data", str(shipped_copy), "-u", "水务集团", "-d", "2024-06-30", "2.2=4400")
    assert result.exit_code == 0, output(result)
    assert dates_of(path) == ["2024-05-31", "2024-06-30", "2024-07-31"]
    assert_only_added(before, path.read_text(encoding="utf-8").splitlines())
    validate_clean(shipped_copy)


CRLF = (
    "unit: 区水务集团\r\nreports:\r\n  - date: 2024-05-31\r\n    values:\r\n      2.2: 2500\r\n"
    "  - date: 2024-07-31\r\n    values:\r\n      2.2: 6500\r\n"
)


def test_r16_crlf_file_gets_crlf_lines(shipped_copy: Path) -> None:
    path = shipped_copy / "progress" / WATER
    path.write_bytes(CRLF.encode("utf-8"))
    before = path.read_bytes()
    args = ["-u", "水务集团", "-d", "2024-06-30", "2.2=4400", "--summary", "六月"]
    result = run("record", "--data", str(shipped_copy), *args)
    assert result.exit_code == 0, output(result)
    after = path.read_bytes()
    assert after.replace(b"\r\n", b"").count(b"\n") == 0, after
    assert_only_added(before.split(b"\r\n"), after.split(b"\r\n"))
    assert dates_of(path) == ["2024-05-31", "2024-06-30", "2024-07-31"]
    validate_clean(shipped_copy)


def test_r16_bom_is_kept(shipped_copy: Path) -> None:
    path = shipped_copy / "progress" / WATER
    text = "unit: 区水务集团\nreports:\n  - date: 2024-05-31\n    values:\n      2.2: 2500\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = run("record", "--data", str(shipped_copy), "-u", "水务集团", "-d", "2024-06-30", "2.2=4400")
    assert result.exit_code == 0, output(result)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfunit: ")
    assert dates_of(path) == ["2024-05-31", "2024-06-30"]
    validate_clean(shipped_copy)


def test_r16_cr_only_file_is_refused_cleanly(shipped_copy: Path) -> None:
    path = shipped_copy / "progress" / WATER
    path.write_bytes("unit: 区水务集团\rreports:\r  - date: 2024-05-31\r    values:\r      2.2: 2500\r".encode())
    before = path.read_bytes()
    result = run("record", "--data", str(shipped_copy), "-u", "水务集团", "-d", "2024-06-30", "2.2=4400")
    assert result.exit_code in (1, 2), output(result)
    assert path.read_bytes() == before


# --- 17 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_r17_status_at_extreme_dates_does_not_crash(shipped_copy: Path, day: str, fmt: str) -> None:
    result = run("status", "--data", str(shipped_copy), "--as-of", day, "-f", fmt)
    assert result.exit_code in (0, 2), output(result)


def test_r18_a_unix_timestamp_is_not_a_date(small_copy: Path) -> None:
    path = small_copy / "progress" / "甲局.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2025-03-31", "1743379200"), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--data", str(small_copy), "--format", "json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert [(p["line"], p["code"]) for p in problems] == [(3, "date")]


# --- second review ------------------------------------------------------------------------------


def test_s01_import_finds_the_value_column_by_its_header(shipped_copy: Path, tmp_path: Path) -> None:
    form = fill(template(shipped_copy, tmp_path, "区水务集团", "2024-07-31"), dt.date(2024, 8, 15), {})
    wb = openpyxl.load_workbook(form)
    ws = wb["填报"]
    ws.insert_cols(3)  # a 备注 column added by hand: the value column moves to H
    ws["C6"] = "备注"
    ws["H7"] = 7000
    wb.save(form)
    result = run("import", str(form), "--data", str(shipped_copy))
    assert result.exit_code == 0, output(result)
    assert reports_of(shipped_copy / "progress" / WATER)["2024-08-15"]["values"] == {"2.2": "7000"}
    ws.delete_cols(8)  # the value column itself removed: refused, nothing written
    wb.save(form)
    before = (shipped_copy / "progress" / WATER).read_bytes()
    result = run("import", str(form), "--data", str(shipped_copy), "--replace")
    assert result.exit_code == 1 and "[xlsx]" in result.stderr
    assert (shipped_copy / "progress" / WATER).read_bytes() == before


def test_s02_a_damaged_hidden_sheet_is_no_crash(shipped_copy: Path, tmp_path: Path) -> None:
    form = fill(template(shipped_copy, tmp_path, "区水务集团", "2024-07-31"), dt.date(2024, 8, 15), {"2.2": 7000})
    wb = openpyxl.load_workbook(form)
    wb["_minsheng"].delete_cols(2)
    wb.save(form)
    assert run("import", str(form), "--data", str(shipped_copy)).exit_code == 0


def test_s03_a_value_of_5000_digits_is_a_usage_error(shipped_copy: Path) -> None:
    result = run("record", "--data", str(shipped_copy), "-u", "区水务集团", "-d", "2024-08-15", "2.2=" + "9" * 5000)
    assert result.exit_code == 2


def test_s04_replace_in_a_crlf_file_without_final_newline(shipped_copy: Path) -> None:
    path = water(shipped_copy, "unit: 区水务集团\r\nreports:\r\n  - date: 2024-04-30\r\n    values:\r\n      2.2: 1000")
    args = ["--data", str(shipped_copy), "-u", "区水务集团"]
    assert run("record", *args, "-d", "2024-04-30", "2.2=1100", "--replace").exit_code == 0
    text = path.read_bytes()
    assert b"\r\n" in text and text.count(b"\r") == text.count(b"\r\n") and text.endswith(b"\r\n")
    assert run("record", *args, "-d", "2024-05-31", "2.2=1200").exit_code == 0


def test_s05_a_comment_after_an_empty_list_stays(shipped_copy: Path) -> None:
    path = water(shipped_copy, "unit: 区水务集团\nreports: []  # 尚未报送\nexample: true\n")
    assert run("record", "--data", str(shipped_copy), "-u", "区水务集团", "-d", "2024-07-31", "2.2=5000").exit_code == 0
    assert "reports:  # 尚未报送" in path.read_text(encoding="utf-8")
    validate_clean(shipped_copy)


def test_s06_a_refused_record_creates_nothing(shipped_copy: Path) -> None:
    shutil.rmtree(shipped_copy / "progress")
    result = run("record", "--data", str(shipped_copy), "-u", "区水务集团", "-d", "2024-07-31", "9.9=5")
    assert result.exit_code == 1
    assert not (shipped_copy / "progress").exists()


def test_s07_appending_to_a_file_without_final_newline_adds_only_the_report(shipped_copy: Path) -> None:
    path = water(shipped_copy, "unit: 区水务集团\nreports:\n  - date: 2024-04-30\n    values:\n      2.2: 1000")
    assert run("record", "--data", str(shipped_copy), "-u", "区水务集团", "-d", "2024-05-31", "2.2=1200").exit_code == 0
    assert path.read_text(encoding="utf-8") == (
        "unit: 区水务集团\nreports:\n  - date: 2024-04-30\n    values:\n      2.2: 1000\n"
        "  - date: 2024-05-31\n    values:\n      2.2: 1200\n"
    )


def test_s08_a_file_without_reports_gets_its_first(shipped_copy: Path) -> None:
    path = water(shipped_copy, "unit: 区水务集团\nexample: true\n")
    validate_clean(shipped_copy)
    assert run("record", "--data", str(shipped_copy), "-u", "区水务集团", "-d", "2024-07-31", "2.2=5000").exit_code == 0
    assert path.read_text(encoding="utf-8").startswith(
        "unit: 区水务集团\nexample: true\nreports:\n  - date: 2024-07-31\n"
    )
    validate_clean(shipped_copy)


def test_s09_one_bad_value_is_one_problem(shipped_copy: Path, tmp_path: Path) -> None:
    form = fill(template(shipped_copy, tmp_path, "区水务集团", "2024-07-31"), dt.date(2024, 8, 15), {"2.2": "97%"})
    result = run("import", str(form), "--data", str(shipped_copy))
    assert result.exit_code == 1 and "[type]" in result.stderr and "[empty-report]" not in result.stderr


def test_s10_commas_only_as_thousands_separators_and_dates_only_iso(shipped_copy: Path, tmp_path: Path) -> None:
    form = fill(template(shipped_copy, tmp_path, "区水务集团", "2024-07-31"), "2024-08-15", {"2.2": "1,0"})
    assert "[type]" in run("import", str(form), "--data", str(shipped_copy)).stderr
    form = fill(form, "2024-08-15", {"2.2": "6,800"})
    assert run("import", str(form), "--data", str(shipped_copy)).exit_code == 0
    assert reports_of(shipped_copy / "progress" / WATER)["2024-08-15"]["values"] == {"2.2": "6800"}
    result = run("record", "--data", str(shipped_copy), "-u", "区水务集团", "-d", "20240820", "2.2=9800")
    assert result.exit_code == 2

"""`minsheng record`: validated, insert-only, locked, atomic."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng import atomic
from minsheng.cli import app
from minsheng.ledger_text import NewReport, insert_report, scalar
from minsheng.load import load_dir
from minsheng.yamlio import parse
from tests.conftest import DATA

runner = CliRunner()


@pytest.fixture
def data(shipped_copy: Path) -> Path:
    return shipped_copy


def run(*args: str):
    return runner.invoke(app, list(args))


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def assert_only_added(before: list[str], after: list[str]) -> list[str]:
    """Every old line is still there, in order, and the new ones form one block."""
    added = len(after) - len(before)
    for start in range(len(after) - added + 1):
        if after[:start] + after[start + added :] == before:
            return after[start : start + added]
    raise AssertionError("old lines were changed, not only added to")


def test_late_report_goes_where_it_belongs(data: Path) -> None:
    path = data / "progress" / "区司法局.yaml"
    before = lines_of(path)
    result = run(
        "record", "--data", str(data), "--unit", "司法局", "--date", "2024-06-30", "7.1=317", "--summary", "补报"
    )
    assert result.exit_code == 0, result.output
    assert "已记录 区司法局 2024-06-30" in result.stdout
    # the May report said 262; 317 of 540 is 58.7%
    assert "262 → 317件，完成率 58.7%" in result.stdout
    added = assert_only_added(before, lines_of(path))
    assert added == ["  - date: 2024-06-30", "    values:", "      7.1: 317", "    summary: 补报"]
    after = lines_of(path)
    assert after.index("  - date: 2024-06-30") < after.index("  - date: 2024-07-31")
    assert after.index("  - date: 2024-06-30") > after.index("  - date: 2024-05-31")
    assert run("validate", "--data", str(data)).exit_code == 0
    got = json.loads(run("status", "--data", str(data), "--as-of", "2024-06-30", "-f", "json").stdout)
    assert next(i for t in got["tasks"] for i in t["indicators"] if i["id"] == "7.1")["value"] == 317


def test_report_after_the_last_one_and_comments_kept(data: Path) -> None:
    path = data / "progress" / "区司法局.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# 年终总结另报\n", encoding="utf-8")
    before = lines_of(path)
    # 12-31 already has a report: refused without --replace (a usage error)
    assert run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-12-31", "7.1=600").exit_code == 2
    # 583 was reported on 12-31 already; a new date after it:
    path.write_text("\n".join(before).replace("2024-12-31", "2024-12-20") + "\n", encoding="utf-8")
    before = lines_of(path)
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-12-31", "7.1=600")
    assert result.exit_code == 0, result.output
    added = assert_only_added(before, lines_of(path))
    assert added[0] == "  - date: 2024-12-31"
    assert lines_of(path)[-1] == "# 年终总结另报"


def test_comment_above_a_report_stays_with_it() -> None:
    text = (
        "unit: 甲局\nreports:\n  - date: 2025-03-31\n    values:\n      1.1: 2\n"
        "  # 六月\n  - date: 2025-06-30\n    values:\n      1.1: 5\n"
    )
    new = insert_report(text, NewReport(dt.date(2025, 4, 30), {"1.1": 3}))
    assert new.splitlines()[5:8] == ["  - date: 2025-04-30", "    values:", "      1.1: 3"]
    assert new.splitlines()[8:10] == ["  # 六月", "  - date: 2025-06-30"]


def test_unit_without_a_file_gets_one(data: Path) -> None:
    path = data / "progress" / "区人社局.yaml"
    path.unlink()
    result = run("record", "--data", str(data), "--unit", "人社局", "--date", "2024-04-30", "8.1=0", "8.2=0", "8.3=400")
    assert result.exit_code == 0, result.output
    assert "新建" in result.stdout
    ledgers = {lf.ledger.unit: lf.ledger for lf in load_dir(data).ledgers}
    assert ledgers["区人社局"].reports[0].values == {"8.1": 0, "8.2": 0, "8.3": 400}


def test_replace_changes_one_report_and_keeps_the_old_as_comments(data: Path) -> None:
    path = data / "progress" / "区交运局.yaml"
    before = lines_of(path)
    assert run("record", "--data", str(data), "-u", "区交运局", "-d", "2024-07-31", "4.1=36", "4.2=52").exit_code == 2
    result = run("record", "--data", str(data), "-u", "区交运局", "-d", "2024-07-31", "4.1=36", "4.2=52.5", "--replace")
    assert result.exit_code == 0, result.output
    after = lines_of(path)
    old_block_start = before.index("  - date: 2024-07-31")
    old_block_end = before.index("  - date: 2024-08-31")
    assert after[:old_block_start] == before[:old_block_start]
    assert after[-(len(before) - old_block_end) :] == before[old_block_end:]
    kept = [line for line in after if line.startswith("  # ")]
    assert "  # - date: 2024-07-31" in kept and "  #     4.1: 35" in kept
    got = json.loads(run("status", "--data", str(data), "--as-of", "2024-07-31", "-f", "json").stdout)
    road = next(i for t in got["tasks"] for i in t["indicators"] if i["id"] == "4.2")
    assert road["value"] == 52.5
    assert run("validate", "--data", str(data)).exit_code == 0


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["-u", "区司法局", "-d", "2024-06-30", "7.9=3"], "unknown-indicator"),
        (["-u", "区司法局", "-d", "2024-06-30", "1.1=3"], "wrong-unit"),
        (["-u", "区司法局", "-d", "2024-06-30", "7.1=400"], "value-decrease"),  # 07-31 says 372
        (["-u", "区司法局", "-d", "2025-01-31", "7.1=600"], "date-outside-year"),
        (["-u", "区司法局", "-d", "2024-06-30", "7.1=-1"], "negative-value"),
        (["-u", "区残联", "-d", "2024-06-15", "6.8=2"], "milestone-value"),
        (["-u", "区残联", "-d", "2024-06-15", "6.1=true"], "value-type"),
    ],
)
def test_refusals_use_the_validate_codes_and_write_nothing(data: Path, args: list[str], code: str) -> None:
    before = {p.name: p.read_bytes() for p in (data / "progress").iterdir()}
    result = run("record", "--data", str(data), *args)
    assert result.exit_code == 1, result.output
    assert f"[{code}]" in result.stderr and "未写入" in result.stderr
    assert {p.name: p.read_bytes() for p in (data / "progress").iterdir()} == before


@pytest.mark.parametrize("unit", ["../etc", "/tmp/x", "区\x1b[2J局", "..", "a/b", "区住建局\n"])
def test_unit_names_cannot_leave_the_data_directory(data: Path, unit: str) -> None:
    before = sorted(p.name for p in (data / "progress").iterdir())
    result = run("record", "--data", str(data), "-u", unit, "-d", "2024-06-30", "7.1=317")
    assert result.exit_code == 2
    assert "单位名称不可用" in result.stderr or "未知单位" in result.stderr
    assert sorted(p.name for p in (data / "progress").iterdir()) == before
    assert not (data.parent / "etc.yaml").exists()


def test_bad_value_syntax_is_a_usage_error(data: Path) -> None:
    for bad in ("7.1", "7.1=三百", "=3", "7.1=1;7.1=2"):
        result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-30", bad)
        assert result.exit_code == 2, bad


def test_existing_errors_block_the_write(data: Path) -> None:
    path = data / "progress" / "区司法局.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("7.1: 372", "7.1: 三百"), encoding="utf-8")
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-30", "7.1=317")
    assert result.exit_code == 1
    assert "已有错误" in result.stderr and "区司法局.yaml:" in result.stderr


@pytest.mark.parametrize(
    "text", ["普通文字", "no", "2024-06-30", "a: b", "#1", "- 列表", "  缩进", "含\n换行", "~", '"引号"']
)
def test_texts_read_back_as_written(text: str) -> None:
    value, issues = parse(f"k: {scalar(text)}\n")
    assert issues == [] and value == {"k": text}


def test_interrupted_write_leaves_the_old_file(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data / "progress" / "区司法局.yaml"
    before = path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError(5, "simulated crash before rename")

    monkeypatch.setattr(atomic.os, "replace", crash)
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-30", "7.1=317")
    assert result.exit_code == 1
    assert "文件未改动" in result.stderr
    assert path.read_bytes() == before
    assert [p.name for p in (data / "progress").iterdir() if p.name.endswith(".tmp")] == []
    assert run("validate", "--data", str(data)).exit_code == 0


def _record_in_process(data: Path, unit: str, day: str, value: int) -> subprocess.Popen:
    args = ["record", "--data", str(data), "-u", unit, "-d", day, f"7.1={value}", "--summary", f"第{value}件"]
    env = {**os.environ, "PYTHONPATH": str(DATA.parent)}
    return subprocess.Popen(
        [sys.executable, "-m", "minsheng", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


@pytest.mark.parametrize("fresh", [False, True], ids=["existing-file", "no-file-yet"])
def test_concurrent_records_all_land_in_date_order(data: Path, fresh: bool) -> None:
    path = data / "progress" / "区司法局.yaml"
    if fresh:
        path.unlink()
        days = [f"2024-{m:02d}-15" for m in range(3, 11)]
    else:
        # mid-month dates between the existing month-end reports, values fitting between them
        days = [f"2024-{m:02d}-15" for m in range(5, 12)]
    existing = {
        str(r.date): r.values.get("7.1")
        for lf in load_dir(data).ledgers
        if lf.ledger.unit == "区司法局"
        for r in lf.ledger.reports
    }
    values = {}
    for day in days:
        lower = max((v for d, v in existing.items() if d < day), default=0)
        values[day] = lower + 1
    procs = [_record_in_process(data, "区司法局", day, values[day]) for day in days]
    for proc in procs:
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    ledger = next(lf.ledger for lf in load_dir(data).ledgers if lf.ledger.unit == "区司法局")
    dates = [str(r.date) for r in ledger.reports]
    assert dates == sorted(dates)
    assert set(days) <= set(dates)
    assert {str(r.date): r.values["7.1"] for r in ledger.reports if str(r.date) in values} == values
    assert run("validate", "--data", str(data)).exit_code == 0


def test_a_report_of_texts_only(data: Path) -> None:
    text = "6月系统升级，数据下月补报"
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-30", "--summary", text)
    assert result.exit_code == 0, result.output
    ledger = next(lf.ledger for lf in load_dir(data).ledgers if lf.ledger.unit == "区司法局")
    june = next(r for r in ledger.reports if str(r.date) == "2024-06-30")
    assert june.values == {} and june.summary == text
    nothing = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-29")
    assert nothing.exit_code == 2 and "没有可记录的内容" in nothing.stderr

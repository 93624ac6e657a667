"""The commands as a user runs them: exit codes, formats, the JSON contract."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from tests.conftest import DATA, SMALL

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def status_json(*args: str) -> dict:
    result = run("status", "--data", str(DATA), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- validate -------------------------------------------------------------------


def test_validate_shipped_data_is_clean() -> None:
    result = run("validate", "--data", str(DATA))
    assert result.exit_code == 0, result.output
    # The only warnings: 9.2–9.4 are levels ("达到253人") with no 年初基数 given (issue 12, item 8).
    assert "0 个错误，3 个警告" in result.stdout
    assert result.stdout.count("[baseline-unknown]") == 3
    for ind in ("9.2", "9.3", "9.4"):
        assert f"指标 {ind} 是达到的水平（level），未填年初基数" in result.stdout
    assert "检查了 12 个文件" in result.stdout


def test_validate_formats(tmp_path: Path) -> None:
    case = tmp_path / "data"
    shutil.copytree(SMALL, case)
    bad = case / "progress" / "甲局.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("1.1: 5.5", "1.9: 5.5"), encoding="utf-8")
    text = run("validate", "--data", str(case))
    assert text.exit_code == 1
    # line 12 col 7 is the key "1.9" in the second report
    assert f"{bad}:12:7: [unknown-indicator] 计划中没有编号为“1.9”的指标" in text.stdout
    assert "提示：是不是“1.1”？" in text.stdout
    as_json = json.loads(run("validate", "--data", str(case), "--format", "json").stdout)
    assert as_json["errors"] == 1 and as_json["warnings"] == 0
    assert as_json["problems"][0] | {"message": None, "hint": None} == {
        "file": str(bad),
        "line": 12,
        "col": 7,
        "code": "unknown-indicator",
        "severity": "error",
        "message": None,
        "hint": None,
    }
    github = run("validate", "--data", str(case), "--format", "github").stdout
    assert f"::error file={bad},line=12,col=7,title=unknown-indicator::" in github


def test_validate_strict_turns_warnings_into_failure(tmp_path: Path) -> None:
    case = tmp_path / "data"
    shutil.copytree(SMALL, case)
    bad = case / "progress" / "甲局.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("1.1: 5.5", "1.1: 1"), encoding="utf-8")
    relaxed = run("validate", "--data", str(case))
    assert relaxed.exit_code == 0
    assert "[value-decrease] 警告：指标 1.1 累计值从 2025-03-31 的 2 降到 2025-06-30 的 1" in relaxed.stdout
    assert run("validate", "--data", str(case), "--strict").exit_code == 1


def test_data_dir_from_environment_and_missing(tmp_path: Path) -> None:
    assert run("validate", env={"MINSHENG_DATA": str(SMALL)}).exit_code == 0
    missing = run("validate", "--data", str(tmp_path / "nope"))
    assert missing.exit_code == 2
    assert "找不到数据目录" in missing.stderr
    empty = run("validate", "--data", str(tmp_path))
    assert empty.exit_code == 2 and "没有计划文件" in empty.stderr


def test_bad_date_option_is_a_usage_error() -> None:
    result = run("status", "--data", str(DATA), "--as-of", "2024-7-31")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_status_refuses_invalid_data(tmp_path: Path) -> None:
    case = tmp_path / "data"
    shutil.copytree(SMALL, case)
    (case / "progress" / "甲局.yaml").write_text("unit: 甲局\nreports:\n  - date: 2025-02-30\n", encoding="utf-8")
    result = run("status", "--data", str(case), "--as-of", "2025-06-30")
    assert result.exit_code == 1
    assert "[date]" in result.stderr and "未生成报告" in result.stderr
    assert result.stdout == ""


# --- status -------------------------------------------------------------------


def test_status_json_contract_mid_year() -> None:
    got = status_json("--as-of", "2024-07-31")
    assert got["as_of"] == "2024-07-31"
    # 2024-01-01 → 07-31 is 212 days of the 304 to 10-31
    assert got["time_progress"] == pytest.approx(212 / 304)
    assert set(got["counts"]) == {"done", "ahead", "on_track", "behind", "far_behind", "overdue", "not_started"}
    assert sum(got["counts"].values()) == 10
    task4 = next(t for t in got["tasks"] if t["id"] == "4")
    # 区交运局 reported 35 of 100 roads and 51.2 of 146 km on 07-31
    assert task4["completion"] == pytest.approx((35 / 100 + 51.2 / 146) / 2)
    assert task4["status"] == "far_behind" and task4["light"] == "red"
    assert task4["units"] == ["区交运局"]
    road = task4["indicators"][1]
    assert {k: road[k] for k in ("id", "target", "measure", "unit", "value", "last_report", "baseline")} == {
        "id": "4.2",
        "target": 146,
        "measure": "公里",
        "unit": "区交运局",
        "value": 51.2,
        "last_report": "2024-07-31",
        "baseline": None,
    }
    for task in got["tasks"]:
        assert set(task) >= {"id", "name", "units", "completion", "expected", "status", "light", "indicators"}
        assert 0 <= task["completion"] <= 1
        for ind in task["indicators"]:
            assert set(ind) >= {
                "id", "name", "target", "baseline", "weight", "measure", "unit",
                "value", "completion", "expected", "status", "light", "last_report",
            }  # fmt: skip
    assert got["completion"] == pytest.approx(sum(t["completion"] for t in got["tasks"]) / 10)
    assert got["example"] is True
    # 完成率 is the share of projects done, 总体进度 the weighted progress (issue 11)
    assert got["summary"].startswith("截至2024年7月31日，10项民生实事已完成0项，完成率0.0%；总体进度70.6%")
    assert got["done"] == 0 and got["done_rate"] == 0.0


def test_status_year_end_outcome() -> None:
    got = status_json("--as-of", "2024-12-31")
    meters = next(i for t in got["tasks"] for i in t["indicators"] if i["id"] == "2.2")
    assert meters["value"] == 9620 and meters["completion"] == pytest.approx(0.962)
    shows = next(i for t in got["tasks"] for i in t["indicators"] if i["id"] == "5.1")
    assert shows["completion"] > 1 and shows["status"] == "done"  # 超额完成 kept
    after = status_json("--as-of", "2025-01-01")
    meters = next(i for t in after["tasks"] for i in t["indicators"] if i["id"] == "2.2")
    assert meters["status"] == "overdue" and meters["light"] == "red"


def test_status_since_reports_the_change() -> None:
    got = status_json("--as-of", "2024-07-31", "--since", "2024-06-30")
    task4 = next(t for t in got["tasks"] if t["id"] == "4")
    june = status_json("--as-of", "2024-06-30")
    task4_june = next(t for t in june["tasks"] if t["id"] == "4")
    assert task4["change"] == pytest.approx(task4["completion"] - task4_june["completion"])
    assert got["since"] == "2024-06-30"


def test_since_must_be_before_as_of() -> None:
    result = run("status", "--data", str(DATA), "--as-of", "2024-06-30", "--since", "2024-07-31")
    assert result.exit_code == 2


def test_missing_report_is_listed() -> None:
    # 区司法局 filed no June report; on 07-06 June's reports are due (5 days' grace)
    got = status_json("--as-of", "2024-07-06")
    assert got["missing_reports"] == ["区司法局"]
    unit = next(u for u in got["units"] if u["unit"] == "区司法局")
    assert unit == unit | {"last_report": "2024-05-31", "due_period": "2024年6月", "missing": True}


def test_status_csv_opens_in_excel() -> None:
    result = run("status", "--data", str(DATA), "--as-of", "2024-07-31", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0][:4] == ["序号", "项目", "责任单位", "完成率"]
    assert len(rows) == 11
    assert rows[4][0] == "\u200b4" and rows[4][6] == "严重滞后"  # the id marked as text (render/delimited.py)


def test_status_markdown() -> None:
    result = run("status", "--data", str(DATA), "--as-of", "2024-07-31", "--format", "markdown")
    assert result.exit_code == 0
    assert "## 滞后项目清单" in result.stdout
    assert "| 4 | “四好农村路”提升工程 | 区交运局 |" in result.stdout


# --- report -------------------------------------------------------------------


def test_report_by_alias_lists_own_and_co_indicators() -> None:
    result = run("report", "--data", str(DATA), "--as-of", "2024-07-31", "--unit", "住建局", "--format", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got["unit"]["unit"] == "区住建局"
    # reports 1.1 and 2.1, co-reports 2.2 (区水务集团 reports it)
    assert [i["id"] for i in got["indicators"]] == ["1.1", "2.1", "2.2"]
    assert got["indicators"][2]["unit"] == "区水务集团"
    assert got["unit"]["latest"]["date"] == "2024-07-31"


def test_report_unknown_unit_suggests() -> None:
    result = run("report", "--data", str(DATA), "--unit", "住建")
    assert result.exit_code == 2
    assert "未知单位“住建”" in result.stderr and "区住建局" in result.stderr


def test_report_needs_unit_or_task() -> None:
    assert run("report", "--data", str(DATA)).exit_code == 2
    assert run("report", "--data", str(DATA), "--unit", "区住建局", "--task", "1").exit_code == 2


def test_report_task() -> None:
    result = run("report", "--data", str(DATA), "--as-of", "2024-07-31", "--task", "4", "--format", "json")
    got = json.loads(result.stdout)
    assert got["task"]["id"] == "4" and [i["id"] for i in got["task"]["indicators"]] == ["4.1", "4.2"]
    assert run("report", "--data", str(DATA), "--task", "11").exit_code == 2


def test_second_plan_for_another_district_works() -> None:
    result = run("status", "--data", str(SMALL), "--as-of", "2025-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got["plan"]["region"] == "测试市示例区"
    # 06-30 is 180 of the 272 days from 01-01 to 09-30
    assert got["time_progress"] == pytest.approx(180 / 272)
    # task 1: 1.1 5.5/10, 1.2 (40−30)/(50−30) with weight 2; task 2: 150/200, (4.6−5)/(4.3−5), milestone 0
    task1 = (0.55 + 2 * 0.5) / 3
    task2 = (0.75 + 0.4 / 0.7 + 0) / 3
    assert got["completion"] == pytest.approx((task1 + task2) / 2)
    ids = [i["id"] for t in got["tasks"] for i in t["indicators"]]
    assert "2.10" in ids and "2.1" in ids


def test_help_documents_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert name in result.stdout
        assert command.callback.__doc__, name
        assert f"minsheng {name}" in readme, f"README does not document `minsheng {name}`"


def test_module_entry_point() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "minsheng", "--help"], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and "validate" in out.stdout


def test_export_html_and_docx_write_files(tmp_path: Path) -> None:
    html = tmp_path / "看板.html"
    result = run("export", "html", "--data", str(DATA), "--as-of", "2024-07-31", "-o", str(html))
    assert result.exit_code == 0, result.output
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert html.stat().st_mode & 0o044 == 0o044  # readable by others, like any file the user makes
    docx = tmp_path / "报告.docx"
    result = run(
        "export", "docx", "--data", str(DATA), "--as-of", "2024-07-31", "--since", "2024-06-30", "-o", str(docx)
    )
    assert result.exit_code == 0, result.output
    assert docx.read_bytes()[:2] == b"PK"
    assert run("export", "html", "--data", str(DATA), "-o", str(tmp_path)).exit_code == 2  # a directory


def test_trend_all_and_one_task() -> None:
    result = run("trend", "--data", str(DATA), "--as-of", "2024-07-31")
    assert result.exit_code == 0, result.output
    assert "“四好农村路”提升工程" in result.stdout and "35.0%" in result.stdout
    one = run("trend", "--data", str(DATA), "--as-of", "2024-12-31", "--task", "4")
    assert one.exit_code == 0 and "12月" in one.stdout
    missing = run("trend", "--data", str(DATA), "--task", "11")
    assert missing.exit_code == 2 and "没有序号为“11”的任务" in missing.stderr


def test_a_bug_is_reported_as_such_without_a_traceback(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import minsheng.cli as cli

    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.delenv("MINSHENG_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 3
    err = capsys.readouterr().err
    assert "内部错误" in err and "RuntimeError: boom" in err and "Traceback" not in err


def test_several_plans_chosen_by_year_or_option(tmp_path: Path) -> None:
    case = tmp_path / "data"
    shutil.copytree(SMALL, case)
    plan = (case / "plan-2025.yaml").read_text(encoding="utf-8")
    later = plan.replace("year: 2025", "year: 2026").replace("2025-", "2026-").replace("2025年", "2026年")
    (case / "plan-2026.yaml").write_text(later, encoding="utf-8")
    assert run("validate", "--data", str(case)).exit_code == 0

    def title(*args: str) -> str:
        result = run("status", "--data", str(case), "-f", "json", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["plan"]["title"]

    assert "2025年" in title("--as-of", "2025-06-30")  # the plan of the as-of year
    assert "2026年" in title("--as-of", "2026-03-01")
    assert "2025年" in title("--as-of", "2026-03-01", "--plan", "2025")
    assert "2025年" in title("--as-of", "2026-03-01", "--plan", str(case / "plan-2025.yaml"))
    missing = run("status", "--data", str(case), "--plan", "2030")
    assert missing.exit_code == 2 and "找不到计划“2030”" in missing.stderr and "2026" in missing.stderr


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["status", "--data", str(DATA), "--as-of", "2024-07-31"]
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich treats the output as a terminal
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" in run(*args).stdout
    monkeypatch.setenv("NO_COLOR", "1")
    import re

    # NO_COLOR removes colour; bold may stay (no-color.org): no SGR colour parameter anywhere
    sgr = re.findall(r"\x1b\[([0-9;]*)m", run(*args).stdout)
    assert sgr and not any(re.search(r"(^|;)(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;|$)", p) for p in sgr)
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in run(*args).stdout  # not a terminal

"""One sign for 偏差 (issue 11): the README's definition, read from the README, holds in every output."""

from __future__ import annotations

import csv
import io
import json
import re

from typer.testing import CliRunner

from minsheng.cli import app
from tests.conftest import DATA, ROOT

runner = CliRunner()
AS_OF = "2024-07-31"


def _run(*args: str) -> str:
    result = runner.invoke(app, [*args, "--data", str(DATA), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    return result.stdout


def _readme_definitions() -> tuple[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"\*\*偏差\*\* = (\S+) − (\S+?)（百分点）", readme)
    json_gap = re.search(r"`gap` 是\*\*落后幅度\*\* = (\S+) − (\S+?)（", readme)
    assert table and json_gap, "the README must define 偏差 and gap"
    return f"{table[1]}−{table[2]}", f"{json_gap[1]}−{json_gap[2]}"


def _pct(text: str) -> float:
    return float(text.rstrip("%"))


def test_readme_defines_each_name_once() -> None:
    table, json_gap = _readme_definitions()
    assert table == "完成率−序时进度"
    assert json_gap == "序时进度−完成率"


def test_table_formats_print_completion_minus_time_progress() -> None:
    table_rule, _ = _readme_definitions()
    assert table_rule == "完成率−序时进度"
    rows = list(csv.DictReader(io.StringIO(_run("status", "--format", "csv").lstrip("\ufeff"))))
    assert len(rows) == 10
    for row in rows:
        # Rounded percentages on both sides: the printed 偏差 is within 0.1 of their difference.
        assert abs(float(row["偏差"]) - (_pct(row["完成率"]) - _pct(row["序时进度"]))) <= 0.11, row
    # Task 4 is behind at 07-31 (35.0% against 69.7%): its 偏差 is negative.
    assert rows[3]["偏差"].startswith("-")
    markdown = _run("status", "--format", "markdown")
    line = next(li for li in markdown.splitlines() if li.startswith("| 4 |"))
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[5] == rows[3]["偏差"]


def test_json_gap_is_time_progress_minus_completion() -> None:
    _, json_rule = _readme_definitions()
    assert json_rule == "序时进度−完成率"
    report = json.loads(_run("status", "--format", "json"))
    for task in report["tasks"]:
        assert abs(task["gap"] - (task["expected"] - task["completion"])) < 1e-9
        for ind in task["indicators"]:
            assert abs(ind["gap"] - (ind["expected"] - ind["completion"])) < 1e-9
    # Task 4 behind: positive gap.
    assert report["tasks"][3]["gap"] > 0

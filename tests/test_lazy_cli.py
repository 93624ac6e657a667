"""Issue 17: the CLI builds only the command that runs; large tables and the trend at scale."""

from __future__ import annotations

import datetime as dt
import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli import COMMANDS, EXPORT_COMMANDS, app
from minsheng.compute import build_status
from minsheng.project import open_project
from minsheng.render import layout
from tests.conftest import DATA

runner = CliRunner()
AS_OF = "2024-07-31"


def test_help_lists_every_command_of_the_table_in_its_order() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.stdout.split("命令：", 1)[1].splitlines() if line.strip()]
    assert listed == list(COMMANDS)
    sub = runner.invoke(app, ["export", "--help"])
    assert sub.exit_code == 0, sub.output
    commands = [line.split()[0] for line in sub.stdout.split("命令：", 1)[1].splitlines() if line.startswith("  ")]
    assert [c for c in commands if not c.startswith("-")] == list(EXPORT_COMMANDS)


def test_running_one_command_builds_only_that_one() -> None:
    """A fresh process: after `schema plan`, only `schema` was built, and no other command module loaded."""
    code = (
        "import sys\n"
        "from minsheng import cli\n"
        "try:\n"
        "    cli.app(['schema', 'plan'], standalone_mode=False)\n"
        "finally:\n"
        "    sys.stdout.flush()\n"
        "sys.stderr.write(repr(sorted(cli._Root.lazy.built)) + ' ' + repr('minsheng.cli_supervise' in sys.modules))\n"
    )
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(got.stdout)["title"]
    assert got.stderr.strip() == "['schema'] False"


def test_a_mistyped_command_is_still_suggested() -> None:
    result = runner.invoke(app, ["statu"])
    assert result.exit_code == 2
    assert "status" in result.output


def test_the_collector_runs_again_after_a_data_command() -> None:
    assert gc.isenabled()
    result = runner.invoke(app, ["status", "--data", str(DATA), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()


def test_trend_only_when_asked() -> None:
    project = open_project(DATA, None, None)
    day = dt.date(2024, 7, 31)
    dataset = project.dataset(None, day)
    assert build_status(dataset, day, trend=False).trend == ()
    full = build_status(dataset, day)
    # one point per date any unit reported up to the day: the shipped reports are month-ends April–July
    assert [p.date.month for p in full.trend][-1] == 7
    assert build_status(dataset, day, trend=False).tasks == full.tasks


def test_json_keeps_the_trend() -> None:
    result = runner.invoke(app, ["status", "--data", str(DATA), "--as-of", AS_OF, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["trend"]


def test_a_table_longer_than_a_terminal_shows_its_size_and_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    tasks = len(json.loads(runner.invoke(app, ["status", "--data", str(DATA), "--format", "json"]).stdout)["tasks"])
    plain = runner.invoke(app, ["status", "--data", str(DATA), "--as-of", AS_OF])
    monkeypatch.setattr(layout, "TERMINAL_ROWS", tasks - 1)
    short = runner.invoke(app, ["status", "--data", str(DATA), "--as-of", AS_OF])
    assert short.exit_code == 0, short.output
    assert "终端不逐行列出" not in plain.stdout
    assert "终端不逐行列出；请用 --format csv|markdown 或 -o 导出全部" in short.stdout
    # the sentences above the table stay, the table's rows go
    assert short.stdout.splitlines()[:2] == plain.stdout.splitlines()[:2]
    assert len(short.stdout) < len(plain.stdout)
    markdown = runner.invoke(app, ["status", "--data", str(DATA), "--as-of", AS_OF, "--format", "markdown"])
    assert "终端不逐行列出" not in markdown.stdout


def test_main_exits_with_the_command_s_code(tmp_path: Path) -> None:
    """The console script skips teardown; its exit code and output are those of the command."""
    ok = subprocess.run([sys.executable, "-m", "minsheng", "schema", "plan"], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)
    usage = subprocess.run([sys.executable, "-m", "minsheng", "nosuch"], capture_output=True, text=True)
    assert usage.returncode == 2 and "nosuch" in usage.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "minsheng", "validate", "--data", str(tmp_path / "none")], capture_output=True, text=True
    )
    assert bad.returncode == 2 and bad.stderr.startswith("minsheng:")

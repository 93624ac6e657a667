"""The command line speaks Chinese around its Chinese (issue 11): help, usage errors, --version,
options before the command, `-o -`, and the --unit/--task message."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version

from typer.testing import CliRunner

from minsheng.cli import app
from tests.conftest import DATA

runner = CliRunner()
ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "Error:", "Try '", "Missing option", "No such")


def run(*args: str):
    return runner.invoke(app, list(args))


def test_help_pages_have_no_english_frame() -> None:
    for args in ([], ["--help"], ["status", "--help"], ["export", "--help"], ["export", "xlsx", "--help"]):
        result = run(*args)
        text = result.output
        assert "用法：minsheng" in text, (args, text)
        assert "选项：" in text
        assert "显示本帮助并退出。" in text
        for word in ENGLISH:
            assert word not in text, (args, word)
    assert "命令：" in run("--help").output
    assert "[默认：table]" in run("status", "--help").output


def test_unknown_option_in_chinese() -> None:
    result = run("status", "--bogus")
    assert result.exit_code == 2
    assert "错误：没有选项 --bogus" in result.output
    assert "运行 minsheng status --help 查看帮助。" in result.output
    assert not any(word in result.output for word in ENGLISH)


def test_missing_option_and_bad_choice_in_chinese() -> None:
    missing = run("export", "xlsx")
    assert missing.exit_code == 2
    assert "错误：缺少选项 --output / -o" in missing.output
    bad = run("status", "--format", "xx")
    assert bad.exit_code == 2
    assert "“xx”不是可选的值；可选：table、json、csv、markdown" in bad.output
    needs = run("status", "--as-of")
    assert needs.exit_code == 2
    assert "选项 --as-of 后面需要一个值" in needs.output
    command = run("nothing")
    assert command.exit_code == 2
    assert "没有命令“nothing”" in command.output


def test_the_installed_command_speaks_the_same_words() -> None:
    # Not only the in-process runner: the real entry point, as a user runs it.
    done = subprocess.run(
        [sys.executable, "-m", "minsheng", "status", "--bogus"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "错误：没有选项 --bogus" in done.stderr
    assert "Error" not in done.stderr


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"minsheng {version('minsheng')}\n"


def test_data_option_before_the_command() -> None:
    before = run("--data", str(DATA), "status", "--as-of", "2024-07-31", "--format", "json")
    after = run("status", "--data", str(DATA), "--as-of", "2024-07-31", "--format", "json")
    assert before.exit_code == after.exit_code == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)
    exported = run("--data", str(DATA), "export", "csv", "--as-of", "2024-07-31", "-o", "-")
    assert exported.exit_code == 0, exported.output
    assert "城市道路翻修改造" in exported.output


def test_command_option_wins_over_the_one_before(tmp_path) -> None:
    # --data before the command points nowhere; the command's own --data is used.
    result = run("--data", str(tmp_path / "missing"), "status", "--data", str(DATA), "--as-of", "2024-07-31")
    assert result.exit_code == 0, result.output


def test_output_dash_is_standard_output(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("export", "csv", "--data", str(DATA), "--as-of", "2024-07-31", "-o", "-")
    assert result.exit_code == 0
    assert result.output.startswith("\ufeff序号,")
    assert not (tmp_path / "-").exists()


def test_unit_and_task_together_is_its_own_message() -> None:
    both = run("report", "--data", str(DATA), "--unit", "残联", "--task", "4")
    assert both.exit_code == 2
    assert "--unit、--task 和 --area 只能给一个" in both.output
    neither = run("report", "--data", str(DATA))
    assert neither.exit_code == 2
    assert "请给出 --unit（一个单位）、--task（一个任务）或 --area（一个区域）" in neither.output

"""Rendered tables, held as golden files (100 columns unless the name says 80 or 160; no colour).

After an intended change to the output, refresh them with
``python -m pytest tests/test_golden.py --update-golden`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from tests.conftest import DATA, SMALL

GOLDEN = Path(__file__).parent / "golden"

CASES = {
    "status-2024-07-31": ["status", "--data", str(DATA), "--as-of", "2024-07-31"],
    "status-2024-12-31": ["status", "--data", str(DATA), "--as-of", "2024-12-31"],
    "status-since-2024-09-30": ["status", "--data", str(DATA), "--as-of", "2024-10-31", "--since", "2024-09-30"],
    "report-unit-2024-07-31": ["report", "--data", str(DATA), "--as-of", "2024-07-31", "--unit", "区住建局"],
    "report-task-2024-07-31": ["report", "--data", str(DATA), "--as-of", "2024-07-31", "--task", "4"],
    "status-small-2025-06-30": ["status", "--data", str(SMALL), "--as-of", "2025-06-30"],
    "status-markdown-2024-07-31": ["status", "--data", str(DATA), "--as-of", "2024-07-31", "--format", "markdown"],
    # The same reports at the widths people's terminals have (issue 11): columns are chosen by width,
    # never a number or a status word split.
    "status-2024-07-31-80": ["status", "--data", str(DATA), "--as-of", "2024-07-31"],
    "status-2024-04-30-80": ["status", "--data", str(DATA), "--as-of", "2024-04-30"],
    "status-since-2024-09-30-80": ["status", "--data", str(DATA), "--as-of", "2024-10-31", "--since", "2024-09-30"],
    "report-unit-since-2024-07-31-80": [
        *("report", "--data", str(DATA), "--as-of", "2024-07-31", "--since", "2024-06-30", "--unit", "区民政局"),
    ],
    "report-unit-since-2024-07-31": [
        *("report", "--data", str(DATA), "--as-of", "2024-07-31", "--since", "2024-06-30", "--unit", "区民政局"),
    ],
    "status-2024-07-31-160": ["status", "--data", str(DATA), "--as-of", "2024-07-31"],
    "status-since-2024-09-30-160": ["status", "--data", str(DATA), "--as-of", "2024-10-31", "--since", "2024-09-30"],
}


def _columns(name: str) -> int:
    return int(name.rsplit("-", 1)[1]) if name.endswith(("-80", "-160")) else 100


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    width = _columns(name)
    monkeypatch.setenv("COLUMNS", str(width))
    result = CliRunner().invoke(app, CASES[name])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out  # no colour when not a terminal
    if "markdown" not in name:
        assert max(len_cells(line) for line in out.splitlines()) <= width
    path = GOLDEN / f"{name}.txt"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def len_cells(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


NUMBER_OR_STATUS = (
    r"[+-]?\d+(\.\d+)?%?$",
    r"(已完成|超序时|按序时|滞后|严重滞后|逾期未完成|未启动)$",
)


@pytest.mark.parametrize("name", sorted(n for n in CASES if "markdown" not in n))
def test_no_number_or_status_is_split(name: str) -> None:
    """A line of a table never ends in the middle of a number or a status word: the cell below it
    would then start with the rest ("约12" / "0户", "逾期未 …")."""
    import re

    text = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    assert "…" not in text, "a cell was cut"
    for status in ("已完成", "超序时", "按序时", "严重滞后", "逾期未完成", "未启动"):
        for part in range(1, len(status)):
            head, tail = status[:part], status[part:]
            assert not re.search(f"{head}\\s*\\n\\s*{tail}", text), (status, name)

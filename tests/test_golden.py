"""Rendered tables, held as golden files (100 columns, no colour).

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
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, update_golden: bool) -> None:
    result = CliRunner().invoke(app, CASES[name])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out  # no colour when not a terminal
    if "markdown" not in name:
        assert max(len_cells(line) for line in out.splitlines()) <= 100
    path = GOLDEN / f"{name}.txt"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def len_cells(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)

"""Work grows linearly with the data (issue 17 item 2): counted, never timed.

A roll-up of one plan whose indicator is split among N areas, each area's unit reporting
its share monthly, is checked at N, 2N and 4N areas. The number of Python function calls
(and generator steps) each command makes must grow by the same amount from 2N to 4N as from
N to 2N, within 1.1×: a scan of every area per area adds a term that grows the second difference
and fails here. A scan made inside one C call (``"\t" in text`` per mapping entry) is no Python
call, so it is counted on the text itself below.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from typer.testing import CliRunner

from minsheng import yamlio
from minsheng.cli import app

MONTHS = [f"2024-{m:02d}-28" for m in range(1, 7)]


def _rollup(dest: Path, areas: int) -> Path:
    """One plan, one indicator of 区人社局 split among ``areas`` areas, each reported by its own unit."""
    units = [f"单位{k}" for k in range(areas)]
    plan = [
        "title: 合成数据（测试用）",
        "region: 某某市",
        "year: 2024",
        "deadlines:",
        "  basic: {date: 2024-10-31, label: 基本完成}",
        "  final: {date: 2024-12-31, label: 高标准、高质量完成}",
        "areas:",
        *(f"  - {{name: 片区{k}, unit: {u}}}" for k, u in enumerate(units)),
        "units:",
        "  - name: 区人社局",
        *(f"  - name: {u}" for u in units),
        "tasks:",
        '  - id: "1"',
        "    name: 就业工程",
        "    description: 城镇新增就业",
        "    units: [区人社局]",
        "    indicators:",
        '      - id: "1.1"',
        "        name: 新增就业",
        f"        target: {100 * areas}",
        "        measure: 人",
        "        unit: 区人社局",
        "        areas:",
        *(f"          - {{area: 片区{k}, target: 100}}" for k in range(areas)),
    ]
    dest.mkdir(parents=True)
    (dest / "progress").mkdir()
    (dest / "plan-2024.yaml").write_text("\n".join(plan) + "\n", encoding="utf-8")
    for u in units:
        lines = [f"unit: {u}", "reports:"]
        for m, date in enumerate(MONTHS, start=1):
            lines += [f"  - date: {date}", f'    values: {{"1.1": {10 * m}}}', "    summary: 按计划推进"]
        (dest / "progress" / f"{u}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


def _calls(run: Callable[[], Any]) -> tuple[int, Any]:
    """``run``'s result and the Python function calls (generator steps included) it made."""
    count = 0

    def tally(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(tally)
    try:
        value = run()
    finally:
        sys.setprofile(None)
    return count, value


def _second_difference(command: list[str], tmp_path: Path, n: int) -> tuple[int, int]:
    runner = CliRunner()
    counts = []
    for size in (n, 2 * n, 4 * n):
        data = _rollup(tmp_path / f"areas-{size}", size)
        args = [*command, "--data", str(data)]
        runner.invoke(app, args)  # imports and first-use caches out of the count
        count, result = _calls(lambda args=args: runner.invoke(app, args))
        assert result.exit_code == 0, result.output
        counts.append(count)
    return counts[1] - counts[0], counts[2] - counts[1]


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["status", "--as-of", "2024-07-31"],
        ["report", "--area", "片区0", "--as-of", "2024-07-31"],
        ["export", "csv", "--as-of", "2024-07-31"],
    ],
    ids=["validate", "status", "report", "export-csv"],
)
def test_work_per_area_does_not_grow(command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINSHENG_NO_CACHE", "1")
    first, second = _second_difference(command, tmp_path, 100)
    # linear: 200 more areas cost twice what 100 more did (2.01× measured; the quadratic scan of
    # every split per area this guards against made it 2.39× at these sizes)
    assert second <= 1.1 * 2 * first, (first, second)


class _CountingText(str):
    """Text that counts the ``in`` tests made on it (each one may scan the whole file)."""

    scans = 0

    def __contains__(self, part: object) -> bool:
        type(self).scans += 1
        return super().__contains__(part)  # type: ignore[operator]


@pytest.mark.parametrize("areas", [10, 1000])
def test_builder_asks_the_whole_text_once(areas: int) -> None:
    text = "areas:\n" + "".join(f"  - {{name: 片区{k}, unit: 单位{k}}}\n" for k in range(areas))
    root = yamlio.compose(text)
    assert root is not None
    counting = _CountingText(text)
    _CountingText.scans = 0
    value = yamlio._Builder(counting).build(root, 0)
    assert len(value["areas"]) == areas
    assert _CountingText.scans == 1  # whether it has a tab at all, not once per mapping entry


def test_parse_pauses_the_collector_and_restores_it() -> None:
    text = "tasks:\n" + "".join(f'  - {{id: "{k}", name: 工程{k}, units: [区人社局]}}\n' for k in range(3000))
    runs: list[str] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(phase)

    assert gc.isenabled()
    gc.callbacks.append(note)
    try:
        value, issues = yamlio.parse(text)
    finally:
        gc.callbacks.remove(note)
    assert issues == [] and len(value["tasks"]) == 3000
    # with the collector on, 3000 mappings start dozens of collections; paused, at most the one
    # that the allocations made meanwhile trigger once it is back on
    assert len(runs) <= 1, len(runs)
    assert gc.isenabled()

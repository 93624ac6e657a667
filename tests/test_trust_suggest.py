"""Issue 10 item 13: the "是不是…" guesses cost a bounded amount of work, whatever the data.

Measured before: 1 000 files with a misspelt ``unit:`` against a 10 000-unit plan made
10 million SequenceMatcher comparisons (35 s); 150 000 unknown ids in one file walked the
10 000 indicators once per id (70 s). The tests count the work, never the time.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng import suggest
from minsheng.checks import Context, check_ledger_values, run_checks
from minsheng.cli import app
from minsheng.load import Loaded, PlanFile, Source, ledger_from_text
from minsheng.problems import Problem
from minsheng.schema import validate_plan

N = 10_000


def _unit(k: int) -> str:
    return f"区第{k:05d}局"


def _plan_text(n: int) -> str:
    """One task per unit, one indicator per task: ``n`` units and ``n`` indicators."""
    units = "".join(f"  - {{name: {_unit(k)}}}\n" for k in range(n))
    tasks = "".join(
        f'  - {{id: "{k}", name: 任务{k}, description: 任务{k}, units: [{_unit(k)}], indicators: '
        f'[{{id: "{k}.1", name: 指标{k}, target: 10, measure: 个, unit: {_unit(k)}}}]}}\n'
        for k in range(n)
    )
    return (
        "title: 测试区2025年民生实事（测试数据）\nregion: 测试区\nyear: 2025\nstart: 2025-01-01\n"
        "deadlines:\n  basic: {date: 2025-09-30, label: 基本完成}\n  final: {date: 2025-11-30, label: 全面完成}\n"
        f"units:\n{units}tasks:\n{tasks}"
    )


@pytest.fixture(scope="module")
def plan() -> PlanFile:
    """The 10 000-unit plan as a model: parsing its YAML would cost more than all that is counted."""
    data = {
        "title": "测试区2025年民生实事（测试数据）",
        "region": "测试区",
        "year": 2025,
        "start": "2025-01-01",
        "deadlines": {
            "basic": {"date": "2025-09-30", "label": "基本完成"},
            "final": {"date": "2025-11-30", "label": "全面完成"},
        },
        "units": [{"name": _unit(k)} for k in range(N)],
        "tasks": [
            {
                "id": str(k),
                "name": f"任务{k}",
                "description": f"任务{k}",
                "units": [_unit(k)],
                "indicators": [{"id": f"{k}.1", "name": f"指标{k}", "target": 10, "measure": "个", "unit": _unit(k)}],
            }
            for k in range(N)
        ],
    }
    model, errors = validate_plan(data)
    assert model is not None and errors == []
    return PlanFile(model, Source("plan-2025.yaml", None))


def _misspelt(k: int) -> str:
    # 区第00001句 for 区第00001局: one character off, a different misspelling in every file
    return f"unit: 区第{k:05d}句\nreports:\n  - date: 2025-03-31\n    values:\n      {k}.1: 1\n"


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts SequenceMatcher.ratio, the comparison each guess pays for per candidate."""
    count = [0]
    ratio = difflib.SequenceMatcher.ratio

    def counted(self: difflib.SequenceMatcher[str]) -> float:
        count[0] += 1
        return ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    yield count


def _unknown_units(problems: list[Problem]) -> list[Problem]:
    return sorted((p for p in problems if p.code == "unknown-unit"), key=lambda p: p.file)


def test_a_thousand_misspelt_units_cost_a_bounded_number_of_comparisons(plan: PlanFile, comparisons: list[int]) -> None:
    problems: list[Problem] = []
    ledgers = [ledger_from_text(f"progress/f{k:04d}.yaml", _misspelt(k), problems) for k in range(1, 1001)]
    assert problems == [] and all(ledgers)
    loaded = Loaded([plan], [lf for lf in ledgers if lf], [], 1001)
    found = _unknown_units(run_checks(loaded))
    assert len(found) == 1000  # every file is still told, with or without a guess
    # the cap: GUESSES distinct guesses per run, each comparing at most COMPARISONS candidates
    # (unbounded, this was 1 000 files × 10 000 units = 10 000 000 comparisons)
    assert comparisons[0] <= suggest.GUESSES * suggest.COMPARISONS == 200 * 32
    assert "是不是“区第00001局”？" in found[0].hint
    guessed = [p for p in found if "是不是" in p.hint]
    assert len(guessed) == suggest.GUESSES
    assert all(p.hint == "单位须是计划中列出的单位" for p in found if p not in guessed)


def test_the_cli_says_the_same_and_exits_1(tmp_path: Path, comparisons: list[int]) -> None:
    """Through the CLI, with a plan of 2 000 units (smaller only to keep parsing it quick)."""
    data = tmp_path / "data"
    (data / "progress").mkdir(parents=True)
    (data / "plan-2025.yaml").write_text(_plan_text(2000), encoding="utf-8")
    for k in range(1, 301):
        (data / "progress" / f"f{k:04d}.yaml").write_text(_misspelt(k), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--data", str(data)])
    assert result.exit_code == 1, result.output
    assert "是不是“区第00001局”？" in result.output
    assert result.output.count("是不是") == suggest.GUESSES
    assert comparisons[0] <= suggest.GUESSES * suggest.COMPARISONS  # unbounded: 300 × 2 000


def test_the_same_misspelling_in_every_file_is_guessed_once(comparisons: list[int]) -> None:
    guesses = suggest.Suggester()
    names = [_unit(k) for k in range(N)]
    answers = {guesses.close("区第00007句", names) for _ in range(1000)}
    assert answers == {"区第00007局"}
    assert comparisons[0] <= suggest.COMPARISONS  # one guess, from the memo after that


def test_full_width_ids_are_told_without_guessing(comparisons: list[int]) -> None:
    guesses = suggest.Suggester(guesses=0)  # even with nothing left to spend
    assert guesses.hint("７.１", ["7.1", "7.2"]) == "是不是“7.1”？"
    assert guesses.hint("7.3", ["7.1", "7.2"]) == ""
    assert comparisons[0] == 0


def test_guesses_agree_with_difflib_where_it_is_cheap() -> None:
    """Within the budget the guess is the one difflib.get_close_matches would make."""
    names = ["区住建局", "区水务集团", "区教育局", "区民政局", "区财政局", "区卫健局"]
    for word in ["区住健局", "水务集团", "区教局", "民政", "区财正局", "区卫建局", "区公安局", "xyz"]:
        expected = difflib.get_close_matches(word, names, n=1, cutoff=0.5)
        assert suggest.Suggester().close(word, names) == (expected[0] if expected else None), word


class _CountingIds(dict[str, object]):
    """The plan's indicators, counting each walk over all of them."""

    walks = 0

    def items(self):  # type: ignore[no-untyped-def]
        _CountingIds.walks += 1
        return super().items()

    def __iter__(self) -> Iterator[str]:
        _CountingIds.walks += 1
        return super().__iter__()


def test_many_unknown_ids_in_one_file_do_not_walk_the_plan_for_each(plan: PlanFile, comparisons: list[int]) -> None:
    problems: list[Problem] = []
    ctx = Context([plan.plan])
    ctx.indicators[2025] = _CountingIds(ctx.indicators[2025])  # type: ignore[assignment]
    _CountingIds.walks = 0
    unknown = 5000
    values = "      1.2: 1\n" + "".join(f"      {k}.9: 1\n" for k in range(unknown - 1))
    text = f"unit: {_unit(1)}\nreports:\n  - date: 2025-03-31\n    values:\n{values}"
    lf = ledger_from_text("progress/区第00001局.yaml", text, problems)
    assert lf is not None and problems == []
    found = [p for p in check_ledger_values(lf, ctx) if p.code == "unknown-indicator"]
    assert len(found) == unknown
    # 1.2 is the first: the unit's own 1.1, which the report lacks, is what it was meant to be
    assert found[0].hint == "是不是“1.1”？编号按计划写，如 2.2"
    # before: one walk over the 10 000 indicators per unknown id (5 000 walks)
    assert _CountingIds.walks <= 2
    assert comparisons[0] <= 20 * suggest.COMPARISONS  # 20 guesses per file, then none


def test_the_bound_is_the_one_documented() -> None:
    security = (Path(__file__).resolve().parent.parent / "SECURITY.md").read_text(encoding="utf-8")
    assert suggest.GUESSES == 200 and "200 distinct misspellings per run" in security
    assert suggest.COMPARISONS == 32 and "at most 32 candidates" in security

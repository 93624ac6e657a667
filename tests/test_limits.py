"""Bounded resources: huge or hostile files end quickly with a clear message or a correct result.

No test asserts a time; each must simply finish (the suite's own run time would show a hang),
and the limits are those documented in SECURITY.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from minsheng import yamlio
from minsheng.project import open_project


@pytest.fixture
def data(small_copy: Path) -> Path:
    return small_copy


def codes_for(data: Path, name: str) -> list[tuple[int, str]]:
    path = str(data / "progress" / name)
    return [(p.line, p.code) for p in open_project(data).problems if p.file == path]


def test_a_file_over_the_size_limit_is_not_read(data: Path) -> None:
    big = data / "progress" / "甲局.yaml"
    with big.open("wb") as handle:  # 50 MB, mostly a hole: cheap to make
        handle.write(b"unit: \xe7\x94\xb2\xe5\xb1\x80\n")
        handle.seek(50 * 1024 * 1024)
        handle.write(b"\n")
    assert codes_for(data, "甲局.yaml") == [(1, "too-large")]


def test_a_million_lines_are_refused(data: Path) -> None:
    (data / "progress" / "甲局.yaml").write_text("unit: 甲局\nreports:\n" + "  - 1\n" * 1_000_000, encoding="utf-8")
    assert codes_for(data, "甲局.yaml") == [(1, "too-large")]


def test_a_ten_megabyte_line_is_read(data: Path) -> None:
    path = data / "progress" / "甲局.yaml"
    text = path.read_text(encoding="utf-8").replace("summary: 过半。", "summary: " + "长" * 3_500_000, 1)
    path.write_text(text, encoding="utf-8")
    assert len(text.encode("utf-8")) > 10_000_000
    project = open_project(data)
    assert project.problems == []
    ledger = next(lf for lf in project.ledgers if lf.unit == "甲局")
    assert ledger.reports[-1].summary == "长" * 3_500_000


def test_ten_thousand_levels_of_nesting(data: Path) -> None:
    depth = 10_000
    (data / "progress" / "甲局.yaml").write_text("unit: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    assert codes_for(data, "甲局.yaml") == [(1, "too-deep")]
    block = "".join(f"{'  ' * i}k:\n" for i in range(200))  # block style, past MAX_DEPTH
    (data / "progress" / "甲局.yaml").write_text(block, encoding="utf-8")
    assert [code for _, code in codes_for(data, "甲局.yaml")] == ["too-deep"]


def test_alias_bomb_is_refused_without_expanding(data: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (data / "progress" / "甲局.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = codes_for(data, "甲局.yaml")
    assert {code for _, code in found} == {"alias"}
    assert len(found) == 81  # each *alias once, where it is written: 9 per line on lines 2-10
    assert {line for line, _ in found} == set(range(2, 11))


def test_a_report_with_100000_indicators(data: Path) -> None:
    """A correct result: every unknown id is an error, listed up to the cap, then summed up."""
    values = "".join(f"      {i}.7: {i}\n" for i in range(100_000))
    text = f"unit: 甲局\nreports:\n  - date: 2025-03-31\n    values:\n{values}"
    (data / "progress" / "甲局.yaml").write_text(text, encoding="utf-8")
    found = codes_for(data, "甲局.yaml")
    assert len(found) == 201
    assert found[-1][1] == "too-many-problems" and {c for _, c in found[:-1]} == {"unknown-indicator"}
    summary = next(p for p in open_project(data).problems if p.code == "too-many-problems")
    assert "此后还有 99800 个问题未列出（其中 99800 个错误）" in summary.message


def test_limits_are_those_documented() -> None:
    security = (Path(__file__).resolve().parent.parent / "SECURITY.md").read_text(encoding="utf-8")
    assert yamlio.MAX_BYTES == 16 * 1024 * 1024 and "16 MB" in security
    assert yamlio.MAX_LINES == 200_000 and "200 000" in security
    assert yamlio.MAX_DEPTH == 64 and "64 levels" in security

"""Issue 11: a count in whole units (块, 个, 户, 人 …) refuses a fraction, unless the plan says ``whole: false``.

7800.5块 was accepted. By default an amount or level counted in one of
:data:`minsheng.numbers.WHOLE_MEASURES` is whole; ``whole: false`` allows fractions, and an
indicator written in 万 (``scale``) is not whole-checked (4.3万人). validate, record and import
all refuse the fraction with ``[fraction-value]`` and a hint naming ``whole: false``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from minsheng.model import Indicator
from minsheng.numbers import WHOLE_MEASURES
from tests.test_record import run
from tests.test_xlsx import fill, make_template

CASES = Path(__file__).resolve().parent / "cases"


def _indicator(**given: object) -> Indicator:
    return Indicator(id="1.1", name="指标", unit="甲局", **given)  # type: ignore[arg-type]


@pytest.mark.parametrize("measure", ["块", "个", "户", "人", "所", "家", "条", "座", "台", "件", "场", "次", "人次"])
def test_counts_in_whole_units_are_whole_by_default(measure: str) -> None:
    assert measure in WHOLE_MEASURES
    assert _indicator(target=10, measure=measure).counts_whole
    assert _indicator(target=10, measure=measure, kind="level").counts_whole


@pytest.mark.parametrize("measure", ["公里", "万元", "%", "平方米", "吨", "亩", None])
def test_other_measures_allow_fractions(measure: str | None) -> None:
    assert not _indicator(target=10, measure=measure).counts_whole


def test_the_plan_decides_when_it_says() -> None:
    assert not _indicator(target=10, measure="块", whole=False).counts_whole
    assert _indicator(target=10, measure="公里", whole=True).counts_whole
    assert not _indicator(target=10000, measure="人", scale="万").counts_whole  # 4.3万人
    assert not _indicator(target=4.3, measure="人", kind="ceiling").counts_whole
    assert not _indicator(kind="milestone", measure="个").counts_whole


def test_the_valid_case_with_fractions_the_plan_allows_passes() -> None:
    result = run("validate", "--data", str(CASES / "valid" / "whole"))
    assert result.exit_code == 0, result.output
    assert "0 个错误" in result.stdout


def test_validate_refuses_a_fraction_of_people_with_the_hint() -> None:
    result = run("validate", "--data", str(CASES / "invalid" / "fraction-count"))
    assert result.exit_code == 1
    assert "[fraction-value] 指标 2.1 按整数计（人），这里是 150.5" in result.stdout
    assert "计划允许小数时，在计划中给该指标写 whole: false" in result.stdout


def test_record_refuses_it_and_writes_nothing(small_copy: Path) -> None:
    before = (small_copy / "progress" / "乙中心.yaml").read_bytes()
    result = run("record", "--data", str(small_copy), "-u", "乙中心", "-d", "2025-07-31", "2.1=170.5", "2.2=4.5")
    assert result.exit_code == 1
    assert "[fraction-value] 指标 2.1 按整数计（人），这里是 170.5" in result.stderr
    assert (small_copy / "progress" / "乙中心.yaml").read_bytes() == before
    # 公里 is not a count: 6.5 is recorded
    result = run("record", "--data", str(small_copy), "-u", "甲局", "-d", "2025-07-31", "1.1=6.5", "1.2=41")
    assert result.exit_code == 0, result.output


def test_record_accepts_a_fraction_where_the_plan_says_whole_false(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(CASES / "valid" / "whole", data)
    result = run("record", "--data", str(data), "-u", "甲局", "-d", "2025-07-31", "1.1=6.5", "1.2=41.5")
    assert result.exit_code == 0, result.output


def test_import_refuses_a_fraction_of_roads(shipped_copy: Path, tmp_path: Path) -> None:
    # 4.1 counts roads (条), 4.2 kilometres (公里): the first must be whole, the second need not be
    form = fill(make_template(shipped_copy, tmp_path), "2024-08-15", {"4.1": 40.5, "4.2": 51.5})
    result = run("import", str(form), "--data", str(shipped_copy), "--dry-run")
    assert result.exit_code == 1, result.output
    assert "[fraction-value] 指标 4.1 按整数计（条），这里是 40.5" in result.output
    form = fill(make_template(shipped_copy, tmp_path), "2024-08-15", {"4.1": 40, "4.2": 51.5})
    result = run("import", str(form), "--data", str(shipped_copy), "--dry-run")
    assert result.exit_code == 0, result.output

"""A correction has a recorded form: ``--correction`` / the form's 更正说明 (issue 11)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from tests.test_record import run
from tests.test_xlsx import fill, make_template

REASON = "7月多报500块"


@pytest.fixture
def data(shipped_copy: Path) -> Path:
    return shipped_copy


def _water(data: Path) -> Path:
    return data / "progress" / "区水务集团.yaml"


def test_a_lower_value_without_a_reason_is_refused(data: Path) -> None:
    before = _water(data).read_bytes()
    # 07-31 said 6500; 6000 at 08-31 is lower
    result = run("record", "--data", str(data), "--unit", "区水务集团", "--date", "2024-08-31", "2.2=6000", "--replace")
    assert result.exit_code == 1, result.output
    assert "[value-decrease]" in result.stderr and "--correction" in result.stderr
    assert _water(data).read_bytes() == before


def test_a_correction_is_recorded_validated_and_shown(data: Path, tmp_path: Path) -> None:
    args = ["--unit", "区水务集团", "--date", "2024-08-31", "2.2=6000", "--replace", "--correction", REASON]
    result = run("record", "--data", str(data), *args)
    assert result.exit_code == 0, result.output
    assert "7800 → 6000块，完成率 60.0%" in result.stdout  # 6000 / 10000
    assert f"更正说明：（无） → “{REASON}”" in result.stdout
    assert f"    correction: {REASON}" in _water(data).read_text(encoding="utf-8")

    result = run("validate", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "[value-decrease]" not in result.stdout
    line = next(x for x in result.stdout.splitlines() if "[value-corrected]" in x)
    assert "说明：指标 2.2 累计值从 2024-07-31 的 6500 更正为 2024-08-31 的 6000" in line and REASON in line
    assert "3 个警告" in result.stdout  # the correction is not counted as a warning

    shown = f"2024-08-31 更正：指标 2.2 6500 → 6000；更正说明：{REASON}"
    result = run("report", "--data", str(data), "--unit", "区水务集团", "--as-of", "2024-09-30")
    assert result.exit_code == 0, result.output
    assert shown in result.stdout
    out = tmp_path / "报告.docx"
    result = run("export", "docx", "--data", str(data), "--as-of", "2024-09-30", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"数据更正：{shown}" in [p.text for p in docx.Document(str(out)).paragraphs]


def test_a_form_with_a_correction_note_is_imported(data: Path, tmp_path: Path) -> None:
    form = make_template(data, tmp_path, "区水务集团")
    fill(form, dt.date(2024, 8, 31), {"2.2": 6000}, {"更正说明": REASON})
    result = run("import", str(form), "--data", str(data), "--replace")
    assert result.exit_code == 0, result.output
    assert "[value-corrected]" in result.stdout
    assert f"    correction: {REASON}" in _water(data).read_text(encoding="utf-8")


def test_a_form_lowering_a_value_without_a_note_is_refused(data: Path, tmp_path: Path) -> None:
    form = make_template(data, tmp_path, "区水务集团")
    fill(form, dt.date(2024, 8, 31), {"2.2": 6000})
    result = run("import", str(form), "--data", str(data), "--replace")
    assert result.exit_code == 1, result.output
    assert "[value-decrease]" in result.stderr

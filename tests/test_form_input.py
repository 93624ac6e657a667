"""What people type into a form: dates in the usual Chinese forms (issue 11)."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import openpyxl
import pytest

from tests.test_record import run
from tests.test_xlsx import fill, make_template


@pytest.fixture
def data(shipped_copy: Path) -> Path:
    return shipped_copy


@pytest.mark.parametrize(
    "typed",
    ["2024.8.15", "2024年8月15日", "2024/8/15", "2024-08-15 00:00:00", dt.datetime(2024, 8, 15), dt.date(2024, 8, 15)],
)
def test_dates_people_type_are_read(data: Path, tmp_path: Path, typed: object) -> None:
    form = fill(make_template(data, tmp_path), typed, {}, {"进展情况": "8月中旬进展"})
    result = run("import", str(form), "--data", str(data), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2024-08-15" in result.stdout


@pytest.mark.parametrize("typed", ["8月15日", "2024-13-01", "15/8/2024", "2024-08-15 09:30"])
def test_other_dates_are_refused_quoting_what_was_typed(data: Path, tmp_path: Path, typed: str) -> None:
    form = fill(make_template(data, tmp_path), typed, {"4.1": 80})
    result = run("import", str(form), "--data", str(data), "--dry-run")
    assert result.exit_code == 1, result.output
    assert f"报告日期“{typed}”不是有效的日期" in result.stderr


def test_a_number_in_a_date_cell_does_not_leak_openpyxls_warning(data: Path, tmp_path: Path) -> None:
    form = make_template(data, tmp_path)
    wb = openpyxl.load_workbook(form)
    ws = wb["填报"]
    ws["B3"] = 20240831
    ws["B3"].number_format = "yyyy-mm-dd"
    wb.save(form)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run("import", str(form), "--data", str(data), "--dry-run")
    assert result.exit_code == 1, result.output
    assert "UserWarning" not in result.output and not caught
    assert "不能当作日期的数（如 20240831" in result.stderr

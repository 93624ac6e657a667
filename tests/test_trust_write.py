"""Issue 10, the write path: a correction keeps what it does not restate, and says what changes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from minsheng.ledger_text import NewReport
from minsheng.load import load_dir
from minsheng.model import Report
from tests.test_record import run


@pytest.fixture
def data(shipped_copy: Path) -> Path:
    return shipped_copy


def july(data: Path, unit: str) -> Report:
    ledger = next(lf.ledger for lf in load_dir(data).ledgers if lf.ledger.unit == unit)
    return next(r for r in ledger.reports if str(r.date) == "2024-07-31")


def summary_at(data: Path, day: str) -> dict:
    return json.loads(run("status", "--data", str(data), "--as-of", day, "-f", "json").stdout)


def test_replace_keeps_the_values_and_texts_it_does_not_restate(data: Path) -> None:
    was = summary_at(data, "2024-07-31")
    before = july(data, "区住建局")
    assert before.values == {"1.1": 2, "2.1": 2}
    result = run(
        "record",
        "--data",
        str(data),
        "-u",
        "区住建局",
        "-d",
        "2024-07-31",
        "1.1=1",
        "--summary",
        "更正1.1",
        "--replace",
    )
    assert result.exit_code == 0, result.output
    after = july(data, "区住建局")
    # 2.1 and the two texts not restated are kept; only 1.1 and the summary change
    assert after.values == {"1.1": 1, "2.1": 2}
    assert after.summary == "更正1.1"
    assert (after.problems, after.next_steps) == (before.problems, before.next_steps)
    # every change is shown old → new; what is kept is named
    assert "1.1 城市道路翻修改造：2 → 1条，完成率 33.3%" in result.stdout  # 1 of 3
    assert "进展情况：" in result.stdout and "→ “更正1.1”" in result.stdout
    assert "保持不变：2.1、存在问题、下步计划" in result.stdout
    assert "2.1" not in result.stdout.split("保持不变")[0]
    # the reproducer restated 1.1 unchanged: before the fix July's 2.1 was dropped and
    # fell back to June's 1, overall completion fell 70.6% → 68.1% and 滞后 went from 1 to 2.
    again = run("record", "--data", str(data), "-u", "区住建局", "-d", "2024-07-31", "1.1=2", "--replace")
    assert again.exit_code == 0, again.output
    now = summary_at(data, "2024-07-31")
    assert now["completion"] == was["completion"] and now["counts"] == was["counts"]
    assert "70.6%" in now["summary"]


def test_removing_a_value_is_its_own_act_and_is_shown(data: Path) -> None:
    result = run("record", "--data", str(data), "-u", "区住建局", "-d", "2024-07-31", "--remove", "2.1")
    assert result.exit_code == 0, result.output
    assert "2.1 供水管网改造：2 → 删除（此日期改为沿用此前的 1）" in result.stdout
    assert july(data, "区住建局").values == {"1.1": 2}
    assert run("validate", "--data", str(data)).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--remove", "2.9"], "没有 2.9"),
        (["2.1=3", "--remove", "2.1"], "既要更正又要删除"),
        (["2.1="], "--remove 2.1"),
    ],
)
def test_a_removal_that_cannot_apply_is_refused(data: Path, args: list[str], message: str) -> None:
    path = data / "progress" / "区住建局.yaml"
    before = path.read_bytes()
    result = run("record", "--data", str(data), "-u", "区住建局", "-d", "2024-07-31", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert path.read_bytes() == before


def test_removing_a_text() -> None:
    from minsheng.record import Change, merge_correction

    old = Report(dt.date(2024, 7, 31), {"1.1": 2}, "进展", "问题", "计划")
    merged, changes, kept = merge_correction(old, NewReport(dt.date(2024, 7, 31), {}), frozenset({"problems"}))
    assert (merged.summary, merged.problems, merged.next_steps) == ("进展", None, "计划")
    assert changes == [Change("problems", "问题", None)]
    assert kept == ["1.1", "进展情况", "下步计划"]


def test_merge_correction_pure() -> None:
    from minsheng.record import Change, RecordError, merge_correction

    old = Report(dt.date(2024, 7, 31), {"1.1": 2, "2.1": 2, "6.8": True}, "进展", None, None)
    new = NewReport(dt.date(2024, 7, 31), {"1.1": 2.0, "2.1": 3, "9.1": 1}, None, "新问题", None)
    merged, changes, kept = merge_correction(old, new, frozenset())
    assert merged.values == {"1.1": 2.0, "2.1": 3, "6.8": True, "9.1": 1}
    assert changes == [Change("2.1", 2, 3), Change("9.1", None, 1), Change("problems", None, "新问题")]
    assert kept == ["1.1", "6.8", "进展情况"]
    with pytest.raises(RecordError):
        merge_correction(old, new, frozenset({"next"}))  # nothing to remove


def test_import_replace_with_a_blank_cell_keeps_that_value(data: Path, tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    made = run(
        "export", "xlsx", "--data", str(data), "--as-of", "2024-07-31", "--template", "-u", "区住建局", "-o", str(form)
    )
    assert made.exit_code == 0, made.output
    wb = openpyxl.load_workbook(form)
    ws = wb["填报"]
    ws["B3"] = dt.date(2024, 7, 31)
    ws["G7"] = 1  # 1.1; the cell of 2.1 (G8) is left blank
    wb.save(form)
    result = run("import", str(form), "--data", str(data), "--replace")
    assert result.exit_code == 0, result.output
    assert july(data, "区住建局").values == {"1.1": 1, "2.1": 2}
    assert "2 → 1条" in result.stdout and "保持不变：2.1" in result.stdout


# --- smaller: a report dated after today, NFC names, texts longer than a cell ---------------


def test_a_report_dated_after_today_is_warned(data: Path) -> None:
    from minsheng.record import record

    done = record(
        data, "区司法局", NewReport(dt.date(2024, 6, 15), {"7.1": 300}), dry_run=True, recorded_on=dt.date(2024, 6, 1)
    )
    assert [(w.code, w.severity) for w in done.warnings] == [("future-date", "warning")]
    assert "2024-06-15 在今天（2024-06-01）之后" in done.warnings[0].message
    past = record(
        data, "区司法局", NewReport(dt.date(2024, 6, 15), {"7.1": 300}), dry_run=True, recorded_on=dt.date(2024, 6, 15)
    )
    assert past.warnings == []


def test_the_cli_passes_today_and_shows_the_warning(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    class Today(dt.date):
        @classmethod
        def today(cls) -> Today:
            return cls(2024, 6, 1)

    monkeypatch.setattr("minsheng.cli.dt", types.SimpleNamespace(date=Today))
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-15", "7.1=300")
    assert result.exit_code == 0, result.output
    assert "提示：[future-date]" in result.stdout


def test_unit_names_are_written_nfc(data: Path) -> None:
    plan = data / "plan-2024.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("区司法局", "区Café局"), encoding="utf-8")
    old = data / "progress" / "区司法局.yaml"
    old.unlink()
    decomposed = "区Cafe\u0301局"
    result = run("record", "--data", str(data), "-u", decomposed, "-d", "2024-06-15", "7.1=300")
    assert result.exit_code == 0, result.output
    names = [p.name for p in (data / "progress").iterdir()]
    assert "区Café局.yaml" in names and f"{decomposed}.yaml" not in names
    text = (data / "progress" / "区Café局.yaml").read_text(encoding="utf-8")
    assert "unit: 区Café局\n" in text and decomposed not in text


def test_a_text_longer_than_an_excel_cell_says_it_was_cut(data: Path, tmp_path: Path) -> None:
    long = "长" * 40_000
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-12-31", "--summary", long, "--replace")
    assert result.exit_code == 0, result.output
    out = tmp_path / "t.xlsx"
    assert run("export", "xlsx", "--data", str(data), "--as-of", "2024-12-31", "-o", str(out)).exit_code == 0
    ws = openpyxl.load_workbook(out)["总台账"]
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "7.1")
    cell = row[10].value
    assert len(cell) <= 32767
    assert cell.startswith("长" * 1000) and cell.endswith("全文见进展文件）") and "原文 40000 字" in cell

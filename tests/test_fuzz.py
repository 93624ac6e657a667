"""Property-based tests: no input breaks the tool, and what is written reads back equal.

CI runs the "ci" profile (fixed seed, bounded examples). For a longer hunt:
``HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minsheng.compute import build_status
from minsheng.dataset import Dataset
from minsheng.ledger_text import NewReport
from minsheng.load import load_dir, read_plan
from minsheng.model import Report
from minsheng.project import open_project
from minsheng.record import RecordError, record
from tests.conftest import SMALL

settings.register_profile(
    "ci", max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FILES = sorted(p.relative_to(SMALL) for p in SMALL.rglob("*.yaml"))
SCALARS = [
    "[]",
    "{}",
    "true",
    "1.5",
    "-3",
    "abc",
    "2024-13-01",
    '"x"',
    "~",
    "&a x",
    "*a",
    "!!python/name:os.system",
    "｜",
]


@contextmanager
def copy_of_small() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "data"
        shutil.copytree(SMALL, target)
        yield target


def mutate(data: bytes, how: str, a: int, b: int, scalar: str) -> bytes:
    lines = data.split(b"\n")
    i, j = a % len(lines), b % len(lines)
    if how == "delete":
        del lines[i]
    elif how == "duplicate":
        lines.insert(i, lines[i])
    elif how == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif how == "scalar" and b": " in lines[i]:
        head = lines[i].split(b": ", 1)[0]
        lines[i] = head + b": " + scalar.encode()
    elif how == "tab":
        lines[i] = b"\t" + lines[i]
    elif how == "truncate":
        return data[: a % (len(data) + 1)]
    elif how == "flip":
        k = a % len(data)
        return data[:k] + bytes([data[k] ^ (1 << (b % 8))]) + data[k + 1 :]
    return b"\n".join(lines)


@given(
    file=st.sampled_from(FILES),
    steps=st.lists(
        st.tuples(
            st.sampled_from(["delete", "duplicate", "swap", "scalar", "tab", "truncate", "flip"]),
            st.integers(0, 10_000),
            st.integers(0, 10_000),
            st.sampled_from(SCALARS),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_mutated_files_give_located_problems_never_exceptions(file: Path, steps: list) -> None:
    with copy_of_small() as data:
        path = data / file
        content = path.read_bytes()
        for how, a, b, scalar in steps:
            content = mutate(content, how, a, b, scalar)
        path.write_bytes(content)
        project = open_project(data)  # must not raise
        names = {str(p) for p in data.rglob("*.yaml")}
        for problem in project.problems:
            assert problem.file in names
            assert problem.line >= 1 and problem.col >= 1, problem
            assert problem.code and problem.message
        if not project.errors:
            # valid data must also give a finite report at any date
            day = dt.date(2025, 6, 30)
            report = build_status(project.dataset(None, day), day)
            assert math.isfinite(report.completion)


# --- valid generated ledgers -----------------------------------------------------

PLAN = read_plan(SMALL / "plan-2025.yaml", []).plan  # type: ignore[union-attr]
INDICATORS = {i.id: i for t in PLAN.tasks for i in t.indicators}
DATES = [dt.date(2025, m, 28) for m in range(1, 13)]


@st.composite
def ledgers(draw: st.DrawFn) -> dict[str, tuple[Report, ...]]:
    by_unit: dict[str, tuple[Report, ...]] = {}
    for unit in ("甲局", "乙中心", "丙办"):
        ids = [i for i, ind in INDICATORS.items() if ind.unit == unit]
        days = sorted(draw(st.sets(st.sampled_from(DATES), max_size=6)))
        totals = {i: 0.0 for i in ids}
        reports = []
        for day in days:
            values: dict[str, bool | int | float] = {}
            for i in draw(st.lists(st.sampled_from(ids), unique=True)) if ids else []:
                if INDICATORS[i].kind == "milestone":
                    values[i] = draw(st.booleans())
                else:
                    totals[i] += draw(st.floats(0, 1e6, allow_nan=False, allow_infinity=False))
                    values[i] = totals[i]
            reports.append(Report(day, values))
        by_unit[unit] = tuple(reports)
    return by_unit


@given(reports=ledgers(), day=st.dates(dt.date(2024, 6, 1), dt.date(2027, 1, 1)), since=st.booleans())
def test_reports_on_any_valid_ledger_are_finite_and_consistent(reports, day: dt.date, since: bool) -> None:
    report = build_status(Dataset(PLAN, reports), day, day - dt.timedelta(days=40) if since else None)
    assert math.isfinite(report.completion) and 0 <= report.completion <= 1
    assert 0 <= report.time_progress <= 1
    for task in report.tasks:
        weights = [float(i.indicator.weight) for i in task.indicators]
        mean = sum(i.capped * w for i, w in zip(task.indicators, weights, strict=True)) / sum(weights)
        assert math.isclose(task.completion, mean, abs_tol=1e-12)
        for ind in task.indicators:
            assert math.isfinite(ind.completion) and math.isfinite(ind.expected)
    from io import StringIO

    from rich.console import Console

    from minsheng.render.table import status_view, unit_view
    from minsheng.render.view import status_dict

    console = Console(file=StringIO(), width=100)
    console.print(status_view(report))
    console.print(unit_view(report, "乙中心"))
    assert status_dict(report)["as_of"] == day.isoformat()


# --- round trips ---------------------------------------------------------------

# Less what the loader refuses raw (bidi controls; record writes NEL, LS and PS escaped): see test_trust_validate.
REFUSED = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=REFUSED), max_size=40)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    # up to the bound every number has (minsheng.numbers.MAX_NUMBER = 10^15)
    road=st.one_of(st.integers(0, 10**15 - 6), st.floats(0, 1e14, allow_nan=False, allow_infinity=False)),
    texts=st.tuples(TEXT, TEXT, TEXT),
)
def test_what_record_writes_reads_back_equal(road: float, texts: tuple[str, str, str]) -> None:
    with copy_of_small() as data:
        # after 甲局's last report (06-30: 1.1 = 5.5, 1.2 = 40), in date order
        value = road + 6 if isinstance(road, int) else road + 5.5  # large integers stay integers
        new = NewReport(dt.date(2025, 7, 31), {"1.1": value, "1.2": 40}, *(t or None for t in texts))
        try:
            record(data, "甲局", new, recorded_on=dt.date(2025, 8, 1))
        except RecordError as exc:
            raise AssertionError([p.message for p in exc.problems]) from exc
        ledger = next(lf.ledger for lf in load_dir(data).ledgers if lf.ledger.unit == "甲局")
        got = ledger.reports[-1]
        assert got.date == new.date
        assert got.values == new.values
        # a whole float (6.0) is written 6 on purpose (ledger_text.value_text) and reads back an int
        written = new.values["1.1"]
        if not (isinstance(written, float) and written.is_integer()):
            assert type(got.values["1.1"]) is type(written)
        assert (got.summary, got.problems, got.next_steps) == (new.summary, new.problems, new.next_steps)


EXCEL_FLOATS = st.floats(0, 1e12, allow_nan=False, allow_infinity=False).map(lambda x: float(f"{x:.15g}"))


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    # 4.1 counts roads (条), a whole count: fractions are refused (tests/test_whole_counts.py)
    roads=st.integers(35, 10**15),
    km=EXCEL_FLOATS.filter(lambda x: x >= 51.2),
)
def test_xlsx_form_round_trip_keeps_numbers_exact(roads: float, km: float) -> None:
    """export --template → fill with openpyxl → import → the stored values are exactly those typed.

    Integers up to 10^15 (the bound on every number); decimals as a spreadsheet holds them (15 significant
    digits, Excel's precision: openpyxl itself writes no more than that).
    """
    import openpyxl
    from typer.testing import CliRunner

    from minsheng.cli import app
    from tests.conftest import DATA

    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(DATA, data)
        # keep 区交运局's reports up to 07-31 only, so any larger number is a valid next value
        ledger_file = data / "progress" / "区交运局.yaml"
        text = ledger_file.read_text(encoding="utf-8")
        ledger_file.write_text(text[: text.index("  - date: 2024-08-31")], encoding="utf-8")
        form = Path(tmp) / "form.xlsx"
        args = ["--data", str(data), "--as-of", "2024-07-31", "--template", "--unit", "区交运局", "-o", str(form)]
        assert runner.invoke(app, ["export", "xlsx", *args]).exit_code == 0
        wb = openpyxl.load_workbook(form)
        ws = wb["填报"]
        ws["B3"], ws["G7"], ws["G8"] = dt.date(2024, 8, 15), roads, km
        wb.save(form)
        result = runner.invoke(app, ["import", str(form), "--data", str(data)])
        assert result.exit_code == 0, result.output
        ledger = next(lf.ledger for lf in load_dir(data).ledgers if lf.ledger.unit == "区交运局")
        got = next(r for r in ledger.reports if r.date == dt.date(2024, 8, 15)).values
        # equal as numbers (Excel keeps no int/float distinction: 49.0 comes back as 49)
        assert got == {"4.1": roads, "4.2": km}
        assert all(math.isfinite(v) for v in got.values())

"""The progress bar: only after a second, only where asked (the CLI asks only on a terminal)."""

from __future__ import annotations

import io

from typer.testing import CliRunner

from minsheng.cli import app
from minsheng.render.progress import LazyProgress
from tests.conftest import DATA


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_nothing_in_the_first_second_then_a_bar() -> None:
    clock, out = Clock(), io.StringIO()
    bar = LazyProgress(out, clock)
    bar(1, 10_000)
    clock.now += 0.5
    bar(2_000, 10_000)
    assert out.getvalue() == ""
    clock.now += 0.6
    bar(5_000, 10_000)
    assert bar.bar is not None
    bar(10_000, 10_000)  # done: the bar closes itself
    assert bar.bar is None
    assert "10000/10000" in out.getvalue() or "5000/10000" in out.getvalue()


def test_a_quick_run_prints_nothing() -> None:
    clock, out = Clock(), io.StringIO()
    bar = LazyProgress(out, clock)
    for n in range(1, 13):
        bar(n, 12)
    bar.close()
    assert out.getvalue() == ""


def test_validate_prints_nothing_extra_when_stderr_is_not_a_terminal() -> None:
    result = CliRunner().invoke(app, ["validate", "--data", str(DATA)])
    assert result.exit_code == 0
    assert result.stderr == ""

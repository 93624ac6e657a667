"""The terminal trend chart: structure, figures against the status, width, and hostile text."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from minsheng.compute import build_status
from minsheng.dataset import Dataset
from minsheng.model import Deadline, Deadlines, Indicator, Plan, Report, Task, Unit
from minsheng.project import open_project
from minsheng.render.chart import spark, trend_view
from minsheng.render.view import EXAMPLE_NOTE, status_dict
from tests.conftest import DATA

D = dt.date
LINE = re.compile(r"^\s*(\d+)\s+(\S.*?)\s+([▁▂▃▄▅▆▇█]+)\s+(\d+\.\d%) / 序时\s+(\d+\.\d%)$")
BAND = re.compile(r"^\s*(\d+)% │(.*)$")


def shipped(day: dt.date):
    return build_status(open_project(DATA).dataset(None, day), day)


def render(report, task_id: str | None = None) -> str:
    console = Console(width=100, file=io.StringIO(), no_color=True)
    console.print(trend_view(report, task_id))
    return console.file.getvalue()


def pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def band_of(x: float) -> int:
    """Which 10% row a fraction lands in, nearest, halves up."""
    return int(min(max(x, 0.0), 1.0) * 10 + 0.5 + 1e-9) * 10


def plot(out: str) -> list[tuple[int, str]]:
    return [(int(m.group(1)), m.group(2)) for line in out.splitlines() if (m := BAND.match(line))]


def assert_fits(out: str) -> None:
    assert "\x1b" not in out
    assert max(cell_len(line) for line in out.splitlines()) <= 100


@pytest.mark.parametrize("day", [D(2024, 7, 31), D(2024, 12, 31)])
def test_all_tasks_one_line_each_with_the_status_figures(day: dt.date) -> None:
    report = shipped(day)
    data = status_dict(report)
    out = render(report)
    assert_fits(out)
    assert EXAMPLE_NOTE in out
    lines = [m for line in out.splitlines() if (m := LINE.match(line))]
    assert [m.group(1) for m in lines] == [t["id"] for t in data["tasks"]]
    for m, task in zip(lines, data["tasks"], strict=True):
        assert m.group(2) == task["name"]
        assert len(m.group(3)) == len(data["trend"])
        assert m.group(3) == spark([p["tasks"][task["id"]]["completion"] for p in data["trend"]])
        assert m.group(4) == pct(task["completion"])
        assert m.group(5) == pct(task["expected"])
        # the last point of the line is the status at the statistical date
        assert data["trend"][-1]["tasks"][task["id"]]["completion"] == pytest.approx(task["completion"])
    total = next(line for line in out.splitlines() if "总体" in line and "序时" in line)
    assert total.rstrip().endswith(f"{pct(data['completion'])} / 序时 {pct(data['time_progress']):>6}")


def test_all_tasks_at_july_end() -> None:
    out = render(shipped(D(2024, 7, 31)))
    assert "报送日期：04-30 至 07-31（4期）" in out
    line = next(line for line in out.splitlines() if "“四好农村路”提升工程" in line)
    assert LINE.match(line).group(3, 4, 5) == ("▁▂▃▃", "35.0%", "69.7%")


def test_sparkline_is_on_a_fixed_scale() -> None:
    assert spark([0.0, 0.5, 1.0, 1.4, -0.2]) == "▁▅██▁"
    assert spark([0.1, 0.2]) == "▂▂"  # not stretched to the largest value


@pytest.mark.parametrize(("day", "task_id"), [(D(2024, 7, 31), "4"), (D(2024, 12, 31), "4"), (D(2024, 7, 31), "6")])
def test_one_task_plot(day: dt.date, task_id: str) -> None:
    report = shipped(day)
    data = status_dict(report)
    task = next(t for t in data["tasks"] if t["id"] == task_id)
    out = render(report, task_id)
    assert_fits(out)
    lines = out.splitlines()
    assert lines[0] == f"{task_id} {task['name']}（{'、'.join(task['units'])}）完成率走势"
    rows = plot(out)
    assert [band for band, _ in rows] == list(range(100, -1, -10))  # 11 rows, 100% to 0%
    trend = [p["tasks"][task_id] for p in data["trend"]]
    # one ● per report date, in the column of that date and the row of its completion
    for column, point in enumerate(trend):
        marks = {band: cells[5 * column + 2] for band, cells in rows if len(cells) > 5 * column + 2}
        actual = [band for band, mark in marks.items() if mark == "●"]
        assert actual == [band_of(point["completion"])]
        expected = [band for band, mark in marks.items() if mark == "·"]
        assert expected == ([] if band_of(point["expected"]) == actual[0] else [band_of(point["expected"])])
    assert sum(cells.count("●") for _, cells in rows) == len(trend)
    # the last column is the status at the statistical date
    assert band_of(trend[-1]["completion"]) == band_of(task["completion"])
    months = " ".join(f"{dt.date.fromisoformat(p['date']).month}月" for p in data["trend"])
    label_line = next(line for line in lines if line.lstrip().startswith("4月"))
    assert " ".join(label_line.split()) == months
    summary = lines[-1]
    assert f"完成率 {pct(task['completion'])}，序时进度 {pct(task['expected'])}，{task['status_label']}" in summary


def test_one_task_at_july_end_exactly() -> None:
    out = render(shipped(D(2024, 7, 31)), "4")
    rows = dict(plot(out))
    # 04-30 5%, 05-31 14%, 06-30 24%, 07-31 35%: ● in rows 10 (5% halves up), 10, 20, 40
    assert rows[0] == "  ●"
    assert rows[10] == "       ●"
    assert rows[20] == "            ●"
    assert rows[40] == "  ·              ●"
    assert "        4月  5月  6月  7月" in out
    assert out.splitlines()[-1] == "截至2024年7月31日：完成率 35.0%，序时进度 69.7%，严重滞后"


def test_unknown_task() -> None:
    with pytest.raises(KeyError):
        trend_view(shipped(D(2024, 7, 31)), "99")


# --- small hand-built data ------------------------------------------------------


def plan(name: str = "甲") -> Plan:
    return Plan(
        title="测试",
        region="测试区",
        year=2025,
        deadlines=Deadlines(basic=Deadline(D(2025, 10, 31), "基本完成"), final=Deadline(D(2025, 12, 31), "全面完成")),
        units=(Unit("A"),),
        tasks=(
            Task(
                id="1",
                name=name,
                description="甲",
                units=("A",),
                indicators=(Indicator(id="1.1", name="路", unit="A", target=100),),
            ),
        ),
    )


def test_hostile_names_are_plain_text() -> None:
    name = "[bold red]红[/]\x1b[2J\x1b]0;x\x07清屏" + "很长的项目名称" * 10
    reports = {"A": (Report(D(2025, 3, 31), {"1.1": 20}),)}
    report = build_status(Dataset(plan(name), reports), D(2025, 4, 30))
    for task_id in (None, "1"):
        out = render(report, task_id)
        assert_fits(out)
        joined = out.replace("\n", "")  # the long title may wrap
        assert "[bold red]红[/]清屏" in joined


def test_weekly_reports_are_thinned_to_fit() -> None:
    weeks = [D(2025, 1, 5) + dt.timedelta(days=7 * n) for n in range(50)]
    reports = {"A": tuple(Report(day, {"1.1": n * 2}) for n, day in enumerate(weeks, start=1))}
    report = build_status(Dataset(plan(), reports), D(2025, 12, 31))
    assert len(report.trend) == 50
    out = render(report)
    assert_fits(out)
    assert "报送日期：01-26 至 12-14（共50期，每月取最后一期，显示12期）" in out
    line = next(m for line in out.splitlines() if (m := LINE.match(line)))
    assert len(line.group(3)) == 12  # the last report of each month
    assert line.group(4) == "100.0%"
    out = render(report, "1")
    assert_fits(out)
    assert sum(cells.count("●") for _, cells in plot(out)) == 12
    assert " ".join(next(x for x in out.splitlines() if x.lstrip().startswith("1月")).split()) == " ".join(
        f"{m}月" for m in range(1, 13)
    )


def test_no_reports_yet() -> None:
    report = build_status(Dataset(plan(), {}), D(2025, 2, 1))
    assert "尚无报送" in render(report)
    assert "尚无报送" in render(report, "1")

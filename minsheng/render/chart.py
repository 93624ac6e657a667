"""Completion over time in the terminal, from :attr:`StatusReport.trend`.

Two views: every task on one line each (a sparkline on a fixed 0–100% scale, then
the completion and 序时进度 at the statistical date), or one task as a small
plot (rows are 10% bands, columns are report dates, ``●`` completion, ``·``
序时进度, month labels below).

Like the tables, user text goes through :func:`~minsheng.render.fmt.clean` into
``rich.text.Text`` objects, never into markup; rich drops the styles when the
output is not a terminal. Everything fits 100 columns.
"""

from __future__ import annotations

import datetime as dt
import math

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from minsheng.compute import STATUS_LABELS, StatusReport, TaskStatus, TrendPoint
from minsheng.render.fmt import clean, cn_date, pct
from minsheng.render.table import add_row
from minsheng.render.view import EXAMPLE_NOTE, task_row

SPARKS = "▁▂▃▄▅▆▇█"
ACTUAL, EXPECTED = "●", "·"
BANDS = 10
"""Rows of the single-task plot above 0%: each is 10 percentage points."""
CELL = 5
"""Width of one report date's column in the single-task plot (fits “12月” and a space)."""
PLOT_COLUMNS = 18
"""At most this many report dates in the single-task plot: 7 + 18 × 5 = 97 columns."""
SPARK_COLUMNS = 36
"""At most this many report dates in a sparkline, leaving room for the task name."""
LIGHT_STYLE = {"blue": "bold blue", "green": "green", "yellow": "bold yellow", "red": "bold red"}


def trend_view(report: StatusReport, task_id: str | None = None) -> RenderableType:
    """All tasks as sparklines (``task_id`` None), or one task as a plot.

    Raises ``KeyError`` for a ``task_id`` the plan does not have (check with
    :func:`minsheng.render.view.task_row` first to give the usual message).
    """
    if task_id is None:
        return _all_tasks(report)
    row = task_row(report, task_id)
    if row is None:
        raise KeyError(task_id)
    return _one_task(report, row)


def spark(values: list[float]) -> str:
    """A sparkline on the fixed scale ▁ = 0% … █ = 100% (values are capped)."""
    return "".join(SPARKS[_nearest(v, len(SPARKS) - 1)] for v in values)


def sample(points: tuple[TrendPoint, ...], limit: int) -> list[TrendPoint]:
    """At most ``limit`` report dates: the last of each month if there are too many, then the latest ones."""
    chosen = list(points)
    if len(chosen) > limit:
        by_month: dict[tuple[int, int], TrendPoint] = {}
        for point in chosen:
            by_month[(point.date.year, point.date.month)] = point
        chosen = list(by_month.values())
    return chosen[-limit:]


# --- every task -------------------------------------------------------------


def _all_tasks(report: StatusReport) -> RenderableType:
    points = sample(report.trend, SPARK_COLUMNS)
    parts: list[RenderableType] = [Text(f"完成率走势（截至{cn_date(report.as_of)}）", style="bold")]
    if report.example:
        parts.append(Text(EXAMPLE_NOTE, style="italic"))
    if not points:
        parts.append(Text("尚无报送，没有走势可画。"))
        return Group(*parts)
    parts.append(Text(_span(points, len(report.trend)), style="dim"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("序号", justify="right", width=4, no_wrap=True)
    table.add_column("项目", no_wrap=True, overflow="ellipsis", max_width=100 - 4 - len(points) - 24)
    table.add_column("走势", no_wrap=True, min_width=len(points))
    table.add_column("完成率 / 序时进度", justify="right", no_wrap=True)
    for row in report.tasks:
        values = [p.tasks[row.task.id][0] for p in points if row.task.id in p.tasks]
        add_row(
            table,
            row.task.id,
            Text(clean(row.task.name)),
            Text(spark(values), style=LIGHT_STYLE[row.light]),
            _figures(row.completion, row.expected),
        )
    table.add_section()
    add_row(
        table,
        "",
        Text("总体", style="bold"),
        Text(spark([p.completion for p in points]), style="bold"),
        _figures(report.completion, report.time_progress),
    )
    parts += [Text(""), table, Text("")]
    parts.append(Text("走势为各报送日期的累计完成率，▁ 0% … █ 100%；右列为统计日的完成率和序时进度。", style="dim"))
    return Group(*parts)


def _figures(completion: float, expected: float) -> Text:
    return Text(f"{pct(completion):>6} / 序时 {pct(expected):>6}")


def _span(points: list[TrendPoint], total: int) -> str:
    first, last = points[0].date, points[-1].date
    dates = f"{first:%m-%d}" if len(points) == 1 else f"{first:%m-%d} 至 {last:%m-%d}"
    if total > len(points):
        return f"报送日期：{dates}（共{total}期，每月取最后一期，显示{len(points)}期）"
    return f"报送日期：{dates}（{total}期）"


# --- one task ---------------------------------------------------------------


def _one_task(report: StatusReport, row: TaskStatus) -> RenderableType:
    task = row.task
    head = Text(clean(f"{task.id} {task.name}（{'、'.join(task.units)}）完成率走势"), style="bold")
    parts: list[RenderableType] = [head]
    if report.example:
        parts.append(Text(EXAMPLE_NOTE, style="italic"))
    points = [p for p in sample(report.trend, PLOT_COLUMNS) if task.id in p.tasks]
    if not points:
        parts.append(Text(f"截至{cn_date(report.as_of)}尚无报送，没有走势可画。"))
        return Group(*parts)
    actual = [_band(p.tasks[task.id][0]) for p in points]
    expected = [_band(p.tasks[task.id][1]) for p in points]
    parts.append(Text(""))
    for band in range(BANDS, -1, -1):
        line = Text(f"{band * 100 // BANDS:>4}% │", style="dim")
        for got, due in zip(actual, expected, strict=True):
            if got == band:
                line.append(_centre(ACTUAL), style=LIGHT_STYLE[row.light])
            elif due == band:
                line.append(_centre(EXPECTED), style="dim")
            else:
                line.append(" " * CELL)
        line.rstrip()
        parts.append(line)
    parts.append(Text("      └" + "─" * (CELL * len(points)), style="dim"))
    parts.append(Text("       " + "".join(_centre(label) for label in _months([p.date for p in points])).rstrip()))
    parts.append(Text(""))
    parts.append(Text(f"{ACTUAL} 完成率  {EXPECTED} 序时进度（两者在同一格时只显示 {ACTUAL}）", style="dim"))
    summary = Text(f"截至{cn_date(report.as_of)}：完成率 {pct(row.completion)}，序时进度 {pct(row.expected)}，")
    summary.append(STATUS_LABELS[row.status], style=LIGHT_STYLE[row.light])
    parts.append(summary)
    return Group(*parts)


def _band(fraction: float) -> int:
    return _nearest(fraction, BANDS)


def _nearest(fraction: float, steps: int) -> int:
    """The nearest of ``steps + 1`` levels from 0 to 1, halves up (35% is the 40% band, not 30%)."""
    return math.floor(min(max(fraction, 0.0), 1.0) * steps + 0.5 + 1e-9)


def _centre(text: str) -> str:
    """``text`` centred in a CELL-wide column, by display width (汉字 count two)."""
    free = CELL - cell_len(text)
    left = free // 2 if cell_len(text) % 2 else (free + 1) // 2
    return " " * left + text + " " * (free - left)


def _months(days: list[dt.date]) -> list[str]:
    """Month labels (7月), each written only where the month changes."""
    labels: list[str] = []
    previous: tuple[int, int] | None = None
    for day in days:
        key = (day.year, day.month)
        labels.append(f"{day.month}月" if key != previous else "")
        previous = key
    return labels

"""Terminal tables (rich) for `status` and `report`, drawn from the computed report.

All user text goes through :func:`~minsheng.render.fmt.clean` and into
``rich.text.Text`` objects, never into markup strings, so a note cannot recolour
or clear the terminal. Colour follows the light; rich drops it when the output
is not a terminal or ``NO_COLOR`` is set.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from minsheng.compute import STATUS_LABELS, IndicatorStatus, StatusReport, TaskStatus
from minsheng.render.fmt import bar, clean, pct, points, short_date, sparkline
from minsheng.render.layout import Column, FitTable
from minsheng.render.prose import Prose
from minsheng.render.rows import (
    indicator_extra_cells,
    indicator_extra_header,
    target_with_measure,
    task_extra_cells,
    task_extra_header,
)
from minsheng.render.view import (
    EXAMPLE_NOTE,
    amount,
    category_sentence,
    correction_lines,
    deadline_sentence,
    forecast_label,
    forecast_short,
    labelled,
    lagging_heading,
    plan_period_note,
    problems_for,
    since_sentence,
    summary_sentence,
    task_groups,
    time_progress_note,
    unit_rows,
)

LIGHT_STYLE = {"blue": "bold blue", "green": "green", "yellow": "bold yellow", "red": "bold red"}
LIGHT_MARK = {"blue": "◆", "green": "●", "yellow": "▲", "red": "■"}


def add_row(table: Table, *cells: RenderableType) -> None:
    """Add a row; plain strings (names, ids, units from the data) become cleaned Text, never markup."""
    table.add_row(*(Text(clean(c)) if isinstance(c, str) else c for c in cells))


def _status(row: TaskStatus | IndicatorStatus) -> Text:
    return Text(f"{LIGHT_MARK[row.light]} {STATUS_LABELS[row.status]}", style=LIGHT_STYLE[row.light])


def _gap(row: TaskStatus | IndicatorStatus) -> Text:
    delta = -row.gap
    style = "red" if row.light == "red" else "yellow" if row.light == "yellow" else ""
    return Text(points(delta), style=style)


def _header(report: StatusReport) -> list[RenderableType]:
    lines: list[RenderableType] = [Prose(clean(report.plan.title), "bold"), Prose(summary_sentence(report))]
    for line in (deadline_sentence(report), plan_period_note(report), since_sentence(report)):
        if line:
            lines.append(Prose(line))
    if report.example:
        lines.append(Prose(EXAMPLE_NOTE, "italic"))
    return lines


def status_view(report: StatusReport) -> RenderableType:
    since = report.since is not None
    columns = [
        Column("id", "序号", justify="right"),
        Column("name", "项目", wrap=True, min_width=12),
        Column("units", "责任单位", wrap=True, min_width=10),
        Column("bar", "", drop=4),
        Column("completion", "完成率", justify="right"),
        Column("expected", "序时进度", justify="right"),
        Column("gap", "偏差", justify="right"),
        Column("status", "状态"),
        Column("last", "最近报送", drop=3),
        Column("forecast", "预计完成", drop=2),
    ]
    if since:
        columns.append(Column("change", "变化", justify="right", drop=1))
    rows: list[dict[str, Text | str]] = []
    for heading, group in task_groups(report):
        if heading is not None:  # "一、城乡建设（1项）": the count on its own line, the name column stays narrow
            name, paren, count = clean(heading).partition("（")
            rows.append({"name": Text(name + ("\n" + paren + count if paren else ""), style="bold")})
        rows += [_task_cells(row, report) for row in group]
    parts: list[RenderableType] = [*_header(report), *_categories(report), Text(""), FitTable(columns, rows), Text("")]
    parts.extend(_task_extras(report))
    parts.extend(_lagging(report))
    parts.append(Text(""))
    parts.extend(_missing(report))
    parts.append(Prose("偏差 = 完成率 − 序时进度（百分点）；预计完成为按近期进度的估算。", "dim"))
    parts.append(Prose(time_progress_note(report), "dim"))
    return Group(*parts)


def _task_cells(row: TaskStatus, report: StatusReport) -> dict[str, Text | str]:
    return {
        "id": row.task.id,
        "name": Text(clean(row.task.name)),
        "units": Text(clean("、".join(row.task.units))),
        "bar": Text(bar(row.completion, 6), style="cyan"),
        "completion": pct(row.completion),
        "expected": pct(row.expected),
        "gap": _gap(row),
        "status": _status(row),
        "last": short_date(row.last_report)[5:] if row.last_report else "—",
        "forecast": forecast_short(row.forecast, row.status == "done", report.as_of),
        "change": points(row.change),
    }


def _categories(report: StatusReport) -> list[RenderableType]:
    return [Prose(clean(category_sentence(cat))) for cat in report.categories]


def _task_extras(report: StatusReport) -> list[RenderableType]:
    """Categories, investment and 开工 per task, where the plan has them: the shared task columns."""
    header = task_extra_header(report)
    if not header:
        return []
    columns = [Column("id", "序号", justify="right"), Column("name", "项目", wrap=True, min_width=12)]
    columns += [Column(f"x{k}", name) for k, name in enumerate(header)]
    rows: list[dict[str, Text | str]] = []
    for row in report.tasks:
        cells = task_extra_cells(report, row)
        light = Text(cells[-1], style=LIGHT_STYLE.get(row.start_light or "", "")) if row.start_light else cells[-1]
        shown = [*cells[:-1], light]
        rows.append({"id": row.task.id, "name": Text(clean(row.task.name))} | {f"x{k}": c for k, c in enumerate(shown)})
    table = FitTable(columns, rows)
    return [Text("项目投资与开工情况", style="bold"), table, Text("")]


def _lagging(report: StatusReport) -> list[RenderableType]:
    rows = report.lagging()
    if not rows:
        return [Text("滞后项目清单：无。", style="bold")]
    columns = [
        Column("id", "指标"),
        Column("name", "名称", wrap=True, min_width=12),
        Column("unit", "责任单位", wrap=True, min_width=10),
        Column("completion", "完成率", justify="right"),
        Column("gap", "偏差", justify="right"),
        Column("status", "状态"),
        Column("problems", "存在问题", wrap=True, min_width=16),
    ]
    cells: list[dict[str, Text | str]] = []
    for row in rows:
        problems = problems_for(report, row)
        reported = row.texts is not None or row.indicator.unit in report.texts
        cells.append(
            {
                "id": row.indicator.id,
                "name": Text(clean(row.indicator.name)),
                "unit": row.indicator.unit,
                "completion": pct(row.completion),
                "gap": _gap(row),
                "status": _status(row),
                "problems": Text(clean(problems) if reported else "（尚未报送）"),
            }
        )
    table = FitTable(columns, cells)
    return [Text(lagging_heading(report), style="bold"), table]


def _missing(report: StatusReport) -> list[RenderableType]:
    missing = report.missing_units()
    if not missing:
        period = next((u.due_period for u in report.units if u.due_period), None)
        return [Prose(f"报送情况：各单位均已报送{period or '本期'}进展。")]
    parts = [f"{clean(u.unit)}（最近报送 {short_date(u.last_report)}）" for u in missing]
    period = missing[0].due_period
    return [Prose(f"未报送{period}进展的单位（{len(missing)}个）：" + "；".join(parts), "bold yellow")]


def indicator_table(rows: list[IndicatorStatus], *, show_unit: bool, since: bool) -> FitTable:
    columns = [Column("id", "指标"), Column("name", "名称", wrap=True, min_width=12)]
    if show_unit:
        columns.append(Column("unit", "报送单位", wrap=True, min_width=10))
    columns += [
        Column("target", "目标", justify="right"),
        Column("value", "累计完成", justify="right"),
        Column("completion", "完成率", justify="right"),
        Column("status", "状态"),
        Column("history", "走势", drop=3),
        Column("forecast", "预计完成", drop=2),
    ]
    if since:
        columns.append(Column("change", "变化", justify="right", drop=1))
    cells: list[dict[str, Text | str]] = []
    for row in rows:
        ind = row.indicator
        measure = ind.measure or ""
        target = (
            "完成" if ind.kind == "milestone" else f"{amount(ind, ind.target)}{measure}{'以上' if ind.floor else ''}"
        )
        history = [1.0 if v is True else 0.0 if v is False else float(v) for _, v in row.history]
        cells.append(
            {
                "id": ind.id,
                "name": Text(clean(ind.name)),
                "unit": ind.unit,
                "target": target,
                "value": amount(ind, row.value),
                "completion": pct(row.completion) + ("↑" if row.completion > 1 + 1e-9 else ""),
                "status": _status(row),
                "history": sparkline(history),
                "forecast": forecast_short(row.forecast, row.status == "done", row.last_report),
                "change": points(row.change),
            }
        )
    return FitTable(columns, cells)


def indicator_extras(rows: list[IndicatorStatus]) -> list[RenderableType]:
    """Own deadlines, notes, items and areas of the indicators that have them, one line each."""
    header = indicator_extra_header(rows)
    if not header:
        return []
    out: list[RenderableType] = [Text("")]
    for row in rows:
        cells = indicator_extra_cells(rows, row)
        said = [f"{name}：{cell}" for name, cell in zip(header, cells, strict=True) if cell]
        if said:
            out.append(Prose(clean(f"{row.indicator.id} {target_with_measure(row)}　" + "；".join(said))))
    return out


def details_view(rows: list[IndicatorStatus]) -> list[RenderableType]:
    """Per-indicator texts (details) where the latest report gave them."""
    out: list[RenderableType] = []
    for row in rows:
        if row.texts is None:
            continue
        out.append(Text(f"指标 {row.indicator.id} {clean(row.indicator.name)}（{row.texts.date}）", style="bold"))
        for label, value in labelled(row.texts):
            out.append(Prose(clean(value), lead=f"  {label}："))
    return out


def texts_view(report: StatusReport, unit: str) -> list[RenderableType]:
    texts = report.texts.get(unit)
    if texts is None:
        return [Prose(f"{clean(unit)}：截至{report.as_of}尚无报告。")]
    out: list[RenderableType] = [Text(f"{clean(unit)} 最近一次报告（{texts.date}）", style="bold")]
    for label, value in (("进展情况", texts.summary), ("存在问题", texts.problems), ("下步计划", texts.next_steps)):
        out.append(Prose(clean(value) or "（未填写）", lead=f"{label}："))
    return out


def unit_view(report: StatusReport, unit: str) -> RenderableType:
    rows = unit_rows(report, unit)
    fresh = next((u for u in report.units if u.unit == unit), None)
    head = Text(f"{clean(unit)} 民生实事进展（截至{report.as_of}，序时进度 {pct(report.time_progress)}）", style="bold")
    parts: list[RenderableType] = [head]
    if report.example:
        parts.append(Text(EXAMPLE_NOTE, style="italic"))
    if fresh is not None:
        note = f"最近报送：{short_date(fresh.last_report)}，共 {fresh.reports} 份报告"
        if fresh.missing:
            note += f"；未报送{fresh.due_period}进展"
        parts.append(Text(note, style="bold yellow" if fresh.missing else ""))
    co = [r for r in rows if r.indicator.unit != unit]
    if co:
        ids = clean("、".join(r.indicator.id for r in co))
        parts.append(Text(f"（含配合指标：{ids}，由牵头单位报送）", style="dim"))
    table = indicator_table(rows, show_unit=bool(co), since=report.since is not None)
    parts += [Text(""), table, *indicator_extras(rows), Text(""), *texts_view(report, unit), *details_view(rows)]
    parts += [Prose(clean(line)) for line in correction_lines(report, unit)]
    return Group(*parts)


def area_view(report: StatusReport, area: str) -> RenderableType:
    """`report --area`: the area's share of every indicator split among areas."""
    from minsheng.render.rows import area_table_rows

    unit = next((a.unit for a in report.plan.areas if a.name == area), None)
    head = f"{clean(area)} 民生实事分解任务进展（截至{report.as_of}，序时进度 {pct(report.time_progress)}）"
    parts: list[RenderableType] = [Text(head, style="bold")]
    if unit:
        parts.append(Text(f"报送单位：{clean(unit)}"))
    if report.example:
        parts.append(Text(EXAMPLE_NOTE, style="italic"))
    header, *body = area_table_rows(report, area)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for k, name in enumerate(header):
        table.add_column(name, ratio=3 if k == 1 else None, overflow="fold", no_wrap=k != 1)
    for cells in body:
        add_row(table, *cells)
    parts += [Text(""), table if body else Text("没有分解到该区域的指标。")]
    return Group(*parts)


def task_view(report: StatusReport, row: TaskStatus) -> RenderableType:
    head = Prose(clean(f"{row.task.id}. {row.task.name}（{'、'.join(row.task.units)}）"), "bold")
    summary = Text(
        f"完成率 {pct(row.completion)}，序时进度 {pct(row.expected)}，偏差 {points(-row.gap)}，"
        f"{STATUS_LABELS[row.status]}；预计完成 {forecast_label(row.forecast, row.status == 'done')}"
    )
    parts: list[RenderableType] = [head, Prose(clean(row.task.description), "dim"), summary]
    if report.example:
        parts.append(Text(EXAMPLE_NOTE, style="italic"))
    rows = list(row.indicators)
    parts += [Text(""), indicator_table(rows, show_unit=True, since=report.since is not None), *indicator_extras(rows)]
    for unit in dict.fromkeys(i.indicator.unit for i in row.indicators):
        parts += [Text(""), *texts_view(report, unit)]
    parts += details_view(rows)
    return Group(*parts)

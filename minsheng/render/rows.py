"""Flat rows (header + cells) of the report, shared by CSV, Markdown and xlsx."""

from __future__ import annotations

from minsheng.compute import STATUS_LABELS, IndicatorStatus, StatusReport, TaskStatus
from minsheng.render.fmt import clean, pct, points, short_date
from minsheng.render.view import (
    START_LABELS,
    amount,
    area_rows,
    areas_text,
    forecast_label,
    has_people,
    indicator_texts,
    items_text,
    people,
    target_note,
    wan,
)

Row = list[str]
ExtraColumn = tuple[str, dict[str, str]]
"""A column another part of the data adds to the 台账 (the 督办 ledger's 核验销号): header, cell by indicator id."""

TASK_HEADER: Row = ["序号", "项目", "责任单位", "完成率", "序时进度", "偏差", "状态", "灯", "最近报送", "预计完成"]
INDICATOR_HEADER: Row = [
    "指标",
    "名称",
    "报送单位",
    "目标",
    "计量单位",
    "累计完成",
    "完成率",
    "序时进度",
    "状态",
    "灯",
    "最近报送",
    "预计完成",
]
LEDGER_HEADER: Row = [
    "序号",
    "项目",
    "指标",
    "目标任务",
    "计量单位",
    "责任单位",
    "累计完成",
    "完成率",
    "序时进度",
    "状态",
    "进展情况",
    "存在问题",
    "下步计划",
]
LIGHT_ZH = {"blue": "蓝", "green": "绿", "yellow": "黄", "red": "红"}


LIGHT_TEXT = {"blue": "蓝灯", "green": "绿灯", "yellow": "黄灯", "red": "红灯"}


def target_text(row: IndicatorStatus) -> str:
    ind = row.indicator
    if ind.kind == "milestone":
        return "完成"
    return amount(ind, ind.target) + ("以上" if ind.floor else "")


def target_with_measure(row: IndicatorStatus) -> str:
    """The target as a sentence writes it: "200场以上" (以上 after the 计量单位), "3条", "完成"."""
    ind = row.indicator
    if ind.kind == "milestone":
        return "完成"
    return amount(ind, ind.target) + (ind.measure or "") + ("以上" if ind.floor else "")


def start_text(t: TaskStatus) -> str:
    """开工: 已开工（05-08）/ 未开工（黄灯：开工滞后）/ 未到开工时间."""
    if t.started is None:
        return ""
    if t.started:
        return f"已开工（{t.started_on:%m-%d}）" if t.started_on else "已开工"
    if t.start_light in {"yellow", "red"}:
        return f"未开工（{START_LABELS[t.start_light]}）"
    return "未开工"


def indicator_start_text(r: IndicatorStatus) -> str:
    """An indicator's 开工, where it tracks stages: 已开工（05-08）/ 未开工（开工滞后）/ 未开工."""
    if not r.indicator.tracks_stages:
        return ""
    if r.started:
        return f"已开工（{r.started_on:%m-%d}）" if r.started_on else "已开工"
    if r.start_light in {"yellow", "red"}:
        return f"未开工（{START_LABELS[r.start_light]}）"
    return "未开工"


def task_extra_header(report: StatusReport) -> Row:
    """The columns a plan with categories, investment or stages adds (none for a plan without)."""
    header: Row = []
    if report.categories:
        header.append("分类")
    if report.investment is not None:
        header += ["计划投资（万元）", "完成投资（万元）", "投资完成率"]
    if report.start_rate is not None:
        header += ["计划开工", "开工"]
    return header


def task_extra_cells(report: StatusReport, t: TaskStatus) -> Row:
    cells: Row = []
    if report.categories:
        cells.append(t.task.category or "")
    if report.investment is not None:
        inv = t.investment
        cells += [wan(inv.planned), wan(inv.done), pct(inv.completion)] if inv else ["—", "—", "—"]
    if report.start_rate is not None:
        cells += [short_date(t.planned_start) if t.started is not None else "", start_text(t)]
    return cells


def task_rows(report: StatusReport, since: bool = False, tasks: list[TaskStatus] | None = None) -> list[Row]:
    header = TASK_HEADER + (["变化"] if since else []) + task_extra_header(report)
    rows = [header]
    for t in report.tasks if tasks is None else tasks:
        rows.append(_task_cells(t) + ([points(t.change)] if since else []) + task_extra_cells(report, t))
    return rows


def _task_cells(t: TaskStatus) -> Row:
    return [
        t.task.id,
        t.task.name,
        "、".join(t.task.units),
        pct(t.completion),
        pct(t.expected),
        points(-t.gap),
        STATUS_LABELS[t.status],
        LIGHT_ZH[t.light],
        short_date(t.last_report),
        forecast_label(t.forecast, t.status == "done"),
    ]


FORM_NOTE_HEADERS = frozenset({"完成时限", "说明", "逐项进展", "分区域"})
"""The columns :func:`indicator_extra_header` can add (the fill-in form shows them, the import never reads them)."""


def indicator_extra_header(rows: list[IndicatorStatus]) -> Row:
    """Columns for what some indicators have: own deadlines, notes on the target, an own planned
    start (开工), items, areas."""
    header: Row = []
    if any(r.due for r in rows):
        header.append("完成时限")
    if any(target_note(r) for r in rows):
        header.append("说明")
    if any(r.indicator.start for r in rows):
        header.append("开工")
    if any(r.items for r in rows):
        header.append("逐项进展")
    if any(r.areas for r in rows):
        header.append("分区域")
    return header


def indicator_extra_cells(rows: list[IndicatorStatus], r: IndicatorStatus) -> Row:
    cells: Row = []
    if any(x.due for x in rows):
        cells.append(short_date(r.due) if r.due else "")
    if any(target_note(x) for x in rows):
        cells.append(target_note(r))
    if any(x.indicator.start for x in rows):
        cells.append(indicator_start_text(r))
    if any(x.items for x in rows):
        cells.append(items_text(r))
    if any(x.areas for x in rows):
        cells.append(areas_text(r))
    return cells


def indicator_rows(rows: list[IndicatorStatus], since: bool = False) -> list[Row]:
    out = [INDICATOR_HEADER + (["变化"] if since else []) + indicator_extra_header(rows)]
    for r in rows:
        ind = r.indicator
        out.append(
            [
                ind.id,
                ind.name,
                ind.unit,
                target_text(r),
                ind.measure or "",
                amount(ind, r.value),
                pct(r.completion),
                pct(r.expected),
                STATUS_LABELS[r.status],
                LIGHT_ZH[r.light],
                short_date(r.last_report),
                forecast_label(r.forecast, r.status == "done"),
            ]
            + ([points(r.change)] if since else [])
            + indicator_extra_cells(rows, r)
        )
    return out


def ledger_rows(
    report: StatusReport, rows: list[IndicatorStatus] | None = None, columns: tuple[ExtraColumn, ...] = ()
) -> list[Row]:
    """The 台账: one row per indicator with its latest three texts (its own, else its unit's)."""
    chosen = rows if rows is not None else report.indicators()
    extra = ledger_extra_header(report, chosen, columns)
    out = [list(LEDGER_HEADER) + extra]
    names = {t.task.id: t.task.name for t in report.tasks}
    for r in chosen:
        ind = r.indicator
        texts = indicator_texts(report, r)
        out.append(
            [
                ind.id,
                names[r.task_id],
                ind.name,
                target_text(r),
                ind.measure or "",
                "、".join((ind.unit, *ind.co_units)),
                amount(ind, r.value),
                pct(r.completion),
                pct(r.expected),
                STATUS_LABELS[r.status],
                clean(texts.summary) if texts else "",
                clean(texts.problems) if texts else "",
                clean(texts.next_steps) if texts else "",
                *ledger_extra_cells(report, chosen, r, columns),
            ]
        )
    return out


AREA_HEADER: Row = [
    "指标",
    "名称",
    "所属任务",
    "区域目标",
    "计量单位",
    "区域累计完成",
    "区域完成率",
    "序时进度",
    "全指标完成率",
]


def area_table_rows(report: StatusReport, area: str) -> list[Row]:
    """`report --area`: each indicator split among areas, with this area's share."""
    out = [list(AREA_HEADER)]
    for row, share in area_rows(report, area):
        ind = row.indicator
        out.append(
            [
                ind.id,
                ind.name,
                row.task_id,
                amount(ind, share.target),
                ind.measure or "",
                amount(ind, share.value),
                pct(share.completion),
                pct(row.expected),
                pct(row.completion),
            ]
        )
    return out


def ledger_extra_header(
    report: StatusReport, rows: list[IndicatorStatus], columns: tuple[ExtraColumn, ...] = ()
) -> Row:
    """台账 columns a plan adds where it has them: people, then the indicator extras, then ``columns``."""
    people_header = ["责任领导", "责任人"] if has_people(report) else []
    return people_header + indicator_extra_header(rows) + [name for name, _cells in columns]


def ledger_extra_cells(
    report: StatusReport, rows: list[IndicatorStatus], r: IndicatorStatus, columns: tuple[ExtraColumn, ...] = ()
) -> Row:
    leader, owner = people(report, r)
    cells = ([leader or "", owner or ""] if has_people(report) else []) + indicator_extra_cells(rows, r)
    return cells + [by_id.get(r.indicator.id, "") for _name, by_id in columns]

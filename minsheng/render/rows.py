"""Flat rows (header + cells) of the report, shared by CSV, Markdown and xlsx."""

from __future__ import annotations

from minsheng.compute import STATUS_LABELS, IndicatorStatus, StatusReport, TaskStatus
from minsheng.render.fmt import clean, num, pct, points, short_date
from minsheng.render.view import forecast_label

Row = list[str]

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


def target_text(row: IndicatorStatus) -> str:
    ind = row.indicator
    if ind.kind == "milestone":
        return "完成"
    return num(ind.target) + ("以上" if ind.floor else "")


def task_rows(report: StatusReport, since: bool = False) -> list[Row]:
    header = TASK_HEADER + (["变化"] if since else [])
    rows = [header]
    for t in report.tasks:
        rows.append(_task_cells(t) + ([points(t.change)] if since else []))
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


def indicator_rows(rows: list[IndicatorStatus], since: bool = False) -> list[Row]:
    out = [INDICATOR_HEADER + (["变化"] if since else [])]
    for r in rows:
        ind = r.indicator
        out.append(
            [
                ind.id,
                ind.name,
                ind.unit,
                target_text(r),
                ind.measure or "",
                num(r.value),
                pct(r.completion),
                pct(r.expected),
                STATUS_LABELS[r.status],
                LIGHT_ZH[r.light],
                short_date(r.last_report),
                forecast_label(r.forecast, r.status == "done"),
            ]
            + ([points(r.change)] if since else [])
        )
    return out


def ledger_rows(report: StatusReport, rows: list[IndicatorStatus] | None = None) -> list[Row]:
    """The 台账: one row per indicator with the unit's latest three texts."""
    out = [list(LEDGER_HEADER)]
    names = {t.task.id: t.task.name for t in report.tasks}
    for r in rows if rows is not None else report.indicators():
        ind = r.indicator
        texts = report.texts.get(ind.unit)
        out.append(
            [
                ind.id,
                names[r.task_id],
                ind.name,
                target_text(r),
                ind.measure or "",
                "、".join((ind.unit, *ind.co_units)),
                num(r.value),
                pct(r.completion),
                pct(r.expected),
                STATUS_LABELS[r.status],
                clean(texts.summary) if texts else "",
                clean(texts.problems) if texts else "",
                clean(texts.next_steps) if texts else "",
            ]
        )
    return out

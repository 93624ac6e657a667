"""The report as plain data: the JSON contract, and the sentences every format shares.

``status_dict`` is the value ``status --format json`` prints; the tables, CSV,
Markdown, xlsx, HTML and docx are drawn from the same :class:`StatusReport`,
with the same wording from :func:`summary_sentence`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from minsheng.compute import (
    LIGHT_LABELS,
    STATUS_LABELS,
    Forecast,
    IndicatorStatus,
    StatusReport,
    TaskStatus,
    UnitFreshness,
)
from minsheng.render.fmt import cn_date, pct

SCHEMA_VERSION = 1
EXAMPLE_NOTE = "注：进展数据为示例数据（虚构），仅供演示。"


def summary_sentence(report: StatusReport) -> str:
    """截至2024年7月31日，10项民生实事总体完成68.2%，序时进度69.7%；已完成2项，…"""
    c = report.counts
    parts = []
    if c["done"]:
        parts.append(f"已完成{c['done']}项")
    on_time = c["ahead"] + c["on_track"]
    if on_time:
        parts.append(f"按序时推进{on_time}项" + (f"（其中超序时{c['ahead']}项）" if c["ahead"] else ""))
    for key in ("behind", "far_behind", "not_started", "overdue"):
        if c[key]:
            parts.append(f"{STATUS_LABELS[key]}{c[key]}项")
    head = (
        f"截至{cn_date(report.as_of)}，{len(report.tasks)}项民生实事总体完成{pct(report.completion)}，"
        f"序时进度{pct(report.time_progress)}"
    )
    return head + "；" + "，".join(parts) + "。"


def since_sentence(report: StatusReport) -> str | None:
    if report.since is None or report.change is None:
        return None
    moved = sum(1 for t in report.tasks if t.change and t.change > 1e-9)
    return f"与{cn_date(report.since)}相比，总体完成率变化 {report.change * 100:+.1f} 个百分点，{moved}项有新进展。"


def forecast_label(forecast: Forecast | None, done: bool) -> str:
    if done:
        return "已完成"
    if forecast is None:
        return "数据不足"
    if forecast.date is None:
        return "进度过慢" if forecast.too_slow else "无进展"
    text = forecast.date.isoformat()
    return f"{text} 预计逾期" if forecast.overdue else text


def forecast_short(forecast: Forecast | None, done: bool, today: dt.date | None) -> str:
    """The forecast for a narrow column: 11-15, 2025-01 逾期, 无进展."""
    label = forecast_label(forecast, done)
    if forecast is None or forecast.date is None or done:
        return label
    year = today.year if today else forecast.date.year
    text = forecast.date.strftime("%m-%d") if forecast.date.year == year else forecast.date.strftime("%Y-%m")
    return f"{text} 逾期" if forecast.overdue else text


def _date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _forecast(forecast: Forecast | None) -> dict[str, Any] | None:
    if forecast is None:
        return None
    return {
        "date": _date(forecast.date),
        "overdue": forecast.overdue,
        "basis": forecast.basis,
        "too_slow": forecast.too_slow,
        "estimate": True,
    }


def indicator_dict(row: IndicatorStatus) -> dict[str, Any]:
    ind = row.indicator
    return {
        "id": ind.id,
        "task": row.task_id,
        "name": ind.name,
        "kind": ind.kind,
        "target": ind.target,
        "floor": ind.floor,
        "direction": ind.direction,
        "baseline": ind.baseline,
        "weight": ind.weight,
        "measure": ind.measure,
        "unit": ind.unit,
        "co_units": list(ind.co_units),
        "value": row.value,
        "completion": row.completion,
        "expected": row.expected,
        "gap": row.gap,
        "status": row.status,
        "status_label": STATUS_LABELS[row.status],
        "light": row.light,
        "last_report": _date(row.last_report),
        "forecast": _forecast(row.forecast),
        "change": row.change,
        "history": [{"date": d.isoformat(), "value": v} for d, v in row.history],
    }


def task_dict(row: TaskStatus) -> dict[str, Any]:
    return {
        "id": row.task.id,
        "name": row.task.name,
        "units": list(row.task.units),
        "completion": row.completion,
        "expected": row.expected,
        "gap": row.gap,
        "status": row.status,
        "status_label": STATUS_LABELS[row.status],
        "light": row.light,
        "last_report": _date(row.last_report),
        "forecast": _forecast(row.forecast),
        "change": row.change,
        "indicators": [indicator_dict(i) for i in row.indicators],
    }


def unit_dict(report: StatusReport, row: UnitFreshness) -> dict[str, Any]:
    texts = report.texts.get(row.unit)
    return {
        "unit": row.unit,
        "last_report": _date(row.last_report),
        "due_period": row.due_period,
        "missing": row.missing,
        "reports": row.reports,
        "latest": None
        if texts is None
        else {
            "date": texts.date.isoformat(),
            "summary": texts.summary,
            "problems": texts.problems,
            "next_steps": texts.next_steps,
        },
    }


def status_dict(report: StatusReport) -> dict[str, Any]:
    plan = report.plan
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": {
            "title": plan.title,
            "region": plan.region,
            "year": plan.year,
            "start": plan.start_date.isoformat(),
            "deadlines": {
                "basic": {"date": plan.deadlines.basic.date.isoformat(), "label": plan.deadlines.basic.label},
                "final": {"date": plan.deadlines.final.date.isoformat(), "label": plan.deadlines.final.label},
            },
            "thresholds": {"yellow": plan.thresholds.yellow, "red": plan.thresholds.red},
        },
        "example": report.example,
        "as_of": report.as_of.isoformat(),
        "since": _date(report.since),
        "summary": summary_sentence(report),
        "time_progress": report.time_progress,
        "completion": report.completion,
        "change": report.change,
        "counts": dict(report.counts),
        "status_labels": dict(STATUS_LABELS),
        "light_labels": dict(LIGHT_LABELS),
        "tasks": [task_dict(t) for t in report.tasks],
        "lagging": [
            {
                "indicator": row.indicator.id,
                "task": row.task_id,
                "name": row.indicator.name,
                "unit": row.indicator.unit,
                "gap": row.gap,
                "status": row.status,
                "light": row.light,
                "problems": _problems_of(report, row.indicator.unit),
            }
            for row in report.lagging()
        ],
        "units": [unit_dict(report, u) for u in report.units],
        "missing_reports": [u.unit for u in report.missing_units()],
        "trend": [
            {
                "date": point.date.isoformat(),
                "completion": point.completion,
                "expected": point.expected,
                "tasks": {tid: {"completion": c, "expected": e} for tid, (c, e) in point.tasks.items()},
            }
            for point in report.trend
        ],
    }


def _problems_of(report: StatusReport, unit: str) -> str | None:
    texts = report.texts.get(unit)
    return None if texts is None else texts.problems


def unit_rows(report: StatusReport, unit: str) -> list[IndicatorStatus]:
    """Every indicator a unit reports or co-reports, across tasks."""
    return [row for row in report.indicators() if row.indicator.unit == unit or unit in row.indicator.co_units]


def task_row(report: StatusReport, task_id: str) -> TaskStatus | None:
    return next((t for t in report.tasks if t.task.id == task_id), None)


def unit_report_dict(report: StatusReport, unit: str) -> dict[str, Any]:
    freshness = next((u for u in report.units if u.unit == unit), None)
    return {
        "schema_version": SCHEMA_VERSION,
        "example": report.example,
        "as_of": report.as_of.isoformat(),
        "since": _date(report.since),
        "time_progress": report.time_progress,
        "unit": unit_dict(report, freshness) if freshness else {"unit": unit},
        "indicators": [indicator_dict(r) for r in unit_rows(report, unit)],
    }


def task_report_dict(report: StatusReport, row: TaskStatus) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "example": report.example,
        "as_of": report.as_of.isoformat(),
        "since": _date(report.since),
        "time_progress": report.time_progress,
        "task": task_dict(row),
        "units": [unit_dict(report, u) for u in report.units if u.unit in row.task.units],
    }

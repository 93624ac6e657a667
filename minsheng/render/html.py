"""A self-contained HTML page of the status report: one file to open, mail or print on A4.

Drawn only from the :class:`~minsheng.compute.StatusReport` (no file, no clock), and, where the office
keeps a 督办 ledger, from its :class:`~minsheng.supervision.view.SupervisionSummary` of the same day.
The page has no script, no external resource and no URL: inline CSS and inline
SVG only, and a Content-Security-Policy that forbids scripts and fetches, as a
second line behind escaping. Every user text passes through :func:`_text`
(control characters removed, then :func:`html.escape` with ``quote=True``)
whether it lands in element content or in an attribute.

The page reads on a phone as at a desk: at 390 px the page itself never scrolls
sideways; each wide table scrolls inside its own box with its columns kept at a
readable width, and the overall chart is drawn a second time for a narrow screen
(CSS shows one of the two). Dates read 2024年7月31日 in prose and titles, 7月31日
in table cells of the plan's year, and forecasts name a month.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING

from minsheng.compute import (
    LIGHT_LABELS,
    STATUS_LABELS,
    Forecast,
    IndicatorStatus,
    StatusReport,
    TaskStatus,
    UnitFreshness,
)
from minsheng.render.fmt import clean, cn_date, pct, points
from minsheng.render.rows import (
    Row,
    indicator_extra_cells,
    indicator_extra_header,
    target_text,
    task_extra_cells,
    task_extra_header,
)
from minsheng.render.svg import LARGE, NARROW, SMALL, Axis, line_chart
from minsheng.render.view import (
    EXAMPLE_NOTE,
    PLAN_TIME_LABEL,
    TASK_TIME_LABEL,
    TREND_TIME_LABEL,
    amount,
    category_sentence,
    deadline_sentence,
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

if TYPE_CHECKING:
    from minsheng.supervision.view import SupervisionSummary

LIGHT_MARK = {"blue": "◆", "green": "●", "yellow": "▲", "red": "■"}
"""A shape per light, so the status never rests on colour alone."""
STATUS_TONE = {
    "done": "blue",
    "ahead": "green",
    "on_track": "green",
    "behind": "yellow",
    "far_behind": "red",
    "overdue": "red",
    "not_started": "grey",
}
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

CSS = """
:root{--ink:#1d2433;--muted:#5b6472;--line:#d9dee6;--track:#e7eaf0;--bg:#f5f6f8;
--blue:#1f5fbf;--green:#1a7f37;--yellow:#e3a700;--yellow-ink:#3b2f00;--red:#c62828;--grey:#6b7280;--overall:#2f4a6d}
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}
html{background:var(--bg)}
body{margin:0 auto;max-width:1180px;padding:24px 28px 40px;background:#fff;color:var(--ink);font-size:14px;
line-height:1.55;font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",
"WenQuanYi Micro Hei",sans-serif}
h1{font-size:24px;margin:0 0 4px;letter-spacing:.02em}
h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--ink);break-after:avoid}
h3{font-size:15px;margin:0 0 6px}
p{margin:6px 0}
.meta,.small{color:var(--muted);font-size:12.5px}
.lead{font-size:16px;font-weight:600;margin:10px 0 4px}
.example{border-left:4px solid var(--yellow);background:#fff8e1;padding:6px 10px;margin:10px 0;font-weight:600}
.overview{display:grid;grid-template-columns:auto 1fr;gap:10px 28px;align-items:center;margin:14px 0 6px;
padding:14px 16px;border:1px solid var(--line);border-radius:8px;break-inside:avoid}
.kpis{display:flex;gap:22px}
.kpi b{display:block;font-size:28px;line-height:1.1;font-variant-numeric:tabular-nums}
.kpi span{color:var(--muted);font-size:12px}
.gauge{position:relative;padding-top:24px}
.gauge .bar{height:18px;border-radius:9px}
.gauge .mark{top:-8px;bottom:-4px;width:3px;margin-left:-1.5px}
.gauge .tag{position:absolute;top:-2px;font-size:12px;font-weight:600;white-space:nowrap;color:var(--ink)}
.gauge .at-middle{transform:translateX(-50%)}.gauge .at-start{transform:translateX(-2px)}
.gauge .at-end{transform:translateX(calc(-100% + 2px))}
.counts{grid-column:1/-1;display:flex;flex-wrap:wrap;gap:6px;margin:0;padding:0;list-style:none}
.counts li{border:1px solid var(--line);border-radius:14px;padding:1px 10px 1px 8px;font-size:13px}
.counts li b{font-size:15px;margin-right:3px}
.counts li.zero{color:#9aa1ab}
.counts li .dot{margin-right:4px}
.tone-blue .dot{color:var(--blue)}.tone-green .dot{color:var(--green)}.tone-yellow .dot{color:var(--yellow)}
.tone-red .dot{color:var(--red)}.tone-grey .dot{color:var(--grey)}
table{width:100%;border-collapse:collapse;font-size:13px}
thead{display:table-header-group}
th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;border-bottom:1.5px solid var(--ink);
padding:5px 6px;white-space:nowrap}
td{padding:6px;border-bottom:1px solid var(--line);vertical-align:middle}
tr{break-inside:avoid}
td.num,th.num,td.pct{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.pct{font-weight:700}
td.id{color:var(--muted);text-align:right;width:2.2em}
td.nowrap{white-space:nowrap}
.name{font-weight:600}
.units{display:block;color:var(--muted);font-size:12px;font-weight:400}
.bar{position:relative;height:10px;background:var(--track);border-radius:5px;min-width:110px}
.fill{position:absolute;left:0;top:0;bottom:0;border-radius:inherit}
.fill.blue{background:var(--blue)}.fill.green{background:var(--green)}.fill.yellow{background:var(--yellow)}
.fill.red{background:var(--red)}.fill.overall{background:var(--overall)}
.mark{position:absolute;top:-3px;bottom:-3px;width:2px;margin-left:-1px;background:var(--ink)}
.light{display:inline-block;border-radius:11px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap;
color:#fff;line-height:20px}
.light.blue{background:var(--blue)}.light.green{background:var(--green)}
.light.yellow{background:var(--yellow);color:var(--yellow-ink)}.light.red{background:var(--red)}
.gap-yellow{color:#8a5a00;font-weight:600}.gap-red{color:var(--red);font-weight:600}
.late{color:var(--red);font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;color:var(--muted);font-size:12px;margin:6px 0 8px}
.legend i{display:inline-block;vertical-align:middle;margin-right:5px}
.legend .k-fill{width:22px;height:8px;border-radius:4px;background:var(--green)}
.legend .k-mark{width:2px;height:14px;background:var(--ink)}
.legend .k-actual{width:22px;height:0;border-top:2.5px solid var(--green)}
.legend .k-overall{width:22px;height:0;border-top:2.5px solid var(--overall)}
.legend .k-expected{width:22px;height:0;border-top:2px dashed #8a93a3}
.legend .k-deadline{width:0;height:14px;border-left:1.5px dotted var(--red)}
figure{margin:0;break-inside:avoid}
.charts{display:grid;grid-template-columns:repeat(5,1fr);gap:12px 14px}
.charts figcaption{font-size:12.5px;font-weight:600;line-height:1.35;height:2.7em;display:flex;gap:6px;
justify-content:space-between;align-items:flex-start}
.charts figcaption>span:first-child{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;
overflow:hidden}
.charts figcaption .pct{white-space:nowrap}
svg.chart{display:block;width:100%;height:auto;font-family:inherit}
svg .grid{stroke:#edf0f4;stroke-width:1}
svg .axis{stroke:#9aa1ab;stroke-width:1}
svg .tick{fill:var(--muted);font-size:9px}
figure.overall svg .tick,figure.overall svg .note{font-size:11px}figure.overall svg .end{font-size:13px}
svg .note{fill:var(--red)}
svg .deadline{stroke:var(--red);stroke-width:1;stroke-dasharray:2 2}
svg .asof{stroke:#9aa1ab;stroke-width:1}
svg .expected{fill:none;stroke:#8a93a3;stroke-width:1.5;stroke-dasharray:4 3}
svg .actual{fill:none;stroke-width:2.2;stroke-linejoin:round}
svg .end{font-size:10px;font-weight:700}
.problems{white-space:pre-line;font-size:12.5px;min-width:18em}
.missing{border-left:4px solid var(--red);background:#fdecea;padding:6px 10px}
.ok{border-left:4px solid var(--green);background:#e9f5ec;padding:6px 10px}
.unit{border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:12px 0;break-inside:avoid}
.unit.is-missing{border-color:var(--red)}
.unit table{margin:6px 0 8px;table-layout:fixed}
.unit th:nth-child(1){width:4.5em}.unit th:nth-child(3){width:7em}.unit th:nth-child(4){width:5.5em}
.unit th:nth-child(5){width:6.5em}.unit th:nth-child(6){width:6.5em}.unit th:nth-child(7){width:7.5em}
dl.texts{display:grid;grid-template-columns:5em 1fr;gap:3px 10px;margin:4px 0 0;font-size:13px}
dl.texts dt{font-weight:600;color:var(--muted)}
dl.texts dd{margin:0;white-space:pre-line}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
figure.overall.narrow{display:none}
footer{margin-top:28px;padding-top:8px;border-top:1px solid var(--line);color:var(--muted);font-size:12px}
@media (max-width:900px){.charts{grid-template-columns:repeat(2,1fr)}.overview{grid-template-columns:1fr}}
@media (max-width:640px){
body{padding:14px 12px 28px}
h1{font-size:20px}
.kpis{flex-wrap:wrap;gap:10px 18px}
.scroll{margin:0 -12px;padding:0 12px}
table.tasks{min-width:820px}
table.lagging{min-width:660px}
table.lagging td.name{min-width:9em}
.problems{min-width:14em}
.unit{padding:10px}
.unit .scroll{margin:0 -10px;padding:0 10px}
.unit table{min-width:560px}
.charts{grid-template-columns:1fr}
figure.overall.wide{display:none}
figure.overall.narrow{display:block}
dl.texts{grid-template-columns:1fr}
}
@page{size:A4;margin:14mm 12mm 16mm}
@media print{
html,body{background:#fff}
body{max-width:none;padding:0;font-size:9.5pt}
h1{font-size:16pt}h2{font-size:12pt;margin-top:14pt}
table{font-size:8.5pt}th{font-size:8pt}td{padding:3pt 4pt}
.bar{min-width:60pt}
.charts{grid-template-columns:repeat(4,1fr);gap:6pt 10pt}
figure.overall.wide{display:block}figure.overall.narrow{display:none}
.scroll{overflow:visible}
.unit,.overview,figure,tr,dl.texts{break-inside:avoid;page-break-inside:avoid}
h2,h3{break-after:avoid;page-break-after:avoid}
}
"""


def _text(text: str | None) -> str:
    """User text for element content or an attribute: control characters out, then escaped."""
    return escape(clean(text), quote=True)


def _lines(text: str | None) -> str:
    """Like :func:`_text` but keeps line breaks (shown with ``white-space: pre-line``)."""
    if not text:
        return ""
    return escape("\n".join(clean(line) for line in text.splitlines()).strip(), quote=True)


def _width(fraction: float) -> str:
    return f"{min(max(fraction, 0.0), 1.0) * 100:.1f}%"


def _bar(completion: float, expected: float, light: str) -> str:
    label = f"完成率 {pct(completion)}，序时进度 {pct(expected)}"
    return (
        f'<div class="bar" role="img" aria-label="{label}" title="{label}">'
        f'<span class="fill {light}" style="width:{_width(completion)}"></span>'
        f'<span class="mark" style="left:{_width(expected)}"></span></div>'
    )


def _light(light: str) -> str:
    return f'<span class="light {light}">{LIGHT_MARK.get(light, "")} {LIGHT_LABELS.get(light, light)}</span>'


def _status_pill(row: TaskStatus | IndicatorStatus) -> str:
    """Status in the light's colour, with the light's shape, and its name as a tooltip."""
    return (
        f'<span class="light {row.light}" title="{LIGHT_LABELS.get(row.light, row.light)}">'
        f"{LIGHT_MARK.get(row.light, '')} {STATUS_LABELS[row.status]}</span>"
    )


def _gap(row: TaskStatus | IndicatorStatus) -> str:
    cls = {"yellow": "gap-yellow", "red": "gap-red"}.get(row.light, "")
    return f'<td class="num {cls}">{points(-row.gap)}</td>'


def _header(report: StatusReport) -> str:
    plan = report.plan
    basic, final = plan.deadlines.basic, plan.deadlines.final
    meta = (
        f"截至{cn_date(report.as_of)} · {_text(basic.label)} {cn_date(basic.date)} · "
        f"{_text(final.label)} {cn_date(final.date)} · 落后序时 {plan.thresholds.yellow * 100:g} 个百分点黄灯、"
        f"{plan.thresholds.red * 100:g} 个百分点红灯"
    )
    out = [
        "<header>",
        f"<h1>{_text(plan.title)}</h1>",
        f'<p class="meta">{meta}</p>',
        f'<p class="lead" id="summary">{escape(summary_sentence(report))}</p>',
    ]
    if (deadline := deadline_sentence(report)) is not None:
        out.append(f'<p id="deadline">{escape(deadline)}</p>')
    moved = since_sentence(report)
    if moved:
        out.append(f'<p id="since">{escape(moved)}</p>')
    if (outside := plan_period_note(report)) is not None:
        out.append(f'<p class="example" id="plan-period">{escape(outside)}</p>')
    if report.example:
        out.append(f'<p class="example" id="example-note">{escape(EXAMPLE_NOTE)}</p>')
    out.append("</header>")
    return "\n".join(out)


def _anchor(fraction: float) -> str:
    """Where a label sits on its mark: centred, or kept inside the bar near either end."""
    return "at-start" if fraction < 0.12 else "at-end" if fraction > 0.88 else "at-middle"


def _overview(report: StatusReport) -> str:
    gap = report.completion - report.time_progress
    kpis = (
        '<div class="kpis">'
        f'<div class="kpi"><b id="completion">{pct(report.completion)}</b><span>总体进度</span></div>'
        f'<div class="kpi"><b id="time-progress">{pct(report.time_progress)}</b><span>{PLAN_TIME_LABEL}</span></div>'
        f'<div class="kpi"><b>{points(gap)}</b><span>偏差（百分点）</span></div>'
        "</div>"
    )
    gauge = (
        '<div class="gauge">'
        f'<span class="tag {_anchor(report.time_progress)}" style="left:{_width(report.time_progress)}">'
        f"{PLAN_TIME_LABEL} {pct(report.time_progress)}</span>"
        f"{_bar(report.completion, report.time_progress, 'overall')}</div>"
    )
    counts = []
    for key, label in STATUS_LABELS.items():
        n = report.counts.get(key, 0)
        tone = STATUS_TONE[key]
        zero = " zero" if n == 0 else ""
        counts.append(
            f'<li class="tone-{tone}{zero}" data-status="{key}"><span class="dot">●</span><b>{n}</b>项 {label}</li>'
        )
    return (
        f'<div class="overview">{kpis}{gauge}<ul class="counts" aria-label="各状态项目数">{"".join(counts)}</ul></div>'
    )


def _legend_bars() -> str:
    return (
        '<div class="legend"><span><i class="k-fill"></i>完成率（颜色即灯）</span>'
        '<span><i class="k-mark"></i>序时进度</span>'
        f"<span>{_light('blue')} 已完成</span><span>{_light('green')} 超序时、按序时</span>"
        f"<span>{_light('yellow')} 滞后</span><span>{_light('red')} 严重滞后、逾期未完成</span></div>"
    )


def _tasks(report: StatusReport) -> str:
    since = report.since is not None
    head = [
        '<th class="num">序号</th>',
        "<th>项目 / 责任单位</th>",
        '<th colspan="2">完成率</th>',
        f'<th class="num" title="{TASK_TIME_LABEL}">序时进度</th>',
        '<th class="num">偏差</th>',
        "<th>灯</th>",
        "<th>状态</th>",
        "<th>最近报送</th>",
        "<th>预计完成</th>",
    ]
    if since:
        head.append('<th class="num">变化</th>')
    rows = []
    grouped = task_groups(report)
    starts = {group[0].task.id: heading for heading, group in grouped if heading is not None and group}
    for t in (t for _, group in grouped for t in group):
        if t.task.id in starts:
            rows.append(f'<tr class="group"><th colspan="{len(head) + 1}">{_text(starts[t.task.id])}</th></tr>')
        cells = [
            f'<td class="id">{_text(t.task.id)}</td>',
            f'<td><span class="name" title="{_text(t.task.description)}">{_text(t.task.name)}</span>'
            f'<span class="units">{_text("、".join(t.task.units))}</span></td>',
            f"<td>{_bar(t.completion, t.expected, t.light)}</td>",
            f'<td class="pct">{pct(t.completion)}</td>',
            f'<td class="num">{pct(t.expected)}</td>',
            _gap(t),
            f"<td>{_light(t.light)}</td>",
            f'<td class="status nowrap">{STATUS_LABELS[t.status]}</td>',
            f'<td class="nowrap">{_day(t.last_report, report)}</td>',
            f'<td class="nowrap{" late" if t.forecast and t.forecast.overdue else ""}"'
            f' title="{_text(t.forecast.basis) if t.forecast else ""}">{task_forecast(t, report)}</td>',
        ]
        if since:
            cells.append(f'<td class="num">{points(t.change)}</td>')
        rows.append(
            f'<tr data-task="{_text(t.task.id)}" data-status="{t.status}" data-light="{t.light}">{"".join(cells)}</tr>'
        )
    return (
        f'<div class="scroll"><table class="tasks" id="tasks"><thead><tr>{"".join(head)}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        '<p class="small">偏差 = 完成率 − 序时进度（百分点）；预计完成为按近期进度估算的月份。</p>'
    )


def _day(day: dt.date | None, report: StatusReport) -> str:
    """A date in a table cell: 7月31日 in the plan's year, 2025年1月15日 outside it."""
    if day is None:
        return "—"
    return f"{day.month}月{day.day}日" if day.year == report.plan.year else cn_date(day)


def forecast_month(forecast: Forecast | None, done: bool, report: StatusReport) -> str:
    """The forecast as readers plan: a month (2024年11月), 逾期 when past the final deadline."""
    if done:
        return "已完成"
    if forecast is None:
        return "数据不足"
    if forecast.date is None:
        return "进度过慢" if forecast.too_slow else "近期无进展"
    day = forecast.date
    month = f"{day.month}月" if day.year == report.plan.year else f"{day.year}年{day.month}月"
    return f"{month}（逾期）" if forecast.overdue else month


def task_forecast(t: TaskStatus, report: StatusReport) -> str:
    """A project's forecast; when it has none because some indicators stalled, which ones."""
    done = t.status == "done"
    if done or t.forecast is None or t.forecast.date is not None or t.forecast.too_slow:
        return forecast_month(t.forecast, done, report)
    stalled = [
        i.indicator.id
        for i in t.indicators
        if i.status != "done" and i.forecast is not None and i.forecast.date is None and not i.forecast.too_slow
    ]
    if not stalled or len(stalled) == len(t.indicators):
        return "近期无进展"
    return f"{'、'.join(_text(s) for s in stalled)}近期无进展"


def _axis(report: StatusReport) -> Axis:
    plan = report.plan
    first = report.trend[0].date if report.trend else plan.start_date
    return Axis(min(plan.start_date, first), plan.deadlines.final.date, plan.deadlines.basic.date, report.as_of)


def _series(report: StatusReport, task_id: str | None) -> list[tuple[dt.date, float, float]]:
    """(date, completion, expected) per trend point, starting from (start, 0, 0) when no report precedes it.

    Before the first report nothing is done, and 序时进度 is 0 at the start date by definition.
    """
    out: list[tuple[dt.date, float, float]] = []
    start = report.plan.start_date
    if report.trend and report.trend[0].date > start:
        out.append((start, 0.0, 0.0))
    for p in report.trend:
        if task_id is None:
            out.append((p.date, p.completion, p.expected))
        elif task_id in p.tasks:
            c, e = p.tasks[task_id]
            out.append((p.date, c, e))
    return out


def _charts(report: StatusReport) -> str:
    if not report.trend:
        return '<p class="small">截至统计日尚无任何报送，暂无走势。</p>'
    axis = _axis(report)
    legend = (
        '<div class="legend"><span><i class="k-overall"></i>总体进度</span>'
        '<span><i class="k-actual"></i>各项目完成率（颜色即灯）</span>'
        f'<span><i class="k-expected"></i>序时进度（总体图为{TREND_TIME_LABEL}，各项目图为本项目的）</span>'
        '<span><i class="k-deadline"></i>基本完成时限</span><span>灰色竖线：统计日</span></div>'
    )
    label = f"总体进度走势：{pct(report.completion)}，{PLAN_TIME_LABEL} {pct(report.time_progress)}"
    series = _series(report, None)
    named = TREND_TIME_LABEL
    overall = line_chart(series, axis, label=label, light="overall", box=LARGE, expected_label=named)
    phone = line_chart(series, axis, label=label, light="overall", box=NARROW, expected_label=named)
    figures = []
    for t in report.tasks:
        name = f"{clean(t.task.id)} {clean(t.task.name)}"
        label = f"{name}：完成率 {pct(t.completion)}，{TASK_TIME_LABEL} {pct(t.expected)}"
        svg = line_chart(
            _series(report, t.task.id), axis, label=label, light=t.light, box=SMALL, expected_label="本项目序时"
        )
        figures.append(
            f'<figure data-task="{_text(t.task.id)}"><figcaption>'
            f'<span title="{_text(t.task.name)}">{_text(t.task.id)}. {_text(t.task.name)}</span>'
            f'<span class="pct tone-{t.light}"><span class="dot">{LIGHT_MARK.get(t.light, "")}</span> '
            f"{pct(t.completion)}</span></figcaption>{svg}</figure>"
        )
    return (
        f'{legend}<figure class="overall wide" id="trend-overall">{overall}</figure>'
        f'<figure class="overall narrow" id="trend-overall-narrow">{phone}</figure>'
        f'<h3 style="margin-top:14px">各项目</h3><div class="charts" id="trend">{"".join(figures)}</div>'
    )


def _lagging(report: StatusReport) -> str:
    rows = report.lagging()
    if not rows:
        return '<p class="ok" id="lagging">无滞后项目。</p>'
    body = []
    for r in rows:
        ind = r.indicator
        reported = r.texts is not None or ind.unit in report.texts
        problems = _lines(problems_for(report, r)) if reported else "（尚未报送）"
        body.append(
            f'<tr data-indicator="{_text(ind.id)}">'
            f'<td class="nowrap">{_text(ind.id)}</td><td class="name">{_text(ind.name)}</td>'
            f'<td class="nowrap">{_text(ind.unit)}</td><td class="pct">{pct(r.completion)}</td>{_gap(r)}'
            f"<td>{_status_pill(r)}</td>"
            f'<td class="problems">{problems or "（未填写）"}</td></tr>'
        )
    return (
        '<div class="scroll"><table class="lagging" id="lagging"><thead><tr>'
        '<th>指标</th><th>名称</th><th>责任单位</th><th class="num">完成率</th>'
        '<th class="num">偏差</th><th>状态</th><th>存在问题（最近一次报告）</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _missing(report: StatusReport) -> str:
    missing = report.missing_units()
    if not missing:
        period = next((u.due_period for u in report.units if u.due_period), None)
        return f'<p class="ok" id="missing">各单位均已报送{_text(period or "本期")}进展。</p>'
    items = "".join(
        f'<li data-unit="{_text(u.unit)}"><b>{_text(u.unit)}</b>（最近报送 {_day(u.last_report, report)}）</li>'
        for u in missing
    )
    return (
        f'<div class="missing" id="missing"><p><b>未报送{_text(missing[0].due_period)}进展的单位'
        f"（{len(missing)}个）：</b></p><ul>{items}</ul></div>"
    )


def _unit(report: StatusReport, n: int, fresh: UnitFreshness) -> str:
    unit = fresh.unit
    rows = []
    for r in unit_rows(report, unit):
        ind = r.indicator
        co = "" if ind.unit == unit else '<span class="units">（配合，由' + _text(ind.unit) + "报送）</span>"
        over = "↑" if r.completion > 1 + 1e-9 else ""
        over_title = ' title="超额完成"' if over else ""
        rows.append(
            f'<tr data-indicator="{_text(ind.id)}"><td class="nowrap">{_text(ind.id)}</td>'
            f'<td><span class="name">{_text(ind.name)}</span>{co}</td>'
            f'<td class="num">{_text(target_text(r))}</td><td>{_text(ind.measure)}</td>'
            f'<td class="num">{_text(amount(ind, r.value))}</td>'
            f'<td class="pct"{over_title}>{pct(r.completion)}{over}</td>'
            f"<td>{_status_pill(r)}</td></tr>"
        )
    note = f"最近报送 {_day(fresh.last_report, report)}，共 {fresh.reports} 份报告"
    if fresh.missing:
        note += f'；<span class="late">未报送{_text(fresh.due_period)}进展</span>'
    texts = report.texts.get(unit)
    if texts is None:
        body = f'<p class="small">截至{cn_date(report.as_of)}尚无报告。</p>'
    else:
        items = "".join(
            f"<dt>{label}</dt><dd>{_lines(value) or '（未填写）'}</dd>"
            for label, value in (
                ("进展情况", texts.summary),
                ("存在问题", texts.problems),
                ("下步计划", texts.next_steps),
            )
        )
        body = f'<p class="small">最近一次报告（{cn_date(texts.date)}）</p><dl class="texts">{items}</dl>'
    mine = unit_rows(report, unit)
    extra = indicator_extra_header(mine)
    if extra:
        cells = [[r.indicator.id, *indicator_extra_cells(mine, r)] for r in mine]
        body += _plain_table(["指标", *extra], cells, f"unit-{n}-extras")
    for r in mine:
        if r.texts is not None:
            said = "".join(f"<dt>{label}</dt><dd>{_lines(value)}</dd>" for label, value in labelled(r.texts))
            head = f"指标 {_text(r.indicator.id)} {_text(r.indicator.name)}"
            body += f'<p class="small">{head}</p><dl class="texts">{said}</dl>'
    cls = "unit is-missing" if fresh.missing else "unit"
    return (
        f'<section class="{cls}" id="unit-{n}" data-unit="{_text(unit)}"><h3>{_text(unit)}</h3>'
        f'<p class="small">{note}</p>'
        '<div class="scroll"><table><thead><tr><th>指标</th><th>名称</th><th class="num">目标</th><th>计量单位</th>'
        '<th class="num">累计完成</th><th class="num">完成率</th><th>状态</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>{body}</section>"
    )


def _plain_table(header: Row, rows: list[Row], table_id: str) -> str:
    head = "".join(f"<th>{_text(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>" for row in rows)
    table = f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return f'<div class="scroll">{table}</div>'  # on a phone the table scrolls, never the page


def _plan_extras(report: StatusReport) -> str:
    """Categories, investment and 开工 where the plan has them: the shared task columns."""
    out = []
    if report.categories:
        items = "".join(f"<li>{_text(category_sentence(cat))}</li>" for cat in report.categories)
        out.append(f'<ul id="categories">{items}</ul>')
    header = task_extra_header(report)
    if header:
        rows = [[t.task.id, t.task.name, *task_extra_cells(report, t)] for t in report.tasks]
        out.append("<h3>投资与开工</h3>" + _plain_table(["序号", "项目", *header], rows, "task-extras"))
    return "".join(out)


def _supervision(report: StatusReport, summary: SupervisionSummary) -> str:
    """七、督办与核验销号: 单位自报完成 and 核验销号 counted apart, then the 督办 items not yet closed."""
    from minsheng.supervision.view import (
        LIST_HEADER,
        VERIFICATION_HEADER,
        action_lines,
        action_row,
        verification_counts,
        verification_line,
        verification_of,
        verification_rows,
    )

    v = verification_of(summary, report)
    counts = verification_counts(v)
    out = [
        '<ul class="counts" id="verification-counts">'
        f'<li data-count="self_reported_done">单位自报完成 <b>{counts["self_reported_done"]}</b> 个指标</li>'
        f'<li data-count="verified_done">其中核验销号 <b>{counts["verified_done"]}</b> 个</li>'
        f'<li data-count="waiting">待核验 <b>{counts["waiting"]}</b> 个</li>'
        + (
            f'<li data-count="verified_not_done">已核验销号、现报未完成 <b>{counts["verified_not_done"]}</b> 个</li>'
            if counts["verified_not_done"]
            else ""
        )
        + "</ul>"
    ]
    line = verification_line(summary, report, hint=False)
    if line:
        out.append(f'<p id="verification">{_text(line)}</p>')
    rows = verification_rows(v)
    if rows:
        out.append("<h3>核验销号情况</h3>" + _plain_table(VERIFICATION_HEADER, rows, "verification-table"))
    lines = action_lines(summary)
    out.append(
        "<h3>督办事项</h3>" + "".join(f'<p class="supervision-line">{_text(x)}</p>' for x in lines or ["无督办事项。"])
    )
    if summary.open:
        out.append(_plain_table(LIST_HEADER, [action_row(s) for s in summary.open], "supervision-open"))
    return "".join(out)


def status_html(report: StatusReport, supervision: SupervisionSummary | None = None) -> str:
    """The whole status report as one self-contained HTML5 document (UTF-8 text); with ``supervision``
    (the office's 督办 ledger on the same day) a seventh section of 督办 and 核验销号."""
    title = f"{clean(report.plan.title)}：进展情况（截至{cn_date(report.as_of)}）"
    units = "\n".join(_unit(report, n, u) for n, u in enumerate(report.units, 1))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="minsheng">',
        f"<title>{escape(title, quote=True)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        _header(report),
        '<section id="overview"><h2>一、总体情况</h2>',
        _overview(report),
        *([extras] if (extras := _plan_extras(report)) else []),
        "</section>",
        '<section id="projects"><h2>二、各项目进展</h2>',
        _legend_bars(),
        _tasks(report),
        "</section>",
        '<section id="trends"><h2>三、完成率走势</h2>',
        _charts(report),
        "</section>",
        f'<section id="lagging-list"><h2>四、{escape(lagging_heading(report))}</h2>'
        if report.lagging()
        else '<section id="lagging-list"><h2>四、滞后项目清单</h2>',
        _lagging(report),
        "</section>",
        '<section id="reporting"><h2>五、报送情况</h2>',
        _missing(report),
        "</section>",
        '<section id="units"><h2>六、分单位情况</h2>',
        units,
        "</section>",
        *(
            ['<section id="supervision"><h2>七、督办与核验销号</h2>', _supervision(report, supervision), "</section>"]
            if supervision is not None
            else []
        ),
        "<footer>",
        "完成率 = (累计值 − 基数) ÷ (目标 − 基数)，超过 100% 照实显示（↑ 超额完成），平均时按 100% 计；"
        + escape(time_progress_note(report).removeprefix("注："))
        + "预计完成为按最近报告进度的估算。"
        + (f"<br>{escape(EXAMPLE_NOTE)}" if report.example else ""),
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"

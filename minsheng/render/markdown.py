"""Markdown briefs for `status` and `report`, for pasting into documents and chats.

Every field that comes from the data (names, ids, units, texts) goes through
:func:`~minsheng.render.fmt.md_escape`: it can never become a link, an image or HTML.
"""

from __future__ import annotations

from minsheng.compute import STATUS_LABELS, IndicatorStatus, StatusReport, TaskStatus
from minsheng.render.delimited import to_markdown_table
from minsheng.render.fmt import cn_date, md_escape, pct, points, short_date
from minsheng.render.rows import indicator_rows, task_rows
from minsheng.render.view import (
    EXAMPLE_NOTE,
    category_sentence,
    deadline_sentence,
    labelled,
    lagging_heading,
    plan_period_note,
    problems_for,
    since_sentence,
    summary_sentence,
    task_groups,
    unit_rows,
)


def status_markdown(report: StatusReport) -> str:
    title = "完成情况" if report.as_of >= report.plan.deadlines.final.date else "进展情况"
    head = f"# {md_escape(report.plan.title)}：{title}（截至{cn_date(report.as_of)}）"
    out = [head, "", summary_sentence(report), ""]
    for line in (deadline_sentence(report), plan_period_note(report), since_sentence(report)):
        if line:
            out += [line, ""]
    if report.example:
        out += [f"> {EXAMPLE_NOTE}", ""]
    if report.categories:
        out += [f"- {md_escape(category_sentence(cat))}" for cat in report.categories] + [""]
    for heading, group in task_groups(report):
        if heading is not None:
            out += [f"### {md_escape(heading)}", ""]
        out += [to_markdown_table(task_rows(report, report.since is not None, group)), ""]
    out += [f"## {lagging_heading(report)}" if report.lagging() else "## 滞后项目清单", ""]
    lagging = report.lagging()
    if lagging:
        for row in lagging:
            reported = row.texts is not None or row.indicator.unit in report.texts
            problems = md_escape(problems_for(report, row) or "") if reported else "尚未报送"
            out.append(
                f"- {md_escape(row.indicator.id)} {md_escape(row.indicator.name)}（{md_escape(row.indicator.unit)}）："
                f"完成 {pct(row.completion)}，偏差 {points(-row.gap)} 个百分点，{STATUS_LABELS[row.status]}。"
                f"存在问题：{problems or '未填写'}"
            )
    else:
        out.append("无。")
    out += ["", "## 报送情况", ""]
    missing = report.missing_units()
    if missing:
        out += [
            f"- {md_escape(u.unit)}：未报送{md_escape(u.due_period)}进展（最近报送 {short_date(u.last_report)}）"
            for u in missing
        ]
    else:
        out.append("各单位均已按期报送。")
    return "\n".join(out) + "\n"


def _texts(report: StatusReport, unit: str) -> list[str]:
    texts = report.texts.get(unit)
    if texts is None:
        return [f"{md_escape(unit)} 尚无报告。"]
    return [
        f"**{md_escape(unit)} 最近一次报告（{texts.date}）**",
        "",
        f"- 进展情况：{md_escape(texts.summary or '未填写')}",
        f"- 存在问题：{md_escape(texts.problems or '未填写')}",
        f"- 下步计划：{md_escape(texts.next_steps or '未填写')}",
    ]


def _details(rows: list[IndicatorStatus]) -> list[str]:
    out = []
    for row in rows:
        if row.texts is None:
            continue
        said = [f"{label}：{md_escape(value)}" for label, value in labelled(row.texts)]
        out.append(f"- 指标 {row.indicator.id} {md_escape(row.indicator.name)}：" + "；".join(said))
    return ["", *out] if out else []


def unit_markdown(report: StatusReport, unit: str) -> str:
    out = [f"# {md_escape(unit)} 民生实事进展（截至{cn_date(report.as_of)}）", ""]
    if report.example:
        out += [f"> {EXAMPLE_NOTE}", ""]
    rows = unit_rows(report, unit)
    out += [to_markdown_table(indicator_rows(rows, report.since is not None)), ""]
    return "\n".join(out + _texts(report, unit) + _details(rows)) + "\n"


def area_markdown(report: StatusReport, area: str) -> str:
    from minsheng.render.rows import area_table_rows

    out = [f"# {md_escape(area)} 民生实事分解任务进展（截至{cn_date(report.as_of)}）", ""]
    if report.example:
        out += [f"> {EXAMPLE_NOTE}", ""]
    return "\n".join([*out, to_markdown_table(area_table_rows(report, area))]) + "\n"


def task_markdown(report: StatusReport, row: TaskStatus) -> str:
    out = [
        f"# {md_escape(row.task.id)}. {md_escape(row.task.name)}（截至{cn_date(report.as_of)}）",
        "",
        f"完成率 {pct(row.completion)}，序时进度 {pct(row.expected)}，{STATUS_LABELS[row.status]}。",
        "",
    ]
    if report.example:
        out += [f"> {EXAMPLE_NOTE}", ""]
    out += [to_markdown_table(indicator_rows(list(row.indicators), report.since is not None)), ""]
    for unit in dict.fromkeys(i.indicator.unit for i in row.indicators):
        out += [*_texts(report, unit), ""]
    details = _details(list(row.indicators))
    return "\n".join(out + ([*details[1:], ""] if details else []))

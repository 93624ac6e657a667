"""`minsheng export bulletin`: the 月度通报, as a Word document or as Markdown.

Thin: load and check the data, pick the period (:func:`minsheng.ranking.reported_periods`),
compute the status at its end and at the previous period's end, rank the units, read the 督办
ledger, build the one :class:`~minsheng.render.bulletin_view.Bulletin` and render it.
Registered on the export app by :func:`register`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from minsheng.cli import DataOpt, PlanOpt

if TYPE_CHECKING:
    from minsheng.render.bulletin_view import Bulletin

AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="通报日期 YYYY-MM-DD，默认今天；通报的是截至该日已结束的最近一个月（或季度）。", metavar="DATE"
    ),
]


AsRecordedOpt = Annotated[
    str | None,
    typer.Option(
        "--as-recorded",
        help="按 git 中当时的数据（含督办台账）生成：日期 YYYY-MM-DD（当天最后一次提交）或提交号、tag。",
        metavar="DATE-OR-COMMIT",
    ),
]


class BulletinFormat(StrEnum):
    docx = "docx"
    markdown = "markdown"


def _base() -> Any:
    from minsheng import cli

    return cli


def export_bulletin(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="输出文件（.docx 或 .md）；Markdown 不写或写 - 时打印到屏幕。", metavar="FILE"
        ),
    ] = None,
    number: Annotated[
        int | None,
        typer.Option("--number", help="期号（第N期），默认为本计划的第几个统计期（1月起即月份）。", min=1, metavar="N"),
    ] = None,
    output_format: Annotated[
        BulletinFormat | None,
        typer.Option("--format", "-f", help="docx（默认）或 markdown；-o 以 .md 结尾时默认 markdown。"),
    ] = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    as_recorded: AsRecordedOpt = None,
) -> None:
    """月度通报：总体情况、亮灯情况、责任单位排名及位次变化、未报送单位、挂牌督办及逾期未整改事项、下步要求。"""
    cli = _base()
    fmt = output_format or (
        BulletinFormat.markdown if output is not None and output.suffix.lower() == ".md" else BulletinFormat.docx
    )
    if fmt is BulletinFormat.docx and output is None:
        cli._fail("Word 通报需要 -o 文件名（如 -o 通报.docx）；要打印到屏幕请用 --format markdown")
    day = cli._parse_date(as_of) or dt.date.today()
    bulletin = _bulletin(data, plan, day, number, as_recorded)
    if fmt is BulletinFormat.markdown:
        from minsheng.render.bulletin_markdown import bulletin_markdown

        text = bulletin_markdown(bulletin)
        if output is None or str(output) == "-":
            cli._emit(text)
        else:
            cli._write_output(output, text.encode("utf-8"))
        return
    from minsheng.render.bulletin_docx import bulletin_docx

    assert output is not None
    cli._write_output(output, bulletin_docx(bulletin))


def _bulletin(data: Path | None, plan: str | None, day: dt.date, number: int | None, recorded: str | None) -> Bulletin:
    from minsheng.compute import build_status
    from minsheng.layout import DataDirError
    from minsheng.ranking import rank_units, reported_periods
    from minsheng.render.bulletin_view import build_bulletin
    from minsheng.render.fmt import cn_date

    cli = _base()
    data, plan = cli._given(data, plan)
    project = cli._open(data, plan, recorded=recorded)
    if project.errors:
        cli._refuse(project, project.errors, "未生成通报")
    try:
        dataset = project.dataset(plan, day)
    except DataDirError as exc:
        cli._fail(str(exc))
    periods = reported_periods(dataset.plan, day)
    if periods is None:
        cli._fail(
            f"截至{cn_date(day)}，本计划（{cn_date(dataset.plan.start_date)}开始）还没有结束的统计期，无可通报；"
            "请用 --as-of 给出月末（或季末）或其后的日期"
        )
    period, previous = periods
    report = build_status(dataset, period.end, previous.end if previous is not None else None)
    current = report if period.end == day else build_status(dataset, day)
    before = build_status(dataset, previous.end) if previous is not None else None
    from minsheng.cli_supervise import supervision_summary

    supervision = supervision_summary(data, current, recorded, project)
    return build_bulletin(report, current, period, rank_units(report, before), supervision, number, previous)


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    export_app.command("bulletin")(export_bulletin)

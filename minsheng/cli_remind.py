"""`minsheng remind`: 催报 — the units whose report for the period due is missing.

A thin command over :mod:`minsheng.reminders` and :mod:`minsheng.render.remind`,
registered on the main app by :func:`register`. Always exit 0 once the data is
valid: before the plan starts, before anything is due, once all have reported and
after the plan is over, it says so in words.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from minsheng.cli import AsOfOpt, AsRecordedOpt, DataOpt, PlanOpt


class RemindFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    text = "text"


def _base() -> Any:
    from minsheng import cli

    return cli


def remind(
    as_of: AsOfOpt = None,
    output_format: Annotated[
        RemindFormat,
        typer.Option("--format", "-f", help="输出格式：table、json、csv、markdown、text（可直接发送的催报通知）。"),
    ] = RemindFormat.table,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_recorded: AsRecordedOpt = None,
) -> None:
    """催报：到期未报送进展的单位，及报送期、应报日期、逾期天数、联系人和电话；--format text 为催报通知。

    --as-recorded 给出当时（git 中）记录的数据下应当催报的单位，供核对当时是否发过催报。
    """
    from minsheng.reminders import reminders
    from minsheng.render import remind as view

    cli = _base()
    report = cli._checked_report(data, plan, as_of, None, as_recorded)
    found = reminders(report)
    if output_format is RemindFormat.json:
        cli._emit(cli._json(view.remind_dict(found)))
    elif output_format is RemindFormat.csv:
        from minsheng.render.delimited import to_csv

        if not found.rows:
            sys.stderr.write(cli._clean(view.message(found)) + "\n")
        cli._emit(to_csv([view.HEADER, *(view.row(x, blank="") for x in found.rows)], id_column=None))
    elif output_format is RemindFormat.markdown:
        cli._emit(view.remind_markdown(found))
    elif output_format is RemindFormat.text:
        cli._emit(view.remind_text(found))
    else:
        from rich.text import Text

        from minsheng.render.layout import Column, FitTable
        from minsheng.render.prose import Prose

        cli._print(Text(f"催报清单（{len(found.rows)}个单位）", style="bold"))
        cli._print(Prose(cli._clean(view.message(found))))
        if found.rows:
            wide = {"单位", "联系人", "电话"}
            columns = [
                Column(str(n), h, wrap=h in wide, min_width=6, drop=int(h == "最近报送"))
                for n, h in enumerate(view.HEADER)
            ]
            cells = [{str(n): Text(c) for n, c in enumerate(view.row(x))} for x in found.rows]
            cli._print(FitTable(columns, cells))


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    app.command("remind")(remind)

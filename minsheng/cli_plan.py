"""`minsheng plan …`: commands that make a plan file (today: `plan draft`).

A thin client of :mod:`minsheng.draft`: parse options, draft, refuse to
overwrite, write atomically, print the summary on stderr. Exit codes as the
rest of the CLI: 0 written, 1 the document cannot be drafted from, 2 usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

plan_app = typer.Typer(
    help="计划文件：从实施方案或项目清单起草计划（plan draft）。",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"minsheng: {message}\n")
    return typer.Exit(code)


@plan_app.command("draft")
def draft(
    file: Annotated[Path, typer.Argument(help="实施方案或项目清单：.txt（UTF-8 或 GBK）、.docx、.html、.xlsx、.csv。")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出的计划文件，默认 plan-年度.yaml。", metavar="FILE")
    ] = None,
    region: Annotated[str | None, typer.Option("--region", help="地区名称（文中找不到或要改写时）。")] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="年度（文中找不到或要改写时）。", min=2000, max=2100)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖。")] = False,
) -> None:
    """从实施方案起草计划文件：任务、指标（目标、计量单位、以上/达到/万）、责任单位、节点；推测之处标“# 待核对”。"""
    from minsheng.atomic import write_text
    from minsheng.draft import DraftContentError, DraftInputError, draft_file, summary

    if not file.is_file():
        raise _fail(f"找不到文件 {file}", 2)
    try:
        result = draft_file(file, year=year, region=region)
    except (DraftInputError, DraftContentError) as exc:
        raise _fail(f"{exc}。未写入任何文件。", 1) from None
    target = output or Path(f"plan-{result.plan.year}.yaml")
    if target.is_dir():
        raise _fail(f"{target} 是目录，请给出文件名", 2)
    if target.exists() and not force:
        raise _fail(f"{target} 已存在，未覆盖；要覆盖请加 --force，或用 -o 另给文件名", 2)
    if not target.parent.is_dir():
        raise _fail(f"目录 {target.parent} 不存在", 2)
    try:
        write_text(target, result.text)
    except OSError as exc:
        raise _fail(f"无法写入 {target}：{exc.strerror or exc}", 1) from None
    sys.stderr.write(summary(result, target))


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")

"""The 留痕 commands and options: `history`, `--as-recorded`, `validate --changes-since`.

Registered on the app by :mod:`minsheng.cli`; kept apart so that the git side
grows here, not in cli.py. Like every command, these parse options, call the
library (:mod:`minsheng.history`, :mod:`minsheng.gitstore`), render, and set the
exit code: 2 when git cannot answer (not a repository, unknown revision, a
date before the first commit).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from minsheng.cli import DataOpt, ReportFormat, _emit, _fail, _parse_date, _print

if TYPE_CHECKING:
    from minsheng.problems import Problem
    from minsheng.snapshot import Snapshot


def changed_since(data: Path | None, rev: str, strict: bool, problems: list[Problem]) -> list[Problem]:
    """``validate --changes-since REV``: the data problems plus each committed value altered or removed since REV."""
    from minsheng.changes import committed_changes
    from minsheng.gitstore import GitError
    from minsheng.layout import resolve_data_dir
    from minsheng.problems import Problem

    try:
        found = committed_changes(resolve_data_dir(data, os.environ), rev, strict=strict)
    except GitError as exc:
        _fail(str(exc))
    return sorted([*problems, *found], key=Problem.sort_key)


def recorded_snapshot(data_dir: Path, spec: str) -> Snapshot:
    """``--as-recorded SPEC``: the data directory as committed then, or a plain message and exit 2."""
    from minsheng.gitstore import GitError
    from minsheng.gitstore import recorded_snapshot as read

    try:
        snap = read(data_dir, spec)
    except GitError as exc:
        _fail(str(exc))
    when = snap.committed_at[:19].replace("T", " ")
    if not snap.plan_paths():
        _fail(f"提交 {snap.commit[:10]}（{when}）时，数据目录 {data_dir} 里还没有计划文件（plan*.yaml）")
    sys.stderr.write(f"按 git 记录计算：{spec} → 提交 {snap.commit[:10]}（{when}）时的数据\n")
    return snap


def history(
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只看一个单位（名称或简称）。")] = None,
    indicator: Annotated[str | None, typer.Option("--indicator", "-i", help="只看一个指标（编号，如 2.2）。")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="只看此日期（YYYY-MM-DD）及以后的提交。", metavar="DATE")
    ] = None,
    issued: Annotated[
        list[str] | None,
        typer.Option("--issued", help="通报日期 YYYY-MM-DD（可多次给出；每个 git tag 也算一次通报）。", metavar="DATE"),
    ] = None,
    data: DataOpt = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="输出格式。")] = ReportFormat.table,
) -> None:
    """留痕：每份报告何时由谁首次提交、此后每次修改的旧值→新值，标出补报、改数、删除、插入（读 git 历史）。"""
    from minsheng.gitstore import GitError
    from minsheng.history import read_history, select
    from minsheng.layout import DataDirError, resolve_data_dir
    from minsheng.render import history as render

    start = _parse_date(since)
    days = [d for d in (_parse_date(v) for v in issued or []) if d is not None]
    try:
        data_dir = resolve_data_dir(data, os.environ)
        found = read_history(data_dir, days)
    except DataDirError as exc:
        _fail(str(exc))
    except GitError as exc:
        _fail(str(exc))
    canonical = None
    name = None
    if unit is not None:
        from minsheng.units import UnitIndex

        index = UnitIndex([u for p in found.plans for u in p.units])
        name = index.canonical(unit)
        if name is None:
            _fail(index.unknown(unit) if found.plans else f"历史中没有可读的计划，无法识别单位“{unit}”")
        canonical = index.canonical
    events = select(found.events, unit=name, canonical=canonical, indicator=indicator, since=start)
    notes = [
        f"浅克隆：历史在提交 {c.sha[:10]}（{c.committed_at[:10]}）处截断，更早的提交不在本地，"
        "那里标为“新增”的报告可能更早就有（git fetch --unshallow 取回全部历史）"
        for c in found.shallow
    ]
    fmt = output_format.value
    if fmt in ("json", "csv"):
        for note in notes:
            sys.stderr.write(f"minsheng: {note}\n")
    if fmt == "json":
        _emit(render.to_json(events))
    elif fmt == "csv":
        _emit(render.to_csv(events))
    elif fmt == "markdown":
        _emit(render.to_markdown(events, notes))
    else:
        _print(render.table_view(events, notes))


def register(app: typer.Typer, export_app: typer.Typer | None = None) -> None:
    app.command("history")(history)


__all__ = ["history", "recorded_snapshot", "register"]

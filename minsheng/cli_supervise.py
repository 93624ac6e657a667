"""`minsheng supervise …`, `minsheng review` and `minsheng export letter`: the office's own ledger.

Thin commands over :mod:`minsheng.supervision`: parse options, call the library,
render, set the exit code. Registered on the main app by :func:`register`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from minsheng.cli import AsOfOpt, DataOpt

if TYPE_CHECKING:
    from minsheng.compute import StatusReport
    from minsheng.project import Project
    from minsheng.supervision.model import Entry
    from minsheng.supervision.view import SupervisionSummary

supervise_app = typer.Typer(
    help="督办台账：挂牌督办、督办函、答复、销号、更正、核验销号，以及督办事项清单。",
    no_args_is_help=True,
    rich_markup_mode=None,
)

DateOpt = Annotated[str | None, typer.Option("--date", help="这条记录的日期 YYYY-MM-DD，默认今天。", metavar="DATE")]
ByOpt = Annotated[
    str | None, typer.Option("--by", help="经办人（写入台账；--commit 时也是提交作者：姓名 或 “姓名 <邮箱>”）。")
]
CommitOpt = Annotated[
    bool | None,
    typer.Option(
        "--commit/--no-commit",
        help="写入后提交到 git（只含督办台账这一个文件）；默认取数据目录 minsheng.toml 的 [record] commit。",
    ),
]


def _base() -> Any:
    from minsheng import cli

    return cli


def _day(value: str | None) -> dt.date:
    return _base()._parse_date(value) or dt.date.today()


def _context(data: Path | None, as_of: dt.date) -> tuple[Any, Any, Path]:
    """The checked project, its dataset for ``as_of``'s plan, and the data directory."""
    import os

    from minsheng.layout import resolve_data_dir

    cli = _base()
    data, _plan = cli._given(data, None)
    project = cli._open(data)
    # A verified value reported lower is the office's to settle (supervise verify --revoke): never a bar to it.
    errors = [p for p in project.errors if p.code != "verified-decrease"]
    if errors:
        cli._refuse(project, errors, "未处理")
    return project, project.dataset(None, as_of), resolve_data_dir(data, os.environ)


def _entries(data_dir: Path, plans: list[Any], year: int) -> list[Entry]:
    from minsheng.supervision.load import load_supervision

    loaded = load_supervision(data_dir, plans)
    errors = [p for p in loaded.problems if p.severity == "error"]
    if errors:
        from minsheng.render.problems import to_text

        sys.stderr.write(to_text(errors, len(loaded.sources)))
        sys.stderr.write("督办台账有错误，请先改正。\n")
        raise typer.Exit(1)
    return [e for ledger in loaded.ledgers if ledger.year == year for e in ledger.entries]


def supervision_summary(
    data: Path | None, report: StatusReport, recorded: str | None, project: Project
) -> SupervisionSummary | None:
    """For status and report: the 督办 picture on the report's day, or None without a ledger.

    With ``recorded`` (``--as-recorded``), the ledger as it stood in git at that moment, as the rest of the data.
    ``project`` is the one the report was computed from."""
    import os

    from minsheng.layout import resolve_data_dir, supervision_paths

    cli = _base()
    data, _plan = cli._given(data, None)
    data_dir = resolve_data_dir(data, os.environ)
    snapshot = None
    if recorded is not None:
        from minsheng.cli_history import recorded_snapshot

        snapshot = recorded_snapshot(data_dir, recorded)
    paths = supervision_paths(data_dir) if snapshot is None else snapshot.supervision_paths()
    if not paths:
        return None
    from minsheng.dataset import build_dataset
    from minsheng.supervision.compute import summarize
    from minsheng.supervision.load import load_supervision  # parses YAML: only when there is a ledger
    from minsheng.supervision.view import SupervisionSummary

    plans = [plan for _, plan in project.plans]
    loaded = load_supervision(data_dir, plans, None if snapshot is None else snapshot.read_bytes, paths)
    if any(p.severity == "error" for p in loaded.problems):
        return None  # the project's own check has reported them (validate lists every one)
    entries = [e for ledger in loaded.ledgers if ledger.year == report.plan.year for e in ledger.entries]
    dataset = build_dataset(report.plan, project.ledgers)
    states, found, verifs, _ends, _reports = summarize(dataset, entries, report.as_of)
    return SupervisionSummary(tuple(states), tuple(found), verifs)


def _append(data: Path | None, fields: dict[str, Any], as_of: dt.date, commit: bool | None = None) -> None:
    from minsheng.commit import GitCommitter, commit_default
    from minsheng.record import RecordError
    from minsheng.render.fmt import clean
    from minsheng.supervision.write import SupervisionWriteError, append_entry, commit_message

    project, dataset, data_dir = _context(data, as_of)
    plans = [plan for _, plan in project.plans]
    wanted = commit_default(data_dir) if commit is None else commit
    by = fields.get("by")
    hook = GitCommitter(data_dir, by if isinstance(by, str) else None, commit_message) if wanted else None
    try:
        done = append_entry(data_dir, dataset.plan, plans, fields, hook)
    except RecordError as exc:  # from --commit: not a git repository, uncommitted changes …
        _base()._fail(str(exc), 2 if exc.usage else 1)
    except SupervisionWriteError as exc:
        for p in exc.problems:
            sys.stderr.write(f"{clean(p.location())}: [{p.code}] {clean(p.message)}\n")
            if p.hint:
                sys.stderr.write(f"    提示：{clean(p.hint)}\n")
        _base()._fail(str(exc), 1)
    what = next(iter(fields))
    created = "（撤销核验）" if fields.get("revoke") else ""
    created += "（新建）" if done.created else ""
    sys.stdout.write(f"已记录 {what} {clean(str(getattr(done.entry, what)))}：{clean(str(done.path))}{created}\n")
    if done.commit:
        sys.stdout.write(f"已提交到 git：{done.commit[:10]}\n")


@supervise_app.command("add")
def add(
    kind: Annotated[
        str | None, typer.Option("--kind", help="督办方式：挂牌督办、督办函、现场督查、约谈、通报批评……")
    ] = None,
    task: Annotated[str | None, typer.Option("--task", "-t", help="督办的任务序号。")] = None,
    indicator: Annotated[str | None, typer.Option("--indicator", "-i", help="督办的指标编号。")] = None,
    area: Annotated[str | None, typer.Option("--area", help="督办的片区。")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="责任单位（默认取任务或指标的单位）。")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="责任人。")] = None,
    demand: Annotated[str | None, typer.Option("--demand", help="整改要求。")] = None,
    due: Annotated[str | None, typer.Option("--due", help="整改时限 YYYY-MM-DD。", metavar="DATE")] = None,
    action_id: Annotated[str | None, typer.Option("--id", help="督办事项编号，默认 DB年度-序号。")] = None,
    from_suggestion: Annotated[
        str | None, typer.Option("--from-suggestion", help="按 status 列出的建议立项（如 4-挂牌督办）。")
    ] = None,
    date: DateOpt = None,
    by: ByOpt = None,
    commit: CommitOpt = None,
    data: DataOpt = None,
) -> None:
    """立项交办：记录一个督办事项（先校验，只追加）。"""
    from minsheng.supervision.compute import summarize

    day = _day(date)
    project, dataset, data_dir = _context(data, day)
    plans = [plan for _, plan in project.plans]
    basis = None
    if from_suggestion is not None:
        entries = _entries(data_dir, plans, dataset.plan.year)
        _states, found, *_ = summarize(dataset, entries, day)
        chosen = next((s for s in found if s.id == from_suggestion), None)
        if chosen is None:
            listed = "、".join(s.id for s in found) or "（截至该日没有建议）"
            _base()._fail(f"截至{day}没有编号为“{from_suggestion}”的建议。可用的建议：{listed}")
        from minsheng.supervision.view import lights_text

        kind = kind or chosen.kind
        task = task or chosen.task
        basis = f"{chosen.reason}；各期亮灯：{lights_text(chosen.lights)}"
        demand = demand or (f"对{chosen.reason}的情况{chosen.kind}，责任单位倒排工期、加快推进，按期报送整改情况")
    if kind is None or demand is None:
        _base()._fail("请给出 --kind（督办方式）和 --demand（整改要求），或用 --from-suggestion")
    fields: dict[str, Any] = {
        "action": action_id,  # None: the next free id, drawn under the write lock
        "date": day,
        "kind": kind,
        "task": task,
        "indicator": indicator,
        "area": area,
        "unit": unit,
        "owner": owner,
        "demand": demand,
        "due": _base()._parse_date(due),
        "basis": basis,
        "by": by,
    }
    _append(data, fields, day, commit)


@supervise_app.command("reply")
def reply(
    action_id: Annotated[str, typer.Argument(help="督办事项编号。", metavar="ID")],
    text: Annotated[str, typer.Option("--text", help="单位的答复（整改情况）。")],
    date: DateOpt = None,
    by: ByOpt = None,
    commit: CommitOpt = None,
    data: DataOpt = None,
) -> None:
    """记录责任单位对一个督办事项的答复（整改情况）。"""
    day = _day(date)
    _append(data, {"reply": action_id, "date": day, "text": text, "by": by}, day, commit)


@supervise_app.command("close")
def close(
    action_id: Annotated[str, typer.Argument(help="督办事项编号。", metavar="ID")],
    check: Annotated[str, typer.Option("--check", help="销号前做的核查（如：现场核验，已完工）。")],
    date: DateOpt = None,
    by: ByOpt = None,
    commit: CommitOpt = None,
    data: DataOpt = None,
) -> None:
    """销号：督办事项整改到位，写明核查情况。"""
    day = _day(date)
    _append(data, {"close": action_id, "date": day, "check": check, "by": by}, day, commit)


@supervise_app.command("correct")
def correct(
    action_id: Annotated[str, typer.Argument(help="督办事项编号。", metavar="ID")],
    reason: Annotated[str, typer.Option("--reason", help="更正的原因（原记录保留）。")],
    due: Annotated[str | None, typer.Option("--due", help="新的整改时限。", metavar="DATE")] = None,
    demand: Annotated[str | None, typer.Option("--demand", help="新的整改要求。")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="新的责任人。")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="新的责任单位。")] = None,
    date: DateOpt = None,
    by: ByOpt = None,
    commit: CommitOpt = None,
    data: DataOpt = None,
) -> None:
    """更正一个督办事项（时限、要求、责任人或单位）；原来的记录原样保留。"""
    day = _day(date)
    if not any((due, demand, owner, unit)):
        _base()._fail("请给出要更正的项：--due、--demand、--owner 或 --unit")
    fields: dict[str, Any] = {"correct": action_id, "date": day, "reason": reason}
    fields.update({"due": _base()._parse_date(due), "demand": demand, "owner": owner, "unit": unit, "by": by})
    _append(data, fields, day, commit)


@supervise_app.command("verify")
def verify(
    indicator: Annotated[str, typer.Argument(help="核验的指标编号。", metavar="INDICATOR")],
    note: Annotated[str, typer.Option("--note", help="核验情况（如：现场核验，3条道路均已完工验收）。")],
    item: Annotated[str | None, typer.Option("--item", help="只核验该指标的一个点名项目。")] = None,
    area: Annotated[str | None, typer.Option("--area", help="只核验一个片区的分解任务。")] = None,
    revoke: Annotated[
        bool, typer.Option("--revoke", help="撤销此前的核验销号（核验有误时；--note 写明原因，原记录保留）。")
    ] = False,
    date: DateOpt = None,
    by: ByOpt = None,
    commit: CommitOpt = None,
    data: DataOpt = None,
) -> None:
    """核验销号：督查室核实一个指标（或一个项目、一个片区）确已完成；--revoke 撤销有误的核验。"""
    day = _day(date)
    fields = {"verify": indicator, "date": day, "item": item, "area": area, "note": note}
    fields.update({"revoke": revoke or None, "by": by})
    _append(data, fields, day, commit)


@supervise_app.command("list")
def list_actions(
    open_only: Annotated[bool, typer.Option("--open", help="只列未销号的。")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列逾期未整改的。")] = False,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只列一个责任单位的。")] = None,
    as_of: AsOfOpt = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="输出格式：table、json、csv、markdown。")
    ] = "table",
    data: DataOpt = None,
) -> None:
    """督办事项清单：状态、整改时限、最近答复和销号。"""
    from minsheng.supervision.compute import action_states
    from minsheng.supervision.view import LIST_COLUMNS, action_dict, action_row
    from minsheng.units import UnitIndex

    fmt = _format(output_format)
    day = _day(as_of)
    project, dataset, data_dir = _context(data, day)
    plans = [plan for _, plan in project.plans]
    states = action_states(dataset.plan, _entries(data_dir, plans, dataset.plan.year), day)
    if unit is not None:
        index = UnitIndex(dataset.plan.units)
        name = index.canonical(unit)
        if name is None:
            _base()._fail(index.unknown(unit))
        states = [s for s in states if s.unit == name]
    if open_only:
        states = [s for s in states if s.open]
    if overdue:
        states = [s for s in states if s.overdue]
    _table_out(fmt, LIST_COLUMNS, [action_row(s) for s in states], [action_dict(s) for s in states], "督办事项清单")


def _format(value: str) -> str:
    if value not in {"table", "json", "csv", "markdown"}:
        _base()._fail(f"--format 的值无效：“{value}”不是可选的值；可选：table、json、csv、markdown")
    return value


def _table_out(
    fmt: str, spec: tuple[tuple[str, bool, int], ...], rows: list[list[str]], values: list[dict[str, Any]], title: str
) -> None:
    cli = _base()
    header = [name for name, _wrap, _drop in spec]
    if fmt == "json":
        cli._emit(cli._json(values))
    elif fmt == "csv":
        from minsheng.render.delimited import to_csv

        cli._emit(to_csv([header, *rows]))
    elif fmt == "markdown":
        from minsheng.render.delimited import md_escape, to_markdown_table

        table = to_markdown_table([header, *rows]) if rows else "无。"
        cli._emit(f"# {md_escape(title)}\n\n{table}\n")
    else:
        from rich.text import Text

        from minsheng.render.layout import Column, FitTable

        columns = [Column(str(n), name, wrap=wrap, min_width=8, drop=drop) for n, (name, wrap, drop) in enumerate(spec)]
        cells = [{str(n): Text(c) for n, c in enumerate(row)} for row in rows]
        cli._print(Text(f"{title}（{len(rows)}项）", style="bold"))
        cli._print(FitTable(columns, cells) if rows else Text("无。"))


def review(
    as_of: AsOfOpt = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="输出格式：table、json、csv、markdown。")
    ] = "table",
    data: DataOpt = None,
) -> None:
    """年度考评：各责任单位的报送、亮灯、完成率、核验销号和督办整改，按计划中的权重打分排名。"""
    from minsheng.supervision.compute import year_review
    from minsheng.supervision.view import REVIEW_COLUMNS, review_dict, review_row

    fmt = _format(output_format)
    day = _day(as_of)
    project, dataset, data_dir = _context(data, day)
    plans = [plan for _, plan in project.plans]
    rows = year_review(dataset, _entries(data_dir, plans, dataset.plan.year), day)
    _table_out(fmt, REVIEW_COLUMNS, [review_row(r) for r in rows], [review_dict(r) for r in rows], "年度考评")


def review_table(
    data: Path | None, report: StatusReport, recorded: str | None, project: Project
) -> tuple[str, list[list[str]]] | None:
    """The year's 考评 as a sheet for the 台账 (None without a 督办 ledger)."""
    import os

    from minsheng.layout import resolve_data_dir
    from minsheng.supervision.compute import year_review
    from minsheng.supervision.load import supervision_paths
    from minsheng.supervision.view import REVIEW_HEADER, review_row

    cli = _base()
    given, _plan = cli._given(data, None)
    data_dir = resolve_data_dir(given, os.environ)
    if recorded is not None or not supervision_paths(data_dir):
        return None
    from minsheng.dataset import build_dataset

    plans = [plan for _, plan in project.plans]
    dataset = build_dataset(report.plan, project.ledgers, plans)  # the report's own plan
    entries = _entries(data_dir, plans, report.plan.year)
    rows = year_review(dataset, entries, report.as_of, report)
    return "年度考评", [REVIEW_HEADER, *(review_row(r) for r in rows)]


def ledger_columns(summary: SupervisionSummary | None, report: StatusReport) -> tuple[Any, ...]:
    """The 台账's 核验销号 column (CSV and xlsx), or none without a 督办 ledger."""
    from minsheng.supervision.view import verification_column, verification_of

    return () if summary is None else (verification_column(verification_of(summary, report)),)


def ledger_sheets(
    data: Path | None,
    report: StatusReport,
    summary: SupervisionSummary | None,
    recorded: str | None,
    project: Project,
) -> list[tuple[str, Any]]:
    """The 台账's sheets from the 督办 ledger (``summary``): 年度考评, 核验销号 and 督办事项 (none without one)."""
    from minsheng.supervision.view import (
        LIST_HEADER,
        VERIFICATION_HEADER,
        action_row,
        verification_of,
        verification_rows,
    )

    if summary is None:
        return []
    review = review_table(data, report, recorded, project)
    rows = verification_rows(verification_of(summary, report))
    return [
        *([review] if review else []),
        ("核验销号", [VERIFICATION_HEADER, *rows]),
        ("督办事项", [LIST_HEADER, *(action_row(s) for s in summary.states)]),
    ]


def export_letter(
    action_id: Annotated[str, typer.Argument(help="督办事项编号。", metavar="ID")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件（.docx）。", metavar="FILE")],
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """督办函（Word）：一个督办事项的公文，事实和数字取自同一次计算。"""
    from minsheng.compute import build_status
    from minsheng.supervision.compute import action_states
    from minsheng.supervision.letter import letter_docx

    cli = _base()
    project, _dataset, data_dir = _context(data, _day(as_of))
    plans = [plan for _, plan in project.plans]
    entries_by_year = {p.year: _entries(data_dir, plans, p.year) for p in plans}
    for plan in plans:
        dataset = project.dataset(str(plan.year), _day(as_of))
        states = action_states(plan, entries_by_year[plan.year], _day(as_of))
        state = next((s for s in states if s.id == action_id), None)
        if state is not None:
            # The facts are as of the action's own date: what the office knew when it acted.
            report = build_status(dataset, min(state.action.date, _day(as_of)))
            cli._write_output(output, letter_docx(report, state))
            return
    cli._fail(f"没有编号为“{action_id}”的督办事项（minsheng supervise list 可列出全部）")


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    app.add_typer(supervise_app, name="supervise")
    app.command("review")(review)
    export_app.command("letter")(export_letter)

"""The `minsheng` command: parse options, call the library, render, set the exit code.

Exit codes: 0 ok, 1 invalid data (or problems found), 2 usage (bad option,
unknown unit, no data directory). Heavy modules are imported inside the
command that needs them, so `--help` and `status` stay fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from minsheng.cli_lazy import Commands, LazyGroup
from minsheng.cli_zh import install as _install_chinese

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from minsheng.compute import StatusReport, TaskStatus
    from minsheng.problems import Problem
    from minsheng.project import Project

# Every command: name → "module:register" (its module's `register(app, export_app)` adds it).
# A module is imported only when one of its commands runs (or for --help); the order is --help's.
COMMANDS: dict[str, str] = {
    "validate": "minsheng.cli:register",
    "status": "minsheng.cli:register",
    "report": "minsheng.cli:register",
    "schema": "minsheng.cli:register",
    "trend": "minsheng.cli:register",
    "record": "minsheng.cli:register",
    "import": "minsheng.cli_forms:register",
    "remind": "minsheng.cli_remind:register",
    "review": "minsheng.cli_supervise:register",
    "history": "minsheng.cli_history:register",
    "export": "minsheng.cli:register",
    "plan": "minsheng.cli_plan:register",
    "supervise": "minsheng.cli_supervise:register",
}
# The subcommands of `export` (all their modules are loaded when `export` runs), in --help's order.
EXPORT_COMMANDS: dict[str, str] = {
    "xlsx": "minsheng.cli:register",
    "csv": "minsheng.cli:register",
    "html": "minsheng.cli:register",
    "docx": "minsheng.cli:register",
    "letter": "minsheng.cli_supervise:register",
    "bulletin": "minsheng.cli_bulletin:register",
}
# Commands that load a data set: the cycle collector is paused while they run.
GC_PAUSED = frozenset({"status", "report", "trend", "export", "review", "remind"})


class _Root(LazyGroup):
    pass


app = typer.Typer(
    cls=_Root,
    name="minsheng",
    help="民生实事进展跟踪：计划与进展数据的校验、序时进度对照、单位报告。",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
_install_chinese()
core_app = typer.Typer()  # the commands defined here; `register` hands them to the lazy root


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class ProblemFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class SchemaKind(StrEnum):
    plan = "plan"
    progress = "progress"


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        if len(value) != 10:  # fromisoformat also takes 20241231 and week dates; only YYYY-MM-DD is meant
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"日期应写成 YYYY-MM-DD，如 2024-07-31，而不是“{_clean(value)}”") from None


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data", help="数据目录（含 plan*.yaml 和 progress/）。默认取环境变量 MINSHENG_DATA，再默认 ./data。"
    ),
]
PlanOpt = Annotated[
    str | None,
    typer.Option("--plan", help="数据目录有多个计划时，选哪一个：计划编号（区级）、年份（2024）或文件路径。"),
]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="统计截至日期 YYYY-MM-DD，默认今天。", metavar="DATE")]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="对比起点 YYYY-MM-DD：显示此后各项完成率的变化（如上次调度会）。", metavar="DATE"),
]
FormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help="输出格式。")]
CommitOpt = Annotated[
    bool | None,
    typer.Option(
        "--commit/--no-commit",
        help="写入后提交到 git（一次提交只含这个文件）；默认取数据目录 minsheng.toml 的 [record] commit。",
    ),
]
ByOpt = Annotated[
    str | None, typer.Option("--by", help="--commit 的提交作者：姓名 或 “姓名 <邮箱>”；默认取 git 配置。")
]
AsRecordedOpt = Annotated[
    str | None,
    typer.Option(
        "--as-recorded",
        help="按 git 中当时的数据计算：日期 YYYY-MM-DD（当天最后一次提交）或提交号、tag。",
        metavar="DATE-OR-COMMIT",
    ),
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        sys.stdout.write(f"minsheng {version('minsheng')}\n")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data: DataOpt = None,
    plan: PlanOpt = None,
    version: Annotated[
        bool, typer.Option("--version", help="显示版本号并退出。", is_eager=True, callback=_version)
    ] = False,
) -> None:
    """民生实事进展跟踪：计划与进展数据的校验、序时进度对照、单位报告。

    --data 和 --plan 可以写在命令前（minsheng --data D status），也可以写在命令后；两处都写时以命令后的为准。
    """
    ctx.obj = {"data": data, "plan": plan}


def _root_option(name: str) -> object:
    """An option given before the command (``minsheng --data D export …``), or None."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj.get(name) if isinstance(obj, dict) else None


def _given(data: Path | None, plan: str | None) -> tuple[Path | None, str | None]:
    """The data directory and plan for this run: the command's own options first, then those before it."""
    root_data = _root_option("data")
    root_plan = _root_option("plan")
    return (
        data if data is not None else root_data if isinstance(root_data, Path) else None,
        plan if plan is not None else root_plan if isinstance(root_plan, str) else None,
    )


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else int(os.environ.get("COLUMNS", "100"))
    return Console(file=stream, width=width, highlight=False, soft_wrap=False, emoji=False)


def _fail(message: str, code: int = 2) -> NoReturn:
    from minsheng.render.fmt import clean_lines

    sys.stderr.write(f"minsheng: {clean_lines(message)}\n")  # paths and names from the data or the command line
    raise typer.Exit(code)


def _open(data: Path | None, plan: str | None = None, *, cached: bool = True, recorded: str | None = None) -> Project:
    from minsheng.cache import cache_dir
    from minsheng.layout import DataDirError, progress_note, resolve_data_dir
    from minsheng.project import open_project
    from minsheng.render.fmt import clean

    data, plan = _given(data, plan)
    progress = None
    if sys.stderr.isatty():
        from minsheng.render.progress import LazyProgress

        progress = LazyProgress(sys.stderr)
    try:
        data_dir = resolve_data_dir(data, os.environ)
        note = progress_note(data_dir)
        if note:
            sys.stderr.write(f"提示：{clean(note)}\n")
        extra = Path(plan) if plan and plan.endswith((".yaml", ".yml")) else None
        if extra is not None and not extra.is_file():
            _fail(f"找不到计划文件 {extra}")
        snapshot = None
        if recorded is not None:
            from minsheng.cli_history import recorded_snapshot

            snapshot = recorded_snapshot(data_dir, recorded)
        return open_project(data_dir, extra, cache_dir(os.environ) if cached else None, progress, snapshot)
    except DataDirError as exc:
        _fail(str(exc))
    finally:
        if progress is not None:
            progress.close()


def _refuse(project: Project, errors: list[Problem], outcome: str) -> NoReturn:
    """List the data's errors and stop with exit code 1; ``outcome`` says what was not done (未生成报告)."""
    from minsheng.render.problems import to_text

    sys.stderr.write(to_text(errors, project.files))
    sys.stderr.write(f"数据有错误，{outcome}。请先改正（minsheng validate 可列出全部问题）。\n")
    raise typer.Exit(1)


def _checked_report(
    data: Path | None,
    plan: str | None,
    as_of: str | None,
    since: str | None,
    recorded: str | None = None,
    *,
    trend: bool = False,
) -> StatusReport:
    """Load, refuse invalid data, compute the report once (with the trend only if ``trend``)."""
    return _checked_project_report(data, plan, as_of, since, recorded, trend=trend)[1]


def _checked_project_report(
    data: Path | None,
    plan: str | None,
    as_of: str | None,
    since: str | None,
    recorded: str | None = None,
    *,
    trend: bool = False,
) -> tuple[Project, StatusReport]:
    """:func:`_checked_report` with the project it was computed from (the 督办 ledger's readers take it)."""
    project, reports = _project_reports(data, plan, as_of, since, recorded, several=False, trend=trend)
    return project, reports[0]


def _project_reports(
    data: Path | None,
    plan: str | None,
    as_of: str | None,
    since: str | None,
    recorded: str | None,
    *,
    several: bool,
    trend: bool,
) -> tuple[Project, list[StatusReport]]:
    """Like :func:`_checked_project_report`; with ``several``, a year of several plans (省级、市级、区级)
    and no ``--plan`` gives one report per plan, in file order."""
    from minsheng.compute import build_status
    from minsheng.layout import DataDirError

    data, plan = _given(data, plan)
    day = _parse_date(as_of) or dt.date.today()
    start = _parse_date(since)
    if start is not None and start >= day:
        _fail(f"--since {start} 应早于 --as-of {day}")
    project = _open(data, plan, recorded=recorded)
    if project.errors:
        _refuse(project, project.errors, "未生成报告")
    if project.warnings:
        sys.stderr.write(f"提示：数据有 {len(project.warnings)} 个警告，运行 minsheng validate 查看。\n")
    if several and plan is None:
        same = [path for path, p in project.plans if p.year == day.year]
        if len(same) > 1 and all(p.id for _, p in project.plans if p.year == day.year):
            return project, [build_status(project.dataset(path, day), day, start, trend=trend) for path in same]
    try:
        dataset = project.dataset(plan, day)
    except DataDirError as exc:
        _fail(str(exc))
    return project, [build_status(dataset, day, start, trend=trend)]


def _clean(text: str) -> str:
    from minsheng.render.fmt import clean

    return clean(text)


def _emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _print(renderable: RenderableType) -> None:
    _console().print(renderable)


@core_app.command()
def validate(
    data: DataOpt = None,
    output_format: Annotated[
        ProblemFormat, typer.Option("--format", "-f", help="输出格式：text、json 或 github（GitHub Actions 注释）。")
    ] = ProblemFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="把警告也当作错误（退出码 1）。")] = False,
    changes_since: Annotated[
        str | None,
        typer.Option("--changes-since", help="另列出自此提交（git）以来被修改或删除的已提交数值。", metavar="REV"),
    ] = None,
) -> None:
    """校验计划和全部进展文件，列出每个问题（文件:行:列）。有错误时退出码为 1。"""
    from minsheng.render import problems as render

    project = _open(data, cached=False)
    problems = project.problems
    if changes_since is not None:
        from minsheng.cli_history import changed_since

        problems = changed_since(data, changes_since, strict, problems)
    writer = {"text": render.to_text, "json": render.to_json, "github": render.to_github}[output_format.value]
    _emit(writer(problems, project.files))
    errors, warnings = render.counts(problems)
    if errors or (strict and warnings):
        raise typer.Exit(1)


@core_app.command()
def status(
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    as_recorded: AsRecordedOpt = None,
    since: SinceOpt = None,
    output_format: FormatOpt = ReportFormat.table,
) -> None:
    """全部项目对照序时进度的进展：一句话总体情况、项目表、滞后项目清单、未报送单位；有督办台账时还有督办事项。

    同一年度有几个计划（省级、市级、区级）而未给 --plan 时，依次列出每个计划。
    """
    from minsheng.cli_supervise import supervision_summary

    project, reports = _project_reports(
        data, plan, as_of, since, as_recorded, several=True, trend=output_format is ReportFormat.json
    )
    if len(reports) > 1:
        _several_statuses(reports, output_format.value)
        return
    report = reports[0]
    supervision = supervision_summary(data, report, as_recorded, project)
    fmt = output_format.value
    if fmt == "json":
        from minsheng.render.view import status_dict
        from minsheng.supervision.view import summary_dict

        value = status_dict(report)
        value["supervision"] = None if supervision is None else summary_dict(supervision, report)
        _emit(_json(value))
    elif fmt == "csv":
        from minsheng.render.delimited import to_csv
        from minsheng.render.rows import task_rows

        _emit(to_csv(task_rows(report, report.since is not None)))
    elif fmt == "markdown":
        from minsheng.render.markdown import status_markdown

        text = status_markdown(report)
        if supervision is not None:
            from minsheng.render.delimited import md_escape
            from minsheng.supervision.view import summary_lines

            lines = summary_lines(supervision, report) or ["无督办事项。"]
            text += "\n## 督办事项\n\n" + "\n".join(f"- {md_escape(line)}" for line in lines) + "\n"
        _emit(text)
    else:
        from minsheng.render.table import status_view

        _print(status_view(report))
        if supervision is not None:
            from rich.text import Text

            from minsheng.render.prose import Prose
            from minsheng.supervision.view import summary_lines

            _print(Text("督办事项", style="bold"))
            for line in summary_lines(supervision, report) or ["无督办事项。"]:
                _print(Prose(_clean(line)))


def _several_statuses(reports: list[StatusReport], fmt: str) -> None:
    """`status` across the plans of one year: each plan's report in turn (JSON: ``{schema_version, plans}``)."""
    if fmt == "json":
        from minsheng.render.view import SCHEMA_VERSION, status_dict

        _emit(_json({"schema_version": SCHEMA_VERSION, "plans": [status_dict(r) for r in reports]}))
    elif fmt == "csv":
        from minsheng.render.delimited import to_csv
        from minsheng.render.rows import task_rows

        tables = [task_rows(r, r.since is not None) for r in reports]
        # Plans may add different columns (one has investment, another not): keep those all share.
        width = min(len(t[0]) for t in tables)
        while any(t[0][:width] != tables[0][0][:width] for t in tables):
            width -= 1
        rows = [["计划", *tables[0][0][:width]]]
        for r, (_, *body) in zip(reports, tables, strict=True):
            rows += [[r.plan.id or r.plan.title, *cells[:width]] for cells in body]
        _emit(to_csv(rows))
    elif fmt == "markdown":
        from minsheng.render.markdown import status_markdown

        _emit("\n".join(status_markdown(r) for r in reports))
    else:
        from rich.text import Text

        from minsheng.render.table import status_view

        for n, r in enumerate(reports):
            if n:
                _print(Text(""))
            _print(status_view(r))


@core_app.command()
def report(
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="单位名称或简称，如 区住建局 或 住建局。")] = None,
    task: Annotated[str | None, typer.Option("--task", "-t", help="任务序号，如 4。")] = None,
    area: Annotated[
        str | None, typer.Option("--area", "-a", help="区域（乡镇/街道、县区）名称：目标分解到该区域的指标。")
    ] = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    as_recorded: AsRecordedOpt = None,
    since: SinceOpt = None,
    output_format: FormatOpt = ReportFormat.table,
) -> None:
    """一个单位（--unit）、一个任务（--task）或一个区域（--area）的指标、数值走势和最近的进展情况。"""
    if sum(x is not None for x in (unit, task, area)) > 1:
        _fail("--unit、--task 和 --area 只能给一个：一次看一个单位、一个任务或一个区域")
    if unit is None and task is None and area is None:
        _fail("请给出 --unit（一个单位）、--task（一个任务）或 --area（一个区域）")
    project, result = _checked_project_report(data, plan, as_of, since, as_recorded)
    fmt = output_format.value
    if unit is not None:
        name = _resolve_unit(result, unit)
        if fmt != "json":
            _unit_output(result, name, fmt)
        _unit_supervision(data, result, name, fmt, as_recorded, project)
    elif area is not None:
        _area_output(result, _resolve_area(result, area), fmt)
    else:
        _task_output(result, _nfkc(str(task)), fmt)


def _nfkc(text: str) -> str:
    """What a Chinese input method types (７.１, full-width letters) as the plan writes it (7.1)."""
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip()


def _resolve_area(result: StatusReport, given: str) -> str:
    import difflib

    names = [a.name for a in result.plan.areas]
    wanted = _nfkc(given)
    if wanted in names:
        return wanted
    if not names:
        _fail("计划没有划分区域（areas）")
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.4)
    hint = f"是不是“{close[0]}”？" if close else ""
    _fail(f"未知区域“{given}”。{hint}可用的区域：{'、'.join(names)}")


def _area_output(result: StatusReport, area: str, fmt: str) -> None:
    if fmt == "json":
        from minsheng.render.view import area_report_dict

        _emit(_json(area_report_dict(result, area)))
    elif fmt == "csv":
        from minsheng.render.delimited import to_csv
        from minsheng.render.rows import area_table_rows

        _emit(to_csv(area_table_rows(result, area)))
    elif fmt == "markdown":
        from minsheng.render.markdown import area_markdown

        _emit(area_markdown(result, area))
    else:
        from minsheng.render.table import area_view

        _print(area_view(result, area))


def _unit_supervision(
    data: Path | None, result: StatusReport, name: str, fmt: str, recorded: str | None, project: Project
) -> None:
    """The unit's open 督办 items and its replies: under its report (table and Markdown), or the
    report's ``supervision`` key (JSON: null without a 督办 ledger)."""
    if fmt == "csv":
        return
    from minsheng.cli_supervise import supervision_summary

    supervision = supervision_summary(data, result, recorded, project)
    if fmt == "json":
        from minsheng.render.view import unit_report_dict

        value = unit_report_dict(result, name)
        if supervision is None:
            value["supervision"] = None
        else:
            from minsheng.supervision.view import unit_dict

            value["supervision"] = unit_dict(supervision, name, result)
        _emit(_json(value))
        return
    if supervision is None:
        return
    from minsheng.supervision.view import unit_lines  # with its model: only when there is a ledger

    lines = unit_lines(supervision, name, result)
    if fmt == "markdown":
        from minsheng.render.delimited import md_escape

        _emit("\n## 督办事项\n\n" + "\n".join(f"- {md_escape(line)}" for line in lines) + "\n")
        return
    from rich.text import Text

    from minsheng.render.prose import Prose

    _print(Text(""))
    _print(Text("督办事项", style="bold"))
    for line in lines:
        _print(Prose(_clean(line)))


def _resolve_unit(result: StatusReport, given: str) -> str:
    from minsheng.units import UnitIndex

    index = UnitIndex(result.plan.units)
    name = index.canonical(given)
    if name is None:
        _fail(index.unknown(given))
    return name


def _task_row(result: StatusReport, task_id: str) -> TaskStatus:
    from minsheng.render.view import task_row

    row = task_row(result, task_id)
    if row is None:
        ids = "、".join(t.task.id for t in result.tasks)
        _fail(f"没有序号为“{task_id}”的任务。可用的序号：{ids}")
    return row


def _unit_output(result: StatusReport, name: str, fmt: str) -> None:
    from minsheng.render.view import unit_report_dict, unit_rows

    if fmt == "json":
        _emit(_json(unit_report_dict(result, name)))
    elif fmt == "csv":
        from minsheng.render.delimited import to_csv
        from minsheng.render.rows import indicator_rows

        _emit(to_csv(indicator_rows(unit_rows(result, name), result.since is not None)))
    elif fmt == "markdown":
        from minsheng.render.markdown import unit_markdown

        _emit(unit_markdown(result, name))
    else:
        from minsheng.render.table import unit_view

        _print(unit_view(result, name))


def _task_output(result: StatusReport, task_id: str, fmt: str) -> None:
    from minsheng.render.view import task_report_dict

    row = _task_row(result, task_id)
    if fmt == "json":
        _emit(_json(task_report_dict(result, row)))
    elif fmt == "csv":
        from minsheng.render.delimited import to_csv
        from minsheng.render.rows import indicator_rows

        _emit(to_csv(indicator_rows(list(row.indicators), result.since is not None)))
    elif fmt == "markdown":
        from minsheng.render.markdown import task_markdown

        _emit(task_markdown(result, row))
    else:
        from minsheng.render.table import task_view

        _print(task_view(result, row))


@core_app.command()
def schema(
    kind: Annotated[SchemaKind | None, typer.Argument(help="plan 或 progress；不给则两者都输出。")] = None,
    write: Annotated[
        Path | None, typer.Option("--write", help="写入目录（plan.schema.json、progress.schema.json），而不是打印。")
    ] = None,
) -> None:
    """输出计划文件和进展文件的 JSON Schema，供编辑器补全校验和 check-jsonschema 使用。"""
    from minsheng.jsonschema import schema_text, schemas

    chosen = schemas() if kind is None else {kind.value: schemas()[kind.value]}
    if write is None:
        if kind is None:
            _emit(schema_text({"plan": chosen["plan"], "progress": chosen["progress"]}))
        else:
            _emit(schema_text(chosen[kind.value]))
        return
    from minsheng.atomic import write_text

    write.mkdir(parents=True, exist_ok=True)
    for name, value in chosen.items():
        target = write / f"{name}.schema.json"
        write_text(target, schema_text(value))
        sys.stderr.write(f"已写入 {_clean(str(target))}\n")


export_app = typer.Typer(
    help="导出：Excel 台账与填报表（xlsx）、CSV 台账、HTML 看板、Word 专题报告（docx）、督办函、月度通报。",
    no_args_is_help=True,
    rich_markup_mode=None,
)
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="输出文件；写入是原子的。", metavar="FILE")]


def _write_output(path: Path, data: bytes) -> None:
    from minsheng.atomic import write_bytes

    if str(path) == "-":  # -o -: standard output, for a pipe
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if path.is_dir():
        _fail(f"{path} 是目录，请给出文件名")
    try:
        write_bytes(path, data)
    except OSError as exc:
        _fail(f"无法写入 {path}：{exc.strerror or exc}", 1)
    sys.stderr.write(f"已写入 {_clean(str(path))}\n")


@export_app.command("xlsx")
def export_xlsx(
    output: OutputOpt,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只导出一个单位；--template 时必填。")] = None,
    template: Annotated[
        bool, typer.Option("--template", help="导出该单位的填报表（填好后用 minsheng import 导入）。")
    ] = False,
    all_units: Annotated[
        bool, typer.Option("--all", help="--template 时：每个报送单位一张填报表，写进 -o 给的文件夹。")
    ] = False,
    period: Annotated[
        str | None,
        typer.Option("--period", help="填报表的报送期 YYYY-MM（如 2024-07），默认当前应报送的一期。", metavar="PERIOD"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="--all 时覆盖文件夹里已有的同名填报表。")] = False,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    as_recorded: AsRecordedOpt = None,
) -> None:
    """Excel 台账（总台账 + 每单位一张表），或 --template 时导出一个单位（--all：每个单位）的填报表。"""
    from minsheng.render.xlsx import ledger_xlsx, template_xlsx

    if all_units or period is not None or force:
        from minsheng.cli_forms import export_forms

        export_forms(output, unit, template, all_units, period, force, data, plan, as_of, as_recorded)
        return
    if template and unit is None:
        _fail("--template 需要 --unit 指定单位")
    project, result = _checked_project_report(data, plan, as_of, None, as_recorded)
    name = _resolve_unit(result, unit) if unit is not None else None
    if template:
        assert name is not None
        _write_output(output, template_xlsx(result, name))
    else:
        from minsheng.cli_supervise import ledger_columns, ledger_sheets, supervision_summary

        summary = supervision_summary(data, result, as_recorded, project)
        extra = ledger_sheets(data, result, summary, as_recorded, project) if name is None else []
        _write_output(output, ledger_xlsx(result, name, extra, ledger_columns(summary, result)))


@export_app.command("csv")
def export_csv(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件（默认打印到屏幕）。", metavar="FILE")
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只导出一个单位的指标。")] = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    as_recorded: AsRecordedOpt = None,
) -> None:
    """CSV 台账（每个指标一行，列同 Excel 台账），UTF-8 带 BOM，Excel 直接打开。"""
    from minsheng.cli_supervise import ledger_columns, supervision_summary
    from minsheng.render.delimited import to_csv
    from minsheng.render.rows import ledger_rows
    from minsheng.render.view import unit_rows

    project, result = _checked_project_report(data, plan, as_of, None, as_recorded)
    rows = unit_rows(result, _resolve_unit(result, unit)) if unit is not None else None
    summary = supervision_summary(data, result, as_recorded, project)
    text = to_csv(ledger_rows(result, rows, ledger_columns(summary, result)))
    if output is None:
        _emit(text)
    else:
        _write_output(output, text.encode("utf-8"))


@export_app.command("html")
def export_html(
    output: OutputOpt,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    as_recorded: AsRecordedOpt = None,
    since: SinceOpt = None,
) -> None:
    """自包含的 HTML 看板：总体情况、各项目进度条与走势图、滞后清单、各单位情况；离线可看，可打印 A4。"""
    from minsheng.cli_supervise import supervision_summary
    from minsheng.render.html import status_html

    project, result = _checked_project_report(data, plan, as_of, since, as_recorded, trend=True)
    supervision = supervision_summary(data, result, as_recorded, project)
    _write_output(output, status_html(result, supervision).encode("utf-8"))


@export_app.command("docx")
def export_docx(
    output: OutputOpt,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    as_recorded: AsRecordedOpt = None,
    since: SinceOpt = None,
) -> None:
    """Word 专题报告初稿：总体情况、滞后项目清单、分单位推进情况、存在问题、下步工作建议。"""
    from minsheng.cli_supervise import supervision_summary
    from minsheng.render.docx import status_docx

    project, result = _checked_project_report(data, plan, as_of, since, as_recorded)
    _write_output(output, status_docx(result, supervision_summary(data, result, as_recorded, project)))


@core_app.command()
def trend(
    task: Annotated[str | None, typer.Option("--task", "-t", help="只看一个任务（序号），画出逐月走势图。")] = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    as_recorded: AsRecordedOpt = None,
) -> None:
    """完成率随时间的走势（终端图）：全部任务各一行，或 --task 一个任务的逐月走势对照序时进度。"""
    from minsheng.render.chart import trend_view

    result = _checked_report(data, plan, as_of, None, as_recorded, trend=True)
    if task is not None:
        _task_row(result, task)
    _print(trend_view(result, task))


def _parse_values(pairs: list[str]) -> dict[str, bool | int | float]:
    import unicodedata

    from minsheng.numbers import NumberError, parse_number

    values: dict[str, bool | int | float] = {}
    for pair in pairs:
        # ７.１＝５６０ typed with a Chinese input method means 7.1=560
        key, sep, raw = unicodedata.normalize("NFKC", pair).partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep or not key:
            raise typer.BadParameter(f"“{_clean(pair)}”应写成 编号=累计值，如 2.2=3500")
        if key in values:
            raise typer.BadParameter(f"指标 {_clean(key)} 写了两次")
        if not raw:
            raise typer.BadParameter(f"指标 {_clean(key)} 没有写值；要从已有报告中删去它，请用 --remove {_clean(key)}")
        try:
            # the same rule as a value in a progress file
            values[key] = parse_number(raw, allow_bool=True)
        except NumberError as exc:
            raise typer.BadParameter(f"指标 {_clean(key)}：{exc.message}（{exc.hint}）") from None
    return values


@core_app.command()
def record(
    unit: Annotated[str, typer.Option("--unit", "-u", help="报送单位（名称或简称）。")],
    date: Annotated[str, typer.Option("--date", "-d", help="报告日期（累计数的截至日期）YYYY-MM-DD。", metavar="DATE")],
    values: Annotated[
        list[str] | None,
        typer.Argument(help="指标编号=累计值，如 2.2=3500 6.8=true；只报文字时可不写", metavar="[ID=VALUE...]"),
    ] = None,
    summary: Annotated[str | None, typer.Option("--summary", help="进展情况。")] = None,
    problems: Annotated[str | None, typer.Option("--problems", help="存在问题。")] = None,
    next_steps: Annotated[str | None, typer.Option("--next", help="下步计划。")] = None,
    correction: Annotated[
        str | None,
        typer.Option("--correction", help="更正说明：累计值比上次报的小时写明原因，如“7月多报500块”。"),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="更正该日期已有的报告：只改写出的数值和文字，其余保留（原报告作为注释保留在文件中）。"
        ),
    ] = False,
    remove: Annotated[
        list[str] | None,
        typer.Option(
            "--remove",
            help="从该日期已有的报告中删去一个数值（指标编号）或一段文字（summary/problems/next）；可写多次。",
            metavar="ID",
        ),
    ] = None,
    data: DataOpt = None,
    commit: CommitOpt = None,
    by: ByOpt = None,
) -> None:
    """记录一个单位的一份进展报告：先校验，再按日期顺序插入进展文件，只新增这份报告的行。"""
    from minsheng.ledger_text import NewReport

    day = _parse_date(date)
    assert day is not None
    if not values and not (summary or problems or next_steps or correction) and not remove:
        _fail("没有可记录的内容：请给出 编号=累计值，或 --summary / --problems / --next")
    if correction is not None and not correction.strip():
        _fail("--correction 不能是空的：请写明更正的原因")
    report_value = NewReport(day, _parse_values(values or []), summary, problems, next_steps, correction)
    _record(data, unit, report_value, replace=replace, remove=remove or [], dry_run=False, commit=commit, by=by)


def _record(
    data: Path | None,
    unit: str,
    new: object,
    *,
    replace: bool,
    dry_run: bool,
    remove: list[str] | None = None,
    cells: dict[str, str] | None = None,
    source: str | None = None,
    exported_for: str | None = None,
    commit: bool | None = None,
    by: str | None = None,
) -> None:
    from minsheng.layout import DataDirError, resolve_data_dir
    from minsheng.record import RecordError
    from minsheng.record import record as record_report
    from minsheng.render.fmt import clean
    from minsheng.render.recorded import change_lines

    try:
        data_dir = resolve_data_dir(data, os.environ)
        from minsheng.commit import committer

        hook = None if dry_run else committer(data_dir, commit, by, source)
        done = record_report(
            data_dir,
            unit,
            new,  # type: ignore[arg-type]
            replace=replace,
            remove=remove or (),
            dry_run=dry_run,
            recorded_on=dt.date.today(),
            exported_for=exported_for,
            lock_wait=_lock_wait(),
            hook=hook,
        )
    except DataDirError as exc:
        _fail(str(exc))
    except RecordError as exc:
        _report_refusal(exc, cells, source)
    except OSError as exc:
        _fail(f"写入失败：{exc.strerror or exc}（文件未改动）", 1)
    verb = "将更正" if dry_run and done.replaced else "将记录" if dry_run else "已更正" if done.replaced else "已记录"
    where = f"新建 {done.path}" if done.created else str(done.path)
    _emit(clean(f"{verb} {done.unit} {done.report.date} 的报告（{where}）") + "\n")
    for line in change_lines(done):
        _emit(f"  {line}\n")
    if done.replaced:
        _emit(f"  保持不变：{'、'.join(done.kept)}\n" if done.kept else "")
        _emit("" if done.changes else "  （与原报告相同，没有变化）\n")
    for warning in done.warnings:
        word = "更正" if warning.severity == "info" else "提示"
        _emit(f"  {word}：[{warning.code}] {clean(warning.message)}\n")
    if done.commit:
        _emit(f"已提交到 git：{done.commit[:10]}\n")
    if dry_run:
        _emit("（--dry-run：未写入任何文件）\n")


def _lock_wait() -> float:
    """``MINSHENG_LOCK_WAIT``: seconds a write waits for another one (default 30)."""
    from minsheng.record import LOCK_WAIT_SECONDS

    raw = os.environ.get("MINSHENG_LOCK_WAIT", "")
    try:
        wait = float(raw) if raw else LOCK_WAIT_SECONDS
    except ValueError:
        _fail(f"环境变量 MINSHENG_LOCK_WAIT 应为秒数，而不是“{raw}”")
    if not 0 <= wait <= 86400:
        _fail(f"环境变量 MINSHENG_LOCK_WAIT 应在 0 到 86400 秒之间，而不是“{raw}”")
    return wait


def _report_refusal(exc: Exception, cells: dict[str, str] | None = None, source: str | None = None) -> NoReturn:
    """Print why nothing was written. From a form, each problem points at its cell."""
    from minsheng.record import RecordError
    from minsheng.render.fmt import clean

    assert isinstance(exc, RecordError)
    sys.stderr.write(f"minsheng: {clean(str(exc))}\n")
    for p, key in zip(exc.problems, exc.keys, strict=True):
        if cells is not None and source is not None and key is not None:
            where = cells.get(key, cells.get("date", ""))
            located = f"{source}!{where}: " if where else f"{source}: "
        elif cells is not None and source is not None and "新报告" in str(exc):
            located = f"{source}: "
        elif "新报告" in str(exc):
            located = f"{key}: " if key and key != "date" else ""
        else:
            located = f"{p.location()}: "
        located = clean(located) + " " if located else ""  # a form's file and sheet names are user text
        sys.stderr.write(f"  {located}[{p.code}] {clean(p.message)}\n")
        if p.hint:
            sys.stderr.write(f"      提示：{clean(p.hint)}\n")
    raise typer.Exit(2 if exc.usage else 1)


def register(root: typer.Typer, export: typer.Typer) -> None:
    """The commands defined in this module (``export`` is :data:`export_app`, which holds its own)."""
    root.registered_commands += core_app.registered_commands
    root.add_typer(export, name="export")


_Root.lazy = Commands(COMMANDS, EXPORT_COMMANDS, export_app, GC_PAUSED)
_Root.root = app


def _json(value: object) -> str:
    import json

    from minsheng.render.fmt import json_safe

    return json_safe(json.dumps(value, ensure_ascii=False, indent=2)) + "\n"


def main() -> None:
    """Entry point. A bug in the tool (never bad data) ends with exit code 3 and a short note.

    The process then ends without the interpreter's teardown (freeing every object, a quarter of
    `status`'s time): output flushed first, nothing left open (writes are atomic and already done,
    no threads, no atexit work). Only here, never under a test's CliRunner, which calls `app`.
    """
    try:
        app()
    except SystemExit as exc:
        _quick_exit(exc.code)
    except Exception as exc:  # typer has already turned usage errors and exits into SystemExit
        if os.environ.get("MINSHENG_DEBUG"):
            raise
        sys.stderr.write(
            f"minsheng: 内部错误（这是本工具的缺陷，不是数据的问题）：{type(exc).__name__}: {_clean(str(exc))}\n"
            "请设置环境变量 MINSHENG_DEBUG=1 重新运行，把完整输出报告给维护者。\n"
        )
        sys.exit(3)
    _quick_exit(0)


def _quick_exit(code: object) -> NoReturn:
    """Flush, then ``os._exit`` with the code ``sys.exit(code)`` would give; a failing flush
    (a closed pipe) leaves it to the normal exit, which reports it as before."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        sys.exit(status)
    os._exit(status)

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

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from minsheng.compute import StatusReport, TaskStatus
    from minsheng.project import Project

app = typer.Typer(
    name="minsheng",
    help="民生实事进展跟踪：计划与进展数据的校验、序时进度对照、单位报告。",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


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
        raise typer.BadParameter(f"日期应写成 YYYY-MM-DD，如 2024-07-31，而不是“{value}”") from None


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


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else int(os.environ.get("COLUMNS", "100"))
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


def _fail(message: str, code: int = 2) -> NoReturn:
    sys.stderr.write(f"minsheng: {message}\n")
    raise typer.Exit(code)


def _open(data: Path | None, plan: str | None = None, *, cached: bool = True) -> Project:
    from minsheng.cache import cache_dir
    from minsheng.layout import DataDirError, resolve_data_dir
    from minsheng.project import open_project

    progress = None
    if sys.stderr.isatty():
        from minsheng.render.progress import LazyProgress

        progress = LazyProgress(sys.stderr)
    try:
        data_dir = resolve_data_dir(data, os.environ)
        extra = Path(plan) if plan and plan.endswith((".yaml", ".yml")) else None
        if extra is not None and not extra.is_file():
            _fail(f"找不到计划文件 {extra}")
        return open_project(data_dir, extra, cache_dir(os.environ) if cached else None, progress)
    except DataDirError as exc:
        _fail(str(exc))
    finally:
        if progress is not None:
            progress.close()


def _checked_report(data: Path | None, plan: str | None, as_of: str | None, since: str | None) -> StatusReport:
    """Load, refuse invalid data, compute the report once."""
    return _checked_reports(data, plan, as_of, since, several=False)[0]


def _checked_reports(
    data: Path | None, plan: str | None, as_of: str | None, since: str | None, *, several: bool
) -> list[StatusReport]:
    """Like :func:`_checked_report`; with ``several``, a year of several plans (省级、市级、区级)
    and no ``--plan`` gives one report per plan, in file order."""
    from minsheng.compute import build_status
    from minsheng.layout import DataDirError

    day = _parse_date(as_of) or dt.date.today()
    start = _parse_date(since)
    if start is not None and start >= day:
        _fail(f"--since {start} 应早于 --as-of {day}")
    project = _open(data, plan)
    if project.errors:
        from minsheng.render.problems import to_text

        sys.stderr.write(to_text(project.errors, project.files))
        sys.stderr.write("数据有错误，未生成报告。请先改正（minsheng validate 可列出全部问题）。\n")
        raise typer.Exit(1)
    if project.warnings:
        sys.stderr.write(f"提示：数据有 {len(project.warnings)} 个警告，运行 minsheng validate 查看。\n")
    if several and plan is None:
        same = [path for path, p in project.plans if p.year == day.year]
        if len(same) > 1 and all(p.id for _, p in project.plans if p.year == day.year):
            return [build_status(project.dataset(path, day), day, start) for path in same]
    try:
        dataset = project.dataset(plan, day)
    except DataDirError as exc:
        _fail(str(exc))
    return [build_status(dataset, day, start)]


def _emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _print(renderable: RenderableType) -> None:
    _console().print(renderable)


@app.command()
def validate(
    data: DataOpt = None,
    output_format: Annotated[
        ProblemFormat, typer.Option("--format", "-f", help="输出格式：text、json 或 github（GitHub Actions 注释）。")
    ] = ProblemFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="把警告也当作错误（退出码 1）。")] = False,
) -> None:
    """校验计划和全部进展文件，列出每个问题（文件:行:列）。有错误时退出码为 1。"""
    from minsheng.render import problems as render

    project = _open(data, cached=False)
    problems = project.problems
    writer = {"text": render.to_text, "json": render.to_json, "github": render.to_github}[output_format.value]
    _emit(writer(problems, project.files))
    errors, warnings = render.counts(problems)
    if errors or (strict and warnings):
        raise typer.Exit(1)


@app.command()
def status(
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    output_format: FormatOpt = ReportFormat.table,
) -> None:
    """全部项目对照序时进度的进展：一句话总体情况、项目表、滞后项目清单、未报送单位。

    同一年度有几个计划（省级、市级、区级）而未给 --plan 时，依次列出每个计划。
    """
    reports = _checked_reports(data, plan, as_of, since, several=True)
    if len(reports) > 1:
        _several_statuses(reports, output_format.value)
        return
    report = reports[0]
    fmt = output_format.value
    if fmt == "json":
        from minsheng.render.view import status_dict

        _emit(_json(status_dict(report)))
    elif fmt == "csv":
        from minsheng.render.delimited import to_csv
        from minsheng.render.rows import task_rows

        _emit(to_csv(task_rows(report, report.since is not None)))
    elif fmt == "markdown":
        from minsheng.render.markdown import status_markdown

        _emit(status_markdown(report))
    else:
        from minsheng.render.table import status_view

        _print(status_view(report))


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


@app.command()
def report(
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="单位名称或简称，如 区住建局 或 住建局。")] = None,
    task: Annotated[str | None, typer.Option("--task", "-t", help="任务序号，如 4。")] = None,
    area: Annotated[
        str | None, typer.Option("--area", "-a", help="区域（乡镇/街道、县区）名称：目标分解到该区域的指标。")
    ] = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    output_format: FormatOpt = ReportFormat.table,
) -> None:
    """一个单位（--unit）、一个任务（--task）或一个区域（--area）的指标、数值走势和最近的进展情况。"""
    if sum(x is not None for x in (unit, task, area)) != 1:
        _fail("请给出 --unit、--task 或 --area 之一")
    result = _checked_report(data, plan, as_of, since)
    fmt = output_format.value
    if unit is not None:
        name = _resolve_unit(result, unit)
        _unit_output(result, name, fmt)
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


@app.command()
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
        sys.stderr.write(f"已写入 {target}\n")


export_app = typer.Typer(
    help="导出：Excel 台账与填报表（xlsx）、CSV 台账、HTML 看板、Word 专题报告（docx）。",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="输出文件；写入是原子的。", metavar="FILE")]


def _write_output(path: Path, data: bytes) -> None:
    from minsheng.atomic import write_bytes

    if path.is_dir():
        _fail(f"{path} 是目录，请给出文件名")
    try:
        write_bytes(path, data)
    except OSError as exc:
        _fail(f"无法写入 {path}：{exc.strerror or exc}", 1)
    sys.stderr.write(f"已写入 {path}\n")


@export_app.command("xlsx")
def export_xlsx(
    output: OutputOpt,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只导出一个单位；--template 时必填。")] = None,
    template: Annotated[
        bool, typer.Option("--template", help="导出该单位的填报表（填好后用 minsheng import 导入）。")
    ] = False,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Excel 台账（总台账 + 每单位一张表），或 --template 时导出一个单位的填报表。"""
    from minsheng.render.xlsx import ledger_xlsx, template_xlsx

    if template and unit is None:
        _fail("--template 需要 --unit 指定单位")
    result = _checked_report(data, plan, as_of, None)
    name = _resolve_unit(result, unit) if unit is not None else None
    if template:
        assert name is not None
        _write_output(output, template_xlsx(result, name))
    else:
        _write_output(output, ledger_xlsx(result, name))


@export_app.command("csv")
def export_csv(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件（默认打印到屏幕）。", metavar="FILE")
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只导出一个单位的指标。")] = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """CSV 台账（每个指标一行，列同 Excel 台账），UTF-8 带 BOM，Excel 直接打开。"""
    from minsheng.render.delimited import to_csv
    from minsheng.render.rows import ledger_rows
    from minsheng.render.view import unit_rows

    result = _checked_report(data, plan, as_of, None)
    rows = unit_rows(result, _resolve_unit(result, unit)) if unit is not None else None
    text = to_csv(ledger_rows(result, rows))
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
    since: SinceOpt = None,
) -> None:
    """自包含的 HTML 看板：总体情况、各项目进度条与走势图、滞后清单、各单位情况；离线可看，可打印 A4。"""
    from minsheng.render.html import status_html

    _write_output(output, status_html(_checked_report(data, plan, as_of, since)).encode("utf-8"))


@export_app.command("docx")
def export_docx(
    output: OutputOpt,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
) -> None:
    """Word 专题报告初稿：总体情况、滞后项目清单、分单位推进情况、存在问题、下步工作建议。"""
    from minsheng.render.docx import status_docx

    _write_output(output, status_docx(_checked_report(data, plan, as_of, since)))


@app.command()
def trend(
    task: Annotated[str | None, typer.Option("--task", "-t", help="只看一个任务（序号），画出逐月走势图。")] = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """完成率随时间的走势（终端图）：全部任务各一行，或 --task 一个任务的逐月走势对照序时进度。"""
    from minsheng.render.chart import trend_view

    result = _checked_report(data, plan, as_of, None)
    if task is not None:
        _task_row(result, task)
    _print(trend_view(result, task))


def _parse_values(pairs: list[str]) -> dict[str, bool | int | float]:
    import re
    import unicodedata

    values: dict[str, bool | int | float] = {}
    for pair in pairs:
        # ７.１＝５６０ typed with a Chinese input method means 7.1=560
        key, sep, raw = unicodedata.normalize("NFKC", pair).partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep or not key:
            raise typer.BadParameter(f"“{pair}”应写成 编号=累计值，如 2.2=3500")
        if key in values:
            raise typer.BadParameter(f"指标 {key} 写了两次")
        if len(raw) > 100:
            raise typer.BadParameter(f"指标 {key} 的值有 {len(raw)} 个字符，不是一个合理的累计数")
        if re.fullmatch(r"-?\d+", raw):
            values[key] = int(raw)
        elif re.fullmatch(r"-?\d+\.\d+", raw):
            values[key] = float(raw)
        elif raw.lower() in {"true", "false"}:
            values[key] = raw.lower() == "true"
        else:
            raise typer.BadParameter(f"“{pair}”的值应为数字（累计数）或 true/false")
    return values


@app.command()
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
    replace: Annotated[
        bool, typer.Option("--replace", help="更正该日期已有的报告（原报告作为注释保留在文件中）。")
    ] = False,
    data: DataOpt = None,
) -> None:
    """记录一个单位的一份进展报告：先校验，再按日期顺序插入进展文件，只新增这份报告的行。"""
    from minsheng.ledger_text import NewReport

    day = _parse_date(date)
    assert day is not None
    if not values and not (summary or problems or next_steps):
        _fail("没有可记录的内容：请给出 编号=累计值，或 --summary / --problems / --next")
    report_value = NewReport(day, _parse_values(values or []), summary, problems, next_steps)
    _record(data, unit, report_value, replace=replace, dry_run=False)


def _record(
    data: Path | None,
    unit: str,
    new: object,
    *,
    replace: bool,
    dry_run: bool,
    cells: dict[str, str] | None = None,
    source: str | None = None,
) -> None:
    from minsheng.compute import completion_of
    from minsheng.layout import DataDirError, resolve_data_dir
    from minsheng.record import RecordError
    from minsheng.record import record as record_report
    from minsheng.render.fmt import num, pct

    try:
        data_dir = resolve_data_dir(data, os.environ)
        done = record_report(data_dir, unit, new, replace=replace, dry_run=dry_run, recorded_on=dt.date.today())  # type: ignore[arg-type]
    except DataDirError as exc:
        _fail(str(exc))
    except RecordError as exc:
        _report_refusal(exc, cells, source)
    except OSError as exc:
        _fail(f"写入失败：{exc.strerror or exc}（文件未改动）", 1)
    verb = "将更正" if dry_run and replace else "将记录" if dry_run else "已更正" if replace else "已记录"
    where = f"新建 {done.path}" if done.created else str(done.path)
    _emit(f"{verb} {done.unit} {done.report.date} 的报告（{where}）\n")
    indicators = {i.id: i for p in ([done.plan] if done.plan else []) for t in p.tasks for i in t.indicators}
    for key, value in done.report.values.items():
        ind = indicators.get(key)
        if ind is None:
            continue
        old = done.before.get(key)
        change = f"{num(old)} → {num(value)}" if old is not None else num(value)
        _emit(f"  {key} {ind.name}：{change}{ind.measure or ''}，完成率 {pct(completion_of(ind, value))}\n")
    for warning in done.warnings:
        _emit(f"  提示：[{warning.code}] {warning.message}\n")
    if dry_run:
        _emit("（--dry-run：未写入任何文件）\n")


def _report_refusal(exc: Exception, cells: dict[str, str] | None = None, source: str | None = None) -> NoReturn:
    """Print why nothing was written. From a form, each problem points at its cell."""
    from minsheng.record import RecordError
    from minsheng.render.fmt import clean

    assert isinstance(exc, RecordError)
    sys.stderr.write(f"minsheng: {exc}\n")
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
        sys.stderr.write(f"  {located}[{p.code}] {clean(p.message)}\n")
        if p.hint:
            sys.stderr.write(f"      提示：{clean(p.hint)}\n")
    raise typer.Exit(2 if exc.usage else 1)


@app.command("import")
def import_form(
    file: Annotated[Path, typer.Argument(help="填好的填报表（minsheng export xlsx --template 生成）。")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只校验并显示将要记录的变化，不写入。")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="更正该日期已有的报告（原报告作为注释保留）。")] = False,
    data: DataOpt = None,
) -> None:
    """导入单位填好的 Excel 填报表：校验（问题定位到单元格），显示变化，按 record 的方式写入。"""
    from minsheng.render.fmt import clean
    from minsheng.xlsx_import import TEMPLATE_SHEET, read_form

    if not file.is_file():
        _fail(f"找不到文件 {file}")
    form = read_form(file)
    if form.problems or form.report is None or form.unit is None:
        for p in form.problems:
            sys.stderr.write(f"{p.location()}: [{p.code}] {clean(p.message)}\n")
            if p.hint:
                sys.stderr.write(f"    提示：{clean(p.hint)}\n")
        sys.stderr.write("填报表有问题，未导入。\n")
        raise typer.Exit(1)
    cells = {**form.cells, "date": f"{TEMPLATE_SHEET}!B3"}
    _record(data, form.unit, form.report, replace=replace, dry_run=dry_run, cells=cells, source=str(file))


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    """Entry point. A bug in the tool (never bad data) ends with exit code 3 and a short note."""
    try:
        app()
    except Exception as exc:  # typer has already turned usage errors and exits into SystemExit
        if os.environ.get("MINSHENG_DEBUG"):
            raise
        sys.stderr.write(
            f"minsheng: 内部错误（这是本工具的缺陷，不是数据的问题）：{type(exc).__name__}: {exc}\n"
            "请设置环境变量 MINSHENG_DEBUG=1 重新运行，把完整输出报告给维护者。\n"
        )
        sys.exit(3)

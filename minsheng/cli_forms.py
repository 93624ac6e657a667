"""`minsheng export xlsx --template --all` and `minsheng import FILE...`: the month's forms, out and back.

Thin commands: the forms are drawn by :func:`minsheng.render.xlsx.template_xlsx`,
the import of many files is :mod:`minsheng.forms`, every write goes through
:func:`minsheng.record.record`. Registered on the main app by :func:`register`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from minsheng.cli import DataOpt

if TYPE_CHECKING:
    from minsheng.compute import StatusReport
    from minsheng.forms import FormResult
    from minsheng.periods import DuePeriod

CommitOpt = Annotated[
    bool | None,
    typer.Option(
        "--commit/--no-commit",
        help="写入后提交到 git（每个文件一次提交）；默认取数据目录 minsheng.toml 的 [record] commit。",
    ),
]
ByOpt = Annotated[
    str | None, typer.Option("--by", help="--commit 的提交作者：姓名 或 “姓名 <邮箱>”；默认取 git 配置。")
]
_YEAR = re.compile(r"\s*(\d{4})-(?:[Qq]([1-4])|(\d{1,2}))\s*")


def _base() -> Any:
    from minsheng import cli

    return cli


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    app.command("import")(import_forms)


# ---- export xlsx --template --all ------------------------------------------------------------


def export_forms(
    output: Path,
    unit: str | None,
    template: bool,
    all_units: bool,
    period_text: str | None,
    force: bool,
    data: Path | None,
    plan: str | None,
    as_of: str | None,
    as_recorded: str | None,
) -> None:
    """The forms of one period: one unit's (``--unit``) or every reporting unit's (``--all``, into a folder)."""
    cli = _base()
    if not template:
        cli._fail("--all、--period 和 --force 只用于填报表：请加 --template")
    if all_units == (unit is not None):
        cli._fail("--template 需要 --unit 指定一个单位，或 --all 导出每个单位的填报表（二者选一）")
    if force and not all_units:
        cli._fail("--force 只用于 --all（覆盖文件夹里已有的填报表）")
    report, period = _report_and_period(data, plan, as_of, as_recorded, period_text)
    from minsheng.render.xlsx import template_xlsx

    if unit is not None:
        cli._write_output(output, template_xlsx(report, cli._resolve_unit(report, unit), period))
        return
    _write_all(output, report, period, force)


def _report_and_period(
    data: Path | None, plan: str | None, as_of: str | None, as_recorded: str | None, period_text: str | None
) -> tuple[StatusReport, DuePeriod]:
    """The report the forms are drawn from, and their period.

    Without ``--as-of``, a form for a named period shows what was reported by the day its report
    is due (or today, if that is sooner); without ``--period``, the period is the one due on the
    report's date (:func:`minsheng.periods.due_period_info`).
    """
    from minsheng.periods import due_period_info, parse_period

    cli = _base()
    if period_text is None:
        report = cli._checked_report(data, plan, as_of, None, as_recorded)
        period = due_period_info(report.plan, report.as_of)
        if period is None:
            cli._fail(
                f"截至 {report.as_of} 还没有到期的报送期（计划自 {report.plan.start_date} 起）；"
                f"要提前发表，请用 --period 指定，如 --period {report.as_of.year}-{report.as_of.month:02d}"
            )
        return report, period
    m = _YEAR.fullmatch(period_text)
    if m is None or (m[3] is not None and not 1 <= int(m[3]) <= 12):
        cli._fail(f"--period 应写成 YYYY-MM，如 2024-07（按季度报送时也可写 2024-Q3），而不是“{period_text}”")
    first = dt.date(int(m[1]), (int(m[2]) - 1) * 3 + 1 if m[2] else int(m[3]), 1)
    report = cli._checked_report(data, plan, as_of or first.isoformat(), None, as_recorded)
    period = parse_period(report.plan, period_text)
    if isinstance(period, str):
        cli._fail(period)
    if as_of is None:
        day = min(dt.date.today(), period.due)
        if day != report.as_of:
            report = cli._checked_report(data, plan, day.isoformat(), None, as_recorded)
    return report, period


def _write_all(folder: Path, report: StatusReport, period: DuePeriod, force: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    from minsheng.atomic import write_bytes
    from minsheng.render.xlsx import form_file_name, form_rows, template_xlsx

    cli = _base()
    if folder.exists() and not folder.is_dir():
        cli._fail(f"{folder} 不是文件夹：--all 时 -o 给出放填报表的文件夹")
    units = [u.name for u in report.plan.units if not u.group]
    wanted = {name: form_rows(report, name) for name in units}
    targets = {name: folder / form_file_name(name, period) for name, rows in wanted.items() if rows}
    existing = [path for path in targets.values() if path.exists()]
    if existing and not force:
        names = "、".join(path.name for path in existing)
        cli._fail(f"{folder} 里已有 {len(existing)} 张同名填报表（{names}），未写入；要覆盖，请加 --force", 1)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, path in targets.items():
            write_bytes(path, template_xlsx(report, name, period))
    except OSError as exc:
        cli._fail(f"无法写入 {folder}：{exc.strerror or exc}", 1)
    last = {u.unit: u.last_report for u in report.units}
    table = Table(title=f"{period.label}填报表（截至 {report.as_of} 的数据）", show_lines=False)
    for header in ("单位", "文件", "指标", "上次报送"):
        table.add_column(header)
    for name in units:
        seen = last.get(name)
        if name in targets:
            cells = [name, targets[name].name, str(len(wanted[name])), str(seen) if seen else "未报送过"]
        else:
            cells = [name, "（未生成：没有要报送的指标）", "0", "—"]
        table.add_row(*(Text(cli._clean(c)) for c in cells))  # names as text, never rich markup
    cli._print(table)
    skipped = [name for name in units if name not in targets]
    overwritten = f"，覆盖了原有的 {len(existing)} 张" if existing else ""
    sys.stdout.write(
        cli._clean(
            f"已写入 {len(targets)} 张填报表到 {folder}{overwritten}；"
            f"报送期 {period.label}（{period.start}至{period.end}），请各单位于{_cn(period.due)}前报送。"
        )
        + "\n"
    )
    if skipped:
        sys.stdout.write(cli._clean(f"没有生成填报表的单位（没有要报送的指标）：{'、'.join(skipped)}") + "\n")


def _cn(day: dt.date) -> str:
    from minsheng.render.fmt import cn_date

    return cn_date(day)


# ---- import FILE... -------------------------------------------------------------------------


def import_forms(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="填好的填报表（minsheng export xlsx --template 生成），可写多个，或一个文件夹。", metavar="FILE|DIR..."
        ),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只校验并显示将要记录的变化，不写入。")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="更正该日期已有的报告（原报告作为注释保留）。")] = False,
    data: DataOpt = None,
    commit: CommitOpt = None,
    by: ByOpt = None,
) -> None:
    """导入单位填好的 Excel 填报表：校验（问题定位到单元格），显示变化，按 record 的方式写入。

    可一次导入多个文件或一个文件夹（其中全部 .xlsx）：先逐个校验，再列出一张汇总表；每个文件要么整份记录，
    要么一点不写，其余文件照常导入。有文件被拒绝时退出码为 1。
    """
    if len(files) == 1 and not files[0].is_dir():
        _import_one(files[0], dry_run, replace, data, commit, by)
        return
    _import_many(files, dry_run, replace, data, commit, by)


def _import_one(
    file: Path, dry_run: bool, replace: bool, data: Path | None, commit: bool | None, by: str | None
) -> None:
    """One file, as `import` has always read it; a form already imported is refused naming its report."""
    from minsheng.render.fmt import clean
    from minsheng.xlsx_import import TEMPLATE_SHEET, read_form

    cli = _base()
    if not file.is_file():
        cli._fail(f"找不到文件 {file}")
    form = read_form(file)
    problems = form.problems
    if not problems and form.report is not None and form.unit is not None:
        problems = _refusals(data, form, file, replace)
    if problems or form.report is None or form.unit is None:
        from minsheng.forms import location

        for p in problems:
            sys.stderr.write(f"{clean(location(p))}: [{p.code}] {clean(p.message)}\n")
            if p.hint:
                sys.stderr.write(f"    提示：{clean(p.hint)}\n")
        sys.stderr.write("填报表有问题，未导入。\n")
        raise typer.Exit(1)
    cells = {**form.cells, "date": f"{TEMPLATE_SHEET}!B3", "unit": f"{TEMPLATE_SHEET}!B2"}
    cli._record(
        data,
        form.unit,
        form.report,
        replace=replace,
        dry_run=dry_run,
        cells=cells,
        source=str(file),
        exported_for=form.exported_for,
        commit=commit,
        by=by,
    )


def _refusals(data: Path | None, form: Any, file: Path, replace: bool) -> list[Any]:
    """Another plan's form, a form for another unit, or (without --replace) one already imported.
    An unknown unit, a damaged hidden sheet and other trouble are left to the write, as they always were
    (only an import of many files refuses a workbook without the form's hidden sheet)."""
    from minsheng.forms import form_refusals, read_plans
    from minsheng.layout import DataDirError, resolve_data_dir
    from minsheng.record import RecordError

    cli = _base()
    try:
        data_dir = resolve_data_dir(cli._given(data, None)[0], os.environ)
        refusals = form_refusals(data_dir, read_plans(data_dir), form, file, str(file))
    except (DataDirError, RecordError):
        return []
    left = ("unknown-unit", "xlsx", *(["repeated-form"] if replace else []))
    return [p for p in refusals if p.code not in left]


def _import_many(
    files: list[Path], dry_run: bool, replace: bool, data: Path | None, commit: bool | None, by: str | None
) -> None:
    from minsheng.commit import committer
    from minsheng.forms import check_forms, form_files, record_forms
    from minsheng.layout import DataDirError, resolve_data_dir
    from minsheng.record import RecordError

    cli = _base()
    missing = [f for f in files if not f.exists()]
    if missing:
        cli._fail(f"找不到 {'、'.join(map(str, missing))}")
    paths = form_files(files)
    if not paths:
        cli._fail(f"{'、'.join(map(str, files))} 里没有 .xlsx 文件")
    try:
        data_dir = resolve_data_dir(cli._given(data, None)[0], os.environ)
        if not dry_run:
            committer(data_dir, commit, by)  # --by without --commit: refused before anything is read
        today = dt.date.today()
        results = check_forms(data_dir, paths, replace=replace, recorded_on=today, lock_wait=cli._lock_wait())
        if not dry_run:
            record_forms(
                data_dir,
                results,
                replace=replace,
                recorded_on=today,
                lock_wait=cli._lock_wait(),
                hook_for=lambda source: committer(data_dir, commit, by, source),
            )
    except DataDirError as exc:
        cli._fail(str(exc))
    except RecordError as exc:
        cli._report_refusal(exc)
    _summary(results, dry_run)
    refused = [r for r in results if r.refused]
    if refused:
        sys.stderr.write(f"{len(refused)} 个文件被拒绝，这些文件的内容一点也没有写入；其余文件照常处理。\n")
        raise typer.Exit(1)


def _status(result: FormResult, dry_run: bool) -> str:
    if result.refused:
        return "拒绝"
    replaced = result.done is not None and result.done.replaced
    if dry_run:
        return "将更正" if replaced else "将记录"
    return "已更正" if replaced else "已记录"


def _details(result: FormResult) -> list[str]:
    """The value lines (old → new) of a file that passed; every refusal, at its cell, of one that did not."""
    from minsheng.forms import location
    from minsheng.render.recorded import change_lines

    if result.refused:
        lines = []
        for p in result.refusals:
            lines.append(f"{location(p)}: [{p.code}] {p.message}")
            if p.hint:
                lines.append(f"    提示：{p.hint}")
        return lines
    assert result.done is not None
    lines = change_lines(result.done)
    if result.done.replaced and not result.done.changes:
        lines.append("（与原报告相同，没有变化）")
    for warning in result.done.warnings:
        word = "更正" if warning.severity == "info" else "提示"
        lines.append(f"{word}：[{warning.code}] {warning.message}")
    if result.done.commit:
        lines.append(f"已提交到 git：{result.done.commit[:10]}")
    return lines


def _summary(results: list[FormResult], dry_run: bool) -> None:
    """One table of every file: unit, period, date, each value old → new, status; refusals with their cells."""
    from minsheng.render.fmt import clean

    cli = _base()
    rows = []
    for r in results:
        day = r.form.report.date.isoformat() if r.form is not None and r.form.report is not None else "—"
        rows.append((r.shown, r.unit or "—", r.period or "—", day, _status(r, dry_run), _details(r)))
    if sys.stdout.isatty():
        from rich.table import Table
        from rich.text import Text

        from minsheng.render.fmt import clean_lines

        table = Table(show_lines=True)
        for header in ("文件", "单位", "报送期", "报告日期", "数值（旧 → 新）/ 拒绝的原因", "状态"):
            table.add_column(header, overflow="fold")
        for result, (_, unit, period, day, status, details) in zip(results, rows, strict=True):
            cells = [result.path.name, unit, period, day, "\n".join(details), status]
            # Text, not markup: a refusal's "[value-decrease]" is no style tag
            table.add_row(*(Text(clean_lines(c)) for c in cells), style="red" if status == "拒绝" else None)
        cli._print(table)
    else:
        for shown, unit, period, day, status, details in rows:
            sys.stdout.write(clean(f"{status}  {shown}  {unit}  {period}  {day}") + "\n")
            for line in details:
                sys.stdout.write(f"    {clean(line)}\n")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[4]] = counts.get(row[4], 0) + 1
    tally = "，".join(f"{status} {n} 个" for status, n in counts.items())
    sys.stdout.write(f"共 {len(rows)} 个文件：{tally}。\n")
    if dry_run:
        sys.stdout.write("（--dry-run：未写入任何文件）\n")

"""The one write path: add (or correct) a unit's report, validated, locked and atomic.

Used by `minsheng record` and `minsheng import`. Sequence, all under one lock
on the data directory:

1. read the plans and the unit's file; refuse if the file already has errors;
2. build the new text (:mod:`minsheng.ledger_text`): only the new report's
   lines are added (with ``replace``, the old report is kept as comments);
3. read the new text back with the normal loader and every ledger rule; refuse
   if the new report brings any error, or lowers a cumulative value;
4. check nobody changed the file since step 1, then write it atomically.

Nothing here prints or exits; problems come back as values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from minsheng import atomic
from minsheng.checks import LEDGER_RULES, Context
from minsheng.layout import PROGRESS_DIR, progress_paths, required_plans
from minsheng.ledger_text import LedgerTextError, NewReport, insert_report, new_file, replace_report
from minsheng.load import LedgerFile, ledger_from_text, read_ledger, read_plan
from minsheng.model import Plan, Report
from minsheng.problems import Problem
from minsheng.units import UnitIndex, unsafe_file_name

if TYPE_CHECKING:
    from minsheng.commit import WriteHook

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory lock, writes stay atomic
    fcntl = None  # type: ignore[assignment]


class RecordError(Exception):
    """The request cannot be carried out; ``problems`` say why (nothing was written)."""

    def __init__(
        self,
        message: str,
        problems: list[Problem] | None = None,
        usage: bool = False,
        keys: list[str | None] | None = None,
    ) -> None:
        super().__init__(message)
        self.problems = problems or []
        self.usage = usage
        self.keys = keys or [None] * len(self.problems)
        """For each problem, the indicator id (or ``"date"``) of the new report it concerns."""


@dataclass
class Recorded:
    path: Path
    created: bool
    replaced: bool
    unit: str
    report: NewReport
    before: dict[str, object] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    plan: Plan | None = None
    ledger: LedgerFile | None = None
    commit: str | None = None
    """The git commit the write became (``--commit``)."""


@contextlib.contextmanager
def data_lock(data_dir: Path) -> Iterator[None]:
    """An exclusive advisory lock on the data directory, held for a read-modify-write.

    The directory itself is locked: no lock file is left in the user's data repository,
    and nothing (not even ``progress/``) has to be created before the report is checked.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(data_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def resolve_unit(plans: list[Plan], given: str) -> str:
    reason = unsafe_file_name(given)
    if reason is not None:
        raise RecordError(f"单位名称不可用：{reason}", usage=True)
    index = UnitIndex([u for p in plans for u in p.units])
    name = index.canonical(given)
    if name is None:
        raise RecordError(index.unknown(given), usage=True)
    if unsafe_file_name(name) is not None:
        raise RecordError(f"计划中的单位名称“{name}”不能用作文件名", usage=True)
    return name


def record(
    data_dir: Path,
    unit: str,
    report: NewReport,
    *,
    replace: bool = False,
    dry_run: bool = False,
    recorded_on: dt.date,
    hook: WriteHook | None = None,
) -> Recorded:
    """Add ``report`` to ``unit``'s progress file. Raises :class:`RecordError` and writes nothing on any problem."""
    # Only the plans are read: the other units' files have no bearing on this report.
    problems: list[Problem] = []
    plans = [pf.plan for p in required_plans(data_dir) if (pf := read_plan(p, problems)) is not None]
    plan_errors = [p for p in problems if p.severity == "error"]
    if plan_errors or not plans:
        raise RecordError("计划文件有错误，无法记录进展（minsheng validate 可列出全部问题）", plan_errors)
    name = resolve_unit(plans, unit)
    path = _unit_file(data_dir, name, UnitIndex([u for p in plans for u in p.units]))
    if dry_run:
        return _prepare(path, name, report, plans, replace, recorded_on)[0]
    with data_lock(data_dir):
        result, text, snapshot = _prepare(path, name, report, plans, replace, recorded_on)
        if _snapshot(path) != snapshot:
            raise RecordError(f"{path} 在读取后被其他程序修改，未写入；请重试")
        if hook is not None:
            hook.before(path)
        path.parent.mkdir(exist_ok=True)  # only now: a refused report creates nothing
        atomic.write_text(path, text)
        if hook is not None:
            result.commit = hook.after(path, result)
    return result


def _unit_file(data_dir: Path, unit: str, index: UnitIndex) -> Path:
    """The unit's existing progress file (named by its name or an alias, .yaml or .yml), else a new one."""
    for path in progress_paths(data_dir):
        if index.canonical(path.stem) == unit:
            return path
    return data_dir / PROGRESS_DIR / f"{unit}.yaml"


def _snapshot(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _prepare(
    path: Path, unit: str, report: NewReport, plans: list[Plan], replace: bool, recorded_on: dt.date
) -> tuple[Recorded, str, bytes | None]:
    ctx = Context(plans)
    original = _snapshot(path)
    before: dict[str, object] = {}
    if original is None:
        if replace:
            raise RecordError(f"{unit} 还没有进展文件，没有可更正的报告", usage=True)
        text = new_file(unit, report, f"{unit} 民生实事进展（由 minsheng record 创建）")
        created = True
    else:
        existing = _existing(path, ctx)
        dates = {r.date: r for r in existing.ledger.reports}
        if report.date in dates and not replace:
            raise RecordError(
                f"{unit} 已有 {report.date} 的报告；如需更正，请加 --replace（原报告会作为注释保留）", usage=True
            )
        if replace and report.date not in dates:
            raise RecordError(f"{unit} 没有 {report.date} 的报告可更正", usage=True)
        # The values it replaces or follows, in the same plan year (cumulative values restart each year).
        for r in existing.ledger.reports:
            if r.date <= report.date and r.date.year == report.date.year:
                before.update(r.values)
        bom = original.startswith(b"\xef\xbb\xbf")
        old_text = original.decode("utf-8-sig")
        try:
            if replace:
                note = f"以下为 {recorded_on} 更正前的原报告"
                text = replace_report(old_text, report, note)
            else:
                text = insert_report(old_text, report)
        except LedgerTextError as exc:
            raise RecordError(f"{path}：{exc}") from None
        text = "\ufeff" + text if bom else text
        created = False
    ledger, problems = _check_text(path, text, ctx, report)
    if original is not None:
        _same_other_reports(path, existing.ledger.reports, ledger.ledger.reports, report.date)
    plan = next((p for p in plans if p.year == report.date.year), plans[0])
    return (
        Recorded(path, created, replace, unit, report, before, problems, plan, ledger),
        text,
        original,
    )


def _same_other_reports(path: Path, old: tuple[Report, ...], new: tuple[Report, ...], day: dt.date) -> None:
    """The safety net under the text editing: every other report must read back exactly as before."""
    if [r for r in old if r.date != day] != [r for r in new if r.date != day]:
        raise RecordError(f"{path}：插入会改变文件里已有的报告，已拒绝写入（请把文件格式改为示例那样后再试）")


def _existing(path: Path, ctx: Context) -> LedgerFile:
    problems: list[Problem] = []
    existing = read_ledger(path, problems)
    if existing is not None:
        for rule in LEDGER_RULES:
            problems.extend(rule(existing, ctx))
    errors = [p for p in problems if p.severity == "error"]
    if existing is None or errors:
        raise RecordError(f"{path} 已有错误，请先改正（minsheng validate 可列出全部问题）", errors)
    return existing


def _check_text(path: Path, text: str, ctx: Context, report: NewReport) -> tuple[LedgerFile, list[Problem]]:
    """Read the new text back as `validate` would; keep the problems that the new report brings."""
    problems: list[Problem] = []
    ledger = ledger_from_text(str(path), text, problems)
    if ledger is not None:
        for rule in LEDGER_RULES:
            problems.extend(rule(ledger, ctx))
    if ledger is None:
        raise RecordError("新报告无法通过校验", problems)
    index = next((k for k, r in enumerate(ledger.ledger.reports) if r.date == report.date), None)
    if index is None:
        raise RecordError(f"{path}：新报告写入后读不出来，已拒绝写入（文件格式不常见）")
    lines = _report_lines(ledger, index)
    mine = [p for p in problems if p.line in lines or _mentions(p, report)]
    refused = [p for p in mine if p.severity == "error" or p.code == "value-decrease"]
    if refused:
        at = {ledger.source.where(("reports", index, "values", key), at_key=True)[0]: key for key in report.values}
        at[ledger.source.where(("reports", index, "date"))[0]] = "date"
        keys = [at.get(p.line) or _mentioned_key(p, report) for p in refused]
        raise RecordError("新报告未通过校验，未写入", refused, keys=keys)
    return ledger, [p for p in mine if p not in refused]


def _report_lines(ledger: LedgerFile, index: int) -> range:
    start, _ = ledger.source.where(("reports", index))
    after = ledger.source.where(("reports", index + 1)) if index + 1 < len(ledger.ledger.reports) else None
    end = after[0] if after and after[0] > start else start + 10_000
    return range(start, end)


def _mentioned_key(problem: Problem, report: NewReport) -> str | None:
    return next((key for key in report.values if f"指标 {key} " in problem.message), None)


def _mentions(problem: Problem, report: NewReport) -> bool:
    """A rule may point at the later report while naming ours (a value going down after it)."""
    return problem.code == "value-decrease" and str(report.date) in problem.message

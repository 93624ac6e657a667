"""Importing many filled-in forms at once: check every file first, then record each whole or not at all.

Each file is read (:func:`minsheng.xlsx_import.read_form`), checked against the
plan it was exported from and the unit it was sent to, and tried with a dry
run of :func:`minsheng.record.record`; only then are the files that passed
written, one at a time through the same write path. A file refused at any
step writes nothing, and the other files go on.

Refusals, beyond every rule of a single import:

- a second form of the same unit in one import (``duplicate-form``): which of
  them is meant is not known, so none of that unit's is recorded;
- a repeat (``repeated-form``): the unit already has a report on the form's
  date that the form would not change (its values and texts are already
  recorded) — the same form imported twice, whatever its file is called now;
- another plan (``wrong-plan``): the hidden sheet names a plan that is not
  the data directory's plan of that year;
- a file named for another unit than the one the form was exported for
  (``wrong-unit``), and a workbook without the hidden sheet (``xlsx``).

Nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from minsheng.layout import required_plans
from minsheng.load import read_plan
from minsheng.model import Plan
from minsheng.problems import Problem
from minsheng.record import LOCK_WAIT_SECONDS, Recorded, RecordError, merge_correction, record, report_on, resolve_unit
from minsheng.render.xlsx import META_SHEET, TEMPLATE_FORMAT, TEMPLATE_SHEET
from minsheng.units import UnitIndex
from minsheng.xlsx_import import Form, read_form

if TYPE_CHECKING:
    from minsheng.commit import WriteHook

FORM_SUFFIXES = (".xlsx", ".xls", ".et", ".ods")
"""What a folder is searched for: the forms, and the formats a clerk may have saved them as by mistake."""


@dataclass
class FormResult:
    """One file of an import: what it would record, or why it is refused."""

    path: Path
    shown: str
    unit: str | None = None
    period: str | None = None
    """The reporting period the form was exported for (2024年7月), when it says."""
    form: Form | None = None
    done: Recorded | None = None
    """The dry run (or, once written, the write) of its report."""
    refusals: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def refused(self) -> bool:
        return bool(self.refusals)


def form_files(given: list[Path]) -> list[Path]:
    """The files to import: each file as given, and a folder's forms (sorted by name; Excel's ``~$`` lock
    files left out)."""
    out: list[Path] = []
    for path in given:
        if path.is_dir():
            found = [p for p in path.iterdir() if p.suffix.lower() in FORM_SUFFIXES and not p.name.startswith("~$")]
            out += sorted((p for p in found if p.is_file()), key=lambda p: p.name)
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def read_plans(data_dir: Path) -> list[Plan]:
    problems: list[Problem] = []
    plans = [pf.plan for p in required_plans(data_dir) if (pf := read_plan(p, problems)) is not None]
    errors = [p for p in problems if p.severity == "error"]
    if errors or not plans:
        raise RecordError("计划文件有错误，无法导入（minsheng validate 可列出全部问题）", errors)
    return plans


def check_forms(
    data_dir: Path,
    paths: list[Path],
    *,
    replace: bool,
    recorded_on: dt.date,
    lock_wait: float = LOCK_WAIT_SECONDS,
) -> list[FormResult]:
    """Every file read and tried (a dry run); nothing is written. Raises :class:`RecordError` only when the
    plans themselves cannot be read."""
    plans = read_plans(data_dir)
    results = [_check_one(data_dir, plans, path, replace, recorded_on, lock_wait) for path in paths]
    by_unit: dict[str, list[FormResult]] = {}
    for result in results:
        if not result.refused and result.unit is not None:
            by_unit.setdefault(result.unit, []).append(result)
    for unit, same in by_unit.items():
        if len(same) < 2:
            continue
        names = "、".join(r.path.name for r in same)
        for result in same:
            result.refusals.append(
                Problem(
                    result.shown,
                    0,
                    0,
                    "duplicate-form",
                    f"本次导入中 {unit} 有 {len(same)} 张填报表（{names}）：不知道以哪一张为准，都未导入",
                    "只留下要报送的那一张，再导入一次",
                )
            )
    return results


def record_forms(
    data_dir: Path,
    results: list[FormResult],
    *,
    replace: bool,
    recorded_on: dt.date,
    lock_wait: float = LOCK_WAIT_SECONDS,
    hook_for: Callable[[str], WriteHook | None] | None = None,
) -> None:
    """Write each checked file that passed, one report each; a write refused now is marked refused."""
    for result in results:
        if result.refused or result.form is None or result.form.report is None or result.unit is None:
            continue
        try:
            result.done = record(
                data_dir,
                result.unit,
                result.form.report,
                replace=replace,
                recorded_on=recorded_on,
                exported_for=result.form.exported_for,
                lock_wait=lock_wait,
                hook=hook_for(result.shown) if hook_for is not None else None,
            )
            result.written = True
        except RecordError as exc:
            result.refusals += refusals_of(exc, result.form, result.shown)
        except OSError as exc:
            message = f"写入失败：{exc.strerror or exc}（文件未改动）"
            result.refusals.append(Problem(result.shown, 0, 0, "not-written", message))


def _check_one(
    data_dir: Path, plans: list[Plan], path: Path, replace: bool, recorded_on: dt.date, lock_wait: float
) -> FormResult:
    result = FormResult(path, str(path))
    if not path.is_file():
        result.refusals.append(Problem(result.shown, 0, 0, "xlsx", "找不到这个文件", "检查文件名"))
        return result
    form = read_form(path)
    result.form = form
    result.unit = form.unit
    result.period = form.meta.get("period_label") or form.meta.get("period")
    if form.problems or form.report is None or form.unit is None:
        result.refusals += form.problems
        return result
    result.refusals += form_refusals(data_dir, plans, form, path, result.shown)
    if result.refused:
        return result
    result.unit = resolve_unit(plans, form.unit)
    if not replace and (existing := report_on(data_dir, plans, result.unit, form.report.date)) is not None:
        result.refusals.append(
            Problem(
                result.shown,
                0,
                0,
                "duplicate-date",
                f"{result.unit} 已有 {form.report.date} 的报告（{existing[0]}），表中的数与它不同",
                "如需更正这份报告，加 --replace 导入（原报告会作为注释保留）",
                cell=f"{TEMPLATE_SHEET}!B3",
            )
        )
        return result
    try:
        result.done = record(
            data_dir,
            result.unit,
            form.report,
            replace=replace,
            dry_run=True,
            recorded_on=recorded_on,
            exported_for=form.exported_for,
            lock_wait=lock_wait,
        )
    except RecordError as exc:
        result.refusals += refusals_of(exc, form, result.shown)
    return result


def form_refusals(data_dir: Path, plans: list[Plan], form: Form, path: Path, shown: str) -> list[Problem]:
    """What refuses a form that reads well, before its report is tried: another plan, another unit, a repeat."""
    assert form.unit is not None
    refusals = _against_plan(form, shown, path, plans)
    if refusals:
        return refusals
    try:
        unit = resolve_unit(plans, form.unit)
    except RecordError as exc:
        return [Problem(shown, 0, 0, "unknown-unit", str(exc), cell=f"{TEMPLATE_SHEET}!B2")]
    repeat = repeat_of(data_dir, plans, unit, form, shown)
    return [repeat] if repeat is not None else []


def repeat_of(data_dir: Path, plans: list[Plan], unit: str, form: Form, shown: str) -> Problem | None:
    """The refusal of a form already recorded: the unit's report of that date holds all it says."""
    assert form.report is not None
    existing = report_on(data_dir, plans, unit, form.report.date)
    if existing is None:
        return None
    where, old = existing
    if merge_correction(old, form.report, frozenset())[1]:
        return None
    return Problem(
        shown,
        0,
        0,
        "repeated-form",
        f"这张表已经导入过：{unit} {form.report.date} 的报告（{where}）已有表中的全部数值和文字",
        "不必再导入；要更正，改好表中的数后加 --replace 导入",
        cell=f"{TEMPLATE_SHEET}!B3",
    )


def _against_plan(form: Form, shown: str, path: Path, plans: list[Plan]) -> list[Problem]:
    """The form's hidden sheet against the data directory: this tool's form, of this plan, for this unit."""
    assert form.report is not None
    meta = form.meta
    if meta.get("format") != TEMPLATE_FORMAT:
        return [
            Problem(
                shown,
                0,
                0,
                "xlsx",
                f"不是本工具导出的填报表（没有隐藏的 {META_SHEET} 表，或它被改动了）",
                "请用 minsheng export xlsx --template 导出的表格填写",
                cell=TEMPLATE_SHEET,
            )
        ]
    out: list[Problem] = []
    exported_plan = meta.get("plan")
    same_year = [p for p in plans if p.year == form.report.date.year]
    if exported_plan and same_year and all(exported_plan not in (p.id, p.title) for p in same_year):
        ours = "、".join(f"“{p.id or p.title}”" for p in same_year)
        out.append(
            Problem(
                shown,
                0,
                0,
                "wrong-plan",
                f"这是“{exported_plan}”的填报表，数据目录里{form.report.date.year}年的计划是{ours}",
                "请用本计划导出的填报表（minsheng export xlsx --template）",
                cell=f"{TEMPLATE_SHEET}!B4",
            )
        )
    index = UnitIndex([u for p in plans for u in p.units])
    named = index.canonical(path.stem.split("-", 1)[0])
    exported_for = index.canonical(form.exported_for or "")
    if named is not None and exported_for is not None and named != exported_for:
        out.append(
            Problem(
                shown,
                0,
                0,
                "wrong-unit",
                f"文件名写的是“{named}”，这张表却是为“{exported_for}”导出的",
                "各单位请填写发给自己的那一张；拿错了表请重新导出",
            )
        )
    return out


def refusals_of(exc: RecordError, form: Form, shown: str) -> list[Problem]:
    """A refused write's problems, each at the form's cell it concerns (the date cell when it concerns none)."""
    cells = {**form.cells, "date": form.date_cell, "unit": f"{TEMPLATE_SHEET}!B2"}
    if not exc.problems:
        return [Problem(shown, 0, 0, "not-written", str(exc))]
    out = []
    for p, key in zip(exc.problems, exc.keys, strict=True):
        cell = cells.get(key, cells["date"]) if key is not None else None
        out.append(Problem(shown, 0, 0, p.code, p.message, p.hint, cell=cell))
    return out


def location(problem: Problem) -> str:
    """``FILE.xlsx!填报!G7``, or the file alone for what concerns it whole."""
    return f"{problem.file}!{problem.cell}" if problem.cell else problem.file

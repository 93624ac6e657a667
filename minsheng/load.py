"""Files -> validated plans and ledgers, plus every problem found, located.

The loader never raises for bad data: like beancount's, it returns what it could
read together with a list of :class:`~minsheng.problems.Problem`. It reads, it
does not judge across files (that is :mod:`minsheng.checks`) and it prints nothing.

The layout of a data directory is in :mod:`minsheng.layout`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minsheng import yamlio
from minsheng.gcpause import gc_paused
from minsheng.layout import PROGRESS_DIR, progress_paths, required_plans
from minsheng.model import Ledger, Plan
from minsheng.problems import Problem, Severity


@dataclass
class Source:
    """One file's text, with the node tree composed only when a problem needs a line."""

    path: str
    text: str | None
    _locator: yamlio.Locator | None = field(default=None, repr=False)

    def where(self, path: yamlio.Path, *, at_key: bool = False) -> tuple[int, int]:
        if self.text is None:
            return 1, 1
        if self._locator is None:
            self._locator = yamlio.Locator(yamlio.compose(self.text), self.text)
        return self._locator.locate(path, key=at_key)

    def problem(
        self,
        path: yamlio.Path,
        code: str,
        message: str,
        hint: str = "",
        *,
        severity: Severity = "error",
        at_key: bool = False,
    ) -> Problem:
        line, col = self.where(path, at_key=at_key)
        return Problem(self.path, line, col, code, message, hint, severity)


@dataclass
class PlanFile:
    plan: Plan
    source: Source


@dataclass
class LedgerFile:
    ledger: Ledger
    source: Source


@dataclass
class Loaded:
    """Everything read from a data directory. Files that failed to parse are absent."""

    plans: list[PlanFile]
    ledgers: list[LedgerFile]
    problems: list[Problem]
    files: int


Progress = Callable[[int, int], None]
"""Called after each file with (files done, files in all); the CLI draws a bar with it."""

Reader = Callable[[Path], bytes]
"""Gives a file's bytes; the cache passes the bytes it computed its key from (one read per file)."""


def load_dir(
    data_dir: Path,
    plan_files: Iterable[Path] | None = None,
    progress: Progress | None = None,
    read: Reader | None = None,
    ledger_files: list[Path] | None = None,
) -> Loaded:
    """Read the plans (all, or those given) and every progress file of ``data_dir``.

    ``read`` gives the bytes (the cache's snapshot, or a git commit's for ``--as-recorded``);
    ``ledger_files``, the progress files when they are not those on disk (a commit's).
    """
    plans_to_read = required_plans(data_dir, None if plan_files is None else list(plan_files))
    problems: list[Problem] = []
    try:
        ledger_paths = progress_paths(data_dir) if ledger_files is None else ledger_files
    except OSError as exc:
        folder = str(data_dir / PROGRESS_DIR)
        problems.append(
            Problem(folder, 1, 1, "unreadable", f"无法读取文件夹：{exc.strerror or exc}", "检查这个文件夹的权限")
        )
        ledger_paths = []
    total = len(plans_to_read) + len(ledger_paths)
    tick = progress or (lambda done, total: None)
    plans: list[PlanFile] = []
    ledgers: list[LedgerFile] = []
    with gc_paused():
        for n, path in enumerate(plans_to_read, 1):
            if (pf := read_plan(path, problems, read)) is not None:
                plans.append(pf)
            tick(n, total)
        for n, path in enumerate(ledger_paths, len(plans_to_read) + 1):
            if (lf := read_ledger(path, problems, read)) is not None:
                ledgers.append(lf)
            tick(n, total)
    return Loaded(plans, ledgers, problems, total)


def read_plan(path: Path, problems: list[Problem], read: Reader | None = None) -> PlanFile | None:
    from minsheng.schema import validate_plan

    got = _read_validated(path, problems, validate_plan, read)
    return PlanFile(*got) if got else None


def read_ledger(path: Path, problems: list[Problem], read: Reader | None = None) -> LedgerFile | None:
    from minsheng.schema import validate_ledger

    got = _read_validated(path, problems, validate_ledger, read)
    return LedgerFile(*got) if got else None


def _read_validated(
    path: Path, problems: list[Problem], validate: Any, read: Reader | None = None
) -> tuple[Any, Source] | None:
    source, data = read_yaml(path, problems, read)
    return _validated(source, data, problems, validate)


def _validated(source: Source, data: Any, problems: list[Problem], validate: Any) -> tuple[Any, Source] | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(source.problem((), "type", "文件顶层应为映射（键: 值）", "参照示例文件的格式"))
        return None
    value, errors = validate(data)
    for err in errors:
        problems.append(source.problem(err.path, err.code, err.message, err.hint, at_key=err.at_key))
    return (value, source) if value is not None else None


def ledger_from_text(shown: str, text: str, problems: list[Problem]) -> LedgerFile | None:
    """A progress file's text (not yet on disk) read exactly as :func:`read_ledger` would."""
    from minsheng.schema import validate_ledger

    source, data = _parse(shown, text, problems)
    got = _validated(source, data, problems, validate_ledger)
    return LedgerFile(*got) if got else None


def plan_from_text(shown: str, text: str, problems: list[Problem]) -> PlanFile | None:
    """A plan file's text (from a git commit) read exactly as :func:`read_plan` would."""
    from minsheng.schema import validate_plan

    source, data = _parse(shown, text, problems)
    got = _validated(source, data, problems, validate_plan)
    return PlanFile(*got) if got else None


def read_yaml(path: Path, problems: list[Problem], read: Reader | None = None) -> tuple[Source, Any]:
    """Read one file as plain values, appending located problems. ``None`` if unreadable."""
    shown = str(path)
    try:
        # With a reader, its bytes are all there is: a second look at the file could see another version.
        size = len(given := read(path)) if read is not None else os.stat(path).st_size
        if size > yamlio.MAX_BYTES:
            limit = yamlio.MAX_BYTES // (1024 * 1024)
            problems.append(
                Problem(shown, 1, 1, "too-large", f"文件有 {size} 字节，超过上限 {limit} MB", "检查是否选错了文件")
            )
            return Source(shown, None), None
        data = given if read is not None else path.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, 1, 1, "unreadable", f"无法读取文件：{exc.strerror}", ""))
        return Source(shown, None), None
    text, issue = yamlio.decode(data)
    if text is None:
        assert issue is not None
        problems.append(Problem(shown, issue.line, issue.col, issue.code, issue.message, issue.hint))
        return Source(shown, None), None
    return _parse(shown, text, problems)


def _parse(shown: str, text: str, problems: list[Problem]) -> tuple[Source, Any]:
    value, issues = yamlio.parse(text)
    source = Source(shown, text if value is not None else None)
    problems.extend(Problem(shown, i.line, i.col, i.code, i.message, i.hint) for i in issues)
    if issues and value is not None:
        # A duplicate key or refused tag leaves a partial value: do not build on it.
        return source, None
    return source, value

"""The library entry point: a data directory in, checked data and problems out.

``open_project`` reads every plan and progress file, runs every check, and
returns a :class:`Project`: the plans, the ledgers and the problems, with no
file positions left in them. That value is what the cache keeps, so a report
on unchanged data neither parses YAML nor imports pydantic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from minsheng import cache
from minsheng.dataset import Dataset, build_dataset
from minsheng.layout import DataDirError, plan_paths, progress_paths, required_plans, supervision_paths
from minsheng.lazyclass import dataclass
from minsheng.model import Ledger, Plan
from minsheng.problems import Problem

if TYPE_CHECKING:
    from minsheng.snapshot import Snapshot


@dataclass
class Project:
    plans: list[tuple[str, Plan]]
    """Each plan with the path it was read from."""
    ledgers: list[Ledger]
    problems: list[Problem]
    files: int

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def dataset(self, choice: str | None, as_of: dt.date) -> Dataset:
        return build_dataset(choose_plan(self.plans, choice, as_of), self.ledgers, [p for _, p in self.plans])


def open_project(
    data_dir: Path,
    extra_plan: Path | None = None,
    cache_folder: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    snapshot: Snapshot | None = None,
) -> Project:
    """Load and check every plan of ``data_dir`` (plus ``extra_plan``) and every progress file.

    With ``cache_folder``, unchanged data is taken from the cache (see :mod:`minsheng.cache`).
    With ``snapshot`` (``--as-recorded``), the files and their bytes are those of a git commit.
    """
    plans = plan_paths(data_dir) if snapshot is None else snapshot.plan_paths()
    if extra_plan is not None and all(p.resolve() != extra_plan.resolve() for p in plans):
        plans.append(extra_plan)
    plans = required_plans(data_dir, plans)
    committed = _Files.of(data_dir, snapshot)
    if cache_folder is None:
        return _check(data_dir, plans, progress, committed.read, committed)
    try:
        files = [*plans, *committed.progress(), *committed.supervision]
        key = cache.Snapshot(files, source=committed.read)
    except OSError:
        return _check(data_dir, plans, progress, committed.read, committed)
    if key.oversize:  # the loader refuses such a file; nothing worth caching
        return _check(data_dir, plans, progress, committed.read, committed)
    # A commit's data has its own cache slot, so that switching between it and the working tree evicts neither.
    slot = "" if snapshot is None else "recorded"
    hit = cache.load(cache_folder, data_dir, key.key, slot)
    if isinstance(hit, Project):
        return hit
    # The loader parses the very bytes the key was computed from, never a second read.
    project = _check(data_dir, plans, progress, key.read, committed)
    if key.complete:
        cache.store(cache_folder, data_dir, key.key, project, slot)
    return project


@dataclass(frozen=True)
class _Files:
    """Where the files come from: the working tree, or a git commit (``--as-recorded``)."""

    data_dir: Path
    snapshot: Snapshot | None
    supervision: list[Path]

    @classmethod
    def of(cls, data_dir: Path, snapshot: Snapshot | None) -> _Files:
        found = supervision_paths(data_dir) if snapshot is None else snapshot.supervision_paths()
        return cls(data_dir, snapshot, found)

    @property
    def read(self) -> Callable[[Path], bytes] | None:
        return None if self.snapshot is None else self.snapshot.read_bytes

    def progress(self) -> list[Path]:
        return progress_paths(self.data_dir) if self.snapshot is None else self.snapshot.progress_paths()


def _check(
    data_dir: Path,
    plans: list[Path],
    progress: Callable[[int, int], None] | None,
    read: Callable[[Path], bytes] | None,
    files: _Files,
) -> Project:
    from minsheng.checks import run_checks
    from minsheng.load import load_dir

    ledger_files = None if files.snapshot is None else files.progress()
    loaded = load_dir(data_dir, plans, progress, read, ledger_files)
    found = loaded.problems + run_checks(loaded)
    count = loaded.files
    if files.supervision:
        from minsheng.supervision.load import supervision_problems

        plan_values = [pf.plan for pf in loaded.plans]
        ledgers = [lf.ledger for lf in loaded.ledgers]
        found += supervision_problems(data_dir, plan_values, ledgers, read, files.supervision)
        count += len(files.supervision)
    return Project(
        [(pf.source.path, pf.plan) for pf in loaded.plans],
        [lf.ledger for lf in loaded.ledgers],
        _capped(sorted(found, key=Problem.sort_key)),
        count,
    )


MAX_PROBLEMS_PER_FILE = 200
"""Beyond this, one file's problems are summed up in one line: nobody reads the 201st."""


def _capped(problems: list[Problem]) -> list[Problem]:
    kept: list[Problem] = []
    dropped: dict[str, list[Problem]] = {}
    seen: dict[str, int] = {}
    for p in problems:
        seen[p.file] = seen.get(p.file, 0) + 1
        if seen[p.file] <= MAX_PROBLEMS_PER_FILE:
            kept.append(p)
        else:
            dropped.setdefault(p.file, []).append(p)
    for file, rest in dropped.items():
        errors = sum(1 for p in rest if p.severity == "error")
        kept.append(
            Problem(
                file,
                rest[0].line,
                rest[0].col,
                "too-many-problems",
                f"此后还有 {len(rest)} 个问题未列出（其中 {errors} 个错误）",
                "先改正上面列出的问题，再重新校验",
                "error" if errors else "warning",
            )
        )
    return sorted(kept, key=Problem.sort_key)


def _normalised(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip()


def _ids(plans: list[tuple[str, Plan]], year: int) -> str:
    return "、".join(f"{plan.id}（{path}）" for path, plan in plans if plan.year == year and plan.id)


def choose_plan(plans: list[tuple[str, Plan]], choice: str | None, as_of: dt.date) -> Plan:
    """By ``--plan`` (an id, a year or a file), else the plan of ``as_of``'s year, else the latest.

    A year with several plans (省级、市级、区级) needs ``--plan`` with the id, unless one
    of them has no id.
    """
    if not plans:
        raise DataDirError("没有可用的计划文件")
    if choice:
        choice = _normalised(choice)
        by_id = [plan for _, plan in plans if plan.id is not None and _normalised(plan.id) == choice]
        if by_id:
            return max(by_id, key=lambda plan: (plan.year == as_of.year, plan.year))
        for path, plan in plans:
            if choice == str(plan.year) or Path(choice).resolve() == Path(path).resolve():
                if sum(1 for _, p in plans if p.year == plan.year) > 1 and choice == str(plan.year):
                    raise DataDirError(f"{plan.year} 年有多个计划，请用 --plan 给出计划编号：{_ids(plans, plan.year)}")
                return plan
        known = "、".join(f"{plan.id or plan.year}（{path}）" for path, plan in plans)
        raise DataDirError(f"找不到计划“{choice}”。可用的计划：{known}")
    same = [plan for _, plan in plans if plan.year == as_of.year]
    if len(same) > 1:
        plain = [plan for plan in same if plan.id is None]
        if len(plain) == 1:
            return plain[0]
        raise DataDirError(f"{as_of.year} 年有多个计划，请用 --plan 选择：{_ids(plans, as_of.year)}")
    for _, plan in plans:
        if plan.year == as_of.year:
            return plan
    earlier = [plan for _, plan in plans if plan.year <= as_of.year]
    return max(earlier or [plan for _, plan in plans], key=lambda plan: plan.year)

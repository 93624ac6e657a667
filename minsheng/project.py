"""The library entry point: a data directory in, checked data and problems out.

``open_project`` reads every plan and progress file, runs every check, and
returns a :class:`Project`: the plans, the ledgers and the problems, with no
file positions left in them. That value is what the cache keeps, so a report
on unchanged data neither parses YAML nor imports pydantic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from minsheng import cache
from minsheng.dataset import Dataset, build_dataset
from minsheng.layout import DataDirError, plan_paths, progress_paths, required_plans
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
        return build_dataset(choose_plan(self.plans, choice, as_of), self.ledgers)


def open_project(
    data_dir: Path,
    extra_plan: Path | None = None,
    cache_folder: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    snapshot: Snapshot | None = None,
) -> Project:
    """Load and check every plan of ``data_dir`` (plus ``extra_plan``) and every progress file.

    With ``cache_folder``, unchanged data is taken from the cache (see :mod:`minsheng.cache`).
    With ``snapshot`` (``--as-recorded``), the files' bytes are those of a git commit.
    """
    plans = plan_paths(data_dir) if snapshot is None else snapshot.plan_paths()
    if extra_plan is not None and all(p.resolve() != extra_plan.resolve() for p in plans):
        plans.append(extra_plan)
    plans = required_plans(data_dir, plans)
    key = b""
    # A commit's data has its own cache slot, so that switching between it and the working tree evicts neither.
    slot = "" if snapshot is None else "recorded"
    if cache_folder is not None:
        try:
            if snapshot is None:
                key = cache.digest([*plans, *progress_paths(data_dir)])
            else:
                key = cache.digest_contents((p, snapshot.read_bytes(p)) for p in [*plans, *snapshot.progress_paths()])
        except OSError:
            cache_folder = None
        else:
            hit = cache.load(cache_folder, data_dir, key, slot)
            if isinstance(hit, Project):
                return hit
    project = _check(data_dir, plans, progress, snapshot)
    if cache_folder is not None:
        cache.store(cache_folder, data_dir, key, project, slot)
    return project


def _check(
    data_dir: Path,
    plans: list[Path],
    progress: Callable[[int, int], None] | None = None,
    snapshot: Snapshot | None = None,
) -> Project:
    from minsheng.checks import run_checks
    from minsheng.load import load_dir

    loaded = load_dir(data_dir, plans, progress, snapshot)
    problems = _capped(sorted(loaded.problems + run_checks(loaded), key=Problem.sort_key))
    return Project(
        [(pf.source.path, pf.plan) for pf in loaded.plans],
        [lf.ledger for lf in loaded.ledgers],
        problems,
        loaded.files,
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


def choose_plan(plans: list[tuple[str, Plan]], choice: str | None, as_of: dt.date) -> Plan:
    """By ``--plan`` (a year or a file), else the plan of ``as_of``'s year, else the latest."""
    if not plans:
        raise DataDirError("没有可用的计划文件")
    if choice:
        for path, plan in plans:
            if choice == str(plan.year) or Path(choice).resolve() == Path(path).resolve():
                return plan
        known = "、".join(f"{plan.year}（{path}）" for path, plan in plans)
        raise DataDirError(f"找不到计划“{choice}”。可用的计划：{known}")
    for _, plan in plans:
        if plan.year == as_of.year:
            return plan
    earlier = [plan for _, plan in plans if plan.year <= as_of.year]
    return max(earlier or [plan for _, plan in plans], key=lambda plan: plan.year)

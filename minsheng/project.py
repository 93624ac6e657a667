"""The library entry point: a data directory in, checked data and problems out.

``open_project`` runs load and every check, then picks the plan a command
works on. The CLI is one client of it; scripts can be others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from minsheng.checks import run_checks
from minsheng.dataset import Dataset, build_dataset
from minsheng.load import DataDirError, Loaded, PlanFile, load_dir, plan_paths
from minsheng.problems import Problem


@dataclass
class Project:
    loaded: Loaded
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def dataset(self, choice: str | None, as_of: dt.date) -> Dataset:
        chosen = choose_plan(self.loaded.plans, choice, as_of)
        return build_dataset(chosen.plan, (lf.ledger for lf in self.loaded.ledgers))


def open_project(data_dir: Path, extra_plan: Path | None = None) -> Project:
    """Load and check every plan of ``data_dir`` (plus ``extra_plan``) and every progress file."""
    plans = plan_paths(data_dir)
    if extra_plan is not None and all(p.resolve() != extra_plan.resolve() for p in plans):
        plans.append(extra_plan)
    loaded = load_dir(data_dir, plans)
    problems = sorted(loaded.problems + run_checks(loaded), key=Problem.sort_key)
    return Project(loaded, problems)


def choose_plan(plans: list[PlanFile], choice: str | None, as_of: dt.date) -> PlanFile:
    """By ``--plan`` (a year or a file), else the plan of ``as_of``'s year, else the latest."""
    if not plans:
        raise DataDirError("没有可用的计划文件")
    if choice:
        for pf in plans:
            if choice == str(pf.plan.year) or Path(choice).resolve() == Path(pf.source.path).resolve():
                return pf
        known = "、".join(f"{pf.plan.year}（{pf.source.path}）" for pf in plans)
        raise DataDirError(f"找不到计划“{choice}”。可用的计划：{known}")
    for pf in plans:
        if pf.plan.year == as_of.year:
            return pf
    earlier = [pf for pf in plans if pf.plan.year <= as_of.year]
    return max(earlier or plans, key=lambda pf: pf.plan.year)

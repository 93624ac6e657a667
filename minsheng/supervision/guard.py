"""What the 督办 ledger forbids a new progress report: taking a 核验销号 indicator below its verified value.

``record`` and ``import`` ask :func:`below_verified` before they write, under their lock; it reads the
data directory's supervision files (nothing when there are none) and returns the problems, located in
the candidate progress text at the value that drops. Revoking the check (``supervise verify --revoke``)
lets the lower value in.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from minsheng.dataset import build_dataset
from minsheng.load import LedgerFile
from minsheng.model import Plan
from minsheng.problems import Problem
from minsheng.supervision.compute import standing, verified_drops
from minsheng.supervision.load import load_supervision, shown_value, supervision_paths


def below_verified(data_dir: Path, plans: list[Plan], candidate: LedgerFile, day: dt.date) -> list[tuple[str, Problem]]:
    """The values of the report dated ``day`` in ``candidate`` (the unit's progress file as it would be
    written) that fall below a verification in force: (indicator id, problem at the value) each."""
    paths = supervision_paths(data_dir)
    plan = next((p for p in plans if p.year == day.year), None)
    if not paths or plan is None:
        return []
    loaded = load_supervision(data_dir, plans, paths=paths)
    entries = [e for ledger in loaded.ledgers if ledger.year == plan.year for e in ledger.entries]
    in_force = list(standing(entries).values())
    if not in_force:
        return []
    reports = candidate.ledger.reports
    index = next((n for n, r in enumerate(reports) if r.date == day), None)
    if index is None:
        return []
    found = []
    for verify, when, base, later in verified_drops(build_dataset(plan, [candidate.ledger], plans), in_force):
        if when != day or verify.verify not in reports[index].values:
            continue
        found.append(
            (
                verify.verify,
                candidate.source.problem(
                    ("reports", index, "values", verify.verify),
                    "verified-decrease",
                    f"指标 {verify.verify} 已于 {verify.date} 核验销号（当时累计 {shown_value(base)}），"
                    f"新报告却是 {shown_value(later)}",
                    "核验销号的数值不能再报低：如确为原数有误，请督查室先撤销核验"
                    f"（minsheng supervise verify {verify.verify} --revoke --note 原因），再报送更正",
                ),
            )
        )
    return found

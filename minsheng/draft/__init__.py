"""`minsheng plan draft`: a draft plan file from a published 实施方案 or 项目清单.

The layers, each a module: :mod:`read` (a .txt/.docx/.html/.xlsx/.csv file into
lines and tables), :mod:`segment` (header facts, categories, one piece per
project), :mod:`targets` (the numbers of one project's text), :mod:`build` (the
draft plan value with its review notes) and :mod:`emit` (the one place it
becomes YAML). Deterministic rules only: no network, no model, no clock.
Nothing here prints or exits; the CLI does (:mod:`minsheng.cli_plan`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from minsheng.draft.build import DraftContentError, DraftPlan, build
from minsheng.draft.emit import emit
from minsheng.draft.read import DraftInputError, read_document

__all__ = ["Draft", "DraftContentError", "DraftInputError", "draft_file", "summary"]


@dataclass
class Draft:
    plan: DraftPlan
    text: str


def draft_file(path: Path, *, year: int | None = None, region: str | None = None) -> Draft:
    """Read ``path`` and draft a plan from it; raises DraftInputError / DraftContentError."""
    plan = build(read_document(path), file_name=path.name, year=year, region=region)
    return Draft(plan, emit(plan))


def _by_kind(notes: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Notes grouped by what they say (up to the first "：" or "，"), with where each is."""
    kinds: dict[str, list[str]] = {}
    for where, note in notes:
        kind = "数字未作为目标" if note.startswith("数字未作为目标") else re.split(r"[：，]", note, maxsplit=1)[0]
        kind = re.sub(r"\d+(\.\d+)?", "N", kind) if "原文写作" not in kind else "以万、亿计的目标"
        kinds.setdefault(kind, []).append(where)
    return kinds


def summary(draft: Draft, output: Path) -> str:
    """What was found, what needs review, and the next command: for stderr."""
    plan = draft.plan
    indicators = plan.indicators
    numeric = [i for i in indicators if i.target is not None]
    lines = [
        f"已起草 {output}：{plan.region} {plan.year} 年，{len(plan.tasks)} 项任务、"
        f"{len(indicators)} 个指标（{len(numeric)} 个数字目标，{len(indicators) - len(numeric)} 个无数字事项）、"
        f"{len(plan.units)} 个责任单位" + (f"、{len(plan.categories)} 个类别" if plan.categories else "") + "。",
    ]
    floors = sum(1 for i in numeric if i.floor)
    levels = sum(1 for i in numeric if i.kind == "level")
    scaled = sum(1 for i in numeric if i.scale)
    items = sum(1 for i in indicators if i.items or i.examples)
    invested = sum(1 for t in plan.tasks if t.investment is not None)
    lines.append(
        f"  其中下限（以上/不少于）{floors} 个，水平值（达到）{levels} 个，以万计 {scaled} 个，"
        f"点名项目的 {items} 个；有年度投资的任务 {invested} 项。"
    )
    notes = plan.notes()
    lines.append(f"待核对 {len(notes)} 处，文件中都标有“# 待核对：”：")
    for kind, wheres in _by_kind(notes).items():
        shown = "、".join(dict.fromkeys(wheres))
        lines.append(f"  {kind}（{len(wheres)} 处）：{shown if len(shown) <= 60 else shown[:60] + '…'}")
    skipped = [(t.id, s) for t in plan.tasks for s in t.skipped]
    if skipped:
        lines.append(f"未作为目标的数字 {len(skipped)} 个（请确认它们不是目标）：")
        for task_id, s in skipped[:12]:
            lines.append(f"  任务{task_id}：“{s.text}”（{s.reason}）")
        if len(skipped) > 12:
            lines.append(f"  ……另有 {len(skipped) - 12} 个，见文件中的注释")
    folder = output.parent if str(output.parent) not in ("", ".") else Path(".")
    lines.append(f"下一步：核对后运行 minsheng validate --data {folder}")
    return "\n".join(lines) + "\n"

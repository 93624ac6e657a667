"""The one place a draft plan becomes YAML text, with its ``# 待核对：…`` comments.

Keys are those of the plan schema (and of the data-model spec for categories,
``category``, ``investment``, ``location``, ``due``, ``scale``, ``part_of``, unit
``group`` and ``kind: ceiling``); a key is written only when the document gave it
a value, so a draft of a plain document uses only the keys every version of the
plan model knows. Strings are written plain when YAML reads them back
unchanged, else double-quoted.
"""

from __future__ import annotations

import json
import re

from minsheng.draft.build import DraftIndicator, DraftPlan, DraftTask, DraftUnit

REVIEW = "待核对"
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*")
_SPECIAL = re.compile(
    r"(?i:true|false|yes|no|on|off|null|~|y|n)|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|\d{4}-\d\d?-\d\d?.*|0[xob].*"
)


def scalar(value: str) -> str:
    """``value`` as a YAML scalar that reads back as exactly this text."""
    if (
        _PLAIN.fullmatch(value)
        and not _SPECIAL.fullmatch(value)
        and ": " not in value
        and " #" not in value
        and not value.endswith((":", " "))
        # YAML 1.1 reads 1:0 as sixty and 1_000 as a thousand: text starting like a number is quoted
        and not re.match(r"[-+.\d]", value)
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def _flow(values: list[str]) -> str:
    parts = [
        v
        if re.fullmatch(r"[^\s,\[\]{}#:&*!|>'\"%@`\-?][^,\[\]{}#:]*", v) and v == v.strip()
        else json.dumps(v, ensure_ascii=False)
        for v in values
    ]
    return "[" + ", ".join(parts) + "]"


def _number(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(value)


class _Out:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def comment(self, indent: int, text: str) -> None:
        self.lines.append(f"{' ' * indent}# {text}")

    def review(self, indent: int, notes: list[str]) -> None:
        for note in notes:
            self.comment(indent, f"{REVIEW}：{note}")

    def key(self, indent: int, key: str, value: str | None = None, note: str | None = None) -> None:
        line = f"{' ' * indent}{key}:" + (f" {value}" if value is not None else "")
        self.lines.append(line + (f"  # {REVIEW}：{note}" if note else ""))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def emit(plan: DraftPlan) -> str:
    out = _Out()
    out.comment(0, f"由 minsheng plan draft 从 {plan.file} 起草的计划草稿。")
    out.comment(0, f"标有“{REVIEW}”的地方是按规则推测的，请对照原文逐条核对，改好后删去该注释；")
    out.comment(0, "然后运行 minsheng validate 校验。")
    out.review(0, plan.review)
    out.key(0, "title", scalar(plan.title))
    out.key(0, "region", scalar(plan.region))
    out.key(0, "year", str(plan.year))
    if plan.source:
        out.key(0, "source", scalar(plan.source))
    if plan.approved_by:
        out.key(0, "approved_by", scalar(plan.approved_by))
    out.key(0, "deadlines")
    for key, (date, label) in zip(("basic", "final"), plan.deadlines, strict=True):
        out.key(2, key)
        out.key(4, "date", date)
        out.key(4, "label", scalar(label))
    if plan.categories:
        out.key(0, "categories")
        for cat in plan.categories:
            out.lines.append(f"  - id: {json.dumps(cat.id, ensure_ascii=False)}")
            out.key(4, "name", scalar(cat.name))
    out.key(0, "units")
    out.review(2, plan.units_review)
    for unit in plan.units:
        _unit(out, unit)
    out.key(0, "tasks")
    out.review(2, plan.tasks_review)
    for task in plan.tasks:
        out.lines.append("")
        _task(out, task)
    return out.text()


def _unit(out: _Out, unit: DraftUnit) -> None:
    out.review(2, unit.review)
    out.lines.append(f"  - name: {scalar(unit.name)}")
    if unit.aliases:
        out.key(4, "aliases", _flow(unit.aliases))
    if unit.group:
        out.key(4, "group", "true")


def _task(out: _Out, task: DraftTask) -> None:
    out.review(2, task.review)
    for skipped in task.skipped:
        out.comment(2, f"{REVIEW}：数字未作为目标（{skipped.reason}）：“{skipped.text}”")
    out.lines.append(f"  - id: {json.dumps(task.id)}")
    out.key(4, "name", scalar(task.name))
    out.key(4, "description", scalar(task.description))
    out.key(4, "units", _flow(task.units))
    if task.category is not None:
        out.key(4, "category", json.dumps(task.category, ensure_ascii=False))
    if task.investment is not None:
        out.key(4, "investment", _number(task.investment))
    if task.location:
        out.key(4, "location", scalar(task.location))
    if task.due:
        out.key(4, "due", task.due)
    out.key(4, "indicators")
    for ind in task.indicators:
        _indicator(out, ind)


def _indicator(out: _Out, ind: DraftIndicator) -> None:
    out.review(6, ind.review)
    out.lines.append(f"      - id: {json.dumps(ind.id)}")
    out.key(8, "name", scalar(ind.name))
    out.key(8, "kind", ind.kind)
    if ind.target is not None:
        out.key(8, "target", _number(ind.target))
    if ind.scale:
        out.key(8, "scale", ind.scale)
    if ind.measure:
        out.key(8, "measure", scalar(ind.measure))
    if ind.floor:
        out.key(8, "floor", "true")
    out.key(8, "unit", scalar(ind.unit))
    if ind.part_of:
        out.key(8, "part_of", json.dumps(ind.part_of))
    for key, values in (("items", ind.items), ("examples", ind.examples)):
        if values:
            out.key(8, key)
            out.lines.extend(f"          - {scalar(v)}" for v in values)

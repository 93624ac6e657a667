"""Supervision files → ledgers and located problems; the rules that look across entries and files.

``supervision-YEAR.yaml`` in the data directory. Each entry says what it is by
one key (``action``, ``reply``, ``close``, ``correct``, ``verify``) and is
validated as that kind alone, so a bad reply yields the reply's problem and
not five guesses about what it might have been.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from minsheng.layout import SUPERVISION_PREFIX as PREFIX
from minsheng.layout import supervision_paths
from minsheng.lazyclass import dataclass
from minsheng.load import Reader, Source, read_yaml
from minsheng.model import Plan
from minsheng.problems import Problem
from minsheng.supervision.model import (
    ENTRY_TYPES,
    Action,
    Close,
    Correct,
    Entry,
    Reply,
    SupervisionHeader,
    SupervisionLedger,
    Verify,
)
from minsheng.units import UnitIndex


def ledger_path(data_dir: Path, year: int) -> Path:
    return data_dir / f"{PREFIX}-{year}.yaml"


@dataclass
class LoadedSupervision:
    ledgers: list[SupervisionLedger]
    problems: list[Problem]
    sources: dict[str, Source]


def load_supervision(
    data_dir: Path, plans: list[Plan], read: Reader | None = None, paths: list[Path] | None = None
) -> LoadedSupervision:
    """Read and check every supervision file of ``data_dir`` against the plans (through ``read``, the
    cache's snapshot, when given: the bytes checked are the bytes the cache key was made from)."""
    problems: list[Problem] = []
    ledgers: list[SupervisionLedger] = []
    sources: dict[str, Source] = {}
    for path in supervision_paths(data_dir) if paths is None else paths:
        source, data = read_yaml(path, problems, read)
        sources[source.path] = source
        got = ledger_from_value(source, data, problems)
        if got is not None:
            ledgers.append(got)
            problems.extend(check_ledger(got, source, plans))
    return LoadedSupervision(ledgers, problems, sources)


def ledger_from_value(source: Source, data: Any, problems: list[Problem]) -> SupervisionLedger | None:
    from minsheng.schema import validate_as

    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(source.problem((), "type", "文件顶层应为映射（键: 值）", "参照 README 中督办台账的格式"))
        return None
    header, errors = validate_as(SupervisionHeader, data)
    for err in errors:
        problems.append(source.problem(err.path, err.code, err.message, err.hint, at_key=err.at_key))
    if header is None:
        return None
    entries: list[Entry] = []
    positions: list[int] = []
    for n, raw in enumerate(header.entries):
        path: tuple[str | int, ...] = ("entries", n)
        kinds = [key for key in ENTRY_TYPES if key in raw]
        if len(kinds) != 1:
            what = "、".join(kinds) if kinds else "无"
            problems.append(
                source.problem(
                    path,
                    "entry-kind",
                    f"每一条须有且只有一个表明类别的键（action、reply、close、correct、verify），这里是：{what}",
                    "立项写 action: 编号；答复写 reply: 编号；销号写 close: 编号；"
                    "更正写 correct: 编号；核验写 verify: 指标",
                )
            )
            continue
        value, errs = validate_as(ENTRY_TYPES[kinds[0]], raw)
        for err in errs:
            problems.append(source.problem((*path, *err.path), err.code, err.message, err.hint, at_key=err.at_key))
        if value is not None:
            entries.append(value)
            positions.append(n)
    return SupervisionLedger(source.path, header.year, tuple(entries), header.example, tuple(positions))


def check_ledger(ledger: SupervisionLedger, source: Source, plans: list[Plan]) -> Iterator[Problem]:
    """The rules across entries: ids, order of events, what an action concerns, kinds."""
    plan = next((p for p in plans if p.year == ledger.year), None)
    if plan is None:
        years = "、".join(str(p.year) for p in plans) or "无"
        yield source.problem(("year",), "supervision-year", f"没有 {ledger.year} 年的计划", f"已有计划的年度：{years}")
        return
    opened: dict[str, Action] = {}
    closed: set[str] = set()
    in_force: set[tuple[str, str | None, str | None]] = set()
    for entry, position in zip(ledger.entries, ledger.positions, strict=True):
        at: tuple[str | int, ...] = ("entries", position)
        if entry.date.year != plan.year:
            yield source.problem(
                (*at, "date"),
                "date-outside-year",
                f"日期 {entry.date} 不在 {plan.year} 年内",
                "督办台账一个年度一个文件",
            )
        if isinstance(entry, Action):
            yield from _action_problems(source, at, entry, plan, opened)
            opened.setdefault(entry.action, entry)
            continue
        target = entry.verify if isinstance(entry, Verify) else _ref(entry)
        if isinstance(entry, Verify):
            yield from _verify_problems(source, at, entry, plan)
            key = (entry.verify, entry.item, entry.area)
            if entry.revoke and key not in in_force:
                what = "、".join(x for x in key if x)
                yield source.problem(
                    (*at, "revoke"),
                    "not-verified",
                    f"{what} 没有可撤销的核验销号（须先有 verify，写在它之前）",
                    "检查指标编号（以及 item:、area:）是否与要撤销的核验一致",
                )
            (in_force.discard if entry.revoke else in_force.add)(key)
            continue
        action = opened.get(target)
        key = next(k for k in ("reply", "close", "correct") if hasattr(entry, k))
        if action is None:
            later = next((e for e in ledger.entries if isinstance(e, Action) and e.action == target), None)
            hint = (
                f"{target} 的立项（{later.date}）写在这一条之后：请把立项移到它前面"
                if later is not None
                else _known(opened)
            )
            yield source.problem(
                (*at, key), "unknown-action", f"没有编号为“{target}”的督办事项（须先立项，写在它之前）", hint
            )
            continue
        if entry.date < action.date:
            yield source.problem(
                (*at, "date"),
                "date-before-action",
                f"{entry.date} 早于督办事项 {target} 的立项日期 {action.date}",
                "检查日期；答复、销号和更正只能在立项之后",
            )
        if isinstance(entry, Close):
            if target in closed:
                yield source.problem(
                    (*at, "close"), "closed-twice", f"督办事项 {target} 已经销号", "删除重复的销号；要更正请用 correct"
                )
            closed.add(target)
        elif isinstance(entry, Correct) and entry.due is not None and entry.due < action.date:
            yield _due_problem(source, (*at, "due"), entry.due, action.date)


def _ref(entry: Reply | Close | Correct) -> str:
    if isinstance(entry, Reply):
        return entry.reply
    if isinstance(entry, Close):
        return entry.close
    return entry.correct


def _known(opened: dict[str, Action]) -> str:
    return f"已立项的编号：{'、'.join(opened)}" if opened else "台账里还没有立项的督办事项"


def _due_problem(source: Source, path: tuple[str | int, ...], due: dt.date, start: dt.date) -> Problem:
    return source.problem(path, "due-before-action", f"整改时限 {due} 早于立项日期 {start}", "整改时限应在立项日期之后")


def _action_problems(
    source: Source, at: tuple[str | int, ...], action: Action, plan: Plan, opened: dict[str, Action]
) -> Iterator[Problem]:
    if action.action in opened:
        yield source.problem(
            (*at, "action"),
            "duplicate-action",
            f"督办事项编号“{action.action}”重复（第一次在 {opened[action.action].date}）",
            "每个督办事项用一个新编号；答复、销号写 reply:/close:",
        )
    if action.kind not in plan.supervision.kinds:
        yield source.problem(
            (*at, "kind"),
            "unknown-kind",
            f"不认识的督办方式“{action.kind}”",
            f"可用的方式：{'、'.join(plan.supervision.kinds)}（可在计划的 supervision.kinds 中增加）",
        )
    if action.due is not None and action.due < action.date:
        yield _due_problem(source, (*at, "due"), action.due, action.date)
    if not any((action.task, action.indicator, action.area, action.unit)):
        yield source.problem(
            at,
            "no-concern",
            "督办事项没有写督办的对象",
            "写 task:（任务）、indicator:（指标）、area:（片区）或 unit:（单位）",
        )
    yield from _concern_problems(source, at, plan, action.task, action.indicator, action.area, action.unit)


def _verify_problems(source: Source, at: tuple[str | int, ...], entry: Verify, plan: Plan) -> Iterator[Problem]:
    yield from _concern_problems(source, at, plan, None, entry.verify, entry.area, None, key="verify")
    ind = _indicator(plan, entry.verify)
    if ind is not None and entry.item is not None and entry.item not in _items(ind):
        yield source.problem(
            (*at, "item"),
            "unknown-item",
            f"指标 {ind.id} 没有名为“{entry.item}”的项目",
            f"可用的项目：{'、'.join(_items(ind)) or '（该指标没有点名项目）'}",
        )


def _items(ind: Any) -> list[str]:
    return [i if isinstance(i, str) else getattr(i, "name", str(i)) for i in ind.items]


def _indicator(plan: Plan, ind_id: str) -> Any:
    return next((i for t in plan.tasks for i in t.indicators if i.id == ind_id), None)


def _concern_problems(
    source: Source,
    at: tuple[str | int, ...],
    plan: Plan,
    task: str | None,
    indicator: str | None,
    area: str | None,
    unit: str | None,
    key: str = "indicator",
) -> Iterator[Problem]:
    if task is not None and all(t.id != task for t in plan.tasks):
        ids = "、".join(t.id for t in plan.tasks)
        yield source.problem((*at, "task"), "unknown-task", f"计划中没有序号为“{task}”的任务", f"可用的序号：{ids}")
    if indicator is not None and _indicator(plan, indicator) is None:
        yield source.problem(
            (*at, key), "unknown-indicator", f"计划中没有编号为“{indicator}”的指标", "编号按计划写，如 2.2"
        )
    if area is not None:
        names = [a.name if hasattr(a, "name") else str(a) for a in getattr(plan, "areas", ())]
        if area not in names:
            hint = f"计划中的片区：{'、'.join(names)}" if names else "这个计划没有分片区（areas）"
            yield source.problem((*at, "area"), "unknown-area", f"计划中没有片区“{area}”", hint)
    if unit is not None and UnitIndex(plan.units).canonical(unit) is None:
        yield source.problem((*at, "unit"), "unknown-unit", f"计划中没有单位“{unit}”", "单位名称按计划写，或用简称")


def supervision_problems(
    data_dir: Path, plans: list[Plan], ledgers: list[Any], read: Reader | None = None, paths: list[Path] | None = None
) -> list[Problem]:
    """Every problem of the supervision files, for ``validate``: the files' own, and a verified
    indicator that its unit later reported lower (located at the verification)."""
    from minsheng.dataset import build_dataset
    from minsheng.supervision.compute import standing, verified_drops

    loaded = load_supervision(data_dir, plans, read, paths)
    problems = list(loaded.problems)
    for ledger in loaded.ledgers:
        plan = next((p for p in plans if p.year == ledger.year), None)
        if plan is None:
            continue
        source = loaded.sources[ledger.path]
        where = {id(e): n for e, n in zip(ledger.entries, ledger.positions, strict=True)}
        in_force = list(standing(ledger.entries).values())  # a revoked check no longer holds the value up
        for verify, day, base, later in verified_drops(build_dataset(plan, ledgers), in_force):
            problems.append(
                source.problem(
                    ("entries", where[id(verify)], "verify"),
                    "verified-decrease",
                    f"指标 {verify.verify} 已于 {verify.date} 核验销号（当时累计 {shown_value(base)}），"
                    f"{day} 的报告却是 {shown_value(later)}",
                    "核实哪个数对：若报告有误，请单位用 --replace 更正该报告；若核验有误，"
                    f"由督查室撤销核验（minsheng supervise verify {verify.verify} --revoke --note 原因）",
                )
            )
    return problems


def shown_value(value: object) -> str:
    if value is True:
        return "已完成"
    if value is False:
        return "未完成"
    return str(value)

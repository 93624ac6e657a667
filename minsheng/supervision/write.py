"""The one write path of the 督办 ledger: append an entry, validated first, locked, atomic, read back.

Append-only by construction: a new entry is added after the last one, every
existing byte stays as it was. A correction is a new ``correct:`` entry that
keeps what it corrects; nothing is ever edited in place. The candidate text is
read back with the same loader and rules as ``validate`` before it is written,
and the file is re-read after the write to prove that every earlier entry
survived. The lock and the atomic rename are those of ``record``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from minsheng import yamlio
from minsheng.atomic import write_text
from minsheng.commit import WriteHook
from minsheng.ledger_text import scalar
from minsheng.load import Source, _parse
from minsheng.model import Plan
from minsheng.problems import Problem
from minsheng.record import RecordError, data_lock
from minsheng.supervision.load import check_ledger, ledger_from_value, ledger_path
from minsheng.supervision.model import Entry, SupervisionLedger

HEADER = (
    "# 督办台账（区政府督查室）：督办事项、单位答复、销号、更正与核验销号。\n"
    "# 只追加，不改写：更正请用 minsheng supervise correct，原记录保留。\n"
)

Fields = dict[str, str | bool | dt.date | None]
_IDS = {"action", "reply", "close", "correct", "verify", "task", "indicator"}


class SupervisionWriteError(Exception):
    """The entry was refused; nothing was written."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True, slots=True)
class Appended:
    path: Path
    entry: Entry
    created: bool
    commit: str | None = None


def entry_lines(fields: Fields) -> list[str]:
    """The YAML lines of one entry (``  - key: value`` …); keys in the order given, empty ones left out."""
    lines: list[str] = []
    for key, value in fields.items():
        if value is None or value == "":
            continue
        if value is False:
            continue
        if value is True:
            text = "true"
        elif isinstance(value, dt.date):
            text = value.isoformat()
        elif key in _IDS:  # ids quoted, so that an editor never reads 2.10 as the number 2.1
            text = scalar(str(value)) if scalar(str(value)).startswith('"') else f'"{value}"'
        else:
            text = scalar(str(value))
        lines.append(f"{'  - ' if not lines else '    '}{key}: {text}")
    return lines


def _candidate(existing: str | None, year: int, lines: list[str]) -> str:
    if existing is None:
        return f"{HEADER}year: {year}\nentries:\n" + "\n".join(lines) + "\n"
    value, issues = yamlio.parse(existing)
    if issues or not isinstance(value, dict):
        raise SupervisionWriteError("督办台账有错误，先改正（minsheng validate 可列出全部问题），再追加")
    keys = list(value)
    if not keys or keys[-1] != "entries":
        raise SupervisionWriteError(
            "督办台账的最后一项须是 entries:（条目列表），才能只追加不改写；请把 entries: 移到文件末尾"
        )
    entries = value["entries"]
    if entries is not None and not isinstance(entries, list):
        raise SupervisionWriteError("督办台账的 entries: 应为列表")
    if "entries: [" in existing or "entries: []" in existing:
        raise SupervisionWriteError("entries: 写成了行内列表（[...]），请改为每条一行“- ”的写法")
    text = existing if existing.endswith("\n") else existing + "\n"
    return text + "\n".join(lines) + "\n"


def append_entry(
    data_dir: Path, plan: Plan, plans: list[Plan], fields: Fields, hook: WriteHook | None = None
) -> Appended:
    """Append one entry to ``supervision-YEAR.yaml`` of ``data_dir``; refuse it if the result does not validate.

    An action whose ``action`` is None gets the next free id (:func:`next_id`) under the lock.

    ``hook`` (``--commit``) is the one ``record`` uses: asked before the write, so that a refusal
    writes nothing, and told after it, under the same lock."""
    path = ledger_path(data_dir, plan.year)
    try:
        return _append_locked(data_dir, path, plan, plans, fields, hook)
    except RecordError as exc:  # the lock could not be had in time: say who holds it
        raise SupervisionWriteError(str(exc)) from None


def _append_locked(
    data_dir: Path, path: Path, plan: Plan, plans: list[Plan], fields: Fields, hook: WriteHook | None
) -> Appended:
    # The ledger sits in the data directory itself: lock it (by its real path), as record does.
    with data_lock([data_dir]):
        existing = path.read_text(encoding="utf-8") if path.exists() else None
        before = _read(str(path), existing, plans) if existing is not None else None
        if "action" in fields and fields["action"] is None:
            # The next free number is taken under the lock, so that writers at once never draw the same one.
            fields = {**fields, "action": next_id(before, plan.year)}
        text = _candidate(existing, plan.year, entry_lines(fields))
        problems: list[Problem] = []
        after = _read(str(path), text, plans, problems)
        errors = [p for p in problems if p.severity == "error"]
        if errors or after is None:
            raise SupervisionWriteError("这条记录无法通过校验，未写入", errors)
        old = before.entries if before is not None else ()
        if after.entries[: len(old)] != old or len(after.entries) != len(old) + 1:
            raise SupervisionWriteError("追加后原有条目读出来不一样，未写入（请报告这个问题）")
        if hook is not None:
            hook.before(path)
        write_text(path, text)
        written = _read(str(path), path.read_text(encoding="utf-8"), plans)
        if written is None or written.entries != after.entries:
            raise SupervisionWriteError(f"写入后读回的内容不一致，请检查 {path}")
        done = Appended(path, after.entries[-1], existing is None)
        if hook is not None:
            done = Appended(path, done.entry, done.created, hook.after(path, done))
    return done


def commit_message(done: Appended) -> str:
    """``督办台账：action DB2024-001（挂牌督办）`` and the entry's fields, for ``--commit``."""
    entry = done.entry
    key = next(k for k in ("action", "reply", "close", "correct", "verify") if hasattr(entry, k))
    kind = getattr(entry, "kind", None)
    head = f"督办台账 {entry.date}：{key} {getattr(entry, key)}" + (f"（{kind}）" if kind else "")
    lines = [head, ""]
    for name in entry.__dataclass_fields__:
        value = getattr(entry, name)
        if value not in (None, "") and name not in {key, "date", "kind"}:
            lines.append(f"- {name}: {value}")
    return "\n".join([*lines, "", "由 minsheng supervise 写入并提交。"]) + "\n"


def _read(shown: str, text: str, plans: list[Plan], problems: list[Problem] | None = None) -> SupervisionLedger | None:
    sink: list[Problem] = [] if problems is None else problems
    source, data = _parse(shown, text, sink)
    ledger = ledger_from_value(source, data, sink)
    if ledger is not None:
        sink.extend(check_ledger(ledger, Source(shown, text), plans))
    return ledger


def next_id(ledger: SupervisionLedger | None, year: int) -> str:
    """督办事项编号: DB2024-001, DB2024-002 … (the next number after the highest in use)."""
    from minsheng.supervision.model import Action

    prefix = f"DB{year}-"
    used = [
        int(e.action[len(prefix) :])
        for e in (ledger.entries if ledger is not None else ())
        if isinstance(e, Action) and e.action.startswith(prefix) and e.action[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(used, default=0) + 1:03d}"

"""留痕: who recorded what and when, computed from the git history of the data directory.

Nothing is kept beside git: every run reads the commits (:mod:`minsheng.gitstore`)
and replays them, parents before children. Each file version (blob) is parsed
once with the normal loader; a progress file is compared report by report (by
date), a plan or other YAML file field by field.

Events (the JSON of ``minsheng history``)::

    {file, unit, report_date, commit, author, committed_at, kind, changes: [{field, old, new}], flags: [...]}

``kind`` is ``added``, ``changed`` or ``removed``. The flags and their rules:

- 补报: a report first committed after its period's due date (period end +
  ``reporting.due_days`` or ``due_day_of_month`` of the plan of its year); ``days`` late.
- 改数: a value of a report changed after the report was first committed;
  ``days`` since then, and the 通报 (``--issued`` dates and tags) issued on a day
  from its first commit up to the day before the change (that 通报 used the old value).
- 删除: a report removed (also when its whole file is).
- 插入: a report first committed when the file already had a later one.
- 无法读取: this version of the file did not parse or validate; its problems are
  listed, and the next readable version is compared with the last readable one.
- 截断: the commit is where a shallow clone's history is cut, so "added" may be older.

Nothing here prints; the CLI renders the events (:mod:`minsheng.render.history`).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from minsheng import gitstore, yamlio
from minsheng.gitstore import NULL_SHA, Change, Commit, Repo
from minsheng.layout import PLAN_GLOBS, PROGRESS_DIR, YAML_SUFFIXES
from minsheng.model import Ledger, Plan, Report, Value
from minsheng.periods import reporting_period
from minsheng.problems import Problem

Kind = Literal["added", "changed", "removed"]
TEXT_FIELDS = ("summary", "problems", "next_steps")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class Event:
    file: str
    unit: str | None
    report_date: dt.date | None
    commit: Commit
    kind: Kind
    changes: list[FieldChange] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)

    def flag_names(self) -> list[str]:
        return [f["flag"] for f in self.flags]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "unit": self.unit,
            "report_date": self.report_date.isoformat() if self.report_date else None,
            "commit": self.commit.sha,
            "author": self.commit.identity,
            "committed_at": self.commit.committed_at,
            "kind": self.kind,
            "changes": [{"field": c.field, "old": _jsonable(c.old), "new": _jsonable(c.new)} for c in self.changes],
            "flags": [{k: _jsonable(v) for k, v in f.items()} for f in self.flags],
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Issued:
    """A 通报: its day and where it comes from (``--issued`` or a tag's name)."""

    day: dt.date
    name: str


@dataclass
class History:
    events: list[Event]
    shallow: list[Commit]
    """The commits at which a shallow clone's history is cut (empty for a full clone)."""
    plans: list[Plan]
    """The latest readable version of each plan, to resolve ``--unit``."""


def read_history(data_dir: Path, issued: Iterable[dt.date] = ()) -> History:
    """The events of ``data_dir``'s git history. :class:`~minsheng.gitstore.GitError` when it has none."""
    repo = gitstore.open_repo(data_dir)
    commits = gitstore.log(repo)
    boundary = set(gitstore.shallow_boundary(repo))
    notices = [Issued(d, "--issued") for d in issued] + [Issued(t.day, f"tag {t.name}") for t in gitstore.tags(repo)]
    wanted = {
        sha
        for c in commits
        for ch in c.changes
        if _kind_of(repo, ch.new_path) or _kind_of(repo, ch.old_path)
        for sha in (ch.old_sha, ch.new_sha)
    }
    blobs = gitstore.read_blobs(repo, wanted)
    return build_history(repo, commits, blobs, notices, boundary)


def _kind_of(repo: Repo, repo_path: str) -> str | None:
    rel = repo.rel(repo_path)
    return None if rel is None else file_kind(rel)


def file_kind(rel: str) -> str | None:
    """What a path relative to the data directory holds: ``plan``, ``progress``, ``other`` (YAML) or nothing we read."""
    if not rel.endswith(YAML_SUFFIXES):
        return None
    head, _, name = rel.rpartition("/")
    if not head:
        return "plan" if any(fnmatch.fnmatchcase(name, g) for g in PLAN_GLOBS) else "other"
    if head == PROGRESS_DIR and not name.startswith("."):
        return "progress"
    return None


class _Unreadable:
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems


def _decode(shown: str, data: bytes) -> str | _Unreadable:
    if len(data) > yamlio.MAX_BYTES:
        return _Unreadable([f"{shown}:1:1: [too-large] 文件有 {len(data)} 字节，超过上限"])
    text, issue = yamlio.decode(data)
    if text is None:
        assert issue is not None
        return _Unreadable([f"{shown}:{issue.line}:{issue.col}: [{issue.code}] {issue.message}"])
    return text


def _errors(problems: list[Problem]) -> list[str]:
    return [f"{p.location()}: [{p.code}] {p.message}" for p in problems if p.severity == "error"]


def parse_ledger(shown: str, data: bytes) -> Ledger | _Unreadable:
    """One version of a progress file, read as the loader reads it; its errors if it does not read."""
    from minsheng.load import ledger_from_text

    got = _parse_with(shown, data, ledger_from_text)
    return got if isinstance(got, _Unreadable) else got.ledger


class LedgerParser:
    """:func:`parse_ledger` for many versions of the same files, each report parsed once.

    Consecutive versions of a progress file differ in one report or two, so a file is
    cut into its header and one piece of text per report, and each piece is read (as a
    one-report file, with the normal loader) only the first time it is seen. Whatever
    does not cut cleanly (flow style, tabs, another top-level key after ``reports:``,
    a piece that does not read) is read whole, so the result is always what
    :func:`parse_ledger` gives.
    """

    def __init__(self) -> None:
        self._pieces: dict[str, Ledger | None] = {}

    def parse(self, shown: str, data: bytes) -> Ledger | _Unreadable:
        text = _decode(shown, data)
        if isinstance(text, str) and (cut := split_reports(text)) is not None:
            header, items = cut
            reports = []
            ledger = None
            for item in items:
                piece = header + item
                if piece not in self._pieces:
                    got = parse_ledger(shown, piece.encode())
                    ok = isinstance(got, Ledger) and len(got.reports) == 1
                    self._pieces[piece] = got if ok else None  # type: ignore[assignment]
                ledger = self._pieces[piece]
                if ledger is None:
                    break
                reports.append(ledger.reports[0])
            else:
                if ledger is not None:
                    return Ledger(ledger.unit, tuple(reports), ledger.example)
        return parse_ledger(shown, data)


_ITEM = re.compile(r"^( *)-(?: |$)", re.M)
_CONTENT = re.compile(r"^[ ]*[^ \n#]", re.M)


def split_reports(text: str) -> tuple[str, list[str]] | None:
    """A progress file as (everything up to ``reports:``, the text of each report), or ``None`` if it does not cut."""
    if "\t" in text or yamlio.odd_breaks(text):
        return None
    at = 0 if text.startswith("reports:\n") else text.find("\nreports:\n") + 1
    if at == 0 and not text.startswith("reports:\n"):
        return None
    cut = at + len("reports:\n")
    header, body = text[:cut], text[cut:]
    if re.search(r"^[^ \n#-]", body, re.M):
        return None  # another top-level key or a document marker after the reports: read it whole
    marks = list(_ITEM.finditer(body))
    if not marks:
        return None
    indent = len(marks[0].group(1))
    if _CONTENT.search(body, 0, marks[0].start()):
        return None  # something other than comments before the first report
    if indent and re.search(rf"^ {{0,{indent - 1}}}[^ \n#]", body, re.M):
        return None  # a line left of the reports' dashes
    starts = [m.start() for m in marks if len(m.group(1)) == indent]
    return header, [body[a:b] for a, b in zip(starts, [*starts[1:], len(body)], strict=True)]


def _parse_plan(shown: str, data: bytes) -> Plan | _Unreadable:
    from minsheng.load import plan_from_text

    got = _parse_with(shown, data, plan_from_text)
    return got if isinstance(got, _Unreadable) else got.plan


def _parse_with(shown: str, data: bytes, read: Callable[[str, str, list[Problem]], Any]) -> Any:
    text = _decode(shown, data)
    if isinstance(text, _Unreadable):
        return text
    problems: list[Problem] = []
    got = read(shown, text, problems)
    errors = _errors(problems)
    return _Unreadable(errors or [f"{shown}: 无法读取"]) if got is None or errors else got


def _parse_raw(shown: str, data: bytes) -> Any | _Unreadable:
    text = _decode(shown, data)
    if isinstance(text, _Unreadable):
        return text
    value, issues = yamlio.parse(text)
    if issues:
        return _Unreadable([f"{shown}:{i.line}:{i.col}: [{i.code}] {i.message}" for i in issues])
    return value


def due_date(plan: Plan, day: dt.date) -> dt.date:
    """When the report of the period holding ``day`` was due (:func:`minsheng.periods.reporting_period`)."""
    return reporting_period(plan, day).due


def same_value(a: Any, b: Any) -> bool:
    """Equal as figures: 5 and 5.0 are, true and 1 are not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def report_fields(report: Report) -> dict[str, Value | str]:
    """A report as the fields a change is told in: ``values.2.2``, ``summary``, ``problems``, ``next_steps``."""
    out: dict[str, Value | str] = {f"values.{k}": v for k, v in report.values.items()}
    for name in TEXT_FIELDS:
        text = getattr(report, name)
        if text is not None:
            out[name] = text
    return out


def diff_fields(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    keys = list(dict.fromkeys([*old, *new]))
    return [FieldChange(k, old.get(k), new.get(k)) for k in keys if not same_value(old.get(k), new.get(k))]


def flatten(value: Any, prefix: str = "", out: dict[str, Any] | None = None) -> dict[str, Any]:
    """A plain YAML value as ``path → scalar``; list items are named by their id, date or name."""
    out = {} if out is None else out
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(value, list):
        used: set[str] = set()
        for i, item in enumerate(value):
            key = str(i)
            if isinstance(item, dict):
                named = next((item[k] for k in ("id", "date", "name") if isinstance(item.get(k), str)), None)
                if named is not None and named not in used:
                    key = named
            used.add(key)
            flatten(item, f"{prefix}[{key}]", out)
    else:
        out[prefix] = value
    return out


@dataclass
class _Replay:
    """The state carried while commits are replayed oldest first."""

    repo: Repo
    blobs: dict[str, bytes]
    issued: list[Issued]
    boundary: set[str]
    events: list[Event] = field(default_factory=list)
    parsed: dict[str, Any] = field(default_factory=dict)
    good: dict[str, Any] = field(default_factory=dict)
    """Blob → the last readable version at or before it (itself when it reads)."""
    first: dict[tuple[str, dt.date], Commit] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    """Plan file → its latest readable version."""
    ledgers: LedgerParser = field(default_factory=LedgerParser)

    def shown(self, repo_path: str) -> str:
        rel = self.repo.rel(repo_path) or repo_path
        return str(self.repo.data_dir / rel)

    def parse(self, kind: str, sha: str, shown: str) -> Any:
        if sha not in self.parsed:
            data = self.blobs.get(sha)
            if data is None:
                self.parsed[sha] = _Unreadable([f"{shown}: 本地没有这个版本（{sha[:10]}）"])
            elif kind == "progress":
                self.parsed[sha] = self.ledgers.parse(shown, data)
            elif kind == "plan":
                self.parsed[sha] = _parse_plan(shown, data)
            else:
                self.parsed[sha] = _parse_raw(shown, data)
        return self.parsed[sha]

    def last_good(self, kind: str, sha: str, shown: str) -> Any:
        if sha == NULL_SHA:
            return None
        if sha not in self.good:
            value = self.parse(kind, sha, shown)
            self.good[sha] = None if isinstance(value, _Unreadable) else value
        return self.good[sha]

    def plan_for(self, year: int) -> Plan | None:
        return next((p for p in self.plans.values() if p.year == year), None)


def build_history(
    repo: Repo, commits: Sequence[Commit], blobs: dict[str, bytes], issued: list[Issued], boundary: set[str]
) -> History:
    state = _Replay(repo, blobs, sorted(issued, key=lambda i: i.day), boundary)
    for commit in commits:
        for change in sorted(commit.changes, key=lambda c: c.new_path):
            kind = _kind_of(repo, change.new_path) or _kind_of(repo, change.old_path)
            if kind is not None:
                _replay_change(state, commit, change, kind)
    shallow = [c for c in commits if c.sha in boundary]
    return History(state.events, shallow, list(state.plans.values()))


def _replay_change(state: _Replay, commit: Commit, change: Change, kind: str) -> None:
    shown = state.shown(change.new_path)
    old = state.last_good(kind, change.old_sha, state.shown(change.old_path))
    events: list[Event] = []
    cut = {"flag": "截断", "note": "浅克隆的历史从这个提交起，更早的提交不在本地"}
    base = [cut] if commit.sha in state.boundary else []
    if change.old_path != change.new_path:
        moved = FieldChange("file", state.shown(change.old_path), shown)
        events.append(Event(shown, _unit_of(old), None, commit, "changed", [moved]))
    if change.new_sha == NULL_SHA:
        new = None
    else:
        new = state.parse(kind, change.new_sha, shown)
        if isinstance(new, _Unreadable):
            state.good[change.new_sha] = old
            flag = {"flag": "无法读取", "problems": new.problems}
            events.append(Event(shown, _unit_of(old), None, commit, "changed", [], [flag]))
            _emit(state, events, base)
            return
        state.good[change.new_sha] = new
    if kind == "progress":
        events += _ledger_events(state, commit, shown, old, new)
    else:
        events += _document_events(shown, commit, old, new)
        if kind == "plan":
            if isinstance(new, Plan):
                state.plans[shown] = new
            else:
                state.plans.pop(shown, None)
    _emit(state, events, base)


def _emit(state: _Replay, events: list[Event], base: list[dict[str, Any]]) -> None:
    for event in events:
        event.flags = base + event.flags
    state.events += events


def _unit_of(ledger: Any) -> str | None:
    return ledger.unit if isinstance(ledger, Ledger) else None


def _document_events(shown: str, commit: Commit, old: Any, new: Any) -> list[Event]:
    if old is None and new is None:
        return []
    if old is None:
        return [Event(shown, None, None, commit, "added")]
    if new is None:
        return [Event(shown, None, None, commit, "removed", [], [{"flag": "删除"}])]
    before = flatten(_plain(old))
    after = flatten(_plain(new))
    changes = diff_fields(before, after)
    return [Event(shown, None, None, commit, "changed", changes)] if changes else []


def _plain(value: Any) -> Any:
    """A plan model back to plain values, so that it is compared field by field like any YAML."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _ledger_events(state: _Replay, commit: Commit, shown: str, old: Ledger | None, new: Ledger | None) -> list[Event]:
    events: list[Event] = []
    if old is not None and new is not None and old.unit != new.unit:
        events.append(Event(shown, new.unit, None, commit, "changed", [FieldChange("unit", old.unit, new.unit)]))
    unit = (new or old).unit if (new or old) is not None else None  # type: ignore[union-attr]
    before = {r.date: r for r in old.reports} if old is not None else {}
    after = {r.date: r for r in new.reports} if new is not None else {}
    for day in sorted(set(before) | set(after)):
        was, now = before.get(day), after.get(day)
        key = (unit or shown, day)
        if was is None and now is not None:
            changes = diff_fields({}, report_fields(now))
            event = Event(shown, unit, day, commit, "added", changes)
            plan = state.plan_for(day.year)
            if plan is not None:
                due = due_date(plan, day)
                if commit.day > due:
                    event.flags.append({"flag": "补报", "days": (commit.day - due).days, "due": due})
            later = [d for d in before if d > day]
            if later:
                event.flags.append({"flag": "插入", "before": min(later)})
            state.first.setdefault(key, commit)
            events.append(event)
        elif was is not None and now is None:
            changes = diff_fields(report_fields(was), {})
            events.append(Event(shown, unit, day, commit, "removed", changes, [{"flag": "删除"}]))
        elif was is not None and now is not None:
            if was == now:
                continue
            changes = diff_fields(report_fields(was), report_fields(now))
            if not changes:
                continue
            event = Event(shown, unit, day, commit, "changed", changes)
            if any(c.field.startswith("values.") for c in changes):
                event.flags.append(_changed_flag(state, key, commit))
            events.append(event)
    return events


def _changed_flag(state: _Replay, key: tuple[str, dt.date], commit: Commit) -> dict[str, Any]:
    first = state.first.get(key)
    if first is None:  # first committed before a shallow clone's cut: how long ago is not known here
        return {"flag": "改数", "days": None, "first_committed": None, "issued": []}
    between = [{"date": i.day, "name": i.name} for i in state.issued if first.day <= i.day < commit.day]
    return {
        "flag": "改数",
        "days": (commit.day - first.day).days,
        "first_committed": first.committed_at,
        "issued": between,
    }


def select(
    events: Iterable[Event],
    *,
    unit: str | None = None,
    canonical: Any = None,
    indicator: str | None = None,
    since: dt.date | None = None,
) -> list[Event]:
    """The events ``--unit`` / ``--indicator`` / ``--since`` keep; ``canonical`` maps an alias to its unit."""
    kept = []
    for e in events:
        if unit is not None and (e.unit is None or (canonical(e.unit) if canonical else e.unit) != unit):
            continue
        if indicator is not None and not _touches(e, indicator):
            continue
        if since is not None and e.commit.day < since:
            continue
        kept.append(e)
    return kept


def _touches(event: Event, indicator: str) -> bool:
    if event.unit is None:  # plan: a field of that indicator
        return any(f"[{indicator}]" in c.field for c in event.changes)
    return any(c.field == f"values.{indicator}" for c in event.changes)

"""The one write path: add (or correct) a unit's report, validated, locked and atomic.

Used by `minsheng record` and `minsheng import`. Sequence, all under one lock
on the data directory:

1. read the plans and the unit's file; refuse if the file already has errors;
2. build the new text (:mod:`minsheng.ledger_text`): only the new report's
   lines are added. With ``replace``, the new report is the old one with what
   is restated changed and what ``remove`` names taken out; everything else
   (values and texts) is kept, and the old report stays as comments;
3. read the new text back with the normal loader and every ledger rule; refuse
   if the new report brings any error, or lowers a cumulative value;
4. check nobody changed the file since step 1, then write it atomically.

The lock is on the data directory and on the real folder that holds the file
(a ``progress/`` shared through a link is locked once, for every data
directory using it); a unit file that is a link is written through, to the
file it names. A writer waits for the lock a bounded time and then says which
process holds it.

Nothing here prints or exits; problems come back as values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from minsheng import atomic
from minsheng.checks import LEDGER_RULES, Context
from minsheng.layout import PROGRESS_DIR, progress_paths, required_plans
from minsheng.ledger_text import LedgerTextError, NewReport, insert_report, new_file, replace_report
from minsheng.load import LedgerFile, ledger_from_text, read_ledger, read_plan
from minsheng.model import Plan, Report, Value
from minsheng.problems import Problem
from minsheng.units import UnitIndex, unsafe_file_name

if TYPE_CHECKING:
    from minsheng.commit import WriteHook

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory lock, writes stay atomic
    fcntl = None  # type: ignore[assignment]


class RecordError(Exception):
    """The request cannot be carried out; ``problems`` say why (nothing was written)."""

    def __init__(
        self,
        message: str,
        problems: list[Problem] | None = None,
        usage: bool = False,
        keys: list[str | None] | None = None,
    ) -> None:
        super().__init__(message)
        self.problems = problems or []
        self.usage = usage
        self.keys = keys or [None] * len(self.problems)
        """For each problem, the indicator id (or ``"date"``) of the new report it concerns."""


TEXT_FIELDS = {"summary": "进展情况", "problems": "存在问题", "next_steps": "下步计划"}
"""The report's texts, by field name, with the label users know them by."""
REMOVABLE_TEXTS = {"summary": "summary", "problems": "problems", "next": "next_steps", "next_steps": "next_steps"}
REMOVABLE_TEXTS.update({label: key for key, label in TEXT_FIELDS.items()})


@dataclass(frozen=True, slots=True)
class Change:
    """One value or text of a corrected report: ``old`` → ``new`` (``None``: not there)."""

    key: str
    old: object
    new: object


@dataclass
class Recorded:
    path: Path
    created: bool
    replaced: bool
    unit: str
    report: NewReport
    before: dict[str, object] = field(default_factory=dict)
    """The values the new report follows (for a correction: those before the corrected date)."""
    changes: list[Change] = field(default_factory=list)
    """For a correction: every value and text that changes, in the report's order."""
    kept: list[str] = field(default_factory=list)
    """For a correction: what the old report had and the new one keeps unchanged."""
    warnings: list[Problem] = field(default_factory=list)
    plan: Plan | None = None
    ledger: LedgerFile | None = None
    commit: str | None = None
    """The git commit the write became (``--commit``)."""


LOCK_WAIT_SECONDS = 30.0
"""How long a write waits for another one to finish before it gives up and says who holds the lock."""


@contextlib.contextmanager
def data_lock(folders: list[Path], wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Exclusive advisory locks on ``folders`` (by their real paths), held for a read-modify-write.

    The folders themselves are locked: no lock file is left in the user's data repository,
    and nothing (not even ``progress/``) has to be created before the report is checked.
    They are taken in one global order (sorted real paths, each once), so two writers that
    share a folder through a link never deadlock. A writer waits at most ``wait`` seconds,
    then gives up with a :class:`RecordError` that names the process holding the lock.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    held: list[int] = []
    seen: set[tuple[int, int]] = set()
    try:
        for folder in sorted({os.path.realpath(f) for f in folders}):
            fd = os.open(folder, os.O_RDONLY)
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) in seen:
                os.close(fd)
                continue
            seen.add((st.st_dev, st.st_ino))
            held.append(fd)
            _flock(fd, folder, wait)
        yield
    finally:
        for fd in reversed(held):
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _flock(fd: int, folder: str, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise RecordError(
                    f"{folder} 正被{lock_holder(fd)}锁定（正在写入），等了 {wait:g} 秒仍未释放，未写入。"
                    "请等它结束后重试；如该进程已卡住，可结束它（锁随进程结束自动释放）"
                ) from None
            time.sleep(0.05)


def lock_holder(fd: int) -> str:
    """Who holds the flock on ``fd``'s file, from /proc/locks (Linux); else a plain word."""
    st = os.fstat(fd)
    where = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as handle:
            table = handle.read(1 << 20)
    except OSError:
        return "另一个进程"
    pids = [
        f[4] for f in (line.split() for line in table.splitlines()) if len(f) > 5 and f[1] == "FLOCK" and f[5] == where
    ]
    pid = next((p for p in pids if p.isdigit() and int(p) != os.getpid()), None)
    if pid is None:
        return "另一个进程"
    return f"进程 {pid}{_process_owner(pid)}"


def _process_owner(pid: str) -> str:
    """The holder's user and command line, as far as /proc tells them: "（用户 alice，minsheng record …）"."""
    parts: list[str] = []
    try:
        uid = os.stat(f"/proc/{pid}").st_uid
        import pwd

        parts.append(f"用户 {pwd.getpwuid(uid).pw_name}")
    except (OSError, KeyError, ImportError):
        pass
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read(400).replace(b"\0", b" ").decode("utf-8", "replace").strip()
        if command:
            parts.append(command[:120])
    except OSError:
        pass
    return f"（{'，'.join(parts)}）" if parts else ""


def resolve_unit(plans: list[Plan], given: str) -> str:
    reason = unsafe_file_name(given)
    if reason is not None:
        raise RecordError(f"单位名称不可用：{reason}", usage=True)
    index = UnitIndex([u for p in plans for u in p.units])
    # Names are written NFC: "Café局" typed with a combining accent is the same unit and file.
    name = index.canonical(_nfc(given)) or index.canonical(given)
    if name is None:
        raise RecordError(index.unknown(given), usage=True)
    name = _nfc(name)
    if unsafe_file_name(name) is not None:
        raise RecordError(f"计划中的单位名称“{name}”不能用作文件名", usage=True)
    return name


def record(
    data_dir: Path,
    unit: str,
    report: NewReport,
    *,
    replace: bool = False,
    remove: Collection[str] = (),
    dry_run: bool = False,
    recorded_on: dt.date,
    exported_for: str | None = None,
    lock_wait: float = LOCK_WAIT_SECONDS,
    hook: WriteHook | None = None,
) -> Recorded:
    """Add ``report`` to ``unit``'s progress file. Raises :class:`RecordError` and writes nothing on any problem.

    With ``replace``, the report of the same date is corrected: what ``report`` states
    changes, what ``remove`` names (indicator ids, or ``summary`` / ``problems`` /
    ``next``) is taken out, and everything else is kept. ``remove`` implies ``replace``.
    ``exported_for``: the unit a form was exported for; ``unit`` must name the same one
    (by its name or an alias).
    """
    replace = replace or bool(remove)
    # Only the plans are read: the other units' files have no bearing on this report.
    problems: list[Problem] = []
    plans = [pf.plan for p in required_plans(data_dir) if (pf := read_plan(p, problems)) is not None]
    plan_errors = [p for p in problems if p.severity == "error"]
    if plan_errors or not plans:
        raise RecordError("计划文件有错误，无法记录进展（minsheng validate 可列出全部问题）", plan_errors)
    name = resolve_unit(plans, unit)
    if exported_for is not None and resolve_unit(plans, exported_for) != name:
        problem = Problem("", 0, 0, "wrong-unit", f"报送单位“{unit}”与这张填报表导出时的单位“{exported_for}”不同")
        raise RecordError("填报表的单位不对，未写入", [problem], keys=["unit"])
    path = _unit_file(data_dir, name, UnitIndex([u for p in plans for u in p.units]))
    target = _write_target(path)
    if dry_run:
        return _below_verified(
            data_dir, plans, _prepare(path, name, report, plans, replace, frozenset(remove), recorded_on)[0]
        )
    # The folder that really holds the file is locked, wherever links make it live: two data
    # directories sharing one progress/ folder must wait for each other.
    holder = target.parent if target.parent.exists() else data_dir
    with data_lock([data_dir, holder], lock_wait):
        result, text, snapshot = _prepare(path, name, report, plans, replace, frozenset(remove), recorded_on)
        _below_verified(data_dir, plans, result)
        if _snapshot(path) != snapshot:
            raise RecordError(f"{path} 在读取后被其他程序修改，未写入；请重试")
        if snapshot is not None and _read_only(target):
            raise RecordError(f"{target} 是只读文件，未写入；如确需记录，请先改为可写（chmod u+w）")
        if hook is not None:  # --commit: refuses before anything is written
            hook.before(path)
        target.parent.mkdir(exist_ok=True)  # only now: a refused report creates nothing
        atomic.write_text(target, text)
        if hook is not None:
            result.commit = hook.after(path, result)
    return result


def _below_verified(data_dir: Path, plans: list[Plan], result: Recorded) -> Recorded:
    """Refuse a value below its 核验销号 (the office's check, in the 督办 ledger); else pass ``result`` on."""
    from minsheng.supervision.guard import below_verified

    if result.ledger is None:
        return result
    found = below_verified(data_dir, plans, result.ledger, result.report.date)
    if found:
        keys: list[str | None] = [key for key, _ in found]
        raise RecordError("新报告低于已核验销号的数值，未写入", [p for _, p in found], keys=keys)
    return result


def _read_only(path: Path) -> bool:
    """A file its mode says is not to be written (0444), even for root or its owner, whom rename would let."""
    st = path.stat()
    mine = st.st_uid == os.geteuid()
    return not os.access(path, os.W_OK) or not st.st_mode & 0o222 or (mine and not st.st_mode & 0o200)


def _write_target(path: Path) -> Path:
    """Where the write goes: through a link to the file it names (validate reads that file too).

    A dangling link is refused, as validate refuses to read it: recording would replace the
    link by a new file and detach the unit's history.
    """
    if not path.is_symlink():
        return path
    real = Path(os.path.realpath(path))
    if not real.exists():
        raise RecordError(
            f"{path} 是指向 {os.readlink(path)} 的符号链接，但目标不存在（validate 同样读不到它）；"
            "请修好链接或删去它后再记录"
        )
    return real


def _unit_file(data_dir: Path, unit: str, index: UnitIndex) -> Path:
    """The unit's existing progress file (named by its name or an alias, .yaml or .yml), else a new one."""
    for path in progress_paths(data_dir):
        if _nfc(index.canonical(_nfc(path.stem)) or index.canonical(path.stem) or "") == unit:
            return path
    return data_dir / PROGRESS_DIR / f"{unit}.yaml"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _snapshot(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _prepare(
    path: Path,
    unit: str,
    report: NewReport,
    plans: list[Plan],
    replace: bool,
    remove: frozenset[str],
    recorded_on: dt.date,
) -> tuple[Recorded, str, bytes | None]:
    ctx = Context(plans)
    original = _snapshot(path)
    before: dict[str, object] = {}
    changes: list[Change] = []
    kept: list[str] = []
    if original is None:
        if replace:
            raise RecordError(f"{unit} 还没有进展文件，没有可更正的报告", usage=True)
        text = new_file(unit, report, f"{unit} 民生实事进展（由 minsheng record 创建）")
        created = True
    else:
        existing = _existing(path, ctx)
        dates = {r.date: r for r in existing.ledger.reports}
        if report.date in dates and not replace:
            raise RecordError(
                f"{unit} 已有 {report.date} 的报告；如需更正，请加 --replace（原报告会作为注释保留）", usage=True
            )
        if replace and report.date not in dates:
            raise RecordError(f"{unit} 没有 {report.date} 的报告可更正", usage=True)
        # The values it follows, in the same plan year (cumulative values restart each year);
        # a correction is shown against the report it corrects, not against itself.
        for r in existing.ledger.reports:
            if (r.date < report.date or (r.date == report.date and not replace)) and r.date.year == report.date.year:
                before.update(r.values)
        if replace:
            report, changes, kept = merge_correction(dates[report.date], report, remove)
        bom = original.startswith(b"\xef\xbb\xbf")
        old_text = original.decode("utf-8-sig")
        try:
            if replace:
                note = f"以下为 {recorded_on} 更正前的原报告"
                text = replace_report(old_text, report, note)
            else:
                text = insert_report(old_text, report)
        except LedgerTextError as exc:
            raise RecordError(f"{path}：{exc}") from None
        text = "\ufeff" + text if bom else text
        created = False
    ledger, problems = _check_text(path, text, ctx, report)
    if report.date > recorded_on:
        problems.append(
            Problem(
                str(path),
                0,
                0,
                "future-date",
                f"报告日期 {report.date} 在今天（{recorded_on}）之后：累计数应截至已经过去的日期",
                "检查日期是否写错；如确为预填，可以到期后再用 --replace 更正",
                "warning",
            )
        )
    if original is not None:
        _same_other_reports(path, existing.ledger.reports, ledger.ledger.reports, report.date)
    plan = next((p for p in plans if p.year == report.date.year), plans[0])
    return (
        Recorded(path, created, replace, unit, report, before, changes, kept, problems, plan, ledger),
        text,
        original,
    )


def merge_correction(old: Report, new: NewReport, remove: frozenset[str]) -> tuple[NewReport, list[Change], list[str]]:
    """The corrected report: ``old`` with what ``new`` states changed and what ``remove`` names taken out.

    Returns it with every change (old → new) and what is kept unchanged. A removal of
    something the old report does not have, or that ``new`` also restates, is refused.
    """
    texts = {key: getattr(old, key) for key in TEXT_FIELDS}
    stated_texts = {key: getattr(new, key) for key in TEXT_FIELDS if getattr(new, key)}
    values: dict[str, Value] = dict(old.values)
    removed_texts: set[str] = set()
    for name in sorted(remove):
        key = REMOVABLE_TEXTS.get(name)
        if name in new.values or (key is not None and key in stated_texts):
            raise RecordError(f"{name} 既要更正又要删除，只能选一种", usage=True)
        if name in values:
            del values[name]
        elif key is not None and texts.get(key):
            removed_texts.add(key)
        else:
            raise RecordError(f"{old.date} 的原报告里没有 {name}，无从删除", usage=True)
    values.update(new.values)
    keys = dict.fromkeys((*old.values, *new.values))
    changes = [Change(k, old.values.get(k), values.get(k)) for k in keys if not _same(old.values.get(k), values.get(k))]
    merged_texts = {k: None if k in removed_texts else stated_texts.get(k, texts[k]) for k in TEXT_FIELDS}
    changes += [Change(k, texts[k], merged_texts[k]) for k in TEXT_FIELDS if texts[k] != merged_texts[k]]
    kept = [k for k in old.values if _same(old.values[k], values.get(k))]
    kept += [TEXT_FIELDS[k] for k in TEXT_FIELDS if texts[k] and texts[k] == merged_texts[k]]
    merged = NewReport(
        new.date,
        values,
        merged_texts["summary"],
        merged_texts["problems"],
        merged_texts["next_steps"],
        new.correction or old.correction,
    )
    if merged.correction != old.correction:
        changes.append(Change("correction", old.correction, merged.correction))
    return merged, changes, kept


def _same(a: object, b: object) -> bool:
    """Equal as a report means it: 2 and 2.0 are the same figure, 1 and true are not."""
    return a == b and isinstance(a, bool) == isinstance(b, bool) and (a is None) == (b is None)


def _same_other_reports(path: Path, old: tuple[Report, ...], new: tuple[Report, ...], day: dt.date) -> None:
    """The safety net under the text editing: every other report must read back exactly as before."""
    if [r for r in old if r.date != day] != [r for r in new if r.date != day]:
        raise RecordError(f"{path}：插入会改变文件里已有的报告，已拒绝写入（请把文件格式改为示例那样后再试）")


def _existing(path: Path, ctx: Context) -> LedgerFile:
    problems: list[Problem] = []
    existing = read_ledger(path, problems)
    if existing is not None:
        for rule in LEDGER_RULES:
            problems.extend(rule(existing, ctx))
    errors = [p for p in problems if p.severity == "error"]
    if existing is None or errors:
        raise RecordError(f"{path} 已有错误，请先改正（minsheng validate 可列出全部问题）", errors)
    return existing


def _check_text(path: Path, text: str, ctx: Context, report: NewReport) -> tuple[LedgerFile, list[Problem]]:
    """Read the new text back as `validate` would; keep the problems that the new report brings."""
    problems: list[Problem] = []
    ledger = ledger_from_text(str(path), text, problems)
    if ledger is not None:
        for rule in LEDGER_RULES:
            problems.extend(rule(ledger, ctx))
    if ledger is None:
        raise RecordError("新报告无法通过校验", problems)
    index = next((k for k, r in enumerate(ledger.ledger.reports) if r.date == report.date), None)
    if index is None:
        raise RecordError(f"{path}：新报告写入后读不出来，已拒绝写入（文件格式不常见）")
    lines = _report_lines(ledger, index)
    mine = [p for p in problems if p.line in lines or _mentions(p, report)]
    refused = [p for p in mine if p.severity == "error" or p.code == "value-decrease"]
    if refused:
        at = {ledger.source.where(("reports", index, "values", key), at_key=True)[0]: key for key in report.values}
        at[ledger.source.where(("reports", index, "date"))[0]] = "date"
        keys = [at.get(p.line) or _mentioned_key(p, report) for p in refused]
        raise RecordError("新报告未通过校验，未写入", refused, keys=keys)
    return ledger, [p for p in mine if p not in refused]


def _report_lines(ledger: LedgerFile, index: int) -> range:
    start, _ = ledger.source.where(("reports", index))
    after = ledger.source.where(("reports", index + 1)) if index + 1 < len(ledger.ledger.reports) else None
    end = after[0] if after and after[0] > start else start + 10_000
    return range(start, end)


def _mentioned_key(problem: Problem, report: NewReport) -> str | None:
    return next((key for key in report.values if f"指标 {key} " in problem.message), None)


def _mentions(problem: Problem, report: NewReport) -> bool:
    """A rule may point at the later report while naming ours (a value going down after it)."""
    return problem.code == "value-decrease" and str(report.date) in problem.message

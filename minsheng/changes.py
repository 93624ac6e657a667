"""`validate --changes-since REV`: committed values that a change alters or removes.

A pull request that edits a figure already reported (and perhaps already used
in a 通报) should be seen by its reviewer. Compared are the progress files as
they were at the merge base of ``REV`` and ``HEAD`` (what ``git diff REV...``
compares) and the files in the working tree. Each value of a committed report
that now reads differently, or is gone (the value, its report or its file), is
a problem located at the value (or where the report was) in the working tree:
a warning, an error with ``--strict``. New reports and text edits are not
reported: adding is what the data directory is for.
"""

from __future__ import annotations

from pathlib import Path

from minsheng import gitstore
from minsheng.history import parse_ledger, same_value
from minsheng.layout import progress_paths
from minsheng.load import LedgerFile, read_ledger
from minsheng.model import Ledger
from minsheng.problems import Problem, Severity
from minsheng.render.fmt import num

CHANGED = "committed-value-changed"
REMOVED = "committed-value-removed"


def committed_changes(data_dir: Path, rev: str, *, strict: bool = False) -> list[Problem]:
    """Every committed value changed or removed since ``rev``. :class:`~minsheng.gitstore.GitError` without git."""
    repo = gitstore.open_repo(data_dir)
    base = gitstore.merge_base(repo, rev)
    snap = gitstore.snapshot(repo, base, "", rev)
    severity: Severity = "error" if strict else "warning"
    before: dict[str, tuple[Path, Ledger]] = {}
    for path in snap.progress_paths():
        ledger = parse_ledger(str(path), snap.read_bytes(path))
        if isinstance(ledger, Ledger):
            before[ledger.unit] = (path, ledger)
    now: dict[str, LedgerFile] = {}
    for path in progress_paths(data_dir):
        lf = read_ledger(path, [])
        if lf is not None:
            now[lf.ledger.unit] = lf
    problems: list[Problem] = []
    since = f"{rev}（{base[:10]}）"
    for unit, (old_path, old) in before.items():
        problems += _compare(old_path, old, now.get(unit), since, severity)
    return sorted(problems, key=Problem.sort_key)


def _compare(old_path: Path, old: Ledger, lf: LedgerFile | None, since: str, severity: Severity) -> list[Problem]:
    out: list[Problem] = []
    if lf is None:
        for report in old.reports:
            for key, value in report.values.items():
                message = f"{report.date} 的报告中指标 {key} 自 {since} 已提交的值 {num(value)} 被删除（文件已不在）"
                out.append(Problem(str(old_path), 1, 1, REMOVED, message, _hint(), severity))
        return out
    index = {r.date: i for i, r in enumerate(lf.ledger.reports)}
    for report in old.reports:
        i = index.get(report.date)
        for key, value in report.values.items():
            if i is None:
                line, col = lf.source.where(("reports",), at_key=True)
                message = f"{report.date} 的报告（指标 {key} 已提交的值 {num(value)}）自 {since} 被删除"
                out.append(Problem(lf.source.path, line, col, REMOVED, message, _hint(), severity))
                continue
            new = lf.ledger.reports[i]
            if key not in new.values:
                line, col = lf.source.where(("reports", i, "values"), at_key=True)
                message = f"{report.date} 的报告中指标 {key} 自 {since} 已提交的值 {num(value)} 被删除"
                out.append(Problem(lf.source.path, line, col, REMOVED, message, _hint(), severity))
            elif not same_value(value, new.values[key]):
                line, col = lf.source.where(("reports", i, "values", key))
                changed = f"{num(value)} 被改为 {num(new.values[key])}"
                message = f"{report.date} 的报告中指标 {key} 已提交的值 {changed}（自 {since}）"
                out.append(Problem(lf.source.path, line, col, CHANGED, message, _hint(), severity))
    return out


def _hint() -> str:
    return "已报送的数不要直接改：更正请用 minsheng record --replace（原报告作为注释保留），并在提交说明中写明原因"

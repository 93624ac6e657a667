"""Committing a write: the file just written becomes one git commit that touches only it.

The write paths (`record`, `import`, and later `supervise`) take a
:class:`GitCommitter` and call it under their lock on the data directory:
:meth:`~GitCommitter.before` before anything is written (it refuses, as a
:class:`~minsheng.record.RecordError`, when the write could not end in a clean
commit: not a repository, no author, a merge in progress, or the file already
has uncommitted changes, which may be someone else's work), and
:meth:`~GitCommitter.after` right after the atomic write. If the commit fails
the file is put back as it was, so a write with ``--commit`` is a commit or
nothing.

The commit is ``git commit --only -- FILE``: whatever else is staged stays
staged and out of it. The author is ``--by`` (``姓名`` or ``姓名 <邮箱>``) or git's
own configuration; the committer is git's configuration (or ``--by`` when git
has none).

A data directory makes ``--commit`` its default with a ``minsheng.toml``::

    [record]
    commit = true
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from minsheng import atomic, gitstore
from minsheng.gitstore import GitError, Repo
from minsheng.record import RecordError

CONFIG = "minsheng.toml"


def commit_default(data_dir: Path) -> bool:
    """``[record] commit`` of the data directory's ``minsheng.toml`` (false without one)."""
    import tomllib

    path = data_dir / CONFIG
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RecordError(f"{path} 无法读取：{exc}", usage=True) from None
    value = config.get("record", {}).get("commit", False)
    if not isinstance(value, bool):
        raise RecordError(f"{path}：[record] commit 应为 true 或 false", usage=True)
    return value


class WriteHook(Protocol):
    """What a write path calls under its lock, around its atomic write."""

    def before(self, path: Path) -> None:
        """Raise :class:`~minsheng.record.RecordError` to refuse; nothing has been written yet."""

    def after(self, path: Path, done: Any) -> str:
        """The file is written; returns the commit id (or raises after putting the file back)."""


_IDENT = re.compile(r"\s*(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>]*)>)?\s*")


def _author(by: str) -> tuple[str, str]:
    match = _IDENT.fullmatch(by)
    if match is None or not match["name"] or any(ch in by for ch in "\n\r\0"):
        raise RecordError(f"--by “{by}” 应写成 姓名 或 姓名 <邮箱>", usage=True)
    return match["name"], match["email"] or ""


@dataclass
class GitCommitter:
    """Makes a write one commit of the file written. Use once per write."""

    data_dir: Path
    by: str | None
    message: Callable[[Any], str]
    """The commit message, from what the write path returns (a :class:`~minsheng.record.Recorded`)."""
    _repo: Repo | None = field(default=None, repr=False)
    _env: dict[str, str] = field(default_factory=dict, repr=False)
    _original: bytes | None = field(default=None, repr=False)

    def before(self, path: Path) -> None:
        """Refuse (nothing written yet) unless the write can end in a clean commit of ``path`` alone."""
        try:
            repo = gitstore.open_repo(self.data_dir)
        except GitError as exc:
            raise RecordError(f"--commit：{exc}", usage=True) from None
        self._repo = repo
        env: dict[str, str] = {}
        if self.by is not None:
            name, email = _author(self.by)
            env.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email)
        if not self._configured("GIT_COMMITTER_IDENT"):
            if self.by is None:
                raise RecordError(
                    "--commit：git 没有配置提交人（git config user.name / user.email），请先设置，或用 --by 指定",
                    usage=True,
                )
            env.update(GIT_COMMITTER_NAME=env["GIT_AUTHOR_NAME"], GIT_COMMITTER_EMAIL=env["GIT_AUTHOR_EMAIL"])
        self._env = env
        merge_head = Path(gitstore.git(repo.top, "rev-parse", "--git-path", "MERGE_HEAD").decode().strip())
        if (merge_head if merge_head.is_absolute() else repo.top / merge_head).exists():
            raise RecordError("--commit：仓库正在合并（merge），请先完成或放弃合并", usage=True)
        status = self._git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", str(path))
        if status.strip(b"\0"):
            what = "未纳入 git 的新文件" if status.startswith(b"??") else "未提交的修改"
            raise RecordError(
                f"{path} 有{what}（可能是别人的工作），未写入；请先提交或还原（git status / git diff 查看）",
                usage=True,
            )
        self._original = path.read_bytes() if path.exists() else None

    def after(self, path: Path, done: Any) -> str:
        """Commit ``path`` alone; on failure put it back as it was and refuse. Returns the new commit's id."""
        try:
            self._git("add", "--", str(path))
            self._git("commit", "-q", "--no-verify", "--only", "-m", self.message(done), "--", str(path))
            return self._git("rev-parse", "HEAD").decode().strip()
        except GitError as exc:
            self._restore(path)
            raise RecordError(f"git 提交失败，文件已还原，未记录：{exc}") from None

    def _restore(self, path: Path) -> None:
        with contextlib.suppress(GitError, OSError):
            if self._original is None:
                self._git("rm", "-q", "--cached", "--ignore-unmatch", "--", str(path))
                path.unlink(missing_ok=True)
            else:
                atomic.write_bytes(path, self._original)
                self._git("reset", "-q", "--", str(path))

    def _configured(self, var: str) -> bool:
        assert self._repo is not None
        return bool(gitstore.git(self._repo.top, "var", var, check=False).strip())

    def _git(self, *args: str) -> bytes:
        assert self._repo is not None
        return gitstore.git(self._repo.top, *args, env=self._env)


def committer(data_dir: Path, commit: bool | None, by: str | None, source: str | None = None) -> GitCommitter | None:
    """The hook for `record` / `import`: ``--commit`` / ``--no-commit``, else the data directory's default."""
    wanted = commit_default(data_dir) if commit is None else commit
    if not wanted:
        if by is not None:
            raise RecordError("--by 是提交作者，只在 --commit 时使用", usage=True)
        return None
    return GitCommitter(data_dir, by, lambda done: record_message(done, source))


def record_message(done: Any, source: str | None = None) -> str:
    """``区水务集团 2024-08-31 报告：2.2=7600`` and a line per value (old → new), for `record` and `import`."""
    from minsheng.ledger_text import value_text

    report = done.report
    values = " ".join(f"{k}={value_text(v)}" for k, v in report.values.items()) or "（仅文字）"
    verb = "更正" if done.replaced else "报告"
    lines = [f"{done.unit} {report.date} {verb}：{values}", ""]
    for key, value in report.values.items():
        old = done.before.get(key)
        lines.append(f"- {key}: {value_text(old) if old is not None else '—'} → {value_text(value)}")
    for label, text in (
        ("进展情况", report.summary),
        ("存在问题", report.problems),
        ("下步计划", report.next_steps),
        ("更正说明", report.correction),
    ):
        if text:
            lines.append(f"- {label}: {text}")
    lines += ["", f"由 minsheng {'import ' + source if source else 'record'} 写入并提交。"]
    return "\n".join(lines) + "\n"

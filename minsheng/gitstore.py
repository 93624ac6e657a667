"""Reading a data directory's git history with the git command (no second store of truth).

`history`, `--as-recorded` and `validate --changes-since` compute from commits
on demand: this module runs ``git`` (``log``, ``ls-tree``, ``cat-file --batch``)
and returns plain values. It never writes to the repository; committing a
write is :mod:`minsheng.commit`.

Why the git command and not a library, by measurement (bench/git_read.py on the
benchmark's repository of 10 000 commits: walk every commit, diff it against its
parent under ``data/``, read every new file version): the git command took 0.55 s
of CPU, pygit2 0.9 s and dulwich 6 s; the git command also needs no compiled
dependency and reads every repository git itself can (shallow clones, worktrees,
new index and pack formats). Figures: docs/performance.md, section "History".

Every failure that is about the user's setup (not a git repository, no git,
an unknown revision, a date before the first commit) is a :class:`GitError`:
the CLI shows its message and exits with 2.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from minsheng.snapshot import Snapshot

NULL_SHA = "0" * 40


class GitError(Exception):
    """git cannot answer: not a repository, no git, unknown revision. A usage error (exit 2)."""


@dataclass(frozen=True)
class Repo:
    top: Path
    prefix: str
    """The data directory relative to the top of the work tree, ``""`` or ``"data/"``."""
    data_dir: Path
    shallow: bool = False

    def rel(self, repo_path: str) -> str | None:
        """A repository path relative to the data directory; ``None`` outside it."""
        if not repo_path.startswith(self.prefix):
            return None
        return repo_path[len(self.prefix) :]


@dataclass(frozen=True)
class Change:
    status: str
    """git's raw status letter: A, M, D, R (renamed), T, C."""
    old_sha: str
    new_sha: str
    old_path: str
    new_path: str


@dataclass
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    committed_at: str
    """Committer date, ISO 8601 with the committer's own offset: the moment it entered the history."""
    changes: list[Change] = field(default_factory=list)

    @property
    def day(self) -> dt.date:
        """The calendar day of the commit where it was made (its own time zone)."""
        return dt.date.fromisoformat(self.committed_at[:10])

    @property
    def identity(self) -> str:
        return f"{self.author} <{self.email}>"


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra or {})
    # Plain, predictable output: no pager, no prompt, no optional index lock, messages in English.
    env.update({"LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"})
    return env


def git(
    cwd: Path, *args: str, stdin: bytes | None = None, check: bool = True, env: dict[str, str] | None = None
) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "-c", "log.showSignature=false", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=_env(env),
        )
    except FileNotFoundError:
        raise GitError("找不到 git 命令：请先安装 git") from None
    if check and done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} 失败")
    return done.stdout


def open_repo(data_dir: Path) -> Repo:
    """The repository holding ``data_dir``; :class:`GitError` when there is none."""
    try:
        out = git(data_dir, "rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository")
    except GitError:
        raise GitError(
            f"数据目录 {data_dir} 不在 git 仓库中：history、--as-recorded 和 --changes-since 需要 git 的提交记录"
            "（其他命令照常可用）"
        ) from None
    top, prefix, shallow = [*out.decode("utf-8", "surrogateescape").split("\n"), "", "", ""][:3]
    return Repo(Path(top), prefix, data_dir, shallow.strip() == "true")


def has_commits(repo: Repo) -> bool:
    return bool(git(repo.top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip())


def shallow_boundary(repo: Repo) -> list[str]:
    """The commits where a shallow clone's history is cut (their parents are not here)."""
    if not repo.shallow:
        return []
    path = Path(git(repo.top, "rev-parse", "--git-path", "shallow").decode().strip())
    path = path if path.is_absolute() else repo.top / path
    try:
        return [line for line in path.read_text().split() if line]
    except OSError:
        return []


def _first_parent_chain(repo: Repo) -> Iterator[tuple[str, str]]:
    out = git(repo.top, "log", "--first-parent", "--format=%H %cI", "HEAD")
    for line in out.decode().splitlines():
        sha, _, when = line.partition(" ")
        yield sha, when


def _is_date(spec: str) -> dt.date | None:
    if len(spec) != 10:
        return None
    try:
        return dt.date.fromisoformat(spec)
    except ValueError:
        return None


def resolve(repo: Repo, spec: str) -> tuple[str, str]:
    """``--as-recorded``: a date or a revision → (commit, its committer date).

    A date ``D`` means the last commit of the main line (HEAD's first parents) whose
    committer date, on the committer's own calendar, is ``D`` or earlier: what
    anyone looking at the repository at the end of that day saw. A merged branch
    counts from its merge, not from the dates of its own commits.
    """
    if not has_commits(repo):
        raise GitError(f"{repo.top} 还没有任何提交")
    day = _is_date(spec)
    if day is None:
        out = git(repo.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}", check=False)
        sha = out.decode().strip()
        if not sha:
            raise GitError(f"找不到提交“{spec}”：--as-recorded 需要日期 YYYY-MM-DD、提交号、分支或 tag")
        when = git(repo.top, "log", "-1", "--format=%cI", sha).decode().strip()
        return sha, when
    first = None
    for sha, when in _first_parent_chain(repo):
        if when[:10] <= spec:
            return sha, when
        first = (sha, when)
    assert first is not None
    raise GitError(
        f"--as-recorded {spec} 早于第一次提交（{first[0][:10]}，{first[1][:10]}）：那时还没有任何记录"
        + ("；这是浅克隆，更早的历史未取回（git fetch --unshallow）" if repo.shallow else "")
    )


def _data_entries(repo: Repo, sha: str) -> list[tuple[str, str]]:
    """(path relative to the data directory, blob id) of the YAML files a data directory is read from."""
    args = ["ls-tree", "-r", "-z", "--full-tree", sha]
    if repo.prefix:
        args += ["--", repo.prefix]
    entries = []
    for item in git(repo.top, *args).split(b"\0"):
        if not item:
            continue
        meta, _, path_bytes = item.partition(b"\t")
        mode, kind, blob = meta.decode().split(" ")
        if kind != "blob" or mode not in ("100644", "100755"):
            continue
        rel = repo.rel(path_bytes.decode("utf-8", "surrogateescape"))
        if rel is not None and rel.endswith((".yaml", ".yml")):
            entries.append((rel, blob))
    return entries


def read_blobs(repo: Repo, shas: Iterable[str]) -> dict[str, bytes]:
    """Many blobs in one ``git cat-file --batch``."""
    wanted = list(dict.fromkeys(s for s in shas if s != NULL_SHA))
    if not wanted:
        return {}
    out = git(repo.top, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in wanted).encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    for sha in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split(b" ")
        if len(header) != 3:  # "<sha> missing"
            pos = end + 1
            continue
        size = int(header[2])
        blobs[sha] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return blobs


def snapshot(repo: Repo, sha: str, committed_at: str, label: str) -> Snapshot:
    """The data directory's files as they were in commit ``sha``."""
    entries = _data_entries(repo, sha)
    blobs = read_blobs(repo, (blob for _, blob in entries))
    files = {rel: blobs[blob] for rel, blob in entries if blob in blobs}
    return Snapshot(repo.data_dir, files, sha, committed_at, label)


def recorded_snapshot(data_dir: Path, spec: str) -> Snapshot:
    """``--as-recorded SPEC``: the data directory as committed at that moment."""
    repo = open_repo(data_dir)
    sha, when = resolve(repo, spec)
    return snapshot(repo, sha, when, spec)


_FORMAT = "%x01%H%x00%P%x00%an%x00%ae%x00%cI"


def log(repo: Repo, rev: str = "HEAD") -> list[Commit]:
    """Every commit that touched the data directory, oldest first (parents before children), with its file changes.

    Renames are detected (``-M``) so a renamed unit file keeps its history. Merge
    commits carry no changes of their own: the changes are those of the commits
    merged, each with its own author and time.
    """
    if not has_commits(repo):
        return []
    args = ["log", rev, "--reverse", "--topo-order", "-M", "--raw", "-z", "--no-abbrev", f"--format={_FORMAT}"]
    args += ["--", repo.prefix or "."]
    tokens = git(repo.top, *args).split(b"\0")
    commits: list[Commit] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        if token.startswith(b"\x01"):
            sha = token[1:].decode()
            parents, author, email, when = tokens[i + 1 : i + 5]
            commits.append(
                Commit(
                    sha,
                    tuple(parents.decode().split()),
                    author.decode("utf-8", "replace"),
                    email.decode("utf-8", "replace"),
                    when.decode(),
                )
            )
            i += 5
            continue
        if token.startswith(b":") and commits:
            _, _, old_sha, new_sha, status = token.decode().split(" ")
            letter = status[:1]
            old_path = tokens[i + 1].decode("utf-8", "surrogateescape")
            if letter in ("R", "C"):
                new_path = tokens[i + 2].decode("utf-8", "surrogateescape")
                i += 3
            else:
                new_path = old_path
                i += 2
            commits[-1].changes.append(Change(letter, old_sha, new_sha, old_path, new_path))
            continue
        i += 1
    return commits


@dataclass(frozen=True)
class Tag:
    name: str
    day: dt.date


def tags(repo: Repo) -> list[Tag]:
    """Every tag, dated by its tagger (annotated) or by its commit (lightweight): each is taken as a 通报."""
    fmt = "%(refname:short)%00%(taggerdate:iso-strict)%00%(*committerdate:iso-strict)%00%(committerdate:iso-strict)"
    out = git(repo.top, "for-each-ref", "refs/tags", f"--format={fmt}")
    found = []
    for line in out.decode("utf-8", "replace").splitlines():
        name, *dates = line.split("\0")
        when = next((d for d in dates if d), "")
        if when:
            found.append(Tag(name, dt.date.fromisoformat(when[:10])))
    return found


def merge_base(repo: Repo, rev: str) -> str:
    """The commit ``validate --changes-since REV`` compares with: where HEAD and REV meet (as ``git diff REV...``)."""
    if not has_commits(repo):
        raise GitError(f"{repo.top} 还没有任何提交")
    out = git(repo.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False)
    sha = out.decode().strip()
    if not sha:
        raise GitError(f"找不到提交“{rev}”（浅克隆时请取回它：actions/checkout 用 fetch-depth: 0）")
    base = git(repo.top, "merge-base", sha, "HEAD", check=False).decode().strip()
    if not base:
        raise GitError(f"“{rev}”与当前 HEAD 没有共同的历史")
    return base

"""The core of `minsheng history`'s git reading, done three ways, to choose the library by measurement.

    python bench/git_read.py cli|dulwich|pygit2 REPO [PREFIX]

Each backend walks every commit reachable from HEAD, oldest first, finds the files
under PREFIX (default ``data/``) that the commit changed against its first parent,
and reads the bytes of every new version: what ``minsheng history`` needs from git
before it parses anything. It prints the number of changes and the bytes read, so the
three can be checked to agree. Only the standard library plus the backend is imported.
"""

from __future__ import annotations

import subprocess
import sys


def with_cli(repo: str, prefix: str) -> tuple[int, int]:
    fmt = "--format=%x01%H"
    out = subprocess.run(
        ["git", "log", "HEAD", "--reverse", "--topo-order", "--raw", "-z", "--no-abbrev", "--no-renames", fmt, "--",
         prefix],
        cwd=repo, capture_output=True, check=True,
    ).stdout  # fmt: skip
    shas = []
    tokens = out.split(b"\0")
    for token in tokens:
        token = token.lstrip(b"\n")
        if token.startswith(b":"):
            new = token.split(b" ")[3]
            if new != b"0" * 40:
                shas.append(new)
    batch = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=repo, input=b"".join(s + b"\n" for s in shas), capture_output=True,
        check=True,
    ).stdout  # fmt: skip
    total = 0
    pos = 0
    for _ in shas:
        end = batch.index(b"\n", pos)
        size = int(batch[pos:end].split(b" ")[2])
        total += size
        pos = end + 1 + size + 1
    return len(shas), total


def with_dulwich(repo: str, prefix: str) -> tuple[int, int]:
    from dulwich.diff_tree import tree_changes
    from dulwich.repo import Repo

    r = Repo(repo)
    walker = r.get_walker(paths=[prefix.rstrip("/").encode()], reverse=True)
    count = total = 0
    store = r.object_store
    for entry in walker:
        commit = entry.commit
        parent_tree = store[commit.parents[0]].tree if commit.parents else None
        for change in tree_changes(store, parent_tree, commit.tree):
            path = change.new.path or change.old.path
            if not path.startswith(prefix.encode()) or change.new.sha is None:
                continue
            total += len(store[change.new.sha].data)
            count += 1
    return count, total


def with_pygit2(repo: str, prefix: str) -> tuple[int, int]:
    import pygit2

    r = pygit2.Repository(repo)
    count = total = 0
    walker = r.walk(r.head.target, pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.REVERSE)
    for commit in walker:
        diff = r.diff(commit.parents[0].tree, commit.tree) if commit.parents else commit.tree.diff_to_tree(swap=True)
        for delta in diff.deltas:
            path = delta.new_file.path
            if not path.startswith(prefix) or delta.status == pygit2.enums.DeltaStatus.DELETED:
                continue
            total += len(r[delta.new_file.id].data)
            count += 1
    return count, total


def main() -> int:
    backend, repo = sys.argv[1], sys.argv[2]
    prefix = sys.argv[3] if len(sys.argv) > 3 else "data/"
    count, total = {"cli": with_cli, "dulwich": with_dulwich, "pygit2": with_pygit2}[backend](repo, prefix)
    print(f"{backend}: {count} changes, {total} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

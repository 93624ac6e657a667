"""A tiny builder of git repositories with dated commits, for the 留痕 tests and the benchmark's checks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ZHANG = ("张三", "zhang@office.example")
LI = ("李四", "li@unit.example")


def git_env(when: str | None = None, who: tuple[str, str] = ZHANG) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": who[0],
            "GIT_AUTHOR_EMAIL": who[1],
            "GIT_COMMITTER_NAME": who[0],
            "GIT_COMMITTER_EMAIL": who[1],
            "LC_ALL": "C",
        }
    )
    if when is not None:
        env["GIT_AUTHOR_DATE"] = when
        env["GIT_COMMITTER_DATE"] = when
    return env


def git(cwd: Path, *args: str, when: str | None = None, who: tuple[str, str] = ZHANG) -> str:
    done = subprocess.run(
        ["git", "-c", "core.quotepath=off", *args], cwd=cwd, env=git_env(when, who), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class GitRepo:
    def __init__(self, root: Path, data: str = "data") -> None:
        self.root = root
        self.data = root / data
        self.data.mkdir(parents=True, exist_ok=True)
        git(root, "init", "-q", "-b", "main")

    def write(self, files: dict[str, str | None]) -> None:
        for rel, text in files.items():
            path = self.data / rel
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")

    def commit(self, when: str, who: tuple[str, str], files: dict[str, str | None], message: str = "更新") -> str:
        self.write(files)
        git(self.root, "add", "-A", when=when, who=who)
        git(self.root, "commit", "-q", "-m", message, when=when, who=who)
        return git(self.root, "rev-parse", "HEAD")

    def git(self, *args: str, when: str | None = None, who: tuple[str, str] = ZHANG) -> str:
        return git(self.root, *args, when=when, who=who)

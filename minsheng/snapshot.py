"""A data directory's files as they stood somewhere other than the working tree.

The loader reads a data directory through this when ``--as-recorded`` asks for
the data as committed at some moment: the same paths (so every problem and
every report names the files the user knows), the bytes from a git commit.
Nothing here knows git; :mod:`minsheng.gitstore` fills it.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from minsheng.layout import PLAN_GLOBS, PROGRESS_DIR, YAML_SUFFIXES


@dataclass(frozen=True)
class Snapshot:
    data_dir: Path
    files: dict[str, bytes]
    """Path relative to the data directory (``progress/区住建局.yaml``) → the file's bytes."""
    commit: str = ""
    committed_at: str = ""
    label: str = field(default="")
    """How the moment was asked for (``2024-08-05`` or a revision), for messages."""

    def _rel(self, path: Path) -> str | None:
        try:
            return path.relative_to(self.data_dir).as_posix()
        except ValueError:
            return None

    def plan_paths(self) -> list[Path]:
        names = [n for n in self.files if "/" not in n and any(fnmatch.fnmatchcase(n, g) for g in PLAN_GLOBS)]
        return [self.data_dir / n for n in sorted(names)]

    def progress_paths(self) -> list[Path]:
        prefix = f"{PROGRESS_DIR}/"
        names = [
            n
            for n in self.files
            if n.startswith(prefix)
            and "/" not in n[len(prefix) :]
            and n.endswith(YAML_SUFFIXES)
            and not n[len(prefix) :].startswith(".")
        ]
        return [self.data_dir / n for n in sorted(names)]

    def supervision_paths(self) -> list[Path]:
        """The 督办 ledgers (``supervision-2024.yaml``) as committed."""
        names = [
            n
            for n in self.files
            if "/" not in n
            and n.endswith(YAML_SUFFIXES)
            and (n.split(".")[0] == "supervision" or n.startswith("supervision-"))
        ]
        return [self.data_dir / n for n in sorted(names)]

    def has(self, path: Path) -> bool:
        rel = self._rel(path)
        return rel is not None and rel in self.files

    def read_bytes(self, path: Path) -> bytes:
        """The committed bytes of a file of the data directory; any other file (``--plan other.yaml``) from disk."""
        rel = self._rel(path)
        if rel is not None and rel in self.files:
            return self.files[rel]
        if rel is not None:
            raise FileNotFoundError(2, "提交中没有这个文件", str(path))
        return path.read_bytes()

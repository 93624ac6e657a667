"""Where things are in a data directory; no parsing here, so the fast paths stay light.

Layout::

    data/
      plan-2024.yaml          # one file per plan (any name matching plan*.yaml)
      progress/
        区住建局.yaml          # one file per reporting unit
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PROGRESS_DIR = "progress"
PLAN_GLOBS = ("plan*.yaml", "plan*.yml")
YAML_SUFFIXES = (".yaml", ".yml")
SUPERVISION_PREFIX = "supervision"


class DataDirError(Exception):
    """The data directory or plan cannot be found: a usage error, not bad data."""


def resolve_data_dir(explicit: Path | None, environ: Mapping[str, str]) -> Path:
    """``--data``, else ``MINSHENG_DATA``, else ``./data``."""
    chosen = explicit or (Path(environ["MINSHENG_DATA"]) if environ.get("MINSHENG_DATA") else None)
    where = "--data" if explicit else "MINSHENG_DATA" if chosen else "默认位置 ./data"
    path = chosen or Path("data")
    if not path.is_dir():
        raise DataDirError(
            f"找不到数据目录 {path}（来自{where}）。"
            "请用 --data 指定，或设置环境变量 MINSHENG_DATA，或在含 data/ 的目录下运行。"
        )
    return path


def plan_paths(data_dir: Path) -> list[Path]:
    return sorted(p for pattern in PLAN_GLOBS for p in data_dir.glob(pattern))


def required_plans(data_dir: Path, plans: list[Path] | None = None) -> list[Path]:
    """``plans`` (default: the data directory's plan files); a usage error when there are none."""
    found = plan_paths(data_dir) if plans is None else plans
    if not found:
        raise DataDirError(f"数据目录 {data_dir} 里没有计划文件（plan*.yaml）")
    return found


def progress_paths(data_dir: Path) -> list[Path]:
    """The progress files; none when ``progress/`` does not exist yet (nobody has reported).

    A ``progress`` that is there but cannot be listed (a dangling link, a file, no
    permission) is a :class:`DataDirError`: reading it as "no reports" would show
    every task as not started.
    """
    folder = data_dir / PROGRESS_DIR
    if not folder.exists() and not folder.is_symlink():
        return []
    problem = progress_dir_problem(data_dir)
    if problem is not None:
        raise DataDirError(problem)
    try:
        names = sorted(folder.iterdir())
    except OSError as exc:
        raise DataDirError(f"无法读取 {folder}：{exc.strerror or exc}") from None
    return [p for p in names if p.suffix in YAML_SUFFIXES and not p.name.startswith(".")]


def progress_dir_problem(data_dir: Path) -> str | None:
    """What is wrong with ``progress/`` if it is there but is not a folder that can be read."""
    folder = data_dir / PROGRESS_DIR
    if folder.is_symlink() and not folder.exists():
        return f"{folder} 是一个失效的符号链接（指向 {os.readlink(folder)}，目标不存在）；请修好链接或删去它"
    if folder.exists() and not folder.is_dir():
        return f"{folder} 不是文件夹；进展文件应放在 {PROGRESS_DIR}/ 文件夹里"
    return None


def progress_note(data_dir: Path) -> str | None:
    """A word for the user when ``progress/`` is missing: not an error, but worth saying."""
    folder = data_dir / PROGRESS_DIR
    if folder.exists() or folder.is_symlink():
        return None
    return f"数据目录 {data_dir} 里还没有 {PROGRESS_DIR}/ 文件夹：还没有任何单位的进展报告（minsheng record 会创建它）"


def supervision_paths(data_dir: Path) -> list[Path]:
    """``supervision-2024.yaml`` (or ``supervision.yaml``) files of a data directory."""
    if not data_dir.is_dir():
        return []
    return sorted(
        p
        for p in data_dir.iterdir()
        if p.suffix in {".yaml", ".yml"}
        and (p.stem == SUPERVISION_PREFIX or p.stem.startswith(f"{SUPERVISION_PREFIX}-"))
        and p.is_file()
    )

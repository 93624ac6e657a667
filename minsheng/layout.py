"""Where things are in a data directory; no parsing here, so the fast paths stay light.

Layout::

    data/
      plan-2024.yaml          # one file per plan (any name matching plan*.yaml)
      progress/
        区住建局.yaml          # one file per reporting unit
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

PROGRESS_DIR = "progress"
PLAN_GLOBS = ("plan*.yaml", "plan*.yml")
YAML_SUFFIXES = (".yaml", ".yml")


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
    folder = data_dir / PROGRESS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.name.startswith("."))

"""Unit names: canonical names and aliases (区住建局 ← 住建局), and safe file names."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from minsheng.model import Unit


class UnitIndex:
    """Resolves a name or alias to the canonical unit name."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self._canonical: dict[str, str] = {}
        self._names: list[str] = []
        units = list(units)
        # Names first, then aliases: an alias never takes over another unit's own name.
        for unit in units:
            if unit.name not in self._canonical:
                self._names.append(unit.name)
            self._canonical.setdefault(unit.name, unit.name)
        for unit in units:
            for alias in unit.aliases:
                self._canonical.setdefault(alias, unit.name)

    def canonical(self, name: str) -> str | None:
        return self._canonical.get(name.strip())

    def names(self) -> list[str]:
        return list(self._names)

    def suggest(self, name: str) -> list[str]:
        """Close canonical names, for "did you mean"."""
        close = difflib.get_close_matches(name, list(self._canonical), n=3, cutoff=0.4)
        return list(dict.fromkeys(self._canonical[c] for c in close))

    def unknown(self, name: str) -> str:
        """The message for a name that is no unit: did you mean, and every unit there is."""
        close = self.suggest(name)
        hint = f"是不是“{close[0]}”？" if close else ""
        return f"未知单位“{name}”。{hint}可用的单位：{'、'.join(self._names)}"


def unsafe_file_name(name: str) -> str | None:
    """Why ``name`` cannot be a progress file's name, or ``None`` if it can.

    A unit name becomes ``progress/<name>.yaml``; it must never reach outside
    that folder or carry characters a file system or terminal would act on.
    """
    if not name or name != name.strip():
        return "单位名称为空或首尾有空白"
    if name in {".", ".."} or "/" in name or "\\" in name:
        return "单位名称不能含路径符号（/ \\ ..）"
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        return "单位名称不能含控制字符"
    if len(name.encode("utf-8")) > 200:
        return "单位名称过长"
    return None

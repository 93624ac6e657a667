"""The one shape every problem takes, from YAML syntax to cross-file rules.

``path:line:col: [code] message`` plus a hint how to fix it; the same value is
rendered as text, JSON and GitHub annotations by :mod:`minsheng.render.problems`.
"""

from __future__ import annotations

from typing import Literal

from minsheng.lazyclass import dataclass

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    cell: str | None = None
    """For a spreadsheet: ``Sheet!C7``; the location is then ``FILE.xlsx!Sheet!C7``."""

    def location(self) -> str:
        if self.cell is not None:
            return f"{self.file}!{self.cell}"
        return f"{self.file}:{self.line}:{self.col}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.code)

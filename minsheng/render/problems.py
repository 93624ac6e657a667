"""Validation problems as text, JSON or GitHub Actions annotations; one wording for all."""

from __future__ import annotations

import json
from collections.abc import Sequence

from minsheng.problems import Problem
from minsheng.render.fmt import clean, json_safe


def counts(problems: Sequence[Problem]) -> tuple[int, int]:
    """Errors and warnings; an ``info`` line (a documented correction) is neither."""
    errors = sum(1 for p in problems if p.severity == "error")
    return errors, sum(1 for p in problems if p.severity == "warning")


def line(p: Problem) -> str:
    prefix = {"warning": "警告：", "info": "说明："}.get(p.severity, "")
    return f"{clean(p.location())}: [{clean(p.code)}] {prefix}{clean(p.message)}"


def summary(problems: Sequence[Problem], files: int) -> str:
    errors, warnings = counts(problems)
    verdict = "通过" if not errors else "未通过"
    return f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告。{verdict}。"


def to_text(problems: Sequence[Problem], files: int) -> str:
    out = []
    for p in problems:
        out.append(line(p))
        if p.hint:
            out.append(f"    提示：{clean(p.hint)}")
    out.append(summary(problems, files))
    return "\n".join(out) + "\n"


def to_json(problems: Sequence[Problem], files: int) -> str:
    errors, warnings = counts(problems)
    payload = {
        "files": files,
        "errors": errors,
        "warnings": warnings,
        "problems": [
            {
                "file": p.file,
                "line": p.line,
                "col": p.col,
                "code": p.code,
                "severity": p.severity,
                "message": p.message,
                "hint": p.hint,
            }
            for p in problems
        ],
    }
    return json_safe(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(problems: Sequence[Problem], files: int) -> str:
    out = []
    for p in problems:
        message = clean(p.message) + (f"\n提示：{clean(p.hint)}" if p.hint else "")
        kind = "notice" if p.severity == "info" else p.severity
        out.append(
            f"::{kind} file={_escape_property(clean(p.file))},line={p.line},col={p.col},"
            f"title={_escape_property(clean(p.code))}::{_escape_data(message)}"
        )
    out.append(summary(problems, files))
    return "\n".join(out) + "\n"

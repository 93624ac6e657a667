"""`minsheng history` as JSON, CSV, Markdown or a terminal table, all drawn from the same events."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from minsheng.render.fmt import clean, num

if TYPE_CHECKING:
    from rich.console import RenderableType

    from minsheng.history import Event, FieldChange

KIND_LABELS = {"added": "新增", "changed": "修改", "removed": "删除"}
FIELD_LABELS = {
    "summary": "进展情况",
    "problems": "存在问题",
    "next_steps": "下步计划",
    "file": "文件",
    "unit": "单位",
}
SHORT = 30


def to_json(events: Sequence[Event]) -> str:
    return json.dumps([e.to_dict() for e in events], ensure_ascii=False, indent=2) + "\n"


def field_label(name: str) -> str:
    if name.startswith("values."):
        return name[len("values.") :]
    return FIELD_LABELS.get(name, name)


def value_text(value: Any, short: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, (bool, int, float)):
        return num(value)
    text = clean(str(value))
    return text[: SHORT - 1] + "…" if short and len(text) > SHORT else text


def change_text(change: FieldChange, short: bool = False) -> str:
    return f"{field_label(change.field)}：{value_text(change.old, short)} → {value_text(change.new, short)}"


def changes_text(event: Event) -> str:
    """In a table: what a new or removed report holds (its values; texts only counted), or each change old → new."""
    if event.kind == "changed" or event.report_date is None:
        return "；".join(change_text(c, short=True) for c in event.changes) or "—"
    side = [(c.field, c.new if event.kind == "added" else c.old) for c in event.changes]
    values = [f"{field_label(f)}={value_text(v)}" for f, v in side if f.startswith("values.")]
    texts = sum(1 for f, _ in side if not f.startswith("values."))
    return " ".join(values) + (f"（另有 {texts} 段文字）" if texts else "") if values or texts else "—"


def flag_text(flag: dict[str, Any]) -> str:
    name = flag["flag"]
    if name == "补报":
        return f"补报（晚 {flag['days']} 天，应于 {flag['due']} 前报送）"
    if name == "改数":
        if flag["days"] is None:
            return "改数（首次提交在浅克隆截断之前）"
        issued = "、".join(f"{i['date']}（{i['name']}）" for i in flag["issued"])
        return f"改数（首次提交后 {flag['days']} 天" + (f"；其间已通报：{issued}）" if issued else "）")
    if name == "插入":
        return f"插入（已有 {flag['before']} 的报告）"
    if name == "无法读取":
        return "无法读取：" + "；".join(clean(p) for p in flag["problems"][:3])
    if name == "截断":
        return "截断（浅克隆）"
    return str(name)


def _when(event: Event) -> str:
    return event.commit.committed_at[:16].replace("T", " ")


def _who(event: Event) -> str:
    return clean(event.commit.author)


def _where(event: Event) -> str:
    return clean(event.unit) if event.unit else clean(event.file)


HEADER = ["提交时间", "作者", "单位/文件", "报告日期", "类型", "变化", "标记", "提交"]


def rows(events: Sequence[Event]) -> list[list[str]]:
    out = [HEADER]
    for e in events:
        out.append(
            [
                _when(e),
                _who(e),
                _where(e),
                e.report_date.isoformat() if e.report_date else "—",
                KIND_LABELS[e.kind],
                changes_text(e),
                "；".join(flag_text(f) for f in e.flags),
                e.commit.sha[:10],
            ]
        )
    return out


CSV_HEADER = ["提交时间", "作者", "提交", "文件", "单位", "报告日期", "类型", "项目", "原值", "新值", "标记"]


def csv_rows(events: Sequence[Event]) -> list[list[str]]:
    """One row per changed field, full texts: for sorting and filtering in Excel."""
    out = [CSV_HEADER]
    for e in events:
        flags = "；".join(flag_text(f) for f in e.flags)
        head = [e.commit.committed_at, _who(e), e.commit.sha, clean(e.file), clean(e.unit or "")]
        head += [e.report_date.isoformat() if e.report_date else "", KIND_LABELS[e.kind]]
        if not e.changes:
            out.append([*head, "", "", "", flags])
        for c in e.changes:
            out.append([*head, field_label(c.field), value_text(c.old), value_text(c.new), flags])
    return out


def to_csv(events: Sequence[Event]) -> str:
    from minsheng.render.delimited import to_csv as write

    return write(csv_rows(events))


def to_markdown(events: Sequence[Event], notes: Sequence[str] = ()) -> str:
    from minsheng.render.delimited import to_markdown_table

    out = ["# 留痕：报送与修改记录", ""]
    out += [f"> {clean(n)}" for n in notes] + ([""] if notes else [])
    out.append(to_markdown_table(rows(events)) if events else "没有记录。")
    return "\n".join(out) + "\n"


def table_view(events: Sequence[Event], notes: Sequence[str] = ()) -> RenderableType:
    """For the terminal, one entry per event like ``git log``: a head line, the changes, the flags."""
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = [Text(clean(n), style="yellow") for n in notes]
    if not events:
        parts.append(Text("没有记录。"))
        return Group(*parts)
    for e in events:
        day = e.report_date.isoformat() if e.report_date else ""
        head = Text()
        head.append(f"{_when(e)}  {_who(e)}  ", style="bold")
        head.append(e.commit.sha[:10], style="dim")
        head.append(f"  {_where(e)} {day} {KIND_LABELS[e.kind]}".rstrip())
        parts.append(head)
        if e.kind == "changed" or e.report_date is None:
            parts += [Text(f"    {change_text(c, short=True)}") for c in e.changes]
        elif e.changes:
            parts.append(Text(f"    {changes_text(e)}"))
        for f in e.flags:
            style = "bold red" if f["flag"] in ("改数", "删除", "无法读取") else "yellow"
            parts.append(Text(f"    ⚑ {flag_text(f)}", style=style))
    parts.append(Text(f"共 {len(events)} 条记录。"))
    return Group(*parts)

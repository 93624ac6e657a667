"""Insert or replace one report in a progress file's text, leaving every other byte alone.

Pure text functions: no files, no locks. The caller validates the result by
reading it back with the normal loader before anything is written.

How a report is placed: before the first report dated later (together with
the comment lines just above that report, which belong to it), or after the
last one. Indentation follows the file's own. A replaced report's old lines
are kept as comments above the new one, so a correction never erases what
was reported before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from minsheng import yamlio
from minsheng.model import Value

_PLAIN_SAFE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^\n]*$")


class LedgerTextError(Exception):
    """The file's layout does not allow a safe insertion (e.g. a flow-style list)."""


@dataclass(frozen=True, slots=True)
class NewReport:
    date: dt.date
    values: dict[str, Value]
    summary: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    correction: str | None = None
    """更正说明: the reason a cumulative value is lower than before."""


def _printable(ch: str) -> bool:
    """YAML's printable set, less the line breaks it would fold (NEL, LS, PS) and the BOM."""
    code = ord(ch)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or code >= 0x10000
    ) and code not in (0x2028, 0x2029)


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    if _printable(ch):
        return ch
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly ``text`` with minsheng's loader.

    Plain where that is safe, else double-quoted with every character YAML
    would refuse or fold (control characters, NEL, LS, PS) escaped.
    """
    plain = (
        _PLAIN_SAFE.match(text)
        and ":" not in text  # "a:" at the end of a line, or "a: b", would start a mapping
        and " #" not in text
        and text == text.strip()
        and all(_printable(ch) for ch in text)
    )
    if plain and text not in {"~", "null", "Null", "NULL"}:
        return text
    return '"' + "".join(_escape(ch) for ch in text) + '"'


def value_text(value: Value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def render_report(report: NewReport, item_indent: int, key_indent: int) -> list[str]:
    """The report as lines: ``- date: …`` with its dash at ``item_indent``, its keys at ``key_indent``."""
    pad, inner = " " * item_indent, " " * key_indent
    lines = [f"{pad}-{' ' * (key_indent - item_indent - 1)}date: {report.date.isoformat()}"]
    if report.values:
        lines.append(f"{inner}values:")
        lines += [f"{inner}  {scalar(k)}: {value_text(v)}" for k, v in report.values.items()]
    for key, text in (
        ("summary", report.summary),
        ("problems", report.problems),
        ("next_steps", report.next_steps),
        ("correction", report.correction),
    ):
        if text:
            lines.append(f"{inner}{key}: {scalar(text)}")
    return lines


def new_file(unit: str, report: NewReport, header: str) -> str:
    lines = [f"# {header}", f"unit: {scalar(unit)}", "reports:", *render_report(report, 2, 4)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class _Item:
    date: str
    first_line: int  # 0-based line of the "- " of the item
    end_line: int  # 0-based line after the item's last content line


@dataclass
class _Layout:
    """A progress file's text as lines, with where its reports are and how it is indented."""

    lines: list[str]
    newline: str
    items: list[_Item]
    item_indent: int
    key_indent: int
    empty_at: tuple[int, int, int] | None  # (line, start, end column) of an empty `reports` value; -1: none
    missing: bool = False  # no `reports:` key at all


def _line(text: str, index: int) -> int:
    """0-based line of a character, counting only "\n" (libyaml also breaks at NEL, LS, PS)."""
    return text.count("\n", 0, index)


def _layout(text: str) -> _Layout:
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        raise LedgerTextError("文件使用了旧式（只有 CR）的换行符，无法安全插入；请另存为普通文本")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split("\n")
    root = yamlio.compose(text)
    if not isinstance(root, MappingNode) or root.flow_style:
        raise LedgerTextError("文件顶层不是块格式的映射，无法安全插入；请按示例文件的格式书写")
    found = next(((k, v) for k, v in root.value if isinstance(k, ScalarNode) and k.value == "reports"), None)
    if found is None:
        return _Layout(lines, newline, [], 2, 4, None, missing=True)
    key, value = found
    if isinstance(value, ScalarNode) and value.tag == "tag:yaml.org,2002:null":
        return _Layout(lines, newline, [], 2, 4, (_line(text, key.start_mark.index), -1, -1))
    if not isinstance(value, SequenceNode):
        raise LedgerTextError("reports 不是列表")
    if value.flow_style:
        start, end = value.start_mark.index, value.end_mark.index
        if value.value or _line(text, start) != _line(text, end):
            raise LedgerTextError("reports 写成了 [ ] 流式列表，无法安全插入；请改为每项以 - 开头的块格式")
        line_start = text.rfind("\n", 0, start) + 1
        return _Layout(lines, newline, [], 2, 4, (_line(text, start), start - line_start, end - line_start))
    items = []
    item_indent, key_indent = 2, 4
    for node in value.value:
        if not isinstance(node, MappingNode) or node.flow_style:
            raise LedgerTextError("reports 的某一项不是块格式的映射，无法安全插入")
        index = node.start_mark.index
        line = _line(text, index)
        column = index - (text.rfind("\n", 0, index) + 1)
        dash = lines[line].rfind("-", 0, column)
        if dash < 0 or lines[line][dash + 1 : column].strip():
            raise LedgerTextError("报告项的写法不常见（“-”与内容不在同一行），无法安全插入；请改为“- date: …”")
        item_indent, key_indent = dash, column
        date = next((v.value for k, v in node.value if isinstance(k, ScalarNode) and k.value == "date"), "")
        items.append(_Item(str(date), line, _last_line(text, node) + 1))
    return _Layout(lines, newline, items, item_indent, key_indent, None)


def _last_line(text: str, node: Node) -> int:
    """The 0-based line of a node's last character (libyaml's block end marks point past it)."""
    if isinstance(node, MappingNode) and node.value and not node.flow_style:
        return _last_line(text, node.value[-1][1])
    if isinstance(node, SequenceNode) and node.value and not node.flow_style:
        return _last_line(text, node.value[-1])
    end = node.end_mark.index
    while end > 0 and text[end - 1] in "\r\n \t":  # block scalars end past their line break
        end -= 1
    return _line(text, end)


def _owned_comments_start(layout: _Layout, item: int) -> int:
    """Move up over the comment lines just above an item that are indented with it.

    Never above the end of the item before: a line inside a block of text that
    starts with "#" is text, not a comment.
    """
    lines, line = layout.lines, layout.items[item].first_line
    floor = layout.items[item - 1].end_line if item > 0 else 0
    while line > floor:
        above = lines[line - 1]
        stripped = above.lstrip(" ")
        if stripped.startswith("#") and len(above) - len(stripped) >= layout.item_indent:
            line -= 1
        else:
            break
    return line


def _with_newline(layout: _Layout, new_lines: list[str]) -> list[str]:
    return [line + "\r" for line in new_lines] if layout.newline == "\r\n" else new_lines


def _ended(text: str) -> str:
    """The text with a line break at its end: the one byte added when a file lacks it.

    Refused when that byte would change a value: a file ending inside a block scalar
    (``summary: |`` and its text) without a final newline reads one line break shorter.
    """
    if not text or text.endswith("\n"):
        return text
    ended = text + ("\r\n" if "\r\n" in text else "\n")
    before, after = yamlio.parse(text), yamlio.parse(ended)
    if not before[1] and before[0] != after[0]:
        raise LedgerTextError(
            "文件最后是一段多行文字（| 或 >），末尾没有换行：追加报告要先补上这个换行，而补上会让这段文字多一个换行。"
            "请在文件末尾加一个换行（回车）后再试"
        )
    return ended


def insert_report(text: str, report: NewReport) -> str:
    """``text`` with ``report`` added in date order. Existing lines are not changed."""
    text = _ended(text)
    layout = _layout(text)
    lines = layout.lines  # ends with "" after the final line break
    new_lines = _with_newline(layout, render_report(report, layout.item_indent, layout.key_indent))
    if layout.missing:
        return "\n".join(lines[:-1] + _with_newline(layout, ["reports:"]) + new_lines + [""])
    if layout.empty_at is not None:
        # `reports: []` or `reports:` with nothing: the one case where a line must change,
        # and only by the `[]` it loses (a comment after it stays).
        line, start, end = layout.empty_at
        if start >= 0:
            lines[line] = lines[line][:start].rstrip() + lines[line][end:]
        return "\n".join(lines[: line + 1] + new_lines + lines[line + 1 :])
    when = report.date.isoformat()
    later = next((k for k, item in enumerate(layout.items) if item.date > when), None)
    at = layout.items[-1].end_line if later is None else _owned_comments_start(layout, later)
    return "\n".join(lines[:at] + new_lines + lines[at:])


def replace_report(text: str, report: NewReport, note: str) -> str:
    """``text`` with the report of the same date replaced; the old lines kept as comments."""
    text = _ended(text)
    layout = _layout(text)
    when = report.date.isoformat()
    target = next((item for item in layout.items if item.date == when), None)
    if target is None:
        raise LedgerTextError(f"没有 {when} 的报告可更正")
    lines = layout.lines
    old = lines[target.first_line : target.end_line]
    pad = " " * layout.item_indent
    kept = [f"{pad}# {note}"] + [
        f"{pad}# {line[layout.item_indent :] if line.startswith(pad) else line}" for line in old
    ]
    kept = [line if line.endswith("\r") or layout.newline == "\n" else line + "\r" for line in kept]
    new_lines = _with_newline(layout, render_report(report, layout.item_indent, layout.key_indent))
    return "\n".join(lines[: target.first_line] + kept + new_lines + lines[target.end_line :])

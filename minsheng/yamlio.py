"""Safe, located YAML reading: bytes -> text -> plain Python values, plus problems.

What this layer guarantees, whatever the input:

- Only libyaml's C parser is used; a missing libyaml is reported, never
  silently replaced by the pure-Python parser (17x slower).
- Every scalar is read as the text that was written (``2.10`` stays ``"2.10"``,
  ``no`` stays ``"no"``, ``2024-06-30`` stays a string); only an empty value,
  ``~`` and ``null`` read as ``None``. The schema turns text into numbers and
  dates where a field asks for one, so ids and free text are never mangled.
- Tags (``!!python/object``, ``!custom``) are refused, never constructed.
- Anchors may be written but aliases (``*name``) are refused, which also
  defuses "billion laughs" alias bombs.
- Text is read in Unicode NFC, so a name typed decomposed (e + U+0301) is the
  same name as the one typed composed.
- Duplicate keys are refused instead of keeping the last one.
- Files larger than :data:`MAX_BYTES` and nesting deeper than
  :data:`MAX_DEPTH` are refused before they can exhaust memory or the stack.

Nothing here knows the schema; :func:`locate` turns a path of keys and indexes
back into a line and column, composing the node tree only when asked.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from minsheng.gcpause import gc_paused

try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    CParser = None

MAX_BYTES = 16 * 1024 * 1024
"""Largest file read. A year of monthly reports for one unit is a few kB."""

MAX_LINES = 200_000
"""Most lines in one file; a plan of a thousand indicators is under 20 000."""

MAX_DEPTH = 64
"""Deepest nesting accepted; the schema needs 6. libyaml also stops at 1000."""

_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# Plain scalars resolve to str or null only. An explicit tag is refused, even !!int / !!float /
# !!bool: the schema decides what is a number (one rule, minsheng.numbers), never a tag.
_PLAIN_TAGS = {_STR, _NULL}
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})

Path = tuple[str | int, ...]

_ODD_BREAKS = ("\x85", "\u2028", "\u2029", "\r")


def odd_breaks(text: str) -> bool:
    """Whether libyaml would count lines differently from an editor (NEL, LS, PS, a CR)."""
    return any(ch in text for ch in _ODD_BREAKS)


def position(text: str, mark: yaml.Mark, odd: bool | None = None) -> tuple[int, int]:
    """1-based line and column as an editor counts them (only "\\n" ends a line).

    libyaml also breaks lines at NEL, LS, PS and a lone CR; where the text has any
    of those (``odd``, worked out once per text by the caller), the line is counted
    from the character index instead.
    """
    if not (odd_breaks(text) if odd is None else odd):
        return mark.line + 1, mark.column + 1
    index = min(mark.index, len(text))
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found while reading, before any schema is applied."""

    line: int
    col: int
    code: str
    message: str
    hint: str = ""


class LibyamlMissing(RuntimeError):
    """PyYAML was installed without libyaml; the tool refuses to run slowly in secret."""


if CParser is not None:

    class _Parser(CParser):  # type: ignore[misc, valid-type]
        """libyaml's parser and composer with a resolver that keeps scalars as text."""

        def descend_resolver(self, current_node: object, current_index: object) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                return _NULL if implicit[0] and value in _NULL_WORDS else _STR
            return _SEQ if kind is SequenceNode else _MAP


def nfc(text: str) -> str:
    """Text in Unicode NFC: "é" typed as e + U+0301 (as macOS file names are) is the one "é"."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def decode(data: bytes) -> tuple[str | None, Issue | None]:
    """Bytes to text: UTF-8 with or without BOM; GBK and UTF-16 get a clear message."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, Issue(1, 1, "encoding", "文件是 UTF-16 编码，无法读取", "请用编辑器另存为 UTF-8 编码")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        try:
            data.decode("gbk")
        except UnicodeDecodeError:
            what = "文件不是 UTF-8 编码"
        else:
            what = "文件看起来是 GBK 编码（Windows 中文默认），不是 UTF-8"
        return None, Issue(
            line,
            col,
            "encoding",
            f"{what}（第{line}行第{col}列起无法按 UTF-8 解码）",
            "请用编辑器另存为“UTF-8”编码，例如记事本“另存为”时选择 UTF-8",
        )


def parse(text: str) -> tuple[Any, list[Issue]]:
    """Text to plain values (dict, list, str, None) and the problems found.

    On a syntax error the value is ``None``. Other problems (duplicate keys,
    tags, aliases) are reported and the offending part is left out, so the rest
    of the file can still be checked.
    """
    if CParser is None:  # pragma: no cover
        raise LibyamlMissing("PyYAML 未带 libyaml（C 扩展）；请重新安装：pip install --force-reinstall pyyaml")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        return None, [
            Issue(
                1,
                1,
                "too-large",
                f"文件有 {lines} 行，超过上限 {MAX_LINES} 行",
                "检查是否选错了文件，或把数据拆成多个文件",
            )
        ]
    if hidden := _hidden_issues(text):
        return None, hidden
    with gc_paused():  # every caller, not only the loader: the nodes and values all live on
        return _parse(text)


def _parse(text: str) -> tuple[Any, list[Issue]]:
    parser = _Parser(text)
    try:
        root = parser.get_single_node()
    except yaml.MarkedYAMLError as exc:
        issue = _syntax_issue(text, exc)
        # libyaml's word for a tab in the indentation is cryptic; name it, but only where the error is
        # (a tab inside a block of text is fine).
        tab = _tab_issue(text, issue.line) if "\t" in text else None
        return None, [tab or issue]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, [
            Issue(
                line,
                col,
                "control-character",
                f"文件里有 YAML 不允许的控制字符 U+{exc.character:04X}",
                "删除这个看不见的字符（常见于从网页或聊天软件复制的文字）",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [Issue(1, 1, "yaml-syntax", f"YAML 语法错误：{exc}", "")]
    finally:
        parser.dispose()
    if root is None:
        return None, [Issue(1, 1, "empty-file", "文件是空的", "请按格式填写内容，或删除此文件")]
    builder = _Builder(text)
    value = builder.build(root, 0)
    if builder.aliased:
        # The composer hands back the anchored node, so its mark is the anchor's:
        # find each alias where it is written instead.
        builder.issues = [i for i in builder.issues if i.code != "alias"] + _alias_issues(text)
        builder.issues.sort(key=lambda i: (i.line, i.col))
    return value, builder.issues


_HIDDEN = re.compile("[\x85\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_HIDDEN_NAMES = {
    "\x85": "换行符 NEL",
    "\u2028": "行分隔符",
    "\u2029": "段分隔符",
}


def _hidden_issues(text: str) -> list[Issue]:
    """Characters YAML accepts but a reader cannot see as they act.

    NEL, LS and PS end a line for libyaml and not for editors, grep or diffs, so a whole
    report could hide in what looks like one line; bidirectional controls (U+202E …) make
    ``0067`` display as ``7600``. Both are refused wherever they are, like control characters.
    """
    issues = []
    for match in _HIDDEN.finditer(text):
        index = match.start()
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        ch = match.group()
        if ch in _HIDDEN_NAMES:
            message = f"文件里有 U+{ord(ch):04X}（{_HIDDEN_NAMES[ch]}）：YAML 把它当作换行，编辑器和 diff 却不显示换行"
            hint = "删除它；要换行就直接换行（长文字可用 | 写成多行）"
        else:
            message = f"文件里有看不见的双向文字控制符 U+{ord(ch):04X}，会让文字和数字显示的顺序与实际不同"
            hint = "删除这个看不见的字符（常见于从网页或聊天软件复制的文字）"
        issues.append(Issue(line, col, "control-character", message, hint))
    return issues


def _alias_issues(text: str) -> list[Issue]:
    parser = _Parser(text)
    issues = []
    odd = odd_breaks(text)
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, yaml.AliasEvent):
                line, col = position(text, event.start_mark, odd)
                issues.append(
                    Issue(
                        line,
                        col,
                        "alias",
                        f"不支持 YAML 别名（*{event.anchor}）",
                        "把引用的内容直接写出来",
                    )
                )
            if isinstance(event, yaml.StreamEndEvent):
                break
    finally:
        parser.dispose()
    return issues


def _tab_issue(text: str, near: int) -> Issue | None:
    """YAML forbids tabs in indentation; libyaml's own message for it is cryptic."""
    lines = text.split("\n")
    for number in (near, near - 1):
        if not 1 <= number <= len(lines):
            continue
        line = lines[number - 1]
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return Issue(
                number,
                len(line) - len(stripped) + 1,
                "tab",
                "缩进里有制表符（Tab），YAML 只允许空格缩进",
                "把这一行行首的 Tab 换成空格（每级两个空格）",
            )
    return None


def _syntax_issue(text: str, exc: yaml.MarkedYAMLError) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and "end of stream" in str(exc.problem):
        # An unclosed quote or bracket: point where it opened, not at the end of the file.
        mark = exc.context_mark
    line, col = position(text, mark) if mark is not None else (1, 1)
    detail = exc.problem or exc.context or "无法解析"
    if "nesting depth" in str(detail):
        return Issue(line, col, "too-deep", "嵌套层数过深", "本工具的文件最多只有几层嵌套")
    return Issue(
        line,
        col,
        "yaml-syntax",
        f"YAML 语法错误：{detail}",
        "检查这一行及上一行的缩进、冒号后的空格和引号是否成对",
    )


@dataclass
class _Builder:
    """Walks the node graph once, building values and noting what is refused."""

    text: str
    issues: list[Issue] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    aliased: bool = False
    odd: bool | None = None
    tabs: bool = field(init=False)

    def __post_init__(self) -> None:
        # Asked once: `"\t" in text` for every mapping entry would rescan the whole file each time
        # (quadratic in a plan with 25 000 areas).
        self.tabs = "\t" in self.text

    def build(self, node: Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self._note(node, "too-deep", f"嵌套超过 {MAX_DEPTH} 层", "本工具的文件最多只有几层嵌套")
            return None
        if id(node) in self.seen:
            self.aliased = True
            self._note(node, "alias", "不支持 YAML 别名（*引用）", "把引用的内容直接写出来")
            return None
        self.seen.add(id(node))
        tag = node.tag
        if isinstance(node, ScalarNode):
            if tag in _PLAIN_TAGS and not (tag == _NULL and node.value not in _NULL_WORDS):  # `!!null 5`
                text = node.value
                return None if tag == _NULL else text if text.isascii() else nfc(text)
            self._refuse_tag(node)
            return None
        if isinstance(node, SequenceNode):
            if tag != _SEQ:
                self._refuse_tag(node)
                return None
            return [self.build(item, depth + 1) for item in node.value]
        if tag != _MAP:
            self._refuse_tag(node)
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self._note(key_node, "bad-key", "键必须是普通文本", "把键写成简单的文字，如 summary:")
                continue
            key = nfc(key_node.value)
            if key == "<<":
                self._note(key_node, "merge-key", "不支持 YAML 合并键（<<）", "把内容直接写出来")
                continue
            if key in result:
                self._note(
                    key_node,
                    "duplicate-key",
                    f"键“{key}”重复出现，YAML 会悄悄丢掉前一个",
                    "删除或合并重复的那一项",
                )
                continue
            if self.tabs and _tab_after_colon(self.text, key_node, value_node):
                # libyaml takes a tab after the colon; PyYAML's own parser, ruamel (check-jsonschema)
                # and most editors refuse it, so a file that passes here would fail there.
                self._note(
                    value_node,
                    "tab",
                    f"“{key}:”后面用了制表符（Tab），别的 YAML 工具会读不了这个文件",
                    "把冒号后的 Tab 换成一个空格",
                )
            result[key] = self.build(value_node, depth + 1)
        return result

    def _refuse_tag(self, node: Node) -> None:
        self._note(
            node,
            "tag",
            f"不允许使用 YAML 标签 {node.tag.replace('tag:yaml.org,2002:', '!!')}",
            "去掉 ! 开头的标签；本工具只读普通文本、列表和映射",
        )

    def _note(self, node: Node, code: str, message: str, hint: str) -> None:
        if self.odd is None:
            self.odd = odd_breaks(self.text)
        line, col = position(self.text, node.start_mark, self.odd)
        self.issues.append(Issue(line, col, code, message, hint))


def _tab_after_colon(text: str, key_node: Node, value_node: Node) -> bool:
    between = text[key_node.end_mark.index : value_node.start_mark.index]
    return "\t" in between.split("\n", 1)[0]


def compose(text: str) -> Node | None:
    """The node tree with line marks, for :class:`Locator`. Call only on text that parsed."""
    parser = _Parser(text)
    try:
        return parser.get_single_node()
    finally:
        parser.dispose()


class Locator:
    """Turns a path of keys and indexes into a line and column (1-based).

    Each mapping's keys are indexed on first use, so locating many problems in
    one large file stays linear.
    """

    def __init__(self, root: Node | None, text: str = "") -> None:
        self.root = root
        self.text = text
        self.odd = odd_breaks(text)
        self._keys: dict[int, dict[str, tuple[Node, Node]]] = {}

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The value at ``path``, or its key when ``key``; a missing key points at its mapping."""
        if self.root is None:
            return 1, 1
        node: Node = self.root
        key_node: Node | None = None
        for step in path:
            child, child_key = self._child(node, step)
            if child is None:
                key_node = None
                break
            node, key_node = child, child_key
        target = key_node if key and key_node is not None else node
        return position(self.text, target.start_mark, self.odd)

    def _child(self, node: Node, step: str | int) -> tuple[Node | None, Node | None]:
        if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            return node.value[step], None
        if isinstance(node, MappingNode):
            index = self._keys.get(id(node))
            if index is None:
                index = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode):
                        index.setdefault(nfc(key_node.value), (key_node, value_node))
                self._keys[id(node)] = index
            found = index.get(str(step))
            if found is not None:
                return found[1], found[0]
        return None, None

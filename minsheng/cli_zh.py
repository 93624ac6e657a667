"""The command line's own words in Chinese: help headings, usage lines and usage errors.

typer (0.28) carries its own copy of click, whose help and error texts are
English literals, not gettext messages, so no message catalogue can reach
them. This module gives the three places they come from a Chinese voice:

- help pages: a :class:`ZhFormatter` (set as the context's formatter class)
  writes "用法：", "选项：", "命令：" and translates the help option's text
  and the "[default: …]" / "[required]" notes;
- usage errors: :func:`error_message` rewrites each click exception from its
  attributes (the option, the parameter, the value given), never by
  translating the English sentence after the fact;
- :func:`install` puts both in place once, before the app runs, so the same
  words come out of ``minsheng`` and of typer's ``CliRunner``.

Nothing here knows a command of minsheng's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, Any

from typer._click import core, exceptions, formatting
from typer._click.utils import echo

_PLACEHOLDERS = (("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."))
_HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}
_HELP_TEXTS = {"Show this message and exit.": "显示本帮助并退出。"}


class _Lazy:
    """A pattern compiled on first use: these serve only ``--help`` and usage errors, and a run
    that has neither should not pay for compiling them (about a millisecond)."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled

    def match(self, text: str) -> re.Match[str] | None:
        return self._get().match(text)

    def sub(self, replacement: str, text: str) -> str:
        return self._get().sub(replacement, text)


_NOTES = (
    (_Lazy(r"\[default: ([^\]]*)\]"), r"[默认：\1]"),
    (_Lazy(r"\[required\]"), "[必填]"),
    (_Lazy(r"\[env var: ([^\]]*)\]"), r"[环境变量：\1]"),
)
_CHOICE = _Lazy(r"^(?P<value>'.*') is not one of (?P<choices>.*)\.$", re.S)
_TYPE = _Lazy(r"^(?P<value>'.*') is not a valid (?P<type>\w+)\.$", re.S)
_EXTRA = _Lazy(r"^Got unexpected extra arguments? \((?P<args>.*)\)$", re.S)
_NO_COMMAND = _Lazy(r"^No such command '(?P<name>.*)'\.$", re.S)
_NEEDS_VALUE = _Lazy(r"^Option '(?P<opt>.*)' requires (?:an argument|(?P<n>\d+) arguments)\.$")
_NO_VALUE = _Lazy(r"^Option '(?P<opt>.*)' does not take a value\.$")
_TYPE_NAMES = {"integer": "整数", "float": "数字", "boolean": "是/否", "path": "路径", "text": "文字"}


class ZhFormatter(formatting.HelpFormatter):
    """click's help formatter with Chinese headings and notes."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, chinese in _PLACEHOLDERS:
            args = args.replace(english, chinese)
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, help_text(text)) for term, text in rows], col_max, col_spacing)


def help_text(text: str) -> str:
    """A help cell in Chinese: the help option's own text and click's bracketed notes."""
    text = _HELP_TEXTS.get(text, text)
    for pattern, replacement in _NOTES:
        text = pattern.sub(replacement, text)
    return text


def _quote(value: str) -> str:
    """'xx' (Python's repr, as click writes a value) → “xx”."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return f"“{value}”"


def _choices(text: str) -> str:
    return "、".join(part.strip().strip("'\"") for part in text.split(","))


def _param_hint(exc: exceptions.BadParameter) -> str | None:
    hint: Any = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx) if exc.ctx is not None else exc.param.name
    if hint is None:
        return None
    if not isinstance(hint, str):
        hint = " / ".join(str(h) for h in hint)
    return hint.replace("'", "")


def value_message(message: str) -> str:
    """The reason a value was refused, in Chinese (minsheng's own reasons are already Chinese)."""
    if found := _CHOICE.match(message):
        return f"{_quote(found['value'])}不是可选的值；可选：{_choices(found['choices'])}"
    if found := _TYPE.match(message):
        kind = _TYPE_NAMES.get(found["type"], found["type"])
        return f"{_quote(found['value'])}不是有效的{kind}"
    return message


def error_message(exc: exceptions.ClickException) -> str:
    """One usage error in Chinese, from the exception's own attributes."""
    if isinstance(exc, exceptions.NoSuchOption):
        message = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            message += f"（是不是 {'、'.join(sorted(exc.possibilities))}？）"
        return message
    if isinstance(exc, exceptions.MissingParameter):
        hint = _param_hint(exc)
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        noun = {"argument": "参数", "option": "选项"}.get(kind, "参数")
        return f"缺少{noun} {hint}" if hint else f"缺少{noun}"
    if isinstance(exc, exceptions.BadParameter):
        hint = _param_hint(exc)
        reason = value_message(exc.message)
        return f"{hint} 的值无效：{reason}" if hint else f"值无效：{reason}"
    message = exc.message
    if found := _NEEDS_VALUE.match(message):
        count = f"{found['n']} 个值" if found["n"] else "一个值"
        return f"选项 {found['opt']} 后面需要{count}"
    if found := _NO_VALUE.match(message):
        return f"选项 {found['opt']} 不带值"
    if found := _EXTRA.match(message):
        return f"多余的参数：{found['args']}"
    if found := _NO_COMMAND.match(message):
        return f"没有命令“{found['name']}”"
    return value_message(message)


def _show_usage_error(self: exceptions.UsageError, file: IO[Any] | None = None) -> None:
    if self.ctx is not None:
        hint = ""
        if self.ctx.command.get_help_option(self.ctx) is not None:
            hint = f"运行 {self.ctx.command_path} {self.ctx.help_option_names[0]} 查看帮助。\n"
        echo(f"{self.ctx.get_usage()}\n{hint}", file=file, err=file is None, color=self.ctx.color)
    echo(f"错误：{_clean(error_message(self))}", file=file, err=file is None)


def _clean(text: str) -> str:
    """What was typed comes back in the message: never let it drive the terminal."""
    from minsheng.render.fmt import clean

    return clean(text)


def _show_error(self: exceptions.ClickException, file: IO[Any] | None = None) -> None:
    echo(f"错误：{_clean(error_message(self))}", file=file, err=file is None)


def install() -> None:
    """Give every context the Chinese formatter and every usage error its Chinese text. Idempotent."""
    core.Context.formatter_class = ZhFormatter
    exceptions.ClickException.show = _show_error  # type: ignore[method-assign]
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]

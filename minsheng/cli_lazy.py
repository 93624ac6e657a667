"""Build only the command that runs: the root click group of `minsheng` with lazy subcommands.

typer turns every registered command into a click command (annotations evaluated, parameters
built) before the first one runs. The root app registers none: :class:`LazyGroup` reads a table
of command name → ``"module:register"`` (``minsheng.cli.COMMANDS``, ``EXPORT_COMMANDS``), imports
a module only when one of its commands is asked for, lets its ``register(app, export_app)`` add
its commands to a staging app, and builds just the one named. ``--help`` lists every command from
the names and docstrings alone, without building any.
"""

from __future__ import annotations

import gc
import importlib
import inspect
from collections.abc import Callable, Mapping

import typer
from typer._click import Command, Context, HelpFormatter
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_command_name, get_group_from_info, solve_typer_info_defaults
from typer.models import CommandInfo, TyperInfo

from minsheng import gcpause

Register = Callable[[typer.Typer, typer.Typer], None]


class Commands:
    """The lazily loaded commands of one app: tables, the staging app their modules register on."""

    def __init__(
        self,
        table: Mapping[str, str],
        export_table: Mapping[str, str],
        export_app: typer.Typer,
        gc_paused: frozenset[str],
    ) -> None:
        self.table = table
        self.export_table = export_table
        self.export_app = export_app
        self.gc_paused = gc_paused
        self.staging = typer.Typer()
        self.loaded: set[str] = set()
        self.built: dict[str, Command] = {}

    def load(self, target: str) -> None:
        """Import ``module:register`` once and let it register its commands."""
        if target in self.loaded:
            return
        self.loaded.add(target)
        module, _, attr = target.partition(":")
        register: Register = getattr(importlib.import_module(module), attr or "register")
        register(self.staging, self.export_app)

    def info(self, name: str) -> CommandInfo | TyperInfo | None:
        target = self.table.get(name)
        if target is None:
            return None
        self.load(target)
        if name == "export":
            for sub in self.export_table.values():
                self.load(sub)
        for group in self.staging.registered_groups:
            if group.name == name:
                return group
        for command in self.staging.registered_commands:
            if _command_name(command) == name:
                return command
        return None

    def build(self, name: str, root: typer.Typer) -> Command | None:
        if name in self.built:
            return self.built[name]
        info = self.info(name)
        if info is None:
            return None
        short = root.pretty_exceptions_short
        mode = root.rich_markup_mode
        if isinstance(info, TyperInfo):
            command: Command = get_group_from_info(
                info, pretty_exceptions_short=short, suggest_commands=root.suggest_commands, rich_markup_mode=mode
            )
        else:
            command = get_command_from_info(info, pretty_exceptions_short=short, rich_markup_mode=mode)
        self.built[name] = command
        return command

    def summary(self, name: str) -> Command | None:
        """A stand-in with the help line only (for the list in ``--help``), nothing built."""
        info = self.info(name)
        if info is None:
            return None
        if isinstance(info, TyperInfo):
            solved = solve_typer_info_defaults(info)
            return TyperCommand(
                name=name,
                help=solved.help,
                short_help=solved.short_help,
                hidden=bool(solved.hidden),
                deprecated=solved.deprecated,
            )
        assert info.callback is not None
        doc = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
        hidden, deprecated = info.hidden, info.deprecated
        return TyperCommand(name=name, help=doc, short_help=info.short_help, hidden=hidden, deprecated=deprecated)


def _command_name(info: CommandInfo) -> str:
    assert info.callback is not None
    return info.name or get_command_name(info.callback.__name__)


class LazyGroup(TyperGroup):
    """The root group: subcommands from :class:`Commands`, built when they run."""

    lazy: Commands
    root: typer.Typer

    def list_commands(self, ctx: Context) -> list[str]:
        return [*self.commands, *(n for n in self.lazy.table if n not in self.commands)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        return self.lazy.build(cmd_name, self.root)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        real = self.get_command

        def summary(_ctx: Context, name: str) -> Command | None:
            return self.commands.get(name) or self.lazy.summary(name)

        self.get_command = summary  # type: ignore[method-assign]
        try:
            super().format_commands(ctx, formatter)
        finally:
            self.get_command = real  # type: ignore[method-assign]

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Command | None, list[str]]:
        name, command, rest = self._resolve_suggesting(ctx, args)
        paused = name in self.lazy.gc_paused
        gcpause.end_startup(keep_paused=paused)
        if paused and gc.isenabled():
            # Load, compute and render make many objects that all live on: the cycle collector would
            # rescan them again and again (super-linear at a national roll-up) and find nothing to free.
            gc.disable()
            ctx.call_on_close(gc.enable)
        return name, command, rest

    def _resolve_suggesting(self, ctx: Context, args: list[str]) -> tuple[str | None, Command | None, list[str]]:
        from typer._click.exceptions import UsageError

        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as exc:
            if self.suggest_commands and args:
                import difflib

                matches = difflib.get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    exc.message = f"{exc.message.rstrip('.')}. Did you mean {', '.join(repr(m) for m in matches)}?"
            raise

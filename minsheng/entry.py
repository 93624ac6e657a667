"""The console script `minsheng` (and `python -m minsheng`): the CLI, with some imports deferred.

typer imports ``subprocess`` and ``platform`` at its top for one function (``typer.launch``, which
opens a URL or a file in another program), its shell-completion module imports ``shellingham``, and
``shutil`` (which typer needs) imports ``bz2`` and ``lzma`` only to learn whether it could make such
archives; minsheng uses none of them on a normal run. Here they are registered as deferred modules (the idea of
Mercurial's demandimport): the name is bound at once and the module's code runs when something first
asks it for an attribute it does not have yet, so a run that uses one (`minsheng history` calls git
through ``subprocess``) gets the real module, only later. Only the console script does this;
importing :mod:`minsheng.cli` (tests, library use) changes nothing.

The console script also pauses the cycle collector while it imports (every object an import makes lives
to the end of the run, so the collector's passes over them find nothing): the root group gives it back
once the command is known, unless the command keeps it paused anyway (:data:`minsheng.cli.GC_PAUSED`).

Not :class:`importlib.util.LazyLoader`: on Python 3.11 its module loads on *any* attribute access,
and the ``import`` statement itself reads ``__spec__`` of a module already in ``sys.modules``, so
typer's own ``import subprocess`` would load it at once. A deferred module here has ``__spec__``,
``__name__`` and the other import attributes from the start; only a missing name loads it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Iterable

DEFERRED = ("subprocess", "platform", "shellingham", "bz2", "lzma")
"""Modules imported on the way to typer (``import name``) that a normal run never touches. (``shutil`` is
also one, but typer's ``__init__`` takes a name from it, which would load it at once; ``zlib``, which
``shutil`` also tries, is compiled code, whose module cannot exist without loading it.)"""


class _Deferred(types.ModuleType):
    """A module whose code has not run: the first missing attribute runs it, then it is a plain module."""

    def __getattr__(self, attr: str) -> object:
        spec = self.__spec__
        assert spec is not None and spec.loader is not None
        self.__class__ = types.ModuleType  # before the code runs: its own lookups must not come back here
        try:
            spec.loader.exec_module(self)
        except BaseException:
            sys.modules.pop(spec.name, None)  # as a failed import leaves it: the next import tries again
            raise
        return getattr(self, attr)


def defer(names: Iterable[str]) -> list[str]:
    """Register each module not yet imported as a lazy one; returns the names deferred.

    A name that cannot be found is left alone (the import that needs it fails as it would have).
    """
    deferred = []
    for name in names:
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is None or not isinstance(
            spec.loader, importlib.machinery.SourceFileLoader | importlib.machinery.SourcelessFileLoader
        ):
            continue  # built in, frozen or compiled: making its module object already runs it
        module = importlib.util.module_from_spec(spec)
        if type(module) is not types.ModuleType:  # a loader with its own module type: leave it alone
            continue
        module.__class__ = _Deferred
        sys.modules[name] = module
        deferred.append(name)
    return deferred


def main() -> None:
    from minsheng.gcpause import pause_startup

    pause_startup()  # until the command is known (minsheng.cli_lazy): imports make only objects that live on
    defer(DEFERRED)
    from minsheng.cli import main as run

    run()

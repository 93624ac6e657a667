"""The console script `minsheng` (and `python -m minsheng`): the CLI, with some imports deferred.

typer imports ``subprocess`` at its top for one function (``typer.launch``, which opens a URL or a
file in another program), its shell-completion module imports ``shellingham``, and ``shutil`` (which
typer needs) imports ``bz2`` and ``lzma`` only to learn whether it could make such archives; minsheng
uses none of them on a normal run. Here they are registered as deferred modules (the idea of
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

import _thread
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Iterable, Mapping

DEFERRED = {"subprocess": (), "shellingham": (), "bz2": ("_bz2",), "lzma": ("_lzma",)}
"""Modules imported on the way to typer (``import name``) that a normal run never touches, each with the
compiled modules it needs: where one of those is missing (a Python built without it), the module is not
deferred, so that ``try: import bz2`` still fails where it would have. (``platform`` is imported by
``uuid``, which runs it at once; ``shutil`` is one too, but typer's ``__init__`` takes a name from it;
``zlib``, which ``shutil`` also tries, is compiled code, whose module cannot exist without loading it.)"""

_LOCK = _thread.RLock()
_RUNNING: set[str] = set()


class _Deferred(types.ModuleType):
    """A module whose code has not run: the first missing attribute runs it, then it is a plain module.

    The code runs under a lock (another thread waits, then sees the whole module); while it runs, a
    missing name is missing (as in any module being imported); if it fails, the module is put back as
    it was before, still deferred, so the next use tries again (as a failed import does).
    """

    def __getattr__(self, attr: str) -> object:
        name = self.__name__
        with _LOCK:
            if type(self) is _Deferred and name not in _RUNNING:
                _run(self)
        if type(self) is _Deferred:  # still running: the module's own code asked for a name not yet set
            raise AttributeError(f"module {name!r} has no attribute {attr!r}")
        return getattr(self, attr)


def _run(module: types.ModuleType) -> None:
    spec = module.__spec__
    assert spec is not None and spec.loader is not None
    before = dict(module.__dict__)
    _RUNNING.add(spec.name)
    try:
        spec.loader.exec_module(module)
    except BaseException:
        module.__dict__.clear()
        module.__dict__.update(before)
        raise
    else:
        module.__class__ = types.ModuleType
    finally:
        _RUNNING.discard(spec.name)


def defer(names: Iterable[str] | Mapping[str, Iterable[str]]) -> list[str]:
    """Register each module not yet imported as a deferred one; returns the names deferred.

    With a mapping, a module is deferred only if every compiled module it needs can be found. A name
    that cannot be found is left alone (the import that needs it fails as it would have).
    """
    needs = names if isinstance(names, Mapping) else dict.fromkeys(names, ())
    deferred = []
    for name, required in needs.items():
        if name in sys.modules or not all(_findable(r) for r in required):
            continue
        spec = _find(name)
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


def _find(name: str) -> importlib.machinery.ModuleSpec | None:
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def _findable(name: str) -> bool:
    if name in sys.modules:
        return sys.modules[name] is not None
    return _find(name) is not None


def main() -> None:
    from minsheng.gcpause import pause_startup

    pause_startup()  # until the command is known (minsheng.cli_lazy): imports make only objects that live on
    defer(DEFERRED)
    from minsheng.cli import main as run

    run()

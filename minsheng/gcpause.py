"""Pausing Python's cycle collector while many objects are made that all live on."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cycle collector off for the block, then back as it was.

    Loading makes many objects that all live on: the collector would rescan them again and again
    (super-linear in a large file, about a fifth of the time on 10 000 files) and find nothing to free.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_startup = False
"""Whether the collector was paused for start-up (:func:`pause_startup`) and not yet given back."""


def pause_startup() -> None:
    """The collector off while the console script imports its modules (tens of thousands of objects,
    every one of which lives to the end of the run), until :func:`end_startup`."""
    global _startup
    if gc.isenabled():
        gc.disable()
        _startup = True


def end_startup(keep_paused: bool) -> None:
    """Start-up is over: a command that makes many lasting objects (``keep_paused``) keeps the collector
    off to its end; any other gets it back, as it was before start-up."""
    global _startup
    if _startup and not keep_paused:
        gc.enable()
    _startup = False

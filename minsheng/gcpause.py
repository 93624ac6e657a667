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

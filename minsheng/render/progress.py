"""A progress bar for long runs over many files: on stderr, only on a terminal, only after a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TextIO

DELAY = 1.0
"""Seconds before the bar appears: a quick run prints nothing extra."""


class LazyProgress:
    """A ``(done, total)`` callback that shows a rich bar once a run has lasted ``DELAY`` seconds."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.start = clock()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if self.clock() - self.start < DELAY or done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            console = Console(file=self.stream, force_terminal=True)
            self.bar = Progress(
                TextColumn("校验"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("files", total=total)
        self.bar.update(self.task, completed=done)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

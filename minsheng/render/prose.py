"""Chinese prose wrapped for the terminal by the usual rule (禁则).

No line starts with closing punctuation (，。；：、）」” …) and none ends with an
opening one (（「“ …); a run of Latin letters and digits ("70.6%", "2024-07-31")
is not split unless it is longer than a line. Rich's own wrapping knows neither.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

NO_START = frozenset("，。；：、？！）」』”’》〉】〕…—·,.;:?!)]}%")
NO_END = frozenset("（「『“‘《〈【〔([{")


def _atoms(text: str) -> Iterator[str]:
    """Units that are never split: a run of ASCII letters, digits and number signs, or one other character."""
    run = ""
    for ch in text:
        if ch.isascii() and (ch.isalnum() or ch in ".%+-/:_"):
            run += ch
            continue
        if run:
            yield run
            run = ""
        yield ch
    if run:
        yield run


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken by the rule above."""
    if width <= 2:
        return [text]
    lines: list[list[str]] = [[]]
    used = 0
    for atom in _atoms(text):
        size = cell_len(atom)
        if used + size > width and lines[-1]:
            line = lines[-1]
            carried: list[str] = []
            # Move the line's last atoms down while the line would end with an opening mark
            # or the next line would start with a closing one.
            while len(line) > 1 and (line[-1][-1] in NO_END or (carried or [atom])[0][0] in NO_START):
                carried.insert(0, line.pop())
            lines.append(carried)
            used = sum(cell_len(a) for a in carried)
        lines[-1].append(atom)
        used += size
    return ["".join(line) for line in lines]


class Prose:
    """A paragraph that wraps to the console's width by :func:`wrap`; ``lead`` (a label) in ``lead_style``."""

    def __init__(self, text: str, style: str | Style = "", *, lead: str = "", lead_style: str | Style = "bold") -> None:
        self.text = text
        self.style = style
        self.lead = lead
        self.lead_style = lead_style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """In a table cell: no narrower than its widest unbreakable run, no wider than its whole text."""
        text = self.lead + self.text
        widest = max((cell_len(atom) for atom in _atoms(text)), default=0)
        return Measurement(min(widest, options.max_width), min(cell_len(text), options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        left = len(self.lead)
        for line in wrap(self.lead + self.text, options.max_width):
            out = Text(no_wrap=True, overflow="ignore")
            head, left = line[:left], max(left - len(line), 0)
            out.append(head, style=self.lead_style)
            out.append(line[len(head) :], style=self.style)
            yield out

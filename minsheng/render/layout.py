"""Terminal tables that fit the terminal: columns chosen by width, never a number or status split.

rich shares a too-narrow width among all columns, so at 80 columns a name
prints one character a line and a no-wrap status is cut ("逾期未 …"). Here the
table decides first which columns it can show: each column says how wide its
widest cell is, how narrow it may wrap to (a number or a status word never
wraps), and how soon it may be left out; the least useful columns go first
until the rest fit, and only then are the wrapping columns (names, units,
texts) given what is left. :class:`FitTable` does this at render time, when
the width is known, so one renderable serves 80, 100 and 160 columns.
Wrapped cells are broken by :func:`minsheng.render.prose.wrap` (the Chinese rule), not by rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from minsheng.lazyclass import dataclass
from minsheng.render import grid, prose
from minsheng.render.fmt import clean

Justify = Literal["left", "right"]
GAP = 2
"""Cells between two columns: the box's blank divider and one cell of padding."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column: ``wrap`` columns may be narrowed to ``min_width``; ``drop`` > 0 may be left out, highest first."""

    key: str
    header: str
    justify: Justify = "left"
    wrap: bool = False
    min_width: int = 8
    drop: int = 0


def fit(columns: Sequence[Column], natural: dict[str, int], available: int) -> list[tuple[Column, int]]:
    """The columns to show and the width of each, so that the table fits in ``available`` cells.

    ``natural`` is each column's widest cell (header included). Columns are
    dropped by rank until the narrowest layout fits; a table that cannot fit
    even then keeps its undroppable columns at their narrowest (the terminal
    will wrap the line rather than a number).
    """
    shown = list(columns)

    def narrowest(col: Column) -> int:
        return min(natural[col.key], col.min_width) if col.wrap else natural[col.key]

    def total(cols: Iterable[Column]) -> int:
        chosen = list(cols)
        return sum(narrowest(c) for c in chosen) + GAP * len(chosen) - 1

    while total(shown) > available:
        droppable = [c for c in shown if c.drop > 0]
        if not droppable:
            break
        shown.remove(max(droppable, key=lambda c: c.drop))
    widths = {c.key: narrowest(c) for c in shown}
    spare = available - total(shown)
    wrapping = [c for c in shown if c.wrap and natural[c.key] > widths[c.key]]
    # Share what is left among the wrapping columns, a cell at a time to the one
    # that is furthest from its natural width, so no column grows past it.
    while spare > 0 and wrapping:
        neediest = max(wrapping, key=lambda c: natural[c.key] - widths[c.key])
        widths[neediest.key] += 1
        spare -= 1
        if widths[neediest.key] >= natural[neediest.key]:
            wrapping.remove(neediest)
    return [(c, widths[c.key]) for c in shown]


def _width(cell: Text | str) -> int:
    text = cell.plain if isinstance(cell, Text) else cell
    return max((cell_len(line) for line in text.split("\n")), default=0)


TERMINAL_ROWS = 2000
"""Above this many rows a terminal table is not laid out (rich's layout would be most of the run,
for a table no one scrolls through): its size and where to get it whole are printed instead."""


def too_long_note(count: int) -> str:
    return f"（共 {count} 行，终端不逐行列出；请用 --format csv|markdown 或 -o 导出全部。）"


class FitTable:
    """A table of :class:`Text` cells whose columns are chosen when the width is known."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[dict[str, Text | str]]) -> None:
        self.columns = list(columns)
        self.rows = list(rows)

    def natural(self) -> dict[str, int]:
        widths = {c.key: cell_len(c.header) for c in self.columns}
        for row in self.rows:
            for c in self.columns:
                widths[c.key] = max(widths[c.key], _width(row.get(c.key, "")))
        return widths

    def layout(self, available: int) -> tuple[list[tuple[Column, int]], list[list[Text]]]:
        """The columns shown with their widths, and every row's cells as they will be drawn."""
        layout = fit(self.columns, self.natural(), available)
        cells = [[_cell(row.get(col.key, ""), width if col.wrap else 0) for col, width in layout] for row in self.rows]
        return layout, cells

    def table(self, available: int) -> Table:
        """The table as rich's ``Table`` (what :func:`~minsheng.render.grid.draw` is checked against, and
        what is drawn when it cannot draw the table exactly)."""
        return _rich_table(*self.layout(available))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if len(self.rows) > TERMINAL_ROWS:
            yield Text(too_long_note(len(self.rows)), style="dim")
            return
        layout, cells = self.layout(options.max_width)
        drawn = [grid.Col(width, col.justify, col.wrap) for col, width in layout]
        header = [Text(col.header) for col, _ in layout]
        if grid.drawable(drawn, header, cells, options):
            yield from grid.draw(console, drawn, header, cells)
        else:
            yield _rich_table(layout, cells)


def _rich_table(layout: list[tuple[Column, int]], cells: list[list[Text]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0), expand=False)
    for col, width in layout:
        table.add_column(
            Text(col.header),
            justify=col.justify,
            width=width,
            no_wrap=not col.wrap,
            overflow="fold" if col.wrap else "ignore",
        )
    for row in cells:
        table.add_row(*row)
    return table


def _cell(cell: Text | str, wrap: int) -> Text:
    """The cell as Text (a plain string from the data is cleaned, never markup); a wrapping cell is
    broken into lines here, by the Chinese rule, not by rich."""
    text = cell if isinstance(cell, Text) else Text(clean(cell))
    if wrap and text.cell_len > wrap:
        lines = [part for line in text.plain.split("\n") for part in prose.wrap(line, wrap)]
        return Text("\n".join(lines), style=text.style)
    return text

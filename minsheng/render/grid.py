"""Draw a laid-out terminal table as rich segments, without rich's table layout.

:class:`~minsheng.render.layout.FitTable` has already chosen the columns, their widths and where
every cell breaks, so what is left of rich's ``Table`` is padding cells to their widths and
joining them: for `status` that machinery (measuring every cell again, wrapping, cropping and
re-shaping each line) was a tenth of the run. :func:`draw` does the same drawing directly and
gives the same bytes, escape codes included (tests/test_grid.py compares the two on random tables,
with and without colour). It draws only what it can draw exactly like rich: :func:`drawable` says
when, and otherwise the caller hands rich's ``Table`` the same layout.

How rich draws this table (``box.SIMPLE_HEAD``, no edge, no edge padding, one cell of right
padding): a wrapping column (overflow "fold") justifies each line of a cell within the column width,
the padding part of the text and of its style; a no-wrap column (overflow "ignore") leaves its lines
as they are, so even a right-justified one stays at the left; each line is then padded with
spaces to the column width, plus one cell of padding except in the last column (two segments, in the
row's style: bold spaces in the header); columns are joined by one space; the header is bold
(``table.header``) and aligned to the bottom, body cells to the top; a line of ``─`` follows the header.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

RULE = "─"
_JOIN = Text()


class Col(NamedTuple):
    """A column as drawn: its width, how it justifies, whether it wraps (overflow "fold", else "ignore")."""

    width: int
    justify: str
    wrap: bool


def drawable(
    columns: Sequence[Col], header: Sequence[Text], rows: Sequence[Sequence[Text]], options: ConsoleOptions
) -> bool:
    """Whether :func:`draw` gives what rich would: every line fits its column, the table fits the
    width, the box is drawn in Unicode (rich substitutes ASCII for some encodings), and no cell has
    what rich treats in ways not copied here: tabs, its own ``end``, overflow or no-wrap setting, a
    column of width 0 (rich widens it to 1), zero-width characters inside a span (rich measures a line
    segment by segment, so a span that splits a grapheme changes its width), or a wrapping line with
    more characters than the column has cells and trailing whitespace (rich's ``rstrip_end`` counts
    characters)."""
    if not columns or options.ascii_only or options.legacy_windows:
        return False
    if any(c.width < 1 for c in columns) or sum(c.width for c in columns) + 2 * len(columns) - 1 > options.max_width:
        return False
    for cells in (header, *rows):
        for cell, col in zip(cells, columns, strict=True):
            plain = cell.plain
            if "\t" in plain or cell.end != "\n" or cell.overflow is not None or cell.no_wrap is not None:
                return False
            if cell.justify is not None and cell.justify not in ("left", "right"):
                return False
            for line in plain.split("\n"):
                width = cell_len(line)
                if width > col.width:
                    return False
                if col.wrap and len(line) > col.width and line != line.rstrip():
                    return False
                if cell.spans and width != sum(cell_len(ch) for ch in line):
                    return False
    return True


def draw(
    console: Console, columns: Sequence[Col], header: Sequence[Text], rows: Sequence[Sequence[Text]]
) -> Iterator[Segment]:
    """The table's lines as segments (each line ends with a newline segment)."""
    last = len(columns) - 1
    spans = [col.width + (0 if i == last else 1) for i, col in enumerate(columns)]
    divider = Segment(" ")
    newline = Segment.line()
    header_style = console.get_style("table.header")
    for line in _row(console, columns, spans, header, header_style, bottom=True):
        yield from _join(line, divider)
        yield newline
    yield Segment(RULE * (sum(spans) + last))
    yield newline
    for cells in rows:
        for line in _row(console, columns, spans, cells, None, bottom=False):
            yield from _join(line, divider)
            yield newline


def _join(cells: list[list[Segment]], divider: Segment) -> Iterator[Segment]:
    for i, segments in enumerate(cells):
        if i:
            yield divider
        yield from segments


def _row(
    console: Console,
    columns: Sequence[Col],
    spans: Sequence[int],
    cells: Sequence[Text],
    style: Style | None,
    *,
    bottom: bool,
) -> list[list[list[Segment]]]:
    """The row's lines, each a list of cells, each cell a list of segments exactly its column's span wide."""
    blocks = [_cell(console, cell, col, span, style) for cell, col, span in zip(cells, columns, spans, strict=True)]
    height = max(len(block) for block in blocks)
    lines: list[list[list[Segment]]] = [[] for _ in range(height)]
    for block, span in zip(blocks, spans, strict=True):
        filler = [[Segment(" " * span, style)]] * (height - len(block))
        for line, segments in zip(lines, filler + block if bottom else block + filler, strict=True):
            line.append(segments)
    return lines


def _cell(console: Console, cell: Text, col: Col, span: int, style: Style | None) -> list[list[Segment]]:
    if cell.spans:
        return [_line(console, part, cell, col, span, style) for part in cell.split("\n", allow_blank=True)]
    # no spans (most cells): one style for the whole line, padding included, so no Text is built
    base = console.get_style(cell.style, default=Style.null()) if cell.style else None  # rich: an unknown style is none
    if style is not None:
        base = style + base if base is not None else style
    block = []
    for text in cell.plain.split("\n"):
        if col.wrap:
            if (cell.justify or col.justify) == "right":
                text = text.rstrip()
                text = " " * (col.width - cell_len(text)) + text
            else:
                text += " " * (col.width - cell_len(text))
        block.append(_padded([Segment(text, base)], cell_len(text), col, span, style))
    return block


def _padded(segments: list[Segment], used: int, col: Col, span: int, style: Style | None) -> list[Segment]:
    """The line padded to the column's width, then by the cell of padding (as rich does: two segments,
    each in the row's style: the header's bold, a body row's none)."""
    if col.width > used:
        segments.append(Segment(" " * (col.width - used), style))
    if span > max(used, col.width):
        segments.append(Segment(" " * (span - max(used, col.width)), style))
    return segments


def _line(console: Console, part: Text, cell: Text, col: Col, span: int, style: Style | None) -> list[Segment]:
    """One line of a cell with spans, through rich's Text as rich draws it."""
    if col.wrap:  # justified within the column, the padding part of the text (and of its style)
        if (cell.justify or col.justify) == "right":
            part.rstrip()
            part.pad_left(col.width - part.cell_len)
        else:
            part.pad_right(col.width - part.cell_len)
    # (a no-wrap column is overflow "ignore", which rich leaves unjustified: its text stays at the left)
    # rich renders a cell as its lines joined into one Text, where each line's own style becomes a
    # span (``Text.render`` applies a base style only together with spans): the same, a line at a time
    segments = list(_JOIN.join((part,)).render(console, end=""))
    if style is not None:
        segments = list(Segment.apply_style(segments, style))
    return _padded(segments, part.cell_len, col, span, style)

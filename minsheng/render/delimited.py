"""CSV and Markdown from flat rows. CSV is UTF-8 with BOM, formula-safe, and keeps ids as text in a spreadsheet.

A spreadsheet reading a CSV guesses each cell's type: ``6.10`` becomes the number
6.1 (the same as the real 6.1), and text starting with ``=``, ``+``, ``-`` or
``@`` becomes a formula. Both are prevented with one invisible mark, a leading
ZERO WIDTH SPACE (U+200B): the cell is no longer a number or a formula to
Excel, WPS or LibreOffice, and it shows exactly as written (a leading ``'``, the
old guard, is shown as a literal apostrophe when a CSV is opened). Numbers such
as ``-3.1`` or ``65.0%`` stay numbers. A program that reads the CSV sees the
mark; ``--format json`` is the format for programs.
"""

from __future__ import annotations

import csv
import io
import re

from minsheng.render.fmt import FORMULA_STARTS, clean, md_escape
from minsheng.render.rows import Row

BOM = "\ufeff"
TEXT_MARK = "\u200b"
"""ZERO WIDTH SPACE: invisible, and not whitespace to a spreadsheet, so it is kept and the cell stays text."""
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?%?")
_NUMERIC_ID = re.compile(r"[\d.,eE+-]+")


def to_csv(rows: list[Row], id_column: int | None = 0) -> str:
    """UTF-8 text with a BOM so Excel opens Chinese intact; no cell becomes a formula, no id a number.

    ``id_column`` is the column of ids (序号 / 指标, the first in every table the tool writes);
    the header row is left as it is.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for n, row in enumerate(rows):
        writer.writerow(
            [id_text(clean(c)) if n and i == id_column else guard_formula(clean(c)) for i, c in enumerate(row)]
        )
    return BOM + buffer.getvalue()


def id_text(text: str) -> str:
    """An id a spreadsheet would read as a number (6.10 → 6.1, 01 → 1) gets the invisible text mark."""
    return TEXT_MARK + text if _NUMERIC_ID.fullmatch(text) else guard_formula(text)


def guard_formula(text: str) -> str:
    """Text that a spreadsheet would run as a formula gets the invisible text mark; numbers stay numbers."""
    if _NUMBER.fullmatch(text):  # -3.1, +33.3, 12.5%: numbers, which a spreadsheet must keep as numbers
        return text
    return TEXT_MARK + text if text.startswith(FORMULA_STARTS) else text


def to_markdown_table(rows: list[Row]) -> str:
    header, *body = rows
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in body]
    return "\n".join(lines)

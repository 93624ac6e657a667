"""CSV and Markdown from flat rows. CSV is UTF-8 with BOM and formula-safe for Excel."""

from __future__ import annotations

import csv
import io

from minsheng.render.fmt import cell_text, clean, md_escape
from minsheng.render.rows import Row

BOM = "\ufeff"


def to_csv(rows: list[Row]) -> str:
    """UTF-8 text with a BOM so Excel opens Chinese intact; no cell can become a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell_text(clean(cell)) for cell in row])
    return BOM + buffer.getvalue()


def to_markdown_table(rows: list[Row]) -> str:
    header, *body = rows
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in body]
    return "\n".join(lines)

"""The 月度通报 as Markdown, for pasting into the office's own system: the same content as the docx.

Every field goes through :func:`~minsheng.render.fmt.md_escape` (tables through
:func:`~minsheng.render.delimited.to_markdown_table`), the rule of :mod:`minsheng.render.markdown`:
nothing from the data can become a link, an image or HTML.
"""

from __future__ import annotations

from minsheng.render.bulletin_view import ACTION_HEADER, LIGHT_HEADER, RANK_HEADER, RECIPIENT, Bulletin
from minsheng.render.delimited import to_markdown_table
from minsheng.render.fmt import cn_date, md_escape


def bulletin_markdown(bulletin: Bulletin) -> str:
    out = [f"# {md_escape(bulletin.title)}", ""]
    head = [md_escape(line) for line in (bulletin.office, bulletin.number) if line]
    if head:
        out += ["　".join(head), ""]
    if bulletin.example:
        out += [f"> {md_escape(bulletin.example)}", ""]
    out += [RECIPIENT, "", md_escape(bulletin.opening), ""]
    sections = bulletin.headings

    out += [f"## {sections[0]}", ""]
    for line in bulletin.overview:
        out += [md_escape(line), ""]

    out += [
        f"## {sections[1]}",
        "",
        to_markdown_table([list(LIGHT_HEADER), *(list(r.cells()) for r in bulletin.lights)]),
    ]
    out += ["", md_escape(bulletin.light_note), ""]

    out += [f"## {sections[2]}", ""]
    out.append(
        to_markdown_table([list(RANK_HEADER), *(list(r) for r in bulletin.ranking)]) if bulletin.ranking else "无。"
    )
    out += ["", md_escape(bulletin.ranking_note), ""]

    out += [f"## {sections[3]}", ""]
    for line in bulletin.reporting:
        out += [md_escape(line), ""]
    if bulletin.missing:
        out += [*(f"{n}. {md_escape(line)}" for n, line in enumerate(bulletin.missing, start=1)), ""]
    if not bulletin.reporting and not bulletin.missing:
        out += ["无。", ""]

    out += [f"## {sections[4]}", ""]
    for heading, rows, none in bulletin.supervision_parts():
        out += [f"### {heading}", ""]
        out += [to_markdown_table([list(ACTION_HEADER), *(list(r) for r in rows)]) if rows else none, ""]

    out += [f"## {sections[5]}", ""]
    for req in bulletin.requirements:
        out += [f"### {md_escape(req.heading)}", "", md_escape(req.text), ""]

    out += [md_escape(bulletin.signer), "", cn_date(bulletin.date)]
    return "\n".join(out) + "\n"

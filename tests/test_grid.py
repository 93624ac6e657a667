"""The terminal table drawn directly (render/grid.py) is rich's Table, byte for byte.

Every case lays out one random table (random columns, texts in Chinese and Latin, multi-line and
blank cells, styles and spans, widths from 8 to 200 columns) and prints it twice: through
``FitTable`` (which draws it itself when it can) and through ``FitTable.table()`` (the same layout
handed to rich's ``Table``), without colour and with it (true colour, forced terminal). The two
outputs must be the same bytes, escape codes included. Cases where the direct drawing does not apply
go through rich on both sides; the test checks that most cases did use it.
"""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console
from rich.text import Span, Text

from minsheng.render import grid
from minsheng.render.layout import Column, FitTable

CHINESE = "城市道路提升工程区住建局教育基础设施就业促进残联民政司法交运文旅“四好农村路”（其中）、，。；："
LATIN = ["12.5%", "2024-07-31", "07-31", "+13.8", "-3.1", "abc", "XYZ", "1", "10", "2025-02"]
MARKS = ["████░░", "● 按序时", "■ 严重滞后", "▲ 滞后", "◆ 已完成", "无进展"]
WIDTHS = [8, 20, 40, 60, 80, 100, 120, 160, 200]
STYLES = [None, "bold", "bold red", "green", "yellow", "on blue", "underline", "italic", "dim", "reverse"]


def _text(rng: random.Random) -> Text:
    kind = rng.random()
    if kind < 0.1:
        return Text("")
    if kind < 0.3:
        body = rng.choice(LATIN + MARKS)
    else:
        pieces = []
        for _ in range(rng.randint(1, 6)):
            choice = rng.random()
            if choice < 0.6:
                pieces.append("".join(rng.choice(CHINESE) for _ in range(rng.randint(1, 8))))
            elif choice < 0.8:
                pieces.append(rng.choice(LATIN))
            elif choice < 0.9:
                pieces.append(" ")
            else:
                pieces.append("\n")
        body = "".join(pieces)
    text = Text(body, style=rng.choice(STYLES) or "")
    if body and rng.random() < 0.3:
        start = rng.randrange(len(body))
        text.stylize(rng.choice(STYLES[1:]) or "bold", start, rng.randint(start + 1, len(body)))
    return text


def _table(rng: random.Random) -> FitTable:
    columns = []
    for i in range(rng.randint(1, 9)):
        header = "".join(rng.choice(CHINESE) for _ in range(rng.randint(1, 5)))
        if rng.random() < 0.1:  # a header of two lines: the others are aligned to its bottom
            header += "\n" + "".join(rng.choice(CHINESE) for _ in range(rng.randint(1, 3)))
        columns.append(
            Column(
                f"c{i}",
                header,
                justify=rng.choice(["left", "right"]),
                wrap=rng.random() < 0.4,
                min_width=rng.randint(2, 12),
                drop=rng.choice([0, 0, 1, 2, 3]),
            )
        )
    rows = [{c.key: _text(rng) for c in columns if rng.random() < 0.9} for _ in range(rng.randint(0, 12))]
    return FitTable(columns, rows)


def _plain(renderable: object, width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False, emoji=False, soft_wrap=False).print(renderable)
    return out.getvalue()


def _coloured(renderable: object, width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system="truecolor", force_terminal=True, highlight=False, emoji=False).print(
        renderable
    )
    return out.getvalue()


@pytest.mark.parametrize("seed", range(40))
def test_drawn_table_is_richs_table(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    drawn = 0
    calls = []
    real = grid.draw
    monkeypatch.setattr(grid, "draw", lambda *a: calls.append(1) or real(*a))
    for _ in range(15):
        table = _table(rng)
        width = rng.choice(WIDTHS)
        before = len(calls)
        assert _plain(table, width) == _plain(table.table(width), width)
        drawn += len(calls) > before
        assert _coloured(table, width) == _coloured(table.table(width), width)
    assert drawn >= 2, f"only {drawn} of 15 tables were drawn directly: the comparison tested rich against itself"


def test_most_random_tables_are_drawn_directly() -> None:
    """The same 600 tables as above: at least half go through grid.draw, not rich on both sides."""
    drawn = 0
    for seed in range(40):
        rng = random.Random(seed)
        for _ in range(15):
            table = _table(rng)
            width = rng.choice(WIDTHS)
            options = Console(file=io.StringIO(), width=width).options
            layout, cells = table.layout(width)
            columns = [grid.Col(w, c.justify, c.wrap) for c, w in layout]
            drawn += grid.drawable(columns, [Text(c.header) for c, _ in layout], cells, options)
    assert drawn >= 300, drawn


def test_ascii_terminal_goes_through_rich() -> None:
    table = FitTable([Column("a", "项目"), Column("b", "状态")], [{"a": Text("道路"), "b": Text("● 按序时")}])
    console = Console(file=io.StringIO(), width=80, color_system=None, legacy_windows=False)
    options = console.options.copy()
    options.encoding = "ascii"  # what rich sees on a terminal that is not UTF-8
    assert options.ascii_only
    columns = [grid.Col(4, "left", False), grid.Col(8, "left", False)]
    assert not grid.drawable(columns, [Text("项目"), Text("状态")], [[Text("道路"), Text("● 按序时")]], options)
    ours = [s.text for s in console.render(table, options)]
    assert ours == [s.text for s in console.render(table.table(80), options)]


def test_layout_by_hand() -> None:
    # 项目 wraps (widest cell 供水设施改造, 12 cells), 完成率 does not (widest 6, its header).
    # 12 + 6 + 2 × 2 − 1 = 21 cells fit in 40: no cell wraps and no column narrows.
    table = FitTable(
        [Column("name", "项目", wrap=True, min_width=4), Column("rate", "完成率", justify="right")],
        [{"name": "道路工程", "rate": Text("66.7%")}, {"name": "供水设施改造", "rate": Text("8.0%")}],
    )
    lines = _plain(table, 40).split("\n")
    # 项目 is 12 wide plus 1 of padding, then the 1-cell divider; 完成率 is the last column, 6 wide, no padding
    assert lines[0] == "项目" + " " * (12 - 4 + 1 + 1) + "完成率"
    assert lines[1] == "─" * (13 + 1 + 6)
    # a no-wrap column is never justified by rich (overflow "ignore"): the right-justified rates stay left
    assert lines[2] == "道路工程" + " " * (12 - 8 + 2) + "66.7%" + " "
    assert lines[3] == "供水设施改造" + " " * 2 + "8.0%" + "  "
    assert lines[4:] == [""]
    assert _plain(table, 40) == _plain(table.table(40), 40)


EDGE_CASES = [
    # (columns, rows): inputs found by review where rich treats a cell in ways grid does not copy;
    # each must either be drawn exactly as rich draws it or be handed to rich
    ([Column("a", "项目"), Column("b", "状态")], [{"a": Text("ab", end="X"), "b": Text("ok")}]),
    ([Column("a", "项目"), Column("b", "状态")], [{"a": Text("ab\n", end=""), "b": Text("ok")}]),
    ([Column("a", "项目"), Column("b", "状态")], [{"a": Text("ab", style="no-such-style"), "b": Text("ok")}]),
    ([Column("a", "项目"), Column("b", "")], [{"a": Text("x")}]),  # a last column of width 0
    ([Column("a", ""), Column("b", "状态")], [{"a": Text("\n"), "b": Text("ok")}]),
    # a span that splits a grapheme (zero-width joiner): rich measures segment by segment
    (
        [Column("a", "项目"), Column("b", "状态")],
        [{"a": Text("a\u200db", spans=[Span(2, 3, "bold")]), "b": Text("ok")}],
    ),
    # more characters than cells and trailing whitespace in a wrapping column: rich's rstrip_end
    ([Column("a", "项", wrap=True), Column("b", "状态")], [{"a": Text("a\u200b\u200b\u3000"), "b": Text("ok")}]),
]


@pytest.mark.parametrize("case", range(len(EDGE_CASES)))
def test_edge_cases_match_rich(case: int) -> None:
    columns, rows = EDGE_CASES[case]
    table = FitTable(columns, rows)
    assert _plain(table, 40) == _plain(table.table(40), 40)
    assert _coloured(table, 40) == _coloured(table.table(40), 40)

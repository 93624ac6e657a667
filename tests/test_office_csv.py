"""The CSV 台账 as a spreadsheet opens it: LibreOffice reads it (UTF-8, formulas evaluated, special
numbers detected — as strict as Excel), prints it and saves it as xlsx; the tests read the cells back."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from minsheng.render.delimited import TEXT_MARK, to_csv
from tests.conftest import DATA
from tests.office import CSV_UTF8, Pdf, convert, read_pdf, require_office

EVIL = ["+86 0315-5123456", "-3处未完成", '=HYPERLINK("http://x","点我")', "@SUM(A1)"]
runner = CliRunner()


@dataclasses.dataclass(frozen=True)
class Opened:
    ledger: list[list[object]]
    ids: list[list[object]]
    types: list[list[str]]
    pdf: Pdf


def _cells(path: Path) -> tuple[list[list[object]], list[list[str]]]:
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    return [[c.value for c in r] for r in ws.iter_rows()], [[c.data_type for c in r] for r in ws.iter_rows()]


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> Opened:
    require_office()
    root = tmp_path_factory.mktemp("office-csv")
    data = root / "data"
    shutil.copytree(DATA, data)
    texts = ["--summary", EVIL[0], "--problems", EVIL[1], "--next", EVIL[2]]
    recorded = runner.invoke(
        app, ["record", "--data", str(data), "-u", "区司法局", "-d", "2024-12-31", "7.1=583", "--replace", *texts]
    )
    assert recorded.exit_code == 0, recorded.output
    ledger = root / "ledger.csv"
    result = runner.invoke(app, ["export", "csv", "--data", str(data), "--as-of", "2024-12-31", "-o", str(ledger)])
    assert result.exit_code == 0, result.output
    # Two ids a spreadsheet would merge (6.1 and 6.10), a leading zero, numbers and a formula-like text
    ids = root / "ids.csv"
    rows = [
        ["序号", "累计", "偏差", "完成率", "备注"],
        ["6.1", "1", "-3.1", "65.0%", EVIL[3]],
        ["6.10", "2", "+3.2", "0.5%", "x"],
    ]
    ids.write_text(to_csv([*rows, ["01", "3", "0.0", "100.0%", "y"]]), encoding="utf-8")
    profile = root / "profile"
    resaved = convert([ledger, ids], "xlsx", root / "xlsx", profile, infilter=CSV_UTF8)
    (pdf,) = convert([ledger], "pdf", root / "pdf", profile, infilter=CSV_UTF8)
    ledger_cells, _ = _cells(resaved[0])
    id_cells, id_types = _cells(resaved[1])
    return Opened(ledger_cells, id_cells, id_types, read_pdf(pdf))


def shown(value: object) -> object:
    """What the cell shows: the invisible text mark takes no room."""
    return value.replace(TEXT_MARK, "") if isinstance(value, str) else value


def test_ids_stay_text_and_distinct(opened: Opened) -> None:
    body = opened.ids[1:]
    assert [shown(r[0]) for r in body] == ["6.1", "6.10", "01"]
    assert all(t[0] == "s" for t in opened.types[1:])
    # numbers stay numbers: 1, -3.1 (a 偏差), 65.0% (a fraction with a percent format)
    assert [r[1] for r in body] == [1, 2, 3]
    assert body[0][2] == pytest.approx(-3.1) and body[1][2] == pytest.approx(3.2)
    assert body[0][3] == pytest.approx(0.65)
    assert shown(body[0][4]) == EVIL[3] and opened.types[1][4] == "s"


def test_ledger_csv_cells_in_libreoffice(opened: Opened) -> None:
    header, *rows = opened.ledger
    assert header[:3] == ["序号", "项目", "指标"]
    assert len(rows) == 30
    assert all(isinstance(r[0], str) for r in rows)
    assert [shown(r[0]) for r in rows][:3] == ["1.1", "2.1", "2.2"]
    by_id = {shown(r[0]): r for r in rows}
    assert by_id["4.1"][6] == 100  # 累计完成 at year end, a number
    # the hostile texts are text, shown as typed (no apostrophe), never a formula
    judicial = by_id["7.1"]
    assert [shown(c) for c in judicial[10:13]] == EVIL[:3]
    assert all(isinstance(c, str) for c in judicial[10:13])
    assert not any(isinstance(c, str) and c.startswith("=") for r in opened.ledger for c in r)


def test_ledger_csv_prints_without_apostrophes(opened: Opened) -> None:
    text = opened.pdf.text()
    assert "'" not in text
    assert "-3处未完成" in text and "6.1" in text
    assert opened.pdf.pages >= 1


def test_the_mark_is_the_only_change() -> None:
    """Without a spreadsheet: the CSV differs from the cells only by the mark, ids and guards alike."""
    text = to_csv([["序号", "x"], ["6.10", "-3处"], ["7", "-3"]])
    assert text == f"\ufeff序号,x\r\n{TEXT_MARK}6.10,{TEXT_MARK}-3处\r\n{TEXT_MARK}7,-3\r\n"

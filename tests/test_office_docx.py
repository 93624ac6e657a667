"""The 专题报告 as LibreOffice Writer prints it: pages and their numbers, the printed sizes, the tables' cells.

One ``soffice`` run converts the reports of three dates (07-31 with --since, the 12-31 deadline,
and 04-30 whose lagging list goes to 附件1) to PDF; poppler reads the words back.

Known limit, not asserted: LibreOffice ignores the font table's substitutes (w:altName) and asks
fontconfig for 仿宋_GB2312, which it does not know, so the 汉字 of the body print in a sans face on
a machine without the 公文 fonts. Digits and Latin text are Times New Roman (Liberation Serif here).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess

import pytest

from minsheng.compute import StatusReport, build_status
from minsheng.project import open_project
from minsheng.render.docx import status_docx
from tests.conftest import DATA
from tests.office import PDFINFO, Pdf, convert, is_a4, read_pdf, require_office

DAYS = {"07-31": (dt.date(2024, 7, 31), dt.date(2024, 6, 30)), "12-31": (dt.date(2024, 12, 31), None)}
DAYS["04-30"] = (dt.date(2024, 4, 30), None)


@dataclasses.dataclass(frozen=True)
class Printed:
    report: StatusReport
    pdf: Pdf


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    require_office()
    root = tmp_path_factory.mktemp("office-docx")
    project = open_project(DATA)
    reports, sources = {}, []
    for name, (day, since) in DAYS.items():
        reports[name] = build_status(project.dataset(None, day), day, since)
        path = root / f"report-{name}.docx"
        path.write_bytes(status_docx(reports[name]))
        sources.append(path)
    pdfs = convert(sources, "pdf", root / "pdf", root / "profile")
    return {name: Printed(reports[name], read_pdf(pdf)) for name, pdf in zip(DAYS, pdfs, strict=True)}


def bottom(pdf: Pdf, page: int) -> list[str]:
    height = pdf.sizes[page - 1][1]
    return [w.text for w in pdf.on(page) if w.y0 > height - 90]


@pytest.mark.parametrize("name", list(DAYS))
def test_pages_are_a4_and_numbered(printed: dict[str, Printed], name: str) -> None:
    pdf = printed[name].pdf
    assert 3 <= pdf.pages <= 12, pdf.pages
    assert all(is_a4(size, landscape=False) for size in pdf.sizes)
    for page in range(1, pdf.pages + 1):
        assert bottom(pdf, page) == ["—", str(page), "—"], (page, bottom(pdf, page))


def test_printed_sizes_are_the_official_ones(printed: dict[str, Printed]) -> None:
    """Body 三号 (16 pt), title 二号 (22 pt), tables 五号 (10.5 pt): measured from the width of the 汉字."""
    pdf = printed["07-31"].pdf
    sizes = [round(w.cjk_size, 1) for w in pdf.words if w.cjk_size]
    title = next(w for w in pdf.on(1) if w.text.startswith("关于"))  # pdftotext cuts before the digits
    assert abs(title.cjk_size - 22) < 0.3  # type: ignore[operator]
    recipient = next(w for w in pdf.on(1) if w.text == "区委、区政府：")
    assert abs(recipient.cjk_size - 16) < 0.3  # type: ignore[operator]
    assert sizes.count(16.0) > 100 and sizes.count(10.5) > 20
    assert min(sizes) >= 10.4


def test_lagging_table_keeps_names_whole(printed: dict[str, Printed]) -> None:
    for name in ("07-31", "12-31"):
        report, pdf = printed[name].report, printed[name].pdf
        words = [w.text for w in pdf.words]
        for row in report.lagging():
            assert row.indicator.unit in words, (name, row.indicator.unit)
    # 12-31: 区水务集团 on one line of its cell (it printed as 区水务集/团)
    assert "区水务集" not in [w.text for w in printed["12-31"].pdf.words]


def test_signature_and_annex(printed: dict[str, Printed]) -> None:
    july = printed["07-31"].pdf
    text = july.text()
    assert "唐山市丰润区人民政府办公室" in text and text.rstrip("—0123456789").endswith("2024年7月31日")
    assert "附件1" not in text
    april = printed["04-30"]
    lagging = april.report.lagging()
    annex = next(w.page for w in april.pdf.words if w.text == "附件" and w.x0 < 100)
    # the annex starts on a page of its own, after the signature
    signed = max(w.page for w in april.pdf.words if w.text == "唐山市丰润区人民政府办公室")
    assert annex > signed
    ids = [w.text for w in april.pdf.words if w.page >= annex]
    assert all(f"{row.indicator.id}" in ids for row in lagging)


def test_metadata_is_not_word_for_mac(printed: dict[str, Printed]) -> None:
    assert PDFINFO is not None
    info = subprocess.run([PDFINFO, str(printed["07-31"].pdf.path)], capture_output=True, text=True).stdout
    assert "Macintosh" not in info
    assert "关于唐山市丰润区2024年民生实事进展情况的报告" in info

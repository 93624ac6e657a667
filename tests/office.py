"""Open outputs in the programs users use: LibreOffice headless for Excel/WPS and Word, poppler to read the PDF.

The office tests convert each file once per module (a module-scoped fixture
calls :func:`convert` with every file at once) and read back what a reader
would see: pages, the size of the printed text, the words and where they sit,
and the cells of the workbook LibreOffice saves again.

Without ``soffice`` or poppler the tests skip with the reason; in CI (``CI``
set; ``.ci/run`` installs both) a missing program fails instead.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import unicodedata
from html import unescape
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
INSTALL = "apt-get install -y libreoffice-calc libreoffice-writer poppler-utils fonts-noto-cjk"
CSV_UTF8 = "CSV:44,34,76,1,,0,false,true,false,false,false,-1,true"
"""LibreOffice's CSV import: comma, double quote, UTF-8, from line 1, default columns; quoted fields
not forced to text, special numbers detected, formulas evaluated — the strictest reading, as Excel does."""


def require_office() -> None:
    """Skip (locally) or fail (in CI) when LibreOffice or poppler is missing."""
    tools = (("soffice", SOFFICE), ("pdftotext", PDFTOTEXT), ("pdfinfo", PDFINFO))
    missing = [name for name, path in tools if not path]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed ({INSTALL})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}: CI must run the office tests")
    pytest.skip(message)


def convert(sources: list[Path], to: str, outdir: Path, profile: Path, infilter: str | None = None) -> list[Path]:
    """Convert ``sources`` with one ``soffice --headless`` run; ``profile`` is this caller's own user profile
    (``-env:UserInstallation``), so tests running in parallel never share or lock one."""
    assert SOFFICE is not None
    outdir.mkdir(parents=True, exist_ok=True)
    command = [SOFFICE, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", to, "--outdir", str(outdir), *map(str, sources)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    suffix = to.split(":")[0]
    out = [outdir / f"{source.stem}.{suffix}" for source in sources]
    missing = [path.name for path in out if not path.exists()]
    assert not missing, f"soffice did not write {missing}: {result.stdout} {result.stderr}"
    return out


@dataclasses.dataclass(frozen=True)
class Word:
    """One word of a PDF page as ``pdftotext -bbox`` places it (points, origin top left)."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cjk_size(self) -> float | None:
        """The printed font size of an all-汉字 word: each full-width character is one em wide
        (full-width punctuation such as ，may be set a little narrower, reading a little small)."""
        if len(self.text) < 2 or not all(unicodedata.east_asian_width(c) in "WF" for c in self.text):
            return None
        return (self.x1 - self.x0) / len(self.text)


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclasses.dataclass(frozen=True)
class Pdf:
    path: Path
    sizes: list[tuple[float, float]]
    words: list[Word]

    @property
    def pages(self) -> int:
        return len(self.sizes)

    def on(self, page: int) -> list[Word]:
        return [w for w in self.words if w.page == page]

    def text(self, page: int | None = None) -> str:
        """The page's (or document's) words joined without spaces, in reading order."""
        words = self.words if page is None else self.on(page)
        return "".join(w.text for w in words)


def read_pdf(path: Path) -> Pdf:
    assert PDFTOTEXT is not None and PDFINFO is not None
    out = subprocess.run([PDFTOTEXT, "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    sizes: list[tuple[float, float]] = []
    words: list[Word] = []
    for n, page in enumerate(_PAGE.finditer(out), start=1):
        sizes.append((float(page.group(1)), float(page.group(2))))
        for m in _WORD.finditer(page.group(3)):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            words.append(Word(n, unescape(m.group(5)), x0, y0, x1, y1))
    info = subprocess.run([PDFINFO, str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert pages == len(sizes), (pages, len(sizes))
    return Pdf(path, sizes, words)


def column_text(pdf: Pdf, page: int, x0: float) -> str:
    """The lines of one left-aligned column (words starting at ``x0``) of a page, top to bottom, joined."""
    words = sorted((w for w in pdf.on(page) if abs(w.x0 - x0) < 1.0), key=lambda w: w.y0)
    return "".join(w.text for w in words)


def squeeze(text: str) -> str:
    """Text without any whitespace, to compare with a PDF's words that wrap anywhere."""
    return re.sub(r"\s+", "", text)


A4 = (595.3, 841.9)


def is_a4(size: tuple[float, float], landscape: bool) -> bool:
    want = (A4[1], A4[0]) if landscape else A4
    return all(abs(a - b) < 1.5 for a, b in zip(size, want, strict=True))

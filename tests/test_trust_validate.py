"""Issue 10 (trust), the data side: validate refuses what would later be computed wrong or crash.

The on-disk cases (tests/cases/invalid/number-*, deadline-year-*, weight-*, …) hold where each
problem is reported; these tests hold what the other commands then do, and the rules that are
easier to state in code.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from minsheng.cli import _parse_values, app
from minsheng.schema import validate_ledger
from tests.conftest import SMALL

runner = CliRunner()
INVALID = Path(__file__).resolve().parent / "cases" / "invalid"


def copy_case(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(INVALID / name, target)
    (target / "expected.txt").unlink()
    return target


# --- item 4: plans that validated, then crashed every report -------------------------------------


@pytest.mark.parametrize(
    "case", ["number-too-large-target", "number-too-large-baseline", "number-too-large-weight", "deadline-year-final"]
)
@pytest.mark.parametrize("command", [["status"], ["export", "html", "-o", "out.html"]])
def test_a_plan_compute_cannot_handle_is_refused_not_crashed_on(
    case: str, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = copy_case(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*command, "--data", str(data), "--as-of", "2025-12-31"])
    # 1: invalid data, listed; before, an OverflowError (exit 3) from inside the computation
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    assert "数据有错误，未生成报告" in result.output


# --- one rule for numbers, in a file and on the command line -------------------------------------


def yaml_reading(text: str) -> object:
    """What a value written ``1.1: <text>`` in a progress file is read as (or the error code)."""
    ledger, errors = validate_ledger({"unit": "甲局", "reports": [{"date": "2025-03-31", "values": {"1.1": text}}]})
    if errors:
        return errors[0].code
    assert ledger is not None
    return ledger.reports[0].values["1.1"]


def cli_reading(text: str) -> object:
    try:
        return _parse_values([f"1.1={text}"])["1.1"]
    except typer.BadParameter:
        return "refused"


SPELLINGS = {
    # text: what both read it as; None = refused by both
    "12": 12,
    "-3": -3,
    "007": 7,
    "12.5": 12.5,
    "1e3": 1000.0,
    "2.5E-2": 0.025,
    "0": 0,
    "true": True,
    "FALSE": False,
    "٣": None,  # Arabic-Indic digit
    "1_000": None,
    "1,000": None,
    "+5": None,
    ".5": None,
    "5.": None,
    "0x10": None,
    "1e-400": None,  # would read as 0
    "1e400": None,
    "1" + "0" * 16: None,  # above 10^15
    "inf": None,
    "nan": None,
    "4.5%": None,
    "yes": None,
}


@pytest.mark.parametrize("text", list(SPELLINGS))
def test_a_number_is_read_the_same_in_a_file_and_on_the_command_line(text: str) -> None:
    want = SPELLINGS[text]
    got_yaml, got_cli = yaml_reading(text), cli_reading(text)
    if want is None:
        assert got_yaml in {"type", "out-of-range"}, got_yaml
        assert got_cli == "refused", got_cli
    else:
        assert got_yaml == want and type(got_yaml) is type(want)
        assert got_cli == want and type(got_cli) is type(want)


def test_full_width_digits_one_rule_each_place(small_copy: Path) -> None:
    """The one exception to "one spelling", and why (issue 12): what a Chinese input method types on the
    command line (１２, ７.１) is NFKC-normalised before the number rule, so it means 12; in a file the same
    text is refused with its location and the hint to write it with half-width digits."""
    assert yaml_reading("１２") == "type"
    assert cli_reading("１２") == 12
    result = runner.invoke(app, ["record", "--data", str(small_copy), "-u", "甲局", "-d", "2025-07-31", "1.1=６"])
    assert result.exit_code == 0, result.output
    assert "1.1: 6" in (small_copy / "progress" / "甲局.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("tag", ["!!int", "!!float", "!!bool", "!!null"])
def test_number_tags_are_refused_as_security_md_says(tag: str, small_copy: Path) -> None:
    path = small_copy / "progress" / "甲局.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("1.1: 2\n", f"1.1: {tag} 2\n"), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--data", str(small_copy)])
    assert result.exit_code == 1
    assert f"[tag] 不允许使用 YAML 标签 {tag}" in result.output


def test_small_copy_still_valid() -> None:
    assert runner.invoke(app, ["validate", "--data", str(SMALL)]).exit_code == 0


# --- items 5b and 11: characters that make a file read differently from how it looks ------------


@pytest.mark.parametrize("ch", ["\u202e", "\u2066", "\u200f", "\u061c"])
def test_record_refuses_a_bidi_control_in_a_text(ch: str, small_copy: Path) -> None:
    before = (small_copy / "progress" / "甲局.yaml").read_bytes()
    summary = f"累计完成{ch}0067\u202c件"
    result = runner.invoke(
        app, ["record", "--data", str(small_copy), "-u", "甲局", "-d", "2025-07-31", "1.1=7", "--summary", summary]
    )
    assert result.exit_code == 1, result.output
    assert "[control-character]" in result.output and f"U+{ord(ch):04X}" in result.output
    assert (small_copy / "progress" / "甲局.yaml").read_bytes() == before


def test_a_line_separator_given_to_record_is_written_escaped_and_reads_back(small_copy: Path) -> None:
    """Raw U+2028 in a file is refused; record writes it as the visible escape \\u2028, which reads back."""
    result = runner.invoke(
        app, ["record", "--data", str(small_copy), "-u", "甲局", "-d", "2025-07-31", "1.1=7", "--summary", "甲\u2028乙"]
    )
    assert result.exit_code == 0, result.output
    text = (small_copy / "progress" / "甲局.yaml").read_text(encoding="utf-8")
    assert "\u2028" not in text and '"甲\\u2028乙"' in text
    assert runner.invoke(app, ["validate", "--data", str(small_copy)]).exit_code == 0


# --- 5b: progress/ that cannot be read -----------------------------------------------------------


def _unreadable_progress(monkeypatch: pytest.MonkeyPatch, data: Path) -> None:
    """What mode 000 does for a user other than root (the tests may run as root)."""
    folder = data / "progress"
    real_iterdir = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)


def test_an_unreadable_progress_folder_is_a_located_problem(small_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _unreadable_progress(monkeypatch, small_copy)
    monkeypatch.setenv("MINSHENG_NO_CACHE", "1")
    result = runner.invoke(app, ["validate", "--data", str(small_copy)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    # The folder itself cannot be listed: every command says so the same way (layout.progress_paths),
    # as for a missing or dangling progress/ — a usage problem with the data directory, exit 2.
    assert result.exit_code == 2, result.output
    assert f"无法读取 {small_copy / 'progress'}：Permission denied" in result.output
    status = runner.invoke(app, ["status", "--data", str(small_copy), "--as-of", "2025-06-30"])
    assert status.exception is None or isinstance(status.exception, SystemExit), repr(status.exception)
    assert status.exit_code == 2 and "无法读取" in status.output


def test_an_unreadable_progress_folder_for_real(small_copy: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    folder = small_copy / "progress"
    folder.chmod(0)
    try:
        result = runner.invoke(app, ["validate", "--data", str(small_copy)])
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2 and "无法读取" in result.output, result.output


# --- Smaller: NFD names, a file ending inside a block scalar ------------------------------------


def test_a_decomposed_unit_name_is_the_same_unit(small_copy: Path) -> None:
    """The plan writes Café办 composed (NFC); the unit's file, saved on a Mac, is decomposed (NFD)."""
    import unicodedata

    composed, decomposed = "Caf\u00e9办", "Cafe\u0301办"
    assert unicodedata.normalize("NFC", decomposed) == composed
    plan = small_copy / "plan-2025.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("丙办", composed), encoding="utf-8")
    old = small_copy / "progress" / "丙办.yaml"
    (small_copy / "progress" / f"{decomposed}.yaml").write_text(
        old.read_text(encoding="utf-8").replace("丙办", decomposed), encoding="utf-8"
    )
    old.unlink()
    result = runner.invoke(app, ["validate", "--data", str(small_copy), "--format", "json"])
    assert result.exit_code == 0, result.output
    status = runner.invoke(app, ["status", "--data", str(small_copy), "--as-of", "2025-06-30", "--format", "json"])
    assert status.exit_code == 0, status.output
    units = {u["unit"]: u for u in json.loads(status.stdout)["units"]}
    # its 06-30 report is read as the plan's unit's, so it is not missing
    assert units[composed]["last_report"] == "2025-06-30"


def test_record_after_a_block_scalar_without_a_final_newline_says_add_a_newline(small_copy: Path) -> None:
    path = small_copy / "progress" / "丙办.yaml"
    text = path.read_text(encoding="utf-8").replace("summary: 补贴名单公示中。\n", "summary: |\n      补贴名单公示中。")
    path.write_text(text, encoding="utf-8")
    assert runner.invoke(app, ["validate", "--data", str(small_copy)]).exit_code == 0  # the file is valid
    result = runner.invoke(app, ["record", "--data", str(small_copy), "-u", "丙办", "-d", "2025-07-31", "2.10=true"])
    assert result.exit_code == 1
    assert "在文件末尾加一个换行" in result.output, result.output
    assert path.read_text(encoding="utf-8") == text
    # with the newline added, the same record goes through
    path.write_text(text + "\n", encoding="utf-8")
    again = runner.invoke(app, ["record", "--data", str(small_copy), "-u", "丙办", "-d", "2025-07-31", "2.10=true"])
    assert again.exit_code == 0, again.output


def test_a_strip_block_scalar_at_the_end_needs_no_newline(small_copy: Path) -> None:
    path = small_copy / "progress" / "丙办.yaml"
    block = "summary: |-\n      补贴名单公示中。"
    text = path.read_text(encoding="utf-8").replace("summary: 补贴名单公示中。\n", block)
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["record", "--data", str(small_copy), "-u", "丙办", "-d", "2025-07-31", "2.10=true"])
    assert result.exit_code == 0, result.output


def test_implausible_is_measured_against_the_range_and_not_below_zero() -> None:
    """baseline 5 → target 4.3: fine from 0.43 (4.3 ÷ 10) to 50 (5 × 10); a target of 0 puts no floor."""
    from minsheng.checks import _implausible
    from minsheng.load import LedgerFile, Source
    from minsheng.model import Indicator, Ledger

    lf = LedgerFile(Ledger(unit="乙中心"), Source("x.yaml", None))
    rate = Indicator(id="2.2", name="率", unit="乙中心", kind="level", direction="down", baseline=5.0, target=4.3)
    assert [v for v in (0.42, 0.43, 4.5, 50, 51) if _implausible(lf, (), rate, v)] == [0.42, 51]
    zero = Indicator(id="9.1", name="事故", unit="乙中心", direction="down", baseline=12, target=0)
    assert [v for v in (0, 1, 120, 121) if _implausible(lf, (), zero, v)] == [121]
    amount = Indicator(id="9.2", name="路", unit="乙中心", target=10)
    assert _implausible(lf, (), amount, 1000) is None  # amounts are watched by value-decrease instead

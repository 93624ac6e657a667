"""Issue 10, items 9-11: no output takes over a terminal or a page.

Every renderer draws user text through one sanitiser (:mod:`minsheng.render.fmt`). The
renderer tests build a report whose every name, id, unit and text is hostile without going
through the loader, so they hold whatever the loader comes to accept or refuse; the CLI tests
drive the commands on files with hostile names and contents.
"""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from minsheng.compute import StatusReport, build_status
from minsheng.dataset import build_dataset
from minsheng.project import open_project
from minsheng.render import fmt

AS_OF = "2025-06-30"
# OSC 52 (write the clipboard), OSC 0 (window title), clear screen, and an 8-bit CSI.
TERMINAL = "\x1b]52;c;ZXZpbA==\x07\x1b]0;pwned\x07\x1b[2J\x9b31m"
BIDI_CONTROLS = "\u202e\u202c\u2066\u2067\u2068\u2069\u200f\u200e\u061c\u202a\u202b\u202d"
BIDI = "\u202e0067\u202c" + BIDI_CONTROLS
FORBIDDEN = ["\x1b", "\x07", "\x9b", *BIDI_CONTROLS]


def _raw(text: str) -> list[str]:
    return [f"U+{ord(ch):04X}" for ch in FORBIDDEN if ch in text]


def _rewrite(value: Any, names: dict[str, str]) -> Any:
    """Every string (and dict key) equal to a key of ``names`` replaced, deep in the model."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, tuple):
        return tuple(_rewrite(v, names) for v in value)
    if isinstance(value, dict):
        return {names.get(k, k): _rewrite(v, names) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: _rewrite(getattr(value, f.name), names) for f in dataclasses.fields(value)}
        )
    return value


def hostile_report(data: Path, evil: str) -> tuple[StatusReport, str]:
    """The small plan's report with ``evil`` in unit 甲局's name, indicator 1.1's id and every
    text around them. Returns the report and the hostile unit name."""
    project = open_project(data)
    (_, plan), ledgers = project.plans[0], project.ledgers
    unit = f"甲{evil}局"
    names = {
        "甲局": unit,
        "1.1": f"1.1{evil}",
        "1": f"1{evil}",
        "修路": f"修路{evil}",
        "道路工程": f"道路工程{evil}",
        "公里": f"公里{evil}",
        "过半。": f"过半{evil}。",
        "雨季影响": f"雨季影响{evil}",
        "抢工期。": f"抢工期{evil}。",
        plan.title: plan.title + evil,
    }
    plan = _rewrite(plan, names)
    ledgers = [_rewrite(ledger, names) for ledger in ledgers]
    import datetime as dt

    report = build_status(build_dataset(plan, ledgers), dt.date.fromisoformat(AS_OF))
    assert any(evil in i.indicator.name for i in report.indicators())
    return report, unit


def _xml_text(blob: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def _every_output(report: StatusReport, unit: str) -> dict[str, str]:
    from rich.console import Console

    from minsheng.render.chart import trend_view
    from minsheng.render.delimited import to_csv
    from minsheng.render.docx import status_docx
    from minsheng.render.html import status_html
    from minsheng.render.markdown import status_markdown, task_markdown, unit_markdown
    from minsheng.render.rows import ledger_rows, task_rows
    from minsheng.render.table import status_view, task_view, unit_view
    from minsheng.render.view import status_dict
    from minsheng.render.xlsx import ledger_xlsx

    def terminal(renderable: Any) -> str:
        console = Console(file=io.StringIO(), width=200, color_system=None, highlight=False)
        console.print(renderable)
        return console.file.getvalue()  # type: ignore[attr-defined]

    task = report.tasks[0]
    return {
        "status table": terminal(status_view(report)),
        "unit table": terminal(unit_view(report, unit)),
        "task table": terminal(task_view(report, task)),
        "trend": terminal(trend_view(report, task.task.id)) + terminal(trend_view(report)),
        "html": status_html(report),
        "docx": _xml_text(status_docx(report)),
        "xlsx": _xml_text(ledger_xlsx(report)),
        "markdown": status_markdown(report) + unit_markdown(report, unit) + task_markdown(report, task),
        "csv": to_csv(task_rows(report)) + to_csv(ledger_rows(report)),
        "json": fmt.json_safe(json.dumps(status_dict(report), ensure_ascii=False)),
    }


# --- item 11: bidi controls, in every renderer --------------------------------------------


def test_no_renderer_passes_bidi_controls_or_escapes(small_copy: Path) -> None:
    report, unit = hostile_report(small_copy, "累计完成" + BIDI + TERMINAL)
    found = {name: _raw(text) for name, text in _every_output(report, unit).items()}
    assert {name: raw for name, raw in found.items() if raw} == {}


def test_json_keeps_the_value_but_shows_no_raw_control(small_copy: Path) -> None:
    from minsheng.render.view import status_dict

    report, _ = hostile_report(small_copy, BIDI + "\u2028\x85")
    text = fmt.json_safe(json.dumps(status_dict(report), ensure_ascii=False))
    assert not _raw(text) and "\u2028" not in text and "\x85" not in text
    assert json.loads(text) == json.loads(json.dumps(status_dict(report)))


def test_clean_removes_bidi_and_line_separators() -> None:
    assert fmt.clean("累计完成\u202e0067\u202c件") == "累计完成0067件"
    assert fmt.clean("a\u2028b\u2029c") == "a b c"
    assert fmt.clean_lines("a\u2028b\u2066c\u2069") == "a\nbc"


def test_status_on_data_with_bidi_controls_shows_none(small_copy: Path, tmp_path: Path) -> None:
    """Through the CLI: whether the loader refuses such text or lets it through, nothing raw is shown."""
    path = small_copy / "progress" / "甲局.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("过半。", "累计完成\u202e0067\u202c件"), encoding="utf-8")
    runner = CliRunner()
    for args in (
        ["status"],
        ["status", "--format", "markdown"],
        ["status", "--format", "json"],
        ["report", "--unit", "甲局"],
        ["validate"],
    ):
        result = runner.invoke(
            app, [*args, "--data", str(small_copy), *([] if args == ["validate"] else ["--as-of", AS_OF])]
        )
        assert not _raw(result.stdout) and not _raw(result.stderr), args
    for kind in ("html", "docx"):
        out = tmp_path / f"out.{kind}"
        result = runner.invoke(app, ["export", kind, "-o", str(out), "--data", str(small_copy), "--as-of", AS_OF])
        if result.exit_code == 0:
            text = out.read_text(encoding="utf-8") if kind == "html" else _xml_text(out.read_bytes())
            assert not _raw(text), kind


# --- item 9: terminal escapes in file names and names echoed -----------------------------


@pytest.fixture
def hostile_file(small_copy: Path) -> Path:
    """A progress file whose name carries OSC 52, OSC 0 and clear-screen sequences."""
    evil = small_copy / "progress" / f"{TERMINAL}甲局{BIDI}.yaml"
    (small_copy / "progress" / "甲局.yaml").rename(evil)
    return small_copy


@pytest.mark.parametrize("output_format", ["text", "github", "json"])
def test_validate_cleans_file_names(hostile_file: Path, output_format: str) -> None:
    result = CliRunner().invoke(app, ["validate", "--data", str(hostile_file), "--format", output_format])
    assert result.exit_code == 1
    assert "甲局" in result.stdout  # the file is still named
    assert not _raw(result.stdout), result.stdout
    if output_format == "github":
        assert all(not _raw(line) for line in result.stdout.splitlines() if "file=" in line)


def test_status_stderr_cleans_file_names(hostile_file: Path) -> None:
    result = CliRunner().invoke(app, ["status", "--data", str(hostile_file), "--as-of", AS_OF])
    assert result.exit_code == 1 and "甲局" in result.stderr
    assert not _raw(result.stderr) and not _raw(result.stdout)


@pytest.mark.parametrize("plan", [f"{TERMINAL}.yaml", f"2099{TERMINAL}{BIDI}", f"x/{TERMINAL}/plan.yml"])
def test_the_plan_option_error_is_clean(small_copy: Path, plan: str) -> None:
    result = CliRunner().invoke(app, ["status", "--data", str(small_copy), "--as-of", AS_OF, "--plan", plan])
    assert result.exit_code == 2
    assert "计划" in result.stderr and not _raw(result.stderr)


def test_a_data_directory_with_escapes_in_its_name_is_named_cleanly(small_copy: Path) -> None:
    where = small_copy.parent / f"d{TERMINAL}"
    result = CliRunner().invoke(app, ["status", "--data", str(where), "--as-of", AS_OF])
    assert result.exit_code == 2 and not _raw(result.stderr)


def test_record_echoes_the_plan_names_cleanly(small_copy: Path) -> None:
    """YAML's double-quoted escapes (\\e, \\a) put raw escape sequences into a plan's names."""
    plan = small_copy / "plan-2025.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("name: 修路", 'name: "\\e]0;pwned\\a\\e[2J\\e]52;c;ZXZpbA==\\a修路\\u202e"')
    text = text.replace("measure: 公里", 'measure: "\\e[31m公里"')
    plan.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["record", "--data", str(small_copy), "-u", "甲局", "-d", "2025-09-30", "1.1=7"])
    assert not _raw(result.stdout) and not _raw(result.stderr), result.output
    if result.exit_code == 0:  # unless the loader comes to refuse such names
        assert "修路" in result.stdout


def test_record_refusal_cleans_what_it_echoes(small_copy: Path) -> None:
    result = CliRunner().invoke(
        app, ["record", "--data", str(small_copy), "-u", f"甲{TERMINAL}局", "-d", "2025-09-30", f"1.9{TERMINAL}=7"]
    )
    assert result.exit_code != 0
    assert not _raw(result.stdout) and not _raw(result.stderr), result.output

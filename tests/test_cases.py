"""The corpus of bad inputs in tests/cases/invalid/, run through `minsheng validate`.

Each case directory is a complete data directory (the small valid plan and
progress files with one thing broken) plus ``expected.txt``: one problem a line,
``relative/path:LINE:COL [code]`` or ``relative/path:LINE [code]``. Every listed
problem must be reported at exactly that place, in JSON and in text, and no other
*error* code may appear. A case whose ``xfail.txt`` exists documents a known tool
bug (the file says which); it is expected to fail until the bug is fixed.

The separate tests below build their inputs in ``tmp_path``.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from tests.conftest import SMALL

runner = CliRunner()

INVALID = Path(__file__).resolve().parent / "cases" / "invalid"
CASES = sorted(p for p in INVALID.iterdir() if p.is_dir())

# Codes that are warnings: a case listing only these exits 0, and 1 with --strict.
WARNING_CODES = frozenset(
    {
        "value-decrease",
        "date-order",
        "empty-report",
        "idle-unit",
        "missing-measure",
        "baseline-unknown",
        "unused-category",
        "investment-over",
        "area-split-over",
    }
)

_TEXT_LINE = re.compile(r"^.+:\d+:\d+: \[(?P<code>[a-z][a-z0-9-]*)\] (?P<warning>警告：)?")
_EXPECTED = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+)(?::(?P<col>\d+))? \[(?P<code>[a-z][a-z0-9-]*)\]$")


@dataclass(frozen=True)
class Expected:
    path: str
    line: int
    col: int | None
    code: str

    def __str__(self) -> str:
        col = "" if self.col is None else f":{self.col}"
        return f"{self.path}:{self.line}{col} [{self.code}]"


def read_expected(case_dir: Path) -> list[Expected]:
    out = []
    for raw in (case_dir / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        m = _EXPECTED.match(raw.strip())
        assert m, f"{case_dir.name}/expected.txt: bad line {raw!r}"
        col = m["col"]
        out.append(Expected(m["path"], int(m["line"]), int(col) if col else None, m["code"]))
    assert out, f"{case_dir.name}/expected.txt lists no problem"
    return out


def case_params() -> list[object]:
    params = []
    for case_dir in CASES:
        marks = []
        xfail = case_dir / "xfail.txt"
        if xfail.exists():
            marks.append(pytest.mark.xfail(strict=True, reason=xfail.read_text(encoding="utf-8").strip()))
        params.append(pytest.param(case_dir, id=case_dir.name, marks=marks))
    return params


def validate(data: Path, *args: str):
    result = runner.invoke(app, ["validate", "--data", str(data), *args])
    assert "Traceback" not in result.output, result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def validate_json(data: Path, *args: str) -> tuple[int, dict]:
    result = validate(data, "--format", "json", *args)
    try:
        payload = json.loads(result.stdout)
    except json.JSONDecodeError as exc:  # pragma: no cover - the assertion message is the point
        raise AssertionError(f"output is not JSON: {exc}\n{result.output}") from None
    return result.exit_code, payload


def relative(case_dir: Path, file: str) -> str:
    path = Path(file)
    try:
        return path.relative_to(case_dir).as_posix()
    except ValueError:
        return path.as_posix()


def matches(case_dir: Path, problem: dict, want: Expected) -> bool:
    return (
        relative(case_dir, problem["file"]) == want.path
        and problem["line"] == want.line
        and (want.col is None or problem["col"] == want.col)
        and problem["code"] == want.code
    )


def shown(case_dir: Path, problems: list[dict]) -> str:
    return "\n".join(
        f"  {relative(case_dir, p['file'])}:{p['line']}:{p['col']} [{p['code']}] {p['severity']}: {p['message']}"
        for p in problems
    )


# --- the corpus ------------------------------------------------------------------


def test_corpus_is_there() -> None:
    assert len(CASES) >= 30
    for case_dir in CASES:
        assert (case_dir / "expected.txt").is_file(), case_dir.name
        assert any(case_dir.glob("plan*.yaml")), case_dir.name


@pytest.mark.parametrize("case_dir", case_params())
def test_case_json(case_dir: Path) -> None:
    expected = read_expected(case_dir)
    exit_code, payload = validate_json(case_dir)
    problems = payload["problems"]
    assert {"files", "errors", "warnings", "problems"} <= payload.keys()
    assert payload["errors"] == sum(p["severity"] == "error" for p in problems)
    assert payload["warnings"] == sum(p["severity"] == "warning" for p in problems)

    for want in expected:
        found = [p for p in problems if matches(case_dir, p, want)]
        assert found, f"expected {want}, got:\n{shown(case_dir, problems)}"
        severity = "warning" if want.code in WARNING_CODES else "error"
        assert all(p["severity"] == severity for p in found), f"{want} should be a {severity}"

    listed = {want.code for want in expected}
    unexpected = [p for p in problems if p["severity"] == "error" and p["code"] not in listed]
    assert not unexpected, f"unexpected errors:\n{shown(case_dir, unexpected)}"

    if listed <= WARNING_CODES:
        assert exit_code == 0, f"warnings only, exit code {exit_code}"
        strict_code, _ = validate_json(case_dir, "--strict")
        assert strict_code == 1
    else:
        assert exit_code == 1


@pytest.mark.parametrize("case_dir", case_params())
def test_case_text(case_dir: Path) -> None:
    expected = read_expected(case_dir)
    result = validate(case_dir)
    assert result.exit_code == (0 if {w.code for w in expected} <= WARNING_CODES else 1)
    lines = result.stdout.splitlines()
    for want in expected:
        col = r"\d+" if want.col is None else str(want.col)
        pattern = re.compile(re.escape(f"{case_dir / want.path}:{want.line}:") + col + re.escape(f": [{want.code}] "))
        assert any(pattern.match(line) for line in lines), f"no text line for {want}:\n{result.stdout}"
    listed = {want.code for want in expected}
    errors = {m["code"] for line in lines if (m := _TEXT_LINE.match(line)) and not m["warning"]}
    assert errors <= listed, f"unexpected errors {errors - listed}:\n{result.stdout}"
    assert lines[-1].startswith("检查了 ")


# What some cases must say, beyond code and place.
MESSAGES = [
    ("unknown-key-summary", "unknown-key", "hint", "summary"),
    ("unknown-key-plan", "unknown-key", "hint", "measure"),
    ("encoding-gbk", "encoding", "message", "GBK"),
    ("encoding-utf16", "encoding", "message", "UTF-16"),
    ("tag-python-os-system", "tag", "message", "python/object/apply:os.system"),
    ("unknown-indicator", "unknown-indicator", "message", "1.3"),
    ("unknown-indicator-2.10-vs-2.1", "unknown-indicator", "message", "2.01"),
    ("unknown-unit-progress", "unknown-unit", "message", "丁局"),
    ("file-unit-mismatch", "file-unit-mismatch", "hint", "乙中心.yaml"),
    ("wrong-unit", "wrong-unit", "hint", "乙中心"),
    ("milestone-value", "milestone-value", "message", "true"),
    ("duplicate-key-values", "duplicate-key", "message", "1.1"),
    ("supervision-reply-written-before-action", "unknown-action", "hint", "写在这一条之后"),
    ("supervision-close-never-opened", "unknown-action", "hint", "DB2025-001"),
    ("supervision-unknown-kind", "unknown-kind", "hint", "挂牌督办"),
    ("supervision-verified-decrease", "verified-decrease", "hint", "更正"),
]


@pytest.mark.parametrize(("case", "code", "field", "text"), MESSAGES, ids=[m[0] for m in MESSAGES])
def test_case_message(case: str, code: str, field: str, text: str) -> None:
    _, payload = validate_json(INVALID / case)
    said = [p[field] for p in payload["problems"] if p["code"] == code]
    assert said and all(text in s for s in said), said


# --- separate tests, built in tmp_path ------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SMALL, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_small_is_valid(data: Path) -> None:
    exit_code, payload = validate_json(data)
    assert exit_code == 0 and payload["problems"] == []


def test_utf8_bom_is_valid(data: Path) -> None:
    for path in [data / "plan-2025.yaml", *sorted((data / "progress").glob("*.yaml"))]:
        path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    exit_code, payload = validate_json(data)
    assert exit_code == 0, payload
    assert payload["problems"] == []


def test_utf8_bom_does_not_shift_positions(data: Path) -> None:
    path = data / "progress" / "甲局.yaml"
    edit(path, "      1.1: 2\n", "      1.1: -2\n")
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    exit_code, payload = validate_json(data)
    assert exit_code == 1
    assert [(p["line"], p["col"], p["code"]) for p in payload["problems"]] == [(5, 12, "negative-value")]


def test_ids_read_as_written(data: Path) -> None:
    """2.10 and 2.1 are different indicators; neither is read as a number."""
    bing = data / "progress" / "丙办.yaml"
    edit(bing, "2.10: false", "2.10: true")
    exit_code, payload = validate_json(data)
    assert exit_code == 0, payload
    assert payload["problems"] == []

    from minsheng.load import load_dir

    loaded = load_dir(data)
    values = {lf.ledger.unit: lf.ledger.reports[-1].values for lf in loaded.ledgers}
    assert values["丙办"] == {"2.10": True}
    assert set(values["乙中心"]) == {"2.1", "2.2"}


def test_id_2_1_is_not_2_10(data: Path) -> None:
    """乙中心 writing 2.10 (丙办's) is the wrong unit, not a number 2.1."""
    yi = data / "progress" / "乙中心.yaml"
    edit(yi, "      2.1: 150\n", "      2.10: 150\n")
    exit_code, payload = validate_json(data)
    assert exit_code == 1
    (problem,) = payload["problems"]
    assert (problem["line"], problem["col"], problem["code"]) == (10, 7, "wrong-unit")
    assert "2.10" in problem["message"] and "丙办" in problem["message"]


def test_one_and_zero_are_numbers(data: Path) -> None:
    """An amount of 1 or 0 is a number, not true/false (regression: bool was tried first)."""
    jia = data / "progress" / "甲局.yaml"
    edit(jia, "      1.1: 2\n", "      1.1: 0\n")
    edit(jia, "      1.1: 5.5\n", "      1.1: 1\n")
    exit_code, payload = validate_json(data)
    assert exit_code == 0, payload
    assert payload["problems"] == []


def test_progress_file_named_by_alias_is_valid(data: Path) -> None:
    (data / "progress" / "甲局.yaml").rename(data / "progress" / "甲.yaml")
    exit_code, payload = validate_json(data)
    assert exit_code == 0, payload


PAYLOADS = [
    "!!python/object/apply:os.system ['echo hacked > {target}']",
    "!!python/object/apply:subprocess.check_call [['touch', '{target}']]",
    "!!python/object/new:os.system ['echo hacked > {target}']",
    "!!python/name:os.system",
    "!!python/object:builtins.dict {{a: 1}}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_python_tags_are_not_executed(data: Path, tmp_path: Path, payload: str) -> None:
    target = tmp_path / "pwned"
    jia = data / "progress" / "甲局.yaml"
    edit(jia, "    summary: 开工。\n", f"    summary: {payload.format(target=target)}\n")
    exit_code, result = validate_json(data)
    assert not target.exists(), "the tag was constructed"
    assert exit_code == 1
    assert [(p["line"], p["col"], p["code"]) for p in result["problems"]] == [(7, 14, "tag")]


def test_corpus_os_system_case_does_not_run() -> None:
    pwned = Path("/tmp/pwned")
    before = pwned.stat().st_mtime_ns if pwned.exists() else None
    exit_code, _ = validate_json(INVALID / "tag-python-os-system")
    assert exit_code == 1
    after = pwned.stat().st_mtime_ns if pwned.exists() else None
    assert after == before, "/tmp/pwned was written"


def billion_laughs(levels: int = 9, width: int = 9) -> list[str]:
    names = [chr(ord("a") + i) for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(['"lol"'] * width) + "]"]
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * width) + "]")
    return lines


@pytest.mark.parametrize("where", ["progress", "plan"])
def test_alias_bomb_finishes(data: Path, where: str) -> None:
    if where == "progress":
        path = data / "progress" / "甲局.yaml"
        path.write_text("\n".join(["unit: 甲局", *billion_laughs(), "reports: []"]) + "\n", encoding="utf-8")
    else:
        path = data / "plan-2025.yaml"
        path.write_text(
            path.read_text(encoding="utf-8") + "\n".join(["x:", *("  " + s for s in billion_laughs())]) + "\n",
            encoding="utf-8",
        )
    exit_code, payload = validate_json(data)
    assert exit_code == 1
    codes = {p["code"] for p in payload["problems"] if p["file"] == str(path)}
    assert codes == {"alias"}


# --- once tool bugs, kept as regression tests ---------------------------------------


@pytest.mark.parametrize("case", ["target-text", "value-text"])
def test_one_mistake_one_problem(case: str) -> None:
    _, payload = validate_json(INVALID / case)
    places = [(p["file"], p["line"], p["col"], p["code"]) for p in payload["problems"]]
    assert len(places) == len(set(places)) == 1, shown(INVALID / case, payload["problems"])


def test_tab_inside_block_text_is_allowed(data: Path) -> None:
    jia = data / "progress" / "甲局.yaml"
    edit(jia, "    summary: 开工。\n", "    summary: |\n      开工。\n      \t（一）路基\n")
    exit_code, payload = validate_json(data)
    assert exit_code == 0, payload


def test_key_with_spaces_located(data: Path) -> None:
    jia = data / "progress" / "甲局.yaml"
    edit(jia, "      1.2: 34\n", '      " 2.1": 34\n')
    _, payload = validate_json(data)
    # ids are read as written: " 2.1" is not 2.1, and the problem points at the key itself
    assert [(p["line"], p["col"], p["code"]) for p in payload["problems"]] == [(6, 7, "unknown-indicator")]


def test_key_with_trailing_space_is_not_merged(data: Path) -> None:
    jia = data / "progress" / "甲局.yaml"
    edit(jia, "      1.2: 34\n", '      "1.1 ": 34\n')
    exit_code, payload = validate_json(data)
    assert exit_code == 1
    # "1.1 " is not silently folded into 1.1 (which would drop a value)
    assert ("unknown-indicator", 6) in {(p["code"], p["line"]) for p in payload["problems"]}

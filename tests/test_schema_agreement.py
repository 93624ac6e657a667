"""The editor's JSON Schema and `minsheng validate` agree, file by file (issue 11).

Each case is one small plan or progress file. check-jsonschema (what an editor
or a pre-commit hook runs with `minsheng schema`) and validate must give the
same verdict on it, counting only what a schema can say about one file: a
problem that needs another file or compares fields (an unknown unit, a value
that went down, a milestone given a number) is not a schema matter, and the
README lists those codes under “编辑器里的 JSON Schema”.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from minsheng.project import open_project
from tests.conftest import ROOT

PLAN = """\
title: 测试区2025年民生实事
region: 测试区
year: 2025
deadlines:
  basic: {date: 2025-10-31, label: 基本完成}
  final: {date: 2025-12-31, label: 全面完成}
reporting: {cadence: monthly, due_days: 5}
units:
  - name: 甲局
tasks:
  - id: "1"
    name: 修路
    description: 修路10公里。
    units: [甲局]
    indicators:
      - id: "1.1"
        name: 修路
        target: 10
        measure: 公里
        unit: 甲局
"""

PROGRESS = """\
unit: 甲局
reports:
  - date: 2025-03-31
    values:
      1.1: 4
    summary: 完成4公里。
"""


def _plan(old: str, new: str) -> str:
    assert old in PLAN, old
    return PLAN.replace(old, new, 1)


def _progress(old: str, new: str) -> str:
    assert old in PROGRESS, old
    return PROGRESS.replace(old, new, 1)


# name -> (file kind, text)
CASES: dict[str, tuple[str, str]] = {
    "plan-valid": ("plan", PLAN),
    "plan-id-unquoted": ("plan", _plan('id: "1.1"', "id: 1.1")),
    "plan-id-2.10-unquoted": ("plan", _plan('id: "1.1"', "id: 1.10")),
    "plan-target-quoted": ("plan", _plan("target: 10", 'target: "10"')),
    "plan-target-float": ("plan", _plan("target: 10", "target: 10.5")),
    "plan-target-exponent": ("plan", _plan("target: 10", "target: 1e3")),
    "plan-target-negative": ("plan", _plan("target: 10", "target: -1")),
    "plan-target-quoted-negative": ("plan", _plan("target: 10", 'target: "-1"')),
    "plan-target-text": ("plan", _plan("target: 10", "target: 十")),
    "plan-weight-zero": ("plan", _plan("target: 10", "target: 10\n        weight: 0")),
    "plan-floor-no": ("plan", _plan("target: 10", "target: 10\n        floor: no")),
    "plan-floor-yes-caps": ("plan", _plan("target: 10", "target: 10\n        floor: YES")),
    "plan-floor-word": ("plan", _plan("target: 10", "target: 10\n        floor: 是")),
    "plan-due-days-quoted": ("plan", _plan("due_days: 5", 'due_days: "5"')),
    "plan-due-days-big": ("plan", _plan("due_days: 5", "due_days: 61")),
    "plan-due-days-fraction": ("plan", _plan("due_days: 5", "due_days: 2.5")),
    "plan-year-early": ("plan", _plan("year: 2025", "year: 1999")),
    "plan-year-quoted": ("plan", _plan("year: 2025", 'year: "2025"')),
    "plan-measure-number": ("plan", _plan("measure: 公里", "measure: 100")),
    "plan-name-yes": ("plan", _plan("name: 修路\n    description", "name: yes\n    description")),
    "plan-missing-title": ("plan", _plan("title: 测试区2025年民生实事\n", "")),
    "plan-unknown-key-task": ("plan", _plan("units: [甲局]\n", "units: [甲局]\n    category: 一\n")),
    "plan-kind-unknown": ("plan", _plan("target: 10", "target: 10\n        kind: quantity")),
    "plan-empty-units": ("plan", _plan("units: [甲局]\n", "units: []\n")),
    "plan-empty-description": ("plan", _plan("description: 修路10公里。", 'description: ""')),
    "plan-date-slashes": ("plan", _plan("2025-10-31", "2025/10/31")),
    "plan-date-month-13": ("plan", _plan("2025-10-31", "2025-13-01")),
    "plan-threshold-over-one": ("plan", _plan("reporting:", "thresholds: {yellow: 1.5}\nreporting:")),
    "plan-cadence-weekly": ("plan", _plan("cadence: monthly", "cadence: weekly")),
    "plan-tab-after-colon": ("plan", _plan("region: 测试区", "region:\t测试区")),
    "plan-unknown-unit": ("plan", _plan("units: [甲局]", "units: [乙局]")),
    "progress-valid": ("progress", PROGRESS),
    "progress-value-quoted": ("progress", _progress("1.1: 4", '1.1: "4"')),
    "progress-value-text": ("progress", _progress("1.1: 4", "1.1: 四公里")),
    "progress-value-bool": ("progress", _progress("1.1: 4", "1.1: true")),
    "progress-example-yes": ("progress", _progress("unit: 甲局", "unit: 甲局\nexample: yes")),
    "progress-summary-number": ("progress", _progress("summary: 完成4公里。", "summary: 4")),
    "progress-unknown-key": ("progress", _progress("summary:", "remark: x\n    summary:")),
    "progress-missing-date": ("progress", _progress("  - date: 2025-03-31\n    values:", "  - values:")),
    "progress-date-with-time": ("progress", _progress("2025-03-31", "2025-03-31 10:00")),
    "progress-reports-not-list": ("progress", "unit: 甲局\nreports: 无\n"),
    "progress-unknown-indicator": ("progress", _progress("1.1: 4", "9.9: 4")),
}

# What a schema of one file can say: the parser's refusals and the structure (schema.py's codes).
# Every other code is a rule across files or between fields (README, “编辑器里的 JSON Schema”).
SCHEMA_CODES = {
    "encoding",
    "too-large",
    "unreadable",
    "empty-file",
    "yaml-syntax",
    "tab",
    "control-character",
    "too-deep",
    "duplicate-key",
    "tag",
    "alias",
    "merge-key",
    "bad-key",
    "unknown-key",
    "missing-key",
    "type",
    "date",
    "out-of-range",
    "empty",
    "enum",
    "schema",
}


def _check_jsonschema() -> str | None:
    return shutil.which("check-jsonschema")


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bool, bool, list[str]]]:
    tool = _check_jsonschema()
    if tool is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]' installs it)")
    base = tmp_path_factory.mktemp("agreement")
    files: dict[str, dict[str, Path]] = {"plan": {}, "progress": {}}
    for name, (kind, text) in CASES.items():
        case = base / name
        (case / "progress").mkdir(parents=True)
        plan_text = text if kind == "plan" else PLAN
        (case / "plan-2025.yaml").write_text(plan_text, encoding="utf-8")
        if kind == "progress":
            (case / "progress" / "甲局.yaml").write_text(text, encoding="utf-8")
            files["progress"][name] = case / "progress" / "甲局.yaml"
        else:
            files["plan"][name] = case / "plan-2025.yaml"
    refused: dict[str, bool] = {}
    for kind, chosen in files.items():
        schema = ROOT / "schema" / f"{kind}.schema.json"
        done = subprocess.run(
            [tool, "--schemafile", str(schema), "-o", "json", *map(str, chosen.values())],
            capture_output=True,
            text=True,
            timeout=120,
        )
        report = json.loads(done.stdout)
        bad = {e["filename"] for e in report["errors"]} | {e["filename"] for e in report["parse_errors"]}
        for name, path in chosen.items():
            refused[name] = str(path) in bad
    result = {}
    for name, (kind, _text) in CASES.items():
        project = open_project(base / name)
        target = "plan-2025.yaml" if kind == "plan" else "甲局.yaml"
        codes = [
            p.code
            for p in project.problems
            if p.severity == "error" and Path(p.file).name == target and p.code in SCHEMA_CODES
        ]
        result[name] = (refused[name], bool(codes), codes)
    return result


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_schema_and_validate_agree(verdicts: dict[str, tuple[bool, bool, list[str]]], name: str) -> None:
    schema_refuses, validate_refuses, codes = verdicts[name]
    assert schema_refuses == validate_refuses, (
        f"{name}: check-jsonschema {'refuses' if schema_refuses else 'accepts'}, "
        f"validate {'refuses ' + str(codes) if validate_refuses else 'accepts'}"
    )


def test_readme_lists_every_rule_the_schema_cannot_state() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", readme, flags=re.M))
    section = readme.split("### 编辑器里的 JSON Schema", 1)[1].split("\n### ", 1)[0]
    listed = set(re.findall(r"`([a-z0-9-]+)`", section))
    problem_codes = documented - {"summary", "counts"}
    assert problem_codes - SCHEMA_CODES <= listed, (problem_codes - SCHEMA_CODES) - listed


def test_schema_uses_json_schema_keywords_not_pydantic_ones() -> None:
    text = (ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8")
    for word in ('"ge"', '"gt"', '"le"', '"lt"'):
        assert word not in text
    assert '"exclusiveMinimum": 0' in text  # weight > 0


def test_shipped_data_follows_the_shipped_yamllint_settings() -> None:
    tool = shutil.which("yamllint")
    if tool is None:
        pytest.skip("yamllint is not installed (pip install -e '.[test]' installs it)")
    folders = [ROOT / "data", *sorted(p for p in (ROOT / "examples").glob("*") if p.is_dir())]
    done = subprocess.run(
        [tool, "-s", "-c", str(ROOT / ".yamllint"), *map(str, folders)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr

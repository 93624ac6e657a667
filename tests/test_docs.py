"""The docs and generated files stay true to the code."""

from __future__ import annotations

import re

from minsheng.jsonschema import schema_text, schemas
from minsheng.load import load_dir
from minsheng.project import open_project
from tests.conftest import DATA

ROOT = DATA.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SOURCES = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "minsheng").rglob("*.py"))


def readme_codes() -> set[str]:
    return set(re.findall(r"^\| `([a-z-]+)` \|", README, flags=re.M))


def test_every_documented_code_exists_in_the_code() -> None:
    codes = readme_codes()
    assert len(codes) > 40
    for code in codes:
        assert f'"{code}"' in SOURCES, f"README documents [{code}] but no code emits it"


def test_every_code_the_corpus_produces_is_documented() -> None:
    produced: set[str] = set()
    for case in sorted((ROOT / "tests" / "cases").glob("*/*")):
        if any(case.glob("plan*.yaml")):
            produced |= {p.code for p in open_project(case).problems}
    assert produced, "the corpus produced no problems at all"
    assert produced <= readme_codes(), produced - readme_codes()


def test_shipped_json_schemas_are_current() -> None:
    for name, value in schemas().items():
        path = ROOT / "schema" / f"{name}.schema.json"
        assert path.read_text(encoding="utf-8") == schema_text(value), f"run: minsheng schema --write schema ({name})"


def test_shipped_files_reference_the_schema_and_say_example() -> None:
    plan = (DATA / "plan-2024.yaml").read_text(encoding="utf-8")
    assert plan.startswith("# yaml-language-server: $schema=../schema/plan.schema.json")
    for path in sorted((DATA / "progress").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../schema/progress.schema.json"), path
        assert "示例数据" in text and "example: true" in text, path
    assert "示例数据" in README
    assert all(lf.ledger.example for lf in load_dir(DATA).ledgers)


def test_readme_quick_start_commands() -> None:
    blocks = re.findall(r"```bash\n(.+?)\n```", README, flags=re.S)
    assert "pip install -e '.[test]'" in blocks[0] and "minsheng status" in blocks[0]
    assert blocks[1].endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet -e '.[test]'" in ci and "python -m pytest" in ci and "minsheng validate" in ci

"""Whatever a project's text holds, the draft is YAML that reads back as written and validates.

Runs under the profile tests/test_fuzz.py loads ("ci": fixed seed, bounded examples).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

import tests.test_fuzz  # noqa: F401  (registers and loads the hypothesis profile)
from minsheng.draft import draft_file
from minsheng.project import open_project

# the characters that matter to the rules and to YAML, and some plain ones
ALPHABET = "新建改造道路公园所个人万以上达到等、，。；：:#-'\"[]{}&*!|>%@`（）()0123456789 区住建局"
PIECE = st.text(alphabet=ALPHABET, min_size=1, max_size=40).filter(lambda s: s.strip())


@given(st.lists(PIECE, min_size=1, max_size=4), st.text(alphabet="区住建局水务/:# ", min_size=1, max_size=8))
def test_any_project_text_drafts_to_valid_yaml(bodies: list[str], unit: str) -> None:
    lines = ["某区2024年民生实事实施方案", ""]
    lines += [f"{n}.项目{n}。{body}（责任单位：{unit}）" for n, body in enumerate(bodies, 1)]
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        source = data / "doc.txt"
        source.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        draft = draft_file(source)
        plan = yaml.safe_load(draft.text)
        assert [t["id"] for t in plan["tasks"]] == [str(n) for n in range(1, len(bodies) + 1)]
        for mine, task in zip(draft.plan.tasks, plan["tasks"], strict=True):
            assert task["description"] == mine.description
            assert [i["name"] for i in task["indicators"]] == [i.name for i in mine.indicators]
        (data / "plan-2024.yaml").write_text(draft.text, encoding="utf-8")
        project = open_project(data)
        assert project.errors == [], [str(p) for p in project.errors]

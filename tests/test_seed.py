"""The plan carries every target of the seed's section 二, with its measure word."""

from __future__ import annotations

import re

import pytest

from minsheng.load import read_plan
from tests.conftest import DATA, SEED

MEASURES = "条|块|公里|场|个|处|名|户|件|人|家"


def _section_two() -> str:
    text = SEED.read_text(encoding="utf-8")
    return text[text.index("二、主要任务") : text.index("三、保障措施")]


def _task_lines() -> dict[str, str]:
    return dict(re.findall(r"^(\d+)\.(.+)$", _section_two(), flags=re.M))


@pytest.fixture(scope="module")
def plan():
    problems: list = []
    pf = read_plan(DATA / "plan-2024.yaml", problems)
    assert problems == []
    assert pf is not None
    return pf.plan


def test_every_number_in_section_two_is_a_target_with_its_measure(plan) -> None:
    found = []
    for task_id, line in _task_lines().items():
        task = next(t for t in plan.tasks if t.id == task_id)
        targets = [(float(i.target), i.measure) for i in task.indicators if i.target is not None]
        for number, measure in re.findall(rf"(\d+)({MEASURES})", line):
            found.append((task_id, number, measure))
            assert (float(number), measure) in targets, f"任务{task_id}：{number}{measure} 不在计划里"
    # 25 numbers are written in section 二 (10000块 … 196块); none is missed by the regex.
    assert len(found) == 25


def test_tasks_are_numbered_and_named_as_in_the_seed(plan) -> None:
    lines = _task_lines()
    assert [t.id for t in plan.tasks] == [str(n) for n in range(1, 11)]
    for task in plan.tasks:
        name, rest = lines[task.id].split("。", 1)
        assert task.name == name
        assert task.description == rest[: rest.index("(责任单位")]


def test_responsible_units_match_the_seed(plan) -> None:
    for task_id, line in _task_lines().items():
        units = re.search(r"\(责任单位:(.+?)\)", line).group(1).split("、")
        task = next(t for t in plan.tasks if t.id == task_id)
        assert list(task.units) == units
        # every indicator is reported by one of the task's responsible units
        assert {i.unit for i in task.indicators} <= set(units)
    assert len(plan.units) == 11


def test_targets_named_by_items_are_counted(plan) -> None:
    by_id = {i.id: i for t in plan.tasks for i in t.indicators}
    assert by_id["1.1"].target == 3 and len(by_id["1.1"].items) == 3
    assert by_id["2.1"].target == 2 and len(by_id["2.1"].items) == 2
    assert by_id["3.1"].items == ("文化路小学", "乡居假日幼儿园")
    assert by_id["3.2"].items == ("丰润区第三中学", "唐山市第三十八中学")
    assert len(by_id["10.1"].examples) == 3 and by_id["10.1"].target == 9
    assert len(by_id["10.2"].examples) == 2 and by_id["10.2"].target == 5
    assert by_id["6.8"].kind == "milestone" and by_id["6.8"].target is None


def test_floors_and_levels_follow_the_wording(plan) -> None:
    by_id = {i.id: i for t in plan.tasks for i in t.indicators}
    section = _section_two()
    for ind in by_id.values():
        if ind.target is None:
            continue
        number = f"{ind.target:g}" if isinstance(ind.target, float) else str(ind.target)
        floor = re.search(rf"{number}{ind.measure}以上", section) is not None
        assert ind.floor == floor, ind.id
    assert {i.id for i in by_id.values() if i.kind == "level"} == {"9.2", "9.3", "9.4"}
    assert "达到253人" in section and "达到139家以上" in section and "达到4155个以上" in section


def test_deadlines_and_approval(plan) -> None:
    assert str(plan.deadlines.basic.date) == "2024-10-31"
    assert str(plan.deadlines.final.date) == "2024-12-31"
    assert plan.approved_by == "区第五届人民代表大会第四次会议"
    assert plan.year == 2024

"""The drafting rules one by one, on short phrases written for the purpose (each from a real plan's wording)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from minsheng.draft import draft_file
from minsheng.draft.emit import scalar
from minsheng.draft.targets import extract


def one(text: str):
    found = extract(text)
    assert len(found.targets) == 1, [(t.value, t.measure) for t in found.targets]
    return found.targets[0]


@pytest.mark.parametrize(
    ("text", "value", "measure", "kind", "floor", "scale"),
    [
        ("更换智能远传水表10000块", 10000, "块", "amount", False, None),
        ("组织惠民演出200场以上", 200, "场", "amount", True, None),
        ("推进不少于5处公益性公墓建设", 5, "处", "amount", True, None),
        ("养老护理员持证人员达到253人", 253, "人", "level", False, None),
        ("普惠托育机构达到139家以上", 139, "家", "level", True, None),
        ("残疾儿童康复救助比例达90%", 90, "%", "level", False, None),
        ("新增城镇就业4.3万人", 43000, "人", "amount", False, "万"),
        ("培训家政服务人员1万人次", 10000, "人次", "amount", False, "万"),
        ("城镇登记失业率控制在4.5%以内", 4.5, "%", "ceiling", False, None),
        ("新建田间道路38.5公里", 38.5, "公里", "amount", False, None),
        ("改造老旧小区175個", 175, "個", "amount", False, None),
        ("创建达标学校20所", 20, "所", "amount", False, None),
    ],
)
def test_kinds_of_target(text: str, value: float, measure: str, kind: str, floor: bool, scale: str | None) -> None:
    target = one(text)
    assert (target.value, target.measure, target.kind, target.floor, target.scale) == (
        value,
        measure,
        kind,
        floor,
        scale,
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("对符合条件的毕业生按1500元/人的标准发放补贴", "标准，不是目标"),
        ("对敬老院按照平均每年每院5万元的标准给予补助", "标准，不是目标"),
        ("居民医保财政补助提高到每人每年640元", "标准，不是目标"),
        ("为50周岁以上的居民免费筛查", "标准，不是目标"),
        ("完成2024年度改造任务", "年份"),
        ("连续4年开展", "年数"),
        ("力争8月底前完成", "日期"),
        ("完成第2批老旧小区改造", "序数"),
        ("改造G205国道沿线", "名称或编号中的数字"),
        ("发放补贴300万元", "金额，不是目标"),
        ("实施三级联动", None),
    ],
)
def test_numbers_that_are_not_targets(text: str, reason: str | None) -> None:
    found = extract(text)
    assert found.targets == []
    assert [s.reason for s in found.skipped] == ([reason] if reason else [])


def test_investment_phrase_in_ten_thousand_yuan() -> None:
    assert extract("年度投资4930万元，新建道路3条").investment == 4930
    assert extract("总投资1.2亿元，新建道路3条").investment == 12000
    found = extract("总投资1.2亿元，其中年度投资3000万元")
    assert found.investment == 3000 and found.investment_note is None


def test_names_items_and_examples() -> None:
    found = extract("对荣宁道(文化路—新丰路)、燕山路(滨河南道—光华道)进行道路翻修改造")
    (target,) = found.targets
    assert (
        target.value == 2
        and target.measure == "条"
        and target.items == ["荣宁道(文化路—新丰路)", "燕山路(滨河南道—光华道)"]
    )
    target = one("改造提升口头庄—丰南界、保全庄—杨家庄等100条农村公路")
    assert target.examples == ["口头庄—丰南界", "保全庄—杨家庄"] and target.name == "改造提升农村公路"
    target = one("实施西苑小区、金鑫二小区、宏昌小区三所老旧小区改造")
    assert target.value == 3 and target.items == ["西苑小区", "金鑫二小区", "宏昌小区"]
    assert one("为117名残疾儿童提供康复救助").name == "残疾儿童康复救助"
    assert one("对5处健身场地及设施进行改造提升").name == "健身场地及设施改造提升"


def test_sub_target_is_part_of_the_one_before() -> None:
    found = extract("新建幼儿园10所，其中公办幼儿园7所")
    assert [t.part_of_previous for t in found.targets] == [False, True]


def _draft(tmp_path: Path, text: str, **kwargs: object) -> dict:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return yaml.safe_load(draft_file(path, **kwargs).text)


def test_categories_units_due_and_groups(tmp_path: Path) -> None:
    plan = _draft(
        tmp_path,
        "某县2025年民生实事项目\n\n各项目11月底前全面完成。\n\n一、教育（2项）\n\n"
        "1.新建公办幼儿园3所，8月底前建成。（牵头单位：县教育局；配合单位：县住建局、各乡镇人民政府）\n\n"
        "2.改造薄弱学校5所。（责任单位：县教育局）\n\n二、养老（1项）\n\n"
        "3.新建老年食堂10个，其中农村老年食堂6个。（牵头单位：县民政局）\n",
    )
    assert plan["region"] == "某县" and plan["year"] == 2025
    assert plan["categories"] == [{"id": "一", "name": "教育"}, {"id": "二", "name": "养老"}]
    assert [t["category"] for t in plan["tasks"]] == ["一", "一", "二"]
    first = plan["tasks"][0]
    assert first["units"] == ["县教育局", "县住建局", "各乡镇人民政府"]
    assert str(first["due"]) == "2025-08-31"
    assert str(plan["deadlines"]["final"]["date"]) == "2025-11-30"
    units = {u["name"]: u for u in plan["units"]}
    assert units["各乡镇人民政府"].get("group") is True
    assert units["县教育局"]["aliases"] == ["教育局", "某县教育局"]
    assert plan["tasks"][2]["indicators"][1]["part_of"] == "3.1"


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "yes",
        "2024-06-30",
        "1.10",
        "007",
        "1:0",
        "1_000",
        "a: b",
        "#x",
        "x #y",
        "- x",
        "'q'",
        "[x]",
        "~",
        "",
        " x",
        "x:",
    ],
)
def test_scalars_read_back_as_written(text: str) -> None:
    assert yaml.safe_load(f"k: {scalar(text)}")["k"] == text


def test_units_split_on_slashes_and_the_draft_keeps_valid_names(tmp_path: Path) -> None:
    plan = _draft(tmp_path, "某区2024年民生实事\n\n1.新建公厕5座。（责任单位：区住建局/区城管局）\n")
    assert plan["tasks"][0]["units"] == ["区住建局", "区城管局"]

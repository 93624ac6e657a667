"""The real published plans shipped under examples/: each validates, and `status` on it
gives numbers worked out by hand here from the plan and the (invented) example ledgers.

The plans use the data-model additions of issue 12 (categories, investment, stages,
rates, 万, own deadlines, monthly schedules, areas, items, ceilings, leaders). Until the
model knows them, every test here is skipped.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from minsheng import model
from minsheng.cli import app
from tests.conftest import ROOT

EXAMPLES_DIR = ROOT / "examples"
EXAMPLES = sorted(p for p in EXAMPLES_DIR.iterdir() if p.is_dir() and any(p.glob("plan*.yaml")))

pytestmark = pytest.mark.skipif(
    "category" not in model.Task.__dataclass_fields__,
    reason="examples/ use the issue-12 data-model keys (category, investment, areas, ...), "
    "which this model does not have yet (branch m12)",
)

runner = CliRunner()


def last_report_date(data: Path) -> dt.date:
    """The latest report date over the example's ledgers (read here with plain PyYAML)."""
    dates = []
    for path in (data / "progress").glob("*.yaml"):
        for report in yaml.safe_load(path.read_text(encoding="utf-8"))["reports"]:
            dates.append(report["date"])
    return max(dates)


def status(data: Path, as_of: dt.date | str | None = None) -> dict:
    as_of = as_of or last_report_date(data)
    result = runner.invoke(app, ["status", "--data", str(data), "--as-of", str(as_of), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def task(out: dict, task_id: str) -> dict:
    return next(t for t in out["tasks"] if t["id"] == task_id)


def indicator(out: dict, ind_id: str) -> dict:
    return next(i for t in out["tasks"] for i in t["indicators"] if i["id"] == ind_id)


def area(ind: dict, name: str) -> dict:
    return next(a for a in ind["areas"] if a["area"] == name)


def stages(ind: dict) -> dict[str, str]:
    return {item["name"]: item["stage"] for item in ind["items"]}


def test_there_are_examples() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"洋县-2024", "甘谷县-2020", "宣城市-2024", "泰顺县-2024", "钟楼区-2021", "昭化区-2017"} <= names


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda p: p.name)
def test_example_validates(data: Path) -> None:
    result = runner.invoke(app, ["validate", "--data", str(data)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda p: p.name)
def test_example_status_runs_and_is_marked_example(data: Path) -> None:
    out = status(data)
    assert out["example"] is True
    assert out["tasks"]


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda p: p.name)
def test_every_ledger_is_marked_example_data(data: Path) -> None:
    for path in (data / "progress").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "示例数据（EXAMPLE DATA）" in text.splitlines()[1], path
        assert yaml.safe_load(text)["example"] is True, path


# --- 洋县 2024: investment, stages, areas by the indicator's unit, items -------------


def test_yangxian_investment_stages_areas_items() -> None:
    out = status(EXAMPLES_DIR / "洋县-2024", "2024-06-30")
    # task 3 老旧小区: planned 1360 万元, 住建局 reported 760 by 06-30
    inv = task(out, "3")["investment"]
    assert inv["planned"] == 1360 and inv["done"] == 760
    assert inv["completion"] == pytest.approx(760 / 1360)
    assert task(out, "2")["investment"]["completion"] == pytest.approx(285 / 300)
    # 5 tasks planned to start by 06-30 (start 03-31 … 05-31); task 1 (教体局, no ledger) has not
    assert [task(out, str(i))["started"] for i in range(1, 6)] == [False, True, True, True, True]
    assert out["start_rate"] == pytest.approx(4 / 5)
    # 4.1 is reported per town by 交通局: 15.8 + 21.4 km of 31.656 + 87.2
    ind = indicator(out, "4.1")
    assert ind["value"] == pytest.approx(37.2)
    assert ind["completion"] == pytest.approx(37.2 / 118.856)
    assert area(ind, "龙亭镇")["target"] == pytest.approx(31.656)
    assert area(ind, "槐树关镇")["completion"] == pytest.approx(21.4 / 87.2)
    # 3.1: one of the three 小区 done
    assert stages(indicator(out, "3.1")) == {"西苑小区": "完工", "金鑫二小区": "在建", "宏昌小区": "在建"}
    assert indicator(out, "3.1")["value"] == 1
    # 5.9 "3万亩" is stored exactly
    assert indicator(out, "5.9")["target"] == 30000


def test_yangxian_total_weighs_tasks_by_investment() -> None:
    out = status(EXAMPLES_DIR / "洋县-2024", "2024-06-30")
    # 投资: 300 + 300 + 1360 + 3000 + 4930 planned, 0 + 285 + 760 + 1150 + 3050 done
    assert out["investment"]["planned"] == 9890 and out["investment"]["done"] == 5245
    assert out["investment"]["completion"] == pytest.approx(5245 / 9890)
    # task 5: the mean of its ten indicators' completions on 06-30
    done_5 = [380 / 500, 1 / 1, 6 / 7, 2 / 5, 31 / 50, 22 / 38, 130 / 241, 5500 / 8000, 15000 / 30000, 18 / 30]
    assert task(out, "5")["completion"] == pytest.approx(sum(done_5) / 10)
    # task_weighting: investment — each task weighs by its planned 万元
    by_task = {"1": 0.0, "2": 1.0, "3": 1 / 3, "4": 37.2 / 118.856, "5": sum(done_5) / 10}
    weights = {"1": 300, "2": 300, "3": 1360, "4": 3000, "5": 4930}
    expected = sum(by_task[t] * weights[t] for t in weights) / sum(weights.values())
    assert out["completion"] == pytest.approx(expected)


# --- 甘谷县 2020: 15 items, an own deadline, named items ------------------------------


def test_gangu_fifteen_items_deadline_and_items() -> None:
    out = status(EXAMPLES_DIR / "甘谷县-2020", "2020-08-31")
    assert len(out["tasks"]) == 15
    ind = indicator(out, "7.1")
    assert ind["value"] == 4 and ind["completion"] == pytest.approx(4 / 5)
    assert stages(ind)["第六幼儿园"] == "在建"
    assert list(stages(ind).values()).count("完工") == 4
    # 不少于740个: 752 reported, shown over 100%
    assert indicator(out, "13.2")["completion"] == pytest.approx(752 / 740)
    # task 2 (start 06-30) started 06-18; task 6 (start 09-30) has not started yet
    assert task(out, "2")["started"] is True
    assert task(out, "6")["started"] is False
    assert stages(indicator(out, "2.2")) == {"新城路": "完工", "像山路": "完工", "渭川路": "在建", "康庄东路": "在建"}


# --- 宣城市 2024: categories, 万, a rate --------------------------------------------


def test_xuancheng_categories_scale_rate() -> None:
    out = status(EXAMPLES_DIR / "宣城市-2024", "2024-06-30")
    categories = [t["category"] for t in out["tasks"]]
    assert categories.count("一") == 3 and categories.count("二") == 3
    ind = indicator(out, "1.1")  # 新增城镇就业4.3万人
    assert ind["target"] == 43000 and ind["value"] == 28600
    assert ind["completion"] == pytest.approx(28600 / 43000)
    # 达到城市社区的60%: 52 (percent), no baseline
    assert indicator(out, "1.2")["completion"] == pytest.approx(52 / 60)
    assert indicator(out, "1.2")["measure"] == "%"


# --- 泰顺县 2024: own deadlines, monthly schedule, rates ------------------------------


def test_taishun_due_and_schedule() -> None:
    out = status(EXAMPLES_DIR / "泰顺县-2024", "2024-08-31")
    assert indicator(out, "5.1")["due"] == "2024-08-31"
    assert indicator(out, "6.1")["due"] == "2024-08-31"
    assert indicator(out, "6.1")["completion"] == pytest.approx(1.0)
    # 2.1 screened 7450 of 7400 by 08-31, when the monthly plan reaches 7400
    ind = indicator(out, "2.1")
    assert ind["value"] == 7450
    assert ind["completion"] == pytest.approx(7450 / 7400)
    # at 06-30 the plan says 4440 of 7400 (60%): expected follows the schedule, not a straight line
    early = indicator(status(EXAMPLES_DIR / "泰顺县-2024", "2024-06-30"), "2.1")
    assert early["expected"] == pytest.approx(4440 / 7400)
    assert early["value"] == 4300


# --- 钟楼区 2021: ceilings, sub-targets, leaders ----------------------------------------


def test_zhonglou_ceiling_and_part_of() -> None:
    data = EXAMPLES_DIR / "钟楼区-2021"
    may = status(data, "2021-05-31")
    assert indicator(may, "2.4")["value"] == 2  # 2 零就业家庭 found: over the ceiling of 0
    assert indicator(may, "2.4")["status"] != "done"
    june = status(data, "2021-06-30")
    assert indicator(june, "2.4")["status"] == "done"  # cleared again: 0 <= 0
    assert indicator(june, "2.5")["status"] == "done"  # 2.8% <= 3%
    # task 1 counts 1.1 and 1.6 (0 of 5000); 1.2-1.4 and 1.7-1.8 are part_of, not counted again.
    # 1.1 is "实施12个，计划竣工3个": 12 of 12 implemented, 2 of 3 completed → (1 + 2/3) / 2 = 5/6
    one = indicator(june, "1.1")
    assert (one["value"], one["completed"], one["complete_target"]) == (12, 2, 3)
    assert one["completion"] == pytest.approx(5 / 6)
    assert task(june, "1")["completion"] == pytest.approx((5 / 6 + 0.0) / 2)


# --- 昭化区 2017: a target split among 29 乡镇, each reporting its own share ----------


def test_zhaohua_areas_reported_by_area_units() -> None:
    out = status(EXAMPLES_DIR / "昭化区-2017", "2017-07-20")
    ind = indicator(out, "1.1")
    assert len(ind["areas"]) == 29
    assert sum(a["target"] for a in ind["areas"]) == 1300
    # 元坝镇 171 + 昭化镇 118 (07-20) + 虎跳镇 29 (its last report, 06-20)
    assert ind["value"] == 171 + 118 + 29
    assert area(ind, "元坝镇")["completion"] == pytest.approx(171 / 280)
    assert area(ind, "虎跳镇")["value"] == 29
    assert indicator(out, "1.2")["value"] == 22 + 13 + 3
    # reports are due on the 20th of the month itself: 白果乡 never reported
    missing = {m if isinstance(m, str) else m.get("unit") for m in out["missing_reports"]}
    assert "白果乡" in missing
    assert "元坝镇" not in missing

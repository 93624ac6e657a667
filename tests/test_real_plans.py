"""Issue 12: what real plans carry (categories, investment, stages, areas, items, …).

The plan ``tests/cases/valid/rich`` uses every new key; the numbers below are worked
out by hand from that plan and its three progress files (comments show the sums).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from minsheng.cli import app
from tests.test_cases import edit

RICH = Path(__file__).resolve().parent / "cases" / "valid" / "rich"
runner = CliRunner()


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def codes(data: Path) -> list[str]:
    result = run("validate", "--data", str(data), "--format", "json")
    return [p["code"] for p in json.loads(result.stdout)["problems"]]


# --- the model and its checks ---------------------------------------------------


def test_rich_plan_is_clean_even_strict() -> None:
    # 各乡镇 (group: true) is only a 配合单位 and 东镇政府 only reports an area's share:
    # neither is idle, so --strict passes.
    result = run("validate", "--data", str(RICH), "--strict")
    assert result.exit_code == 0, result.output
    assert "0 个错误，0 个警告" in result.stdout


def test_a_co_unit_is_not_idle(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(RICH, data)
    plan = data / "plan-2025.yaml"
    text = plan.read_text(encoding="utf-8")
    # 东镇政府 no longer reports an area, and no task lists it: only a co-unit of 2.3.
    text = text.replace("{name: 东镇, unit: 东镇政府}", "{name: 东镇}")
    text = text.replace("units: [县人社局, 东镇政府]", "units: [县人社局]")
    text = text.replace("        leader: 赵局长", "        co_units: [东镇政府]\n        leader: 赵局长")
    plan.write_text(text, encoding="utf-8")
    (data / "progress" / "东镇政府.yaml").unlink()
    assert codes(data) == []
    # Without any part it is idle, and the hint no longer says to delete a 配合单位.
    plan.write_text(text.replace("        co_units: [东镇政府]\n", ""), encoding="utf-8")
    result = run("validate", "--data", str(data))
    assert "[idle-unit]" in result.stdout and "group: true" in result.stdout


def test_one_unknown_key_in_every_task_is_one_problem_each(tmp_path: Path) -> None:
    # Measured before: every task failing also made the task list "empty".
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", data)
    plan = data / "plan-2024.yaml"
    text = plan.read_text(encoding="utf-8").replace("    indicators:\n", "    categry: 一\n    indicators:\n")
    plan.write_text(text, encoding="utf-8")
    found = codes(data)
    assert found == ["unknown-key"] * 10


def test_negative_due_days_say_before_the_period_ends(tmp_path: Path) -> None:
    # "每季度末月20日前": a quarter ending on 31 March is due on 20 March, 11 days before.
    data = tmp_path / "data"
    shutil.copytree(RICH, data)
    plan = data / "plan-2025.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("monthly, due_days: -5", "quarterly, due_days: -11"), encoding="utf-8")
    assert codes(data) == []


# --- the computation, through `status --format json` ----------------------------------


def status_json(data: Path, as_of: str, *args: str) -> dict:
    result = run("status", "--data", str(data), "--as-of", as_of, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def copy_rich(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(RICH, data)
    return data


def by_id(payload: dict) -> tuple[dict, dict]:
    tasks = {t["id"]: t for t in payload["tasks"]}
    inds = {i["id"]: i for t in payload["tasks"] for i in t["indicators"]}
    return tasks, inds


def test_rich_plan_at_june_end() -> None:
    s = status_json(RICH, "2025-06-30")
    assert s["schema_version"] == 2
    tasks, inds = by_id(s)
    # 1.1: of 甲路 and 乙路, 甲路 is 完工 → 1 of 2 = 50%. Judged by stage: both are due
    # 08-31, so none is due yet → 序时 0, and the task is ahead, not "behind a straight line".
    assert inds["1.1"]["value"] == 1 and inds["1.1"]["completion"] == 0.5
    assert inds["1.1"]["expected"] == 0 and inds["1.1"]["status"] == "ahead"
    assert inds["1.1"]["items"] == [
        {"name": "甲路", "stage": "完工", "start": None, "due": "2025-08-31", "start_light": None, "overdue": False},
        {
            "name": "乙路",
            "stage": "在建",
            "start": "2025-05-31",
            "due": "2025-08-31",
            "start_light": "green",
            "overdue": False,
        },
    ]
    # 2.1: 东镇 1000 (reported by 东镇政府 itself) + 西镇 3000 (by 县人社局 per area) = 4000 of 10000.
    assert inds["2.1"]["value"] == 4000 and inds["2.1"]["completion"] == 0.4
    assert inds["2.1"]["areas"] == [
        {"area": "东镇", "target": 4000, "value": 1000, "completion": 0.25},
        {"area": "西镇", "target": 6000, "value": 3000, "completion": 0.5},
    ]
    # The monthly plan says 5000 by 06-30: 序时 5000 / 10000 = 50%; 10 points behind = yellow.
    assert inds["2.1"]["expected"] == 0.5 and inds["2.1"]["status"] == "behind"
    assert inds["2.1"]["display"] == {"target": "1万", "value": "0.4万"}
    # 2.2 is due 06-30 (its own deadline): 序时 100%, 1500 / 2000 = 75%.
    assert inds["2.2"]["due"] == "2025-06-30" and inds["2.2"]["expected"] == 1.0
    assert inds["2.2"]["completion"] == 0.75 and inds["2.2"]["status"] == "behind"
    # 2.3 is a ceiling: 2.1% under 3% is held, which is done.
    assert inds["2.3"]["completion"] == 1.0 and inds["2.3"]["status"] == "done"
    # Task 2 leaves out the sub-target 2.2: (40% + 100%) / 2 = 70%; 序时 (50% + 100%) / 2 = 75%.
    assert tasks["2"]["completion"] == 0.7 and tasks["2"]["expected"] == 0.75
    assert tasks["2"]["status"] == "on_track" and tasks["2"]["started"] is None
    # Tasks weigh by planned investment (1000 and 3000 万元): (0.5 × 1000 + 0.7 × 3000) / 4000 = 65%.
    assert s["completion"] == 0.65
    assert tasks["1"]["investment"] == {"planned": 1000, "done": 600, "completion": 0.6}
    assert tasks["2"]["investment"] == {"planned": 3000, "done": 1500, "completion": 0.5}
    assert s["investment"] == {"planned": 4000, "done": 2100, "completion": 0.525}
    # Only task 1 tracks 开工 (it has a start); it started on 04-10.
    assert tasks["1"]["started"] is True and tasks["1"]["started_on"] == "2025-04-10"
    assert tasks["1"]["start_light"] == "green" and s["start_rate"] == 1.0
    assert [t["category"] for t in s["tasks"]] == ["一", "二"]
    cats = {c["id"]: c for c in s["categories"]}
    assert cats["一"]["tasks"] == ["1"] and cats["一"]["completion"] == 0.5
    assert cats["二"]["investment"] == {"planned": 3000, "done": 1500, "completion": 0.5}
    assert cats["二"]["sentence"].startswith("二、就业社保（1项）：总体完成70.0%，按序时1项")
    assert "已开工1项，开工率100.0%；计划投资4000万元，已完成2100万元，投资完成率52.5%。" in s["summary"]
    # Per-indicator texts: 1.1's own problem, not the unit's.
    assert inds["1.1"]["details"]["problems"] == "乙路拆迁未完成。"
    assert inds["2.3"]["leader"] == "赵局长" and tasks["1"]["leader"] == "王副县长"


def test_equal_weights_and_task_weights(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    plan = data / "plan-2025.yaml"
    edit(plan, "task_weighting: investment", "task_weighting: equal")
    assert status_json(data, "2025-06-30")["completion"] == 0.6  # (0.5 + 0.7) / 2
    edit(plan, "task_weighting: equal", "task_weighting: weight")
    # task 2 has weight 2, task 1 none (1): (0.5 + 2 × 0.7) / 3
    assert abs(status_json(data, "2025-06-30")["completion"] - 1.9 / 3) < 1e-12


def test_own_deadlines_make_overdue() -> None:
    tasks, inds = by_id(status_json(RICH, "2025-07-01"))
    # 2.2 was due 06-30 and is at 75%: overdue, not merely behind.
    assert inds["2.2"]["status"] == "overdue" and inds["2.2"]["light"] == "red"
    tasks, inds = by_id(status_json(RICH, "2025-09-01"))
    # 乙路 was due 08-31 and is still 在建: the item, the indicator and the task are overdue,
    # months before the plan's own final date (12-31).
    assert inds["1.1"]["items"][1]["overdue"] is True
    assert inds["1.1"]["status"] == "overdue" and tasks["1"]["status"] == "overdue"


def test_a_started_item_is_never_not_started() -> None:
    # 04-30: 甲路 在建, nothing 完工 (0 of 2): started, so not 未启动; no item due yet → on time.
    tasks, inds = by_id(status_json(RICH, "2025-04-30"))
    assert inds["1.1"]["completion"] == 0 and inds["1.1"]["started"] is True
    assert inds["1.1"]["status"] == "on_track" and tasks["1"]["status"] == "on_track"


def test_start_light_by_the_plan_rule(tmp_path: Path) -> None:
    # Before any report: task 1 was to start 03-31 → not started in that month → yellow.
    tasks, inds = by_id(status_json(RICH, "2025-03-31"))
    assert tasks["1"]["started"] is False and tasks["1"]["start_light"] == "yellow"
    assert inds["1.1"]["status"] == "not_started"
    # Nobody reports a start: in June, three months after March, it is red.
    data = copy_rich(tmp_path)
    ledger = data / "progress" / "县住建局.yaml"
    edit(ledger, '    started: {"1": 2025-04-10}\n', "")
    edit(ledger, '      "1.1": {甲路: 在建, 乙路: 未开工}\n', '      "1.1": {甲路: 未开工, 乙路: 未开工}\n')
    edit(ledger, '      "1.1": {甲路: 完工, 乙路: 在建}\n', '      "1.1": {甲路: 未开工, 乙路: 未开工}\n')
    edit(ledger, 'values: {"1.1": 1}', 'values: {"1.1": 0}')
    tasks, inds = by_id(status_json(data, "2025-05-31"))
    assert tasks["1"]["start_light"] == "yellow"  # 2 months late
    # 乙路's own start is 05-31: due this month and not started → yellow too.
    assert inds["1.1"]["items"][1]["start_light"] == "yellow"
    s = status_json(data, "2025-06-30")
    assert s["tasks"][0]["start_light"] == "red" and s["start_rate"] == 0.0


def test_levels_without_a_baseline_are_flagged() -> None:
    from tests.conftest import DATA

    _, inds = by_id(status_json(DATA, "2024-04-30"))
    assert [i for i, ind in inds.items() if ind["baseline_missing"]] == ["9.2", "9.3", "9.4"]


def test_fengrun_json_keeps_every_version_1_field() -> None:
    from tests.conftest import DATA

    s = status_json(DATA, "2024-07-31")
    assert s["start_rate"] is None and s["investment"] is None and s["categories"] == []
    task = s["tasks"][0]
    assert task["category"] is None and task["investment"] is None and task["started"] is None
    assert task["indicators"][0]["areas"] == [] and task["indicators"][0]["items"] == []
    assert task["indicators"][0]["due"] is None


def test_several_plans_in_one_year(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    city = data / "plan-2025-市级.yaml"
    shutil.copy(data / "plan-2025.yaml", city)
    edit(city, "id: 县级\nlevel: 县级", "id: 市级\nlevel: 市级")
    edit(city, "title: 测试县2025年民生实事（测试数据）", "title: 测试市2025年民生实事（测试数据）")
    # The city plan's reports are in files that say so: 县住建局-市级.yaml with plan: 市级.
    (data / "progress" / "县住建局-市级.yaml").write_text(
        'unit: 县住建局\nplan: 市级\nexample: true\nreports:\n  - date: 2025-06-30\n    values: {"1.1": 0}\n'
        "    summary: 市级计划的道路尚未开工。\n",
        encoding="utf-8",
    )
    # The county plan's files say nothing yet: with two plans that year, each must say its plan.
    assert codes(data) == ["plan-needed"] * 3
    for ledger in ("县住建局", "县人社局", "东镇政府"):
        edit(data / "progress" / f"{ledger}.yaml", "example: true\n", "example: true\nplan: 县级\n")
    assert codes(data) == []
    # Two plans of 2025 and no --plan: say which there are (a usage error).
    result = run("status", "--data", str(data), "--as-of", "2025-06-30")
    assert result.exit_code == 2 and "县级" in result.output and "市级" in result.output
    county = status_json(data, "2025-06-30", "--plan", "县级")
    city_status = status_json(data, "2025-06-30", "--plan", "市级")
    assert county["plan"]["id"] == "县级" and city_status["plan"]["id"] == "市级"
    assert by_id(county)[1]["1.1"]["value"] == 1
    assert by_id(city_status)[1]["1.1"]["value"] == 0
    # Full-width text typed with a Chinese input method chooses the same plan.
    assert status_json(data, "2025-06-30", "--plan", "市级 ")["plan"]["id"] == "市级"
    # Two plans with the same id are still refused.
    edit(city, "id: 市级", "id: 县级")
    assert "duplicate-plan" in codes(data)

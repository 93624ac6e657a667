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

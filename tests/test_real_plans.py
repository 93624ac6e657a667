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
    assert s["schema_version"] == 3
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
    assert cats["二"]["sentence"].startswith("二、就业社保（1项）：总体进度70.0%，按序时1项")
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
    # Two plans of 2025 and no --plan: status goes across them; a report must be told which.
    both = status_json(data, "2025-06-30")
    assert [p["plan"]["id"] for p in both["plans"]] == ["市级", "县级"]  # file order: plan-2025-市级 < plan-2025
    table = run("status", "--data", str(data), "--as-of", "2025-06-30").stdout
    assert "测试市2025年民生实事" in table and "测试县2025年民生实事" in table
    csv = run("status", "--data", str(data), "--as-of", "2025-06-30", "--format", "csv").stdout
    assert csv.splitlines()[0].startswith("\ufeff计划,序号,项目") and "\n县级,1,道路改造" in csv
    result = run("report", "--data", str(data), "--as-of", "2025-06-30", "--task", "1")
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


# --- what the outputs show -------------------------------------------------------------


def test_report_area(tmp_path: Path) -> None:
    result = run("report", "--data", str(RICH), "--as-of", "2025-06-30", "--area", "东镇", "--format", "json")
    assert result.exit_code == 0, result.output
    area = json.loads(result.stdout)
    assert area["unit"] == "东镇政府"
    # 东镇's share of 2.1: 1000 of 4000 = 25%, beside the whole indicator's 40%.
    assert area["indicators"] == [
        {
            "id": "2.1",
            "task": "2",
            "name": "新增城镇就业",
            "measure": "人",
            "target": 4000,
            "value": 1000,
            "completion": 0.25,
            "expected": 0.5,
            "indicator_completion": 0.4,
        }
    ]
    table = run("report", "--data", str(RICH), "--as-of", "2025-06-30", "--area", "东镇")
    assert "0.1万" in table.stdout and "25.0%" in table.stdout and "报送单位：东镇政府" in table.stdout
    csv = run("report", "--data", str(RICH), "--as-of", "2025-06-30", "--area", "西镇", "--format", "csv")
    assert "2.1,新增城镇就业,2,0.6万,人,0.3万,50.0%,50.0%,40.0%" in csv.stdout
    unknown = run("report", "--data", str(RICH), "--as-of", "2025-06-30", "--area", "南镇")
    assert unknown.exit_code == 2 and "可用的区域：东镇、西镇" in unknown.output
    both = run("report", "--data", str(RICH), "--area", "东镇", "--task", "1")
    assert both.exit_code == 2


def test_full_width_task_id_on_the_command_line() -> None:
    result = run("report", "--data", str(RICH), "--as-of", "2025-06-30", "--task", "１", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["task"]["id"] == "1"


def test_status_table_markdown_and_csv_show_the_new_dimensions() -> None:
    table = run("status", "--data", str(RICH), "--as-of", "2025-06-30").stdout
    assert "一、城乡建设（1项）" in table and "项目投资与开工情况" in table and "已开工（04-10）" in table
    markdown = run("status", "--data", str(RICH), "--as-of", "2025-06-30", "--format", "markdown").stdout
    assert "| 分类 | 计划投资（万元） | 完成投资（万元） | 投资完成率 | 计划开工 | 开工 |" in markdown
    assert "| 一 | 1000 | 600 | 60.0% | 2025-03-31 | 已开工（04-10） |" in markdown
    csv = run("status", "--data", str(RICH), "--as-of", "2025-06-30", "--format", "csv").stdout
    assert csv.splitlines()[0].endswith("分类,计划投资（万元）,完成投资（万元）,投资完成率,计划开工,开工")
    unit = run("report", "--data", str(RICH), "--as-of", "2025-06-30", "--unit", "县人社局").stdout
    assert "1万人" in unit and "0.4万" in unit and "东镇 0.1万/0.4万（25.0%）" in unit
    task = run("report", "--data", str(RICH), "--as-of", "2025-06-30", "--task", "1").stdout
    assert "甲路：完工；乙路：在建" in task and "存在问题：乙路拆迁未完成。" in task


def test_ledger_csv_gives_each_indicator_its_own_texts_and_people() -> None:
    import csv
    import io

    text = run("export", "csv", "--data", str(RICH), "--as-of", "2025-06-30").stdout
    # ids carry the invisible text mark (U+200B) that keeps a spreadsheet from reading 6.10 as 6.1
    rows = {r["序号"].lstrip("\u200b"): r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    # 1.1 has its own problem; the unit-wide one ("资金拨付偏慢。") is not repeated on it.
    assert rows["1.1"]["存在问题"] == "乙路拆迁未完成。"
    assert rows["1.1"]["责任领导"] == "王副县长" and rows["1.1"]["责任人"] == "李四"
    assert rows["2.3"]["责任领导"] == "赵局长" and rows["2.3"]["说明"] == "控制在目标以内"
    assert rows["2.1"]["目标任务"] == "1万" and rows["2.1"]["累计完成"] == "0.4万"
    assert rows["2.2"]["完成时限"] == "2025-06-30" and rows["2.2"]["说明"] == "含于 2.1"


def test_xlsx_html_docx_show_the_new_dimensions(tmp_path: Path) -> None:
    import docx
    import openpyxl

    args = ("--data", str(RICH), "--as-of", "2025-06-30")
    assert run("export", "xlsx", *args, "-o", str(tmp_path / "l.xlsx")).exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "l.xlsx")
    assert "项目" in wb.sheetnames
    header = [c.value for c in wb["总台账"][2]]
    assert header[-6:] == ["责任领导", "责任人", "完成时限", "说明", "逐项进展", "分区域"]
    first = [c.value for c in wb["总台账"][3]]
    assert first[11] == "乙路拆迁未完成。" and first[-2] == "甲路：完工；乙路：在建"
    tasks = [[c.value for c in row] for row in wb["项目"].iter_rows(min_row=2, max_row=4)]
    assert tasks[1][10:16] == ["一", "1000", "600", "60.0%", "2025-03-31", "已开工（04-10）"]
    assert run("export", "xlsx", *args, "--template", "-u", "县住建局", "-o", str(tmp_path / "t.xlsx")).exit_code == 0
    form = openpyxl.load_workbook(tmp_path / "t.xlsx")["填报"]
    assert [c.value for c in form[6]][7:] == ["完成时限", "逐项进展"]
    assert run("export", "html", *args, "-o", str(tmp_path / "s.html")).exit_code == 0
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert 'id="categories"' in html and 'id="task-extras"' in html and "已开工（04-10）" in html
    assert "东镇 0.1万/0.4万（25.0%）" in html
    assert run("export", "docx", *args, "-o", str(tmp_path / "r.docx")).exit_code == 0
    document = docx.Document(str(tmp_path / "r.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert any(p.startswith("一、城乡建设（1项）") for p in paragraphs)
    assert "县住建局（指标1.1）：乙路拆迁未完成。" in paragraphs
    assert [c.text for c in document.tables[0].rows[1].cells] == [
        "1 道路改造",
        "一",
        "1000",
        "600",
        "60.0%",
        "2025-03-31",
        "已开工（04-10）",
    ]


# --- also found: Chinese line breaking, full-width input ------------------------------


def test_wrap_follows_the_chinese_rule() -> None:
    from minsheng.render.prose import NO_END, NO_START, wrap

    sentence = (
        "截至2024年7月31日，10项民生实事已完成0项，完成率0.0%；总体进度70.6%，序时进度69.7%；"
        "按序时推进8项（其中超序时6项），滞后1项，严重滞后1项。"
    )
    for width in range(8, 101):
        lines = wrap(sentence, width)
        assert "".join(lines) == sentence
        assert all(line[0] not in NO_START for line in lines[1:]), (width, lines)
        assert all(line[-1] not in NO_END for line in lines), (width, lines)
        assert "70.6%" in "\n".join(lines)  # a number is never split


def test_no_golden_line_starts_with_closing_punctuation() -> None:
    # Measured before: at 100 columns "…滞后1项" / "，严重滞后1项。".
    from minsheng.render.prose import NO_START

    golden = Path(__file__).resolve().parent / "golden"
    for path in golden.glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert not line or line[0] not in NO_START - {"—", "·", "%", ")", ".", "-"}, (path.name, line)


def test_record_takes_full_width_ids_and_numbers(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    result = run("record", "--data", str(data), "--unit", "县人社局", "--date", "2025-07-31", "２.２＝１６００")
    assert result.exit_code == 0, result.output
    assert "2.2 其中高校毕业生：1500 → 1600人" in result.stdout


def test_a_full_width_id_in_a_file_gets_the_plain_one_suggested(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    edit(data / "progress" / "县人社局.yaml", 'values: {"2.2": 1500', 'values: {"２.２": 1500')
    result = run("validate", "--data", str(data))
    assert "[unknown-indicator]" in result.stdout and "是不是“2.2”？" in result.stdout


def test_table_cells_wrap_by_the_chinese_rule_too() -> None:
    # Measured before: "启动实施新建学校（幼儿园" / "）" in the 滞后清单 at 100 columns.
    import re

    from tests.conftest import DATA

    out = run("status", "--data", str(DATA), "--as-of", "2024-07-31").stdout
    # no line of a cell starts with a closing mark, and the name is still all there
    assert not re.search(r"\n\s+[）。，；：、]", out)
    assert "启动实施新建" in out and "（幼儿" in out


# --- items 10 and 11: ceilings, 动态清零, levels kept, reports due before the period ends ---


def test_ceilings_and_kept_levels_are_accepted(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    plan = data / "plan-2025.yaml"
    # "失业率控制在3%以内" starting at 1.9%: a ceiling may have a baseline under its target.
    edit(
        plan,
        "        kind: ceiling\n        target: 3\n",
        "        kind: ceiling\n        baseline: 1.9\n        target: 3\n",
    )
    # "覆盖率达100%" kept at 100: a level whose baseline is its target; and "动态清零", a ceiling of 0.
    kept = '      - {id: "2.4", name: 覆盖率, kind: level, baseline: 100, target: 100, measure: "%", unit: 县人社局}\n'
    zero = '      - {id: "2.5", name: 零就业家庭, kind: ceiling, target: 0, measure: 户, whole: true, unit: 县人社局}\n'
    edit(plan, "        owner: 钱科长\n", "        owner: 钱科长\n" + kept + zero)
    ledger = data / "progress" / "县人社局.yaml"
    edit(ledger, 'values: {"2.2": 1500, "2.3": 2.1}', 'values: {"2.2": 1500, "2.3": 2.1, "2.4": 100, "2.5": 0}')
    # 2.5 went from 2 households to 0, which is no decrease to warn about.
    edit(ledger, "reports:\n", 'reports:\n  - date: 2025-05-31\n    values: {"2.5": 2}\n')
    assert codes(data) == []
    _, inds = by_id(status_json(data, "2025-06-30"))
    assert inds["2.4"]["status"] == "done" and inds["2.5"]["status"] == "done"
    _, inds = by_id(status_json(data, "2025-05-31"))
    # 2 households above a ceiling of 0: not done, and far behind (序时 is 100% for a ceiling).
    assert inds["2.5"]["completion"] == 0 and inds["2.5"]["status"] == "far_behind"


def test_reports_due_before_the_period_ends(tmp_path: Path) -> None:
    # due_days: -5 — June's report is due on 06-25. 县住建局 reports on 06-30, so on 06-26 it is missing.
    s = status_json(RICH, "2025-06-26")
    assert s["missing_reports"] == ["县住建局", "县人社局", "东镇政府"]
    assert {u["unit"]: u["due_period"] for u in s["units"]}["县住建局"] == "2025年6月"
    s = status_json(RICH, "2025-06-24")  # May is the period due: 县住建局 reported on 04-30 only
    assert "县住建局" in s["missing_reports"]
    assert {u["unit"]: u["due_period"] for u in s["units"]}["县住建局"] == "2025年5月"


def test_status_groups_tasks_by_category() -> None:
    table = run("status", "--data", str(RICH), "--as-of", "2025-06-30").stdout
    # the group's heading comes right before its tasks, in the plan's category order
    lines = [line.strip() for line in table.splitlines()]
    first, second = lines.index("一、城乡建设"), lines.index("二、就业社保")
    assert lines[first + 1] == "（1项）" and first < lines.index(next(x for x in lines if "道路改造" in x)) < second
    markdown = run("status", "--data", str(RICH), "--as-of", "2025-06-30", "--format", "markdown").stdout
    assert "### 一、城乡建设（1项）\n\n| 序号 |" in markdown and "### 二、就业社保（1项）" in markdown


def test_a_milestone_with_its_own_deadline_is_overdue_after_it(tmp_path: Path) -> None:
    # 大竹县: "5月底前动工" — due 05-31, unfinished in June is 逾期未完成, not 未启动 until the plan's end.
    data = copy_rich(tmp_path)
    one_off = '      - {id: "1.2", name: 乙路动工, kind: milestone, due: 2025-05-31, unit: 县住建局}\n'
    edit(data / "plan-2025.yaml", '  - id: "2"\n', one_off + '  - id: "2"\n')
    _, inds = by_id(status_json(data, "2025-05-31"))
    assert inds["1.2"]["expected"] == 1.0 and inds["1.2"]["status"] == "not_started"
    _, inds = by_id(status_json(data, "2025-06-01"))
    assert inds["1.2"]["status"] == "overdue" and inds["1.2"]["due"] == "2025-05-31"


def test_an_area_unit_reports_its_share_in_values_not_areas(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    edit(data / "progress" / "东镇政府.yaml", 'values: {"2.1": 1000}', 'areas: {"2.1": {西镇: 1000}}')
    result = run("validate", "--data", str(data))
    assert "[wrong-unit]" in result.stdout and "在 values 中填本区域的累计数" in result.stdout

"""Issue 12, the rest: 实施/竣工 (complete_target), an indicator's own 开工, a category's stated count,
reports due on a day of the period's last month, and the Fengrun ledgers' starts.

Every expected number is worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from minsheng.compute import build_status, completion_of, due_period
from minsheng.dataset import Dataset
from minsheng.model import Indicator, Report, Reporting, Task
from tests.test_cases import edit
from tests.test_compute import make_plan
from tests.test_real_plans import RICH, by_id, codes, copy_rich, run, status_json

D = dt.date
DATA = Path(__file__).resolve().parent.parent / "data"


# --- reports due on a day of the period's last month ("每季度末月20日前") -------------------


def test_due_on_a_day_of_the_last_month() -> None:
    rule = Reporting(cadence="quarterly", due_day_of_month=20)
    assert rule.due_on(D(2025, 6, 30)) == D(2025, 6, 20)
    assert rule.due_on(D(2025, 3, 31)) == D(2025, 3, 20)
    # a month without the day: its last day (2024 is a leap year)
    assert Reporting(due_day_of_month=31).due_on(D(2024, 2, 29)) == D(2024, 2, 29)
    assert Reporting(due_day_of_month=31).due_on(D(2025, 4, 30)) == D(2025, 4, 30)
    # the other rule is unchanged: 次月5日前
    assert Reporting(due_days=5).due_on(D(2025, 6, 30)) == D(2025, 7, 5)


def test_due_period_with_due_day_of_month() -> None:
    plan = make_plan(reporting=Reporting(cadence="quarterly", due_day_of_month=20))
    # Q2 (04-01..06-30) is due on 06-20, before the quarter ends: late from 06-21.
    assert due_period(plan, D(2025, 6, 20)) == (D(2025, 1, 1), "2025年第1季度")
    assert due_period(plan, D(2025, 6, 21)) == (D(2025, 4, 1), "2025年第2季度")
    # Q1 is due 03-20: nothing is late on 03-20, Q1 is from 03-21.
    assert due_period(plan, D(2025, 3, 20)) is None
    assert due_period(plan, D(2025, 3, 21)) == (D(2025, 1, 1), "2025年第1季度")
    # long after the year, the last period due is the 4th quarter (due 12-20)
    assert due_period(plan, D(2027, 3, 1)) == (D(2025, 10, 1), "2025年第4季度")
    monthly = make_plan(reporting=Reporting(cadence="monthly", due_day_of_month=25))
    assert due_period(monthly, D(2025, 7, 26)) == (D(2025, 7, 1), "2025年7月")
    assert due_period(monthly, D(2025, 7, 25)) == (D(2025, 6, 1), "2025年6月")


def test_due_day_of_month_through_status(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    edit(data / "plan-2025.yaml", "monthly, due_days: -5", "quarterly, due_day_of_month: 20")
    assert codes(data) == []
    # On 06-21 the 2nd quarter is due (06-20); 县住建局's last report is 04-30, inside the quarter.
    units = {u["unit"]: u for u in status_json(data, "2025-06-21")["units"]}
    assert units["县住建局"]["due_period"] == "2025年第2季度" and units["县住建局"]["missing"] is False
    # On 06-20 the period due is still the 1st quarter (due 03-20): a report since 01-01 counts.
    # 县人社局's first report is on 06-30, so it has none yet.
    units = {u["unit"]: u for u in status_json(data, "2025-06-20")["units"]}
    assert units["县住建局"]["due_period"] == "2025年第1季度" and units["县住建局"]["missing"] is False
    assert units["县人社局"]["missing"] is True


def test_two_due_rules_are_refused(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    edit(data / "plan-2025.yaml", "due_days: -5}", "due_days: -5, due_day_of_month: 20}")
    result = run("validate", "--data", str(data))
    assert result.exit_code == 1 and "[due-rule-conflict]" in result.stdout and "提示" in result.stdout
    assert codes(data) == ["due-rule-conflict"]


# --- 实施…项目12个，计划竣工3个 -------------------------------------------------------


def _projects(**kw: object) -> Indicator:
    base: dict[str, object] = {"id": "1.1", "name": "项目", "unit": "A", "target": 12, "measure": "个"}
    return Indicator(**(base | {"complete_target": 3} | kw))  # type: ignore[arg-type]


def test_completion_of_implemented_and_completed() -> None:
    ind = _projects()
    # (6/12 + 1/3) / 2 = (0.5 + 0.3333…) / 2 = 0.41666…
    assert abs(completion_of(ind, 6, 1) - 5 / 12) < 1e-12
    # all 12 implemented, none completed: (1 + 0) / 2
    assert completion_of(ind, 12, None) == 0.5
    # each part is capped at 1: (14/12 → 1, 3/3) → done
    assert completion_of(ind, 14, 3) == 1.0
    # without a complete_target the old rule holds
    assert completion_of(_projects(complete_target=None), 6, 1) == 0.5


def test_complete_target_in_build_status() -> None:
    task = Task(id="1", name="项目", description="实施项目12个，计划竣工3个", units=("A",), indicators=(_projects(),))
    plan = make_plan((task,))
    reports = (
        Report(D(2025, 3, 31), {"1.1": 4}),
        Report(D(2025, 6, 30), {"1.1": 9}, completed={"1.1": 2}),
    )
    report = build_status(Dataset(plan, {"A": reports}), D(2025, 6, 30))
    row = report.tasks[0].indicators[0]
    # (9/12 + 2/3) / 2 = (0.75 + 0.6667) / 2 = 0.70833…
    assert abs(row.completion - 17 / 24) < 1e-12 and row.completed == 2
    assert row.forecast is None  # no pace is forecast for a count with its 竣工 part
    # before the 竣工 count was reported: (4/12 + 0) / 2
    early = build_status(Dataset(plan, {"A": reports}), D(2025, 4, 30)).tasks[0].indicators[0]
    assert abs(early.completion - 1 / 6) < 1e-12 and early.completed is None


def _with_complete_target(tmp_path: Path) -> Path:
    """The rich plan's 1.1 (甲路、乙路, items with stages) as "实施2条，其中竣工1条"."""
    data = copy_rich(tmp_path)
    edit(data / "plan-2025.yaml", "        whole: true\n", "        whole: true\n        complete_target: 1\n")
    return data


def test_complete_target_from_items(tmp_path: Path) -> None:
    data = _with_complete_target(tmp_path)
    # On 06-30 县住建局 wrote 1.1: 1, but both roads are 在建 or 完工: the implemented count is 2.
    assert codes(data) == ["items-count-mismatch"]
    edit(data / "progress" / "县住建局.yaml", 'values: {"1.1": 1}', 'values: {"1.1": 2}')
    assert codes(data) == []
    _, inds = by_id(status_json(data, "2025-06-30"))
    # 实施 2 of 2 (甲路 完工, 乙路 在建), 竣工 1 of 1 (甲路): (1 + 1) / 2 = 1
    assert inds["1.1"]["value"] == 2 and inds["1.1"]["completed"] == 1 and inds["1.1"]["complete_target"] == 1
    assert inds["1.1"]["completion"] == 1.0
    # 04-30: 甲路 在建, 乙路 未开工 → 实施 1 of 2, 竣工 0 of 1: (0.5 + 0) / 2
    _, inds = by_id(status_json(data, "2025-04-30"))
    assert inds["1.1"]["completion"] == 0.25 and inds["1.1"]["completed"] == 0


def test_complete_target_is_shown_beside_the_target(tmp_path: Path) -> None:
    data = _with_complete_target(tmp_path)
    edit(data / "progress" / "县住建局.yaml", 'values: {"1.1": 1}', 'values: {"1.1": 2}')
    markdown = run("report", "--data", str(data), "--as-of", "2025-06-30", "--task", "1", "--format", "markdown").stdout
    assert "其中计划竣工1条，已竣工1条" in markdown
    csv = run("export", "csv", "--data", str(data), "--as-of", "2025-06-30").stdout
    assert "其中计划竣工1条，已竣工1条" in csv


def test_complete_target_checks(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    plan = data / "plan-2025.yaml"
    edit(plan, "        whole: true\n", "        whole: true\n        complete_target: 3\n")
    assert codes(data) == ["complete-target-over"]
    edit(plan, "        complete_target: 3\n", "")
    edit(plan, "        leader: 赵局长\n", "        leader: 赵局长\n        complete_target: 1\n")
    assert codes(data) == ["complete-target-kind"]


def test_completed_reports_are_checked(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    ledger = data / "progress" / "县人社局.yaml"
    edit(ledger, "    summary:", '    completed: {"2.2": 100}\n    summary:')
    assert codes(data) == ["completed-untracked"]
    edit(data / "plan-2025.yaml", '        part_of: "2.1"\n', '        part_of: "2.1"\n        complete_target: 1000\n')
    assert codes(data) == []
    edit(ledger, '{"2.2": 100}', '{"2.2": 1600}')  # 1600 completed of 1500 implemented
    assert codes(data) == ["completed-over"]
    edit(ledger, '{"2.2": 1600}', '{"2.2": -1}')
    assert codes(data) == ["negative-value"]


# --- an indicator's own 开工 -----------------------------------------------------------


def test_an_indicator_reports_its_start(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    ledger = data / "progress" / "县人社局.yaml"
    edit(ledger, "    summary:", '    started: {"2.3": 2025-05-02}\n    summary:')
    # 2.3 has no planned start and no stages: true
    assert codes(data) == ["start-untracked"]
    edit(data / "plan-2025.yaml", "        leader: 赵局长\n", "        leader: 赵局长\n        stages: true\n")
    assert codes(data) == []
    _, inds = by_id(status_json(data, "2025-06-30"))
    assert inds["2.3"]["started_on"] == "2025-05-02" and inds["2.3"]["started"] is True
    # reported by another unit than the indicator's
    edit(ledger, '    started: {"2.3": 2025-05-02}\n', "")
    edit(data / "progress" / "东镇政府.yaml", "    summary:", '    started: {"2.3": 2025-05-02}\n    summary:')
    assert codes(data) == ["wrong-unit"]


def test_an_indicator_start_makes_it_started_not_its_task_tracked() -> None:
    plan = make_plan(
        (
            Task(
                id="1",
                name="甲",
                description="甲",
                units=("A",),
                indicators=(Indicator(id="1.1", name="基地", unit="A", target=1, measure="家", stages=True),),
            ),
        )
    )
    reports = (Report(D(2025, 5, 31), {"1.1": 0}, started={"1.1": D(2025, 5, 20)}),)
    report = build_status(Dataset(plan, {"A": reports}), D(2025, 5, 31))
    task = report.tasks[0]
    row = task.indicators[0]
    assert row.started and row.started_on == D(2025, 5, 20) and row.status != "not_started"
    # the task is started too, but an indicator's stages: true does not put it into 开工率
    assert task.started is None and task.started_on == D(2025, 5, 20)
    assert report.start_rate is None
    # before the report it is 未启动
    before = build_status(Dataset(plan, {"A": reports}), D(2025, 5, 30))
    assert before.tasks[0].indicators[0].status == "not_started"


def test_fengrun_starts_are_read_as_the_units_wrote_them() -> None:
    # 区住建局 05-31: 荣宁道5月8日开工，厂前路管网已进场施工；区人社局 05-31: 申报材料已报送，孵化基地改造施工.
    s = status_json(DATA, "2024-05-31")
    _, inds = by_id(s)
    for key in ("1.1", "2.1", "8.1", "8.2"):
        assert inds[key]["status"] != "not_started", key
        assert inds[key]["started"] is True
    assert inds["1.1"]["started_on"] == "2024-05-08"
    # the plan does not track 开工 per task: no 开工率, as before
    assert s["start_rate"] is None and all(t["started"] is None for t in s["tasks"])
    # before the starts they were reported, they still read 未启动 (04-30: 荣宁道 5月上旬进场)
    _, inds = by_id(status_json(DATA, "2024-04-30"))
    assert inds["1.1"]["status"] == "not_started" and inds["8.2"]["status"] == "not_started"
    table = run("report", "--data", str(DATA), "--unit", "区人社局", "--as-of", "2024-05-31").stdout
    assert "未启动" not in table


# --- a category's stated count ("一、促进就业（3项）") -------------------------------------


def test_category_count(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    plan = data / "plan-2025.yaml"
    edit(plan, "lead: 县住建局}", "lead: 县住建局, count: 1}")
    assert codes(data) == []
    s = status_json(data, "2025-06-30")
    assert [c["count"] for c in s["categories"]] == [1, None]
    edit(plan, "count: 1}", "count: 3}")
    result = run("validate", "--data", str(data))
    assert result.exit_code == 1 and "[category-count]" in result.stdout
    assert "写明 3 项" in result.stdout and "有 1 项（1）" in result.stdout
    assert json.loads(run("validate", "--data", str(data), "--format", "json").stdout)["errors"] == 1


def test_rich_plan_still_clean() -> None:
    assert codes(RICH) == []


def test_a_task_tracks_stages_without_a_planned_date(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    ledger = data / "progress" / "县人社局.yaml"
    edit(ledger, "    summary:", '    started: {"2": 2025-05-01}\n    summary:')
    assert codes(data) == ["start-untracked"]  # task 2 has no start and no stages: true
    edit(data / "plan-2025.yaml", "    weight: 2\n", "    weight: 2\n    stages: true\n")
    assert codes(data) == []
    s = status_json(data, "2025-06-30")
    tasks, _ = by_id(s)
    # task 1 (planned start 03-31, started 04-10) and task 2 (started 05-01): 2 of 2 → 开工率 100%
    assert s["start_rate"] == 1.0 and s["started"] == 2
    assert tasks["2"]["started"] is True and tasks["2"]["started_on"] == "2025-05-01"
    assert tasks["2"]["planned_start"] is None and tasks["2"]["start_light"] is None  # no date, no 开工灯


def test_the_start_light_sits_beside_the_progress_light() -> None:
    # rich task 1 (planned start 03-31, started 04-10, due 08-31). On 04-05 it is not started in the
    # month it was due: the start light is yellow (yellow_months 0). Its progress light is its own:
    # 序时 = 94 / 242 days (01-01 → 04-05 of 01-01 → 08-31) = 38.8%, done 0% → 38.8 points behind → red.
    tasks, _ = by_id(status_json(RICH, "2025-04-05"))
    assert (tasks["1"]["light"], tasks["1"]["start_light"]) == ("red", "yellow")
    assert abs(tasks["1"]["expected"] - 94 / 242) < 1e-12
    # 06-30: started; 甲路 完工, 乙路 (due 08-31) 在建 → judged by stage, ahead: both green
    tasks, _ = by_id(status_json(RICH, "2025-06-30"))
    assert (tasks["1"]["light"], tasks["1"]["start_light"]) == ("green", "green")


def test_late_reports_use_the_same_due_rule() -> None:
    from minsheng.history import due_date

    plan = make_plan(reporting=Reporting(cadence="quarterly", due_day_of_month=20))
    # a report dated in May belongs to Q2, due on 06-20; one in December to Q4, due on 12-20
    assert due_date(plan, D(2025, 5, 15)) == D(2025, 6, 20)
    assert due_date(plan, D(2025, 12, 1)) == D(2025, 12, 20)


def test_an_indicator_with_its_own_planned_start_has_its_own_start_light(tmp_path: Path) -> None:
    data = copy_rich(tmp_path)
    edit(data / "plan-2025.yaml", "        whole: true\n", "        whole: true\n        start: 2025-03-31\n")
    assert codes(data) == []
    # 04-05: due to start in March, nothing reported yet → yellow (yellow_months 0, red_months 3)
    _, inds = by_id(status_json(data, "2025-04-05"))
    assert (inds["1.1"]["planned_start"], inds["1.1"]["start_light"]) == ("2025-03-31", "yellow")
    markdown = run("report", "--data", str(data), "--as-of", "2025-04-05", "--task", "1", "--format", "markdown")
    assert "| 开工 |" in markdown.stdout and "未开工（开工滞后）" in markdown.stdout
    # 04-30: 甲路 在建 → started, green
    _, inds = by_id(status_json(data, "2025-04-30"))
    assert inds["1.1"]["started"] is True and inds["1.1"]["start_light"] == "green"
    assert "已开工" in run("report", "--data", str(data), "--as-of", "2025-04-30", "--task", "1").stdout

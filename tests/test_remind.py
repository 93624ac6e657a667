"""催报 (issue 13 item 3): the shared due-period rule, the reminder list and `minsheng remind`.

Every due date and day count is worked out by hand in the test from the README's rule: a period is
a whole calendar month (or quarter); its report is due ``due_days`` after the period's last day
and late from the day after; days overdue = as-of − due date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from minsheng.compute import build_status
from minsheng.dataset import Dataset
from minsheng.model import Deadline, Deadlines, Indicator, Plan, Report, Reporting, Task, Unit
from minsheng.periods import DuePeriod, due_period_info, plan_periods, reporting_period
from minsheng.reminders import reminders
from minsheng.render.remind import remind_text
from tests import test_history
from tests.gitrepo import GitRepo

D = dt.date
runner = CliRunner()


DEC_31 = D(2025, 12, 31)


def plan(cadence: str = "monthly", due_days: int = 5, final: dt.date = DEC_31, start: dt.date | None = None) -> Plan:
    names = ("A", "B", "C")
    return Plan(
        title="测试区2025年民生实事",
        region="测试区",
        year=2025,
        start=start,
        deadlines=Deadlines(basic=Deadline(D(2025, 10, 31), "基本完成"), final=Deadline(final, "全面完成")),
        units=(Unit("A", contact="张三", phone="0315-1234567"), Unit("B", contact="李四"), Unit("C")),
        tasks=(
            Task(
                id="1",
                name="甲",
                description="甲",
                units=names,
                indicators=tuple(Indicator(id=f"1.{k}", name=n, unit=n, target=10) for k, n in enumerate(names, 1)),
            ),
        ),
        reporting=Reporting(cadence=cadence, due_days=due_days),  # type: ignore[arg-type]
    )


def data(p: Plan, last: dict[str, dt.date]) -> Dataset:
    return Dataset(p, {n: (Report(day, {f"1.{k}": 5}),) for k, (n, day) in enumerate(last.items(), 1)})


# --- the shared period rule -----------------------------------------------------


def test_monthly_due_date_and_days_overdue() -> None:
    p = plan(due_days=5)
    # July 2025 ends 07-31; due 07-31 + 5 = 08-05; late from 08-06
    assert reporting_period(p, D(2025, 7, 15)) == DuePeriod(D(2025, 7, 1), D(2025, 7, 31), D(2025, 8, 5), "2025年7月")
    assert due_period_info(p, D(2025, 8, 5)).label == "2025年6月"  # type: ignore[union-attr]
    july = due_period_info(p, D(2025, 8, 9))
    assert july == DuePeriod(D(2025, 7, 1), D(2025, 7, 31), D(2025, 8, 5), "2025年7月")
    # 08-09 − 08-05 = 4 days
    assert july.days_late(D(2025, 8, 9)) == 4
    # February 2025 has 28 days: due 02-28 + 5 = 03-05
    assert reporting_period(p, D(2025, 2, 10)).due == D(2025, 3, 5)


def test_quarterly_due_date() -> None:
    p = plan(cadence="quarterly", due_days=10)
    # Q2 ends 06-30, due 07-10; on 07-25 it is 15 days late
    q2 = due_period_info(p, D(2025, 7, 25))
    assert q2 == DuePeriod(D(2025, 4, 1), D(2025, 6, 30), D(2025, 7, 10), "2025年第2季度")
    assert q2.days_late(D(2025, 7, 25)) == 15
    assert due_period_info(p, D(2025, 7, 10)).label == "2025年第1季度"  # type: ignore[union-attr]
    # negative due_days ("每季度末月20日前"): Q3 ends 09-30, due 09-30 − 11 = 09-19, late on 09-20
    early = plan(cadence="quarterly", due_days=-11)
    q3 = DuePeriod(D(2025, 7, 1), D(2025, 9, 30), D(2025, 9, 19), "2025年第3季度")
    assert due_period_info(early, D(2025, 9, 20)) == q3
    assert [x.label for x in plan_periods(early)] == [f"2025年第{q}季度" for q in (1, 2, 3, 4)]


def test_before_the_start_and_before_the_first_due_date() -> None:
    p = plan(start=D(2025, 3, 10))
    assert due_period_info(p, D(2025, 3, 9)) is None  # before the plan starts
    # the first period is March (the one holding 03-10), due 04-05
    assert plan_periods(p)[0] == DuePeriod(D(2025, 3, 1), D(2025, 3, 31), D(2025, 4, 5), "2025年3月")
    assert due_period_info(p, D(2025, 4, 5)) is None
    assert due_period_info(p, D(2025, 4, 6)).label == "2025年3月"  # type: ignore[union-attr]


def test_after_the_end_the_last_period_stays_due() -> None:
    p = plan()
    # December due 2026-01-05; on 2026-03-01 it is 31 + 28 + 1 − 5 = 55 days late
    dec = due_period_info(p, D(2026, 3, 1))
    assert dec == DuePeriod(D(2025, 12, 1), D(2025, 12, 31), D(2026, 1, 5), "2025年12月")
    assert dec.days_late(D(2026, 3, 1)) == 55
    assert len(plan_periods(p)) == 12


def test_year_end_with_a_final_deadline_before_december_31() -> None:
    """Final deadline 12-20, due_days 5: December is a whole month, due 01-05 (issue 10 item 5a)."""
    p = plan(final=D(2025, 12, 20))
    assert plan_periods(p)[-1] == DuePeriod(D(2025, 12, 1), D(2025, 12, 31), D(2026, 1, 5), "2025年12月")
    # from 12-06 to 01-05 November (due 12-05) is the period due; 12-27 is 22 days after 12-05
    nov = due_period_info(p, D(2025, 12, 27))
    assert nov is not None and nov.label == "2025年11月" and nov.days_late(D(2025, 12, 27)) == 22
    assert due_period_info(p, D(2026, 1, 6)).label == "2025年12月"  # type: ignore[union-attr]


# --- the reminder list -----------------------------------------------------------


def test_units_missing_the_due_period_with_days_and_contacts() -> None:
    p = plan()
    # on 08-09 July (due 08-05) is due: A reported 07-31, B last 06-30, C never
    got = reminders(build_status(data(p, {"A": D(2025, 7, 31), "B": D(2025, 6, 30)}), D(2025, 8, 9)))
    assert got.state == "missing" and not got.ended
    assert [(r.unit, r.period, r.due_date, r.days_overdue, r.last_report, r.contact, r.phone) for r in got.rows] == [
        ("B", "2025年7月", D(2025, 8, 5), 4, D(2025, 6, 30), "李四", None),
        ("C", "2025年7月", D(2025, 8, 5), 4, None, None, None),
    ]
    units = build_status(data(p, {"A": D(2025, 7, 31), "B": D(2025, 6, 30)}), D(2025, 8, 9)).units
    assert [(u.unit, u.due_date, u.days_overdue) for u in units] == [
        ("A", D(2025, 8, 5), None),
        ("B", D(2025, 8, 5), 4),
        ("C", D(2025, 8, 5), 4),
    ]
    text = remind_text(got)
    assert "B：你单位2025年7月民生实事进展情况应于2025年8月5日前报送，截至2025年8月9日仍未报送，已逾期4天。" in text
    assert "联系人：李四。" in text
    assert text.rstrip().endswith("测试区人民政府督查室\n2025年8月9日")


def test_nothing_listed_before_a_period_is_due_and_once_all_reported() -> None:
    p = plan()
    before = reminders(build_status(data(p, {}), D(2025, 2, 5)))  # January due 02-05, late from 02-06
    assert before.state == "not_due" and before.rows == ()
    assert reminders(build_status(data(p, {}), D(2024, 12, 31))).state == "before_start"
    done = reminders(build_status(data(p, {n: D(2025, 7, 31) for n in "ABC"}), D(2025, 8, 9)))
    assert done.state == "all_reported" and done.rows == ()
    assert remind_text(done).startswith("各单位均已报送2025年7月进展")


def test_after_the_plan_ended() -> None:
    p = plan()
    got = reminders(build_status(data(p, {"A": D(2025, 12, 31)}), D(2026, 3, 1)))
    assert got.ended and got.state == "missing"
    # December due 2026-01-05: 55 days late on 03-01
    assert [(r.unit, r.days_overdue) for r in got.rows] == [("B", 55), ("C", 55)]


# --- the command, on a copy of the shipped data ---------------------------------------


def run(data_dir: Path, *args: str) -> str:
    result = runner.invoke(app, ["remind", *args, "--data", str(data_dir)])
    assert result.exit_code == 0, result.output
    return result.stdout


def drop_report(path: Path, day: str) -> None:
    """Remove one report (a ``  - date: DAY`` block) from a progress file."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"  - date: {day}\n(?:    .*\n)*")
    assert pattern.search(text), day
    path.write_text(pattern.sub("", text, count=1), encoding="utf-8")


@pytest.fixture
def july(shipped_copy: Path) -> Path:
    """The shipped data with 区交运局's and 区教育局's July reports not (yet) in, and contacts for 区交运局."""
    drop_report(shipped_copy / "progress" / "区交运局.yaml", "2024-07-31")
    drop_report(shipped_copy / "progress" / "区教育局.yaml", "2024-07-31")
    plan_file = shipped_copy / "plan-2024.yaml"
    text = plan_file.read_text(encoding="utf-8")
    old = "    full_name: 唐山市丰润区交通运输局\n"
    assert old in text
    plan_file.write_text(text.replace(old, old + "    contact: 张三\n    phone: 0315-1234567\n"), encoding="utf-8")
    return shipped_copy


def test_remind_lists_exactly_the_units_left_out(july: Path) -> None:
    # shipped plan: monthly, due_days 5 → July due 08-05; on 08-09 it is 4 days late.
    # 区交运局 and 区教育局 last reported 06-30; every other unit reported 07-31.
    got = json.loads(run(july, "--as-of", "2024-08-09", "--format", "json"))
    assert got["state"] == "missing" and got["ended"] is False
    assert got["period"] == {"label": "2024年7月", "start": "2024-07-01", "end": "2024-07-31", "due": "2024-08-05"}
    assert got["units"] == [
        {
            "unit": "区教育局",
            "period": "2024年7月",
            "due_date": "2024-08-05",
            "days_overdue": 4,
            "last_report": "2024-06-30",
            "contact": None,
            "phone": None,
        },
        {
            "unit": "区交运局",
            "period": "2024年7月",
            "due_date": "2024-08-05",
            "days_overdue": 4,
            "last_report": "2024-06-30",
            "contact": "张三",
            "phone": "0315-1234567",
        },
    ]
    assert got["reporting_units"] == 11 and got["office"] == "唐山市丰润区人民政府督查室"
    # the same units as `status` shows 未报送
    shown = runner.invoke(app, ["status", "--as-of", "2024-08-09", "-f", "json", "--data", str(july)])
    status = json.loads(shown.stdout)
    assert [u["unit"] for u in status["units"] if u["missing"]] == ["区教育局", "区交运局"]

    rows = list(csv.reader(io.StringIO(run(july, "--as-of", "2024-08-09", "--format", "csv").lstrip("\ufeff"))))
    assert rows[0] == ["单位", "报送期", "应报日期", "逾期天数", "最近报送", "联系人", "电话"]
    assert rows[1:] == [
        ["区教育局", "2024年7月", "2024-08-05", "4", "2024-06-30", "", ""],
        ["区交运局", "2024年7月", "2024-08-05", "4", "2024-06-30", "张三", "0315-1234567"],
    ]

    table = run(july, "--as-of", "2024-08-09")
    assert "催报清单（2个单位）" in table and "区交运局" in table and "0315-1234567" in table
    markdown = run(july, "--as-of", "2024-08-09", "--format", "markdown")
    assert "| 区交运局 | 2024年7月 | 2024-08-05 | 4 | 2024-06-30 | 张三 | 0315-1234567 |" in markdown

    text = run(july, "--as-of", "2024-08-09", "--format", "text")
    assert text.startswith("关于催报2024年7月民生实事进展情况的通知\n")
    assert (
        "区交运局：你单位2024年7月民生实事进展情况应于2024年8月5日前报送，截至2024年8月9日仍未报送，已逾期4天。"
        "请于收到本通知后1个工作日内报送；确有困难的，请说明原因。联系人：张三，电话：0315-1234567。"
    ) in text
    assert "区教育局：你单位2024年7月民生实事进展情况应于2024年8月5日前报送，截至2024年8月9日仍未报送，已逾期4天。" in (
        text
    )
    assert text.rstrip().endswith("唐山市丰润区人民政府督查室\n2024年8月9日")


def test_remind_before_the_due_date_and_out_of_the_plan(july: Path) -> None:
    # on 08-05 July is not late yet: June (due 07-05) is the period due, and everyone reported 06-30
    assert json.loads(run(july, "--as-of", "2024-08-05", "-f", "json"))["units"] == []
    assert "各单位均已报送2024年6月进展" in run(july, "--as-of", "2024-08-05")
    # January is due 02-05: nothing is due before then
    early = json.loads(run(july, "--as-of", "2024-02-05", "-f", "json"))
    assert early["state"] == "not_due" and early["period"] is None and early["units"] == []
    assert "尚无到期的报送期" in run(july, "--as-of", "2024-02-05", "-f", "text")
    before = run(july, "--as-of", "2023-12-01")
    assert "计划自2024年1月1日开始" in before and "尚无到期的报送期" in before
    # after the plan: December due 2025-01-05, every unit reported 12-31
    after = run(july, "--as-of", "2025-03-01")
    assert "计划已结束" in after and "各单位均已报送2024年12月进展" in after


def test_remind_office_from_the_plan_and_bad_format(july: Path) -> None:
    plan_file = july / "plan-2024.yaml"
    plan_file.write_text(
        plan_file.read_text(encoding="utf-8") + "\nsupervision:\n  office: 测试督查室\n", encoding="utf-8"
    )
    text = run(july, "--as-of", "2024-08-09", "-f", "text")
    assert text.rstrip().endswith("测试督查室\n2024年8月9日")
    bad = runner.invoke(app, ["remind", "--format", "xml", "--data", str(july)])
    assert bad.exit_code == 2
    assert "--format / -f 的值无效：“xml”不是可选的值；可选：table、json、csv、markdown、text" in bad.stderr


# --- one rule everywhere ------------------------------------------------------------


def test_every_user_of_periods_agrees_at_year_end() -> None:
    """Final deadline 12-20, due_days 5: December's report is due 2026-01-05 for status, remind,
    the 补报 flag of history and the docx sentences alike (before, history and docx said 12-25)."""
    from minsheng.history import due_date
    from minsheng.render.docx import reporting_sentences

    p = plan(final=D(2025, 12, 20))
    assert due_date(p, D(2025, 12, 20)) == D(2026, 1, 5)
    assert due_date(p, D(2025, 11, 3)) == D(2025, 12, 5)
    # on 12-27 November (due 12-05) is the period due: B (last 11-30) has reported, C (10-31) has not
    report = build_status(data(p, {"A": D(2025, 12, 20), "B": D(2025, 11, 30), "C": D(2025, 10, 31)}), D(2025, 12, 27))
    assert [(r.unit, r.days_overdue) for r in reminders(report).rows] == [("C", 22)]
    assert reporting_sentences(report) == ["C未按时报送2025年11月进展（应于2025年12月5日前报送）。"]
    # on 12-19, before the final deadline, A has reported for December (12-15); the rest have until 01-05
    report = build_status(data(p, {"A": D(2025, 12, 15), "B": D(2025, 11, 30), "C": D(2025, 10, 31)}), D(2025, 12, 19))
    assert reporting_sentences(report) == [
        "C未按时报送2025年11月进展（应于2025年12月5日前报送）。",
        "2025年12月进展已有1个单位报送，其余2个单位应于2026年1月5日前报送。",
    ]


def test_review_counts_a_period_from_the_day_its_report_is_late() -> None:
    """考评's 应报期数 follows the same rule: July (due 08-05) counts from 08-06, as 未报送 does."""
    from minsheng.supervision.compute import _periods_due

    p = plan()
    first = D(2025, 1, 31)
    assert len(_periods_due(p, D(2025, 8, 5), first)) == 6  # January … June
    assert _periods_due(p, D(2025, 8, 6), first)[-1] == (D(2025, 7, 1), D(2025, 7, 31))
    assert _periods_due(p, D(2025, 2, 5), first) == []


def test_contacts_are_cleaned_in_every_format() -> None:
    p = plan()
    units = (Unit("A", contact="\x1b]52;c;ZXZpbA==\x07张三", phone="0315\u202e-1234567"), Unit("B"), Unit("C"))
    from dataclasses import replace

    from minsheng.render.remind import remind_markdown, row

    got = reminders(build_status(data(replace(p, units=units), {}), D(2025, 2, 6)))
    text = remind_text(got) + remind_markdown(got) + "".join(c for x in got.rows for c in row(x))
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "联系人：张三，电话：0315-1234567。" in text and "| 张三 | 0315-1234567 |" in text


# --- --as-recorded: who was due as the data stood in git -------------------------------------

story = test_history.story  # 甲局's quarterly reports committed on dated days (tests/test_history.py)


def test_remind_as_recorded(story: tuple[GitRepo, dict[str, str]]) -> None:
    """Small plan, quarterly, due 10 days after the quarter: Q2 (to 06-30) is due 2025-07-10.
    甲局's Q2 report was committed on 2025-07-15; 乙中心 and 丙办 never report in this repository."""
    repo, _ = story

    def due(*extra: str) -> dict[str, int]:
        result = runner.invoke(app, ["remind", "--data", str(repo.data), "--as-of", "2025-07-20", "-f", "json", *extra])
        assert result.exit_code == 0, result.output
        return {x["unit"]: x["days_overdue"] for x in json.loads(result.stdout)["units"]}

    # today's data: 甲局 has reported Q2; the other two are 07-20 − 07-10 = 10 days overdue
    assert due() == {"乙中心": 10, "丙办": 10}
    # as recorded on 07-14, before 甲局's commit: 甲局 was due as well
    assert due("--as-recorded", "2025-07-14") == {"甲局": 10, "乙中心": 10, "丙办": 10}

"""Issue 11: the dashboard's two 序时进度 for one date each say which they are, and the lagging
list is counted as in every other output (滞后项目清单（N个项目、M个指标）).

At 2024-07-31 the headline shows the plan's line to 基本完成 (2024-10-31): 212 of 304 days,
69.7%. The overall chart's points are the weighted mean of the projects' own 序时进度 (their
deadlines and milestones), 68.9% that day: a different number, so a different name.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from minsheng.compute import StatusReport
from minsheng.render.fmt import pct
from minsheng.render.html import status_html
from minsheng.render.view import PLAN_TIME_LABEL, TASK_TIME_LABEL, TREND_TIME_LABEL
from tests.conftest import DATA
from tests.test_html import report_of


@pytest.fixture(scope="module")
def report() -> StatusReport:
    return report_of(DATA, dt.date(2024, 7, 31))


@pytest.fixture(scope="module")
def doc(report: StatusReport) -> str:
    return status_html(report)


def test_the_headline_is_the_plans_line_to_its_basic_deadline(report: StatusReport, doc: str) -> None:
    # Jan 1 → Jul 31 is 212 days of the 304 to Oct 31 (2024 is a leap year)
    assert pct(212 / 304) == "69.7%" == pct(report.time_progress)
    assert f'<b id="time-progress">69.7%</b><span>{PLAN_TIME_LABEL}</span>' in doc
    assert f"{PLAN_TIME_LABEL} 69.7%</span>" in doc  # the gauge's tag


def test_the_overall_charts_points_name_the_weighted_mean(report: StatusReport, doc: str) -> None:
    last = report.trend[-1]
    assert last.date == dt.date(2024, 7, 31) and pct(last.expected) != pct(report.time_progress)
    tips = re.findall(r"<title>(2024年7月31日 完成 [^<]*)</title>", doc)
    overall = f"2024年7月31日 完成 {pct(last.completion)}，{TREND_TIME_LABEL} {pct(last.expected)}"
    assert tips.count(overall) == 2  # the wide chart and the phone's
    # no tooltip says a bare "序时" any more: each is the weighted mean or the project's own
    assert not [t for t in tips if "，序时 " in t]
    task = report.tasks[0]
    assert f"，本项目序时 {pct(task.expected)}" in doc
    assert f"{TASK_TIME_LABEL} {pct(task.expected)}" in doc  # the chart's accessible name


def test_the_footer_says_how_they_differ(doc: str) -> None:
    footer = doc.split("<footer>", 1)[1]
    assert "任务的序时进度是其各指标的加权平均，所以可与开头的序时进度不同" in footer


def test_the_lagging_list_is_counted_in_projects_and_indicators(report: StatusReport, doc: str) -> None:
    lagging = report.lagging()
    projects = len({r.task_id for r in lagging})
    assert lagging
    assert f"<h2>四、滞后项目清单（{projects}个项目、{len(lagging)}个指标）</h2>" in doc
    assert f"滞后项目清单（{len(lagging)}项）" not in doc

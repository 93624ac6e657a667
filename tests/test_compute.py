"""The tracking rules, each worked out by hand in the test."""

from __future__ import annotations

import datetime as dt

import pytest

from minsheng.compute import (
    build_status,
    classify,
    completion_of,
    due_period,
    expected_at,
    forecast,
    time_progress,
)
from minsheng.dataset import Dataset
from minsheng.model import (
    Deadline,
    Deadlines,
    Indicator,
    Milestone,
    Plan,
    Report,
    Reporting,
    Task,
    Thresholds,
    Unit,
)

D = dt.date


def make_plan(
    tasks: tuple[Task, ...] | None = None,
    *,
    start: dt.date | None = None,
    reporting: Reporting | None = None,
    thresholds: Thresholds | None = None,
) -> Plan:
    default_tasks = (
        Task(
            id="1",
            name="甲",
            description="甲",
            units=("A",),
            indicators=(
                Indicator(id="1.1", name="路", unit="A", target=10, measure="公里"),
                Indicator(id="1.2", name="点", unit="A", kind="level", target=50, baseline=30, weight=2),
            ),
        ),
        Task(
            id="2",
            name="乙",
            description="乙",
            units=("B",),
            indicators=(Indicator(id="2.1", name="事", unit="B", kind="milestone"),),
        ),
    )
    return Plan(
        title="测试",
        region="测试区",
        year=2025,
        start=start,
        deadlines=Deadlines(basic=Deadline(D(2025, 10, 31), "基本完成"), final=Deadline(D(2025, 12, 31), "全面完成")),
        units=(Unit("A"), Unit("B")),
        tasks=tasks or default_tasks,
        reporting=reporting or Reporting(),
        thresholds=thresholds or Thresholds(),
    )


def ind(**kw: object) -> Indicator:
    base: dict[str, object] = {"id": "9.9", "name": "x", "unit": "A", "target": 100}
    base.update(kw)
    return Indicator(**base)  # type: ignore[arg-type]


# --- 序时进度 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 12, 31), 0.0),  # before the start: clamped
        (D(2025, 1, 1), 0.0),
        (D(2025, 3, 2), 60 / 303),  # 2025-01-01 → 2025-10-31 is 303 days
        (D(2025, 7, 31), 211 / 303),
        (D(2025, 10, 31), 1.0),
        (D(2025, 11, 30), 1.0),  # between 基本完成 and final: clamped at 1
    ],
)
def test_time_progress(day: dt.date, expected: float) -> None:
    assert time_progress(make_plan(), day) == pytest.approx(expected)


def test_time_progress_from_a_given_start() -> None:
    plan = make_plan(start=D(2025, 4, 1))  # 213 days to 10-31
    assert time_progress(plan, D(2025, 7, 1)) == pytest.approx(91 / 213)


def test_milestone_curve_is_interpolated() -> None:
    plan = make_plan()
    points = (Milestone(D(2025, 6, 30), 0.3), Milestone(D(2025, 9, 30), 0.8))
    # start (01-01, 0) → (06-30, 0.3): 03-01 is 59 of 180 days
    assert expected_at(plan, points, D(2025, 3, 1)) == pytest.approx(0.3 * 59 / 180)
    assert expected_at(plan, points, D(2025, 6, 30)) == pytest.approx(0.3)
    # (06-30, 0.3) → (09-30, 0.8): 08-15 is 46 of 92 days
    assert expected_at(plan, points, D(2025, 8, 15)) == pytest.approx(0.3 + 0.5 * 46 / 92)
    # after the last milestone the curve rises to 1 at 基本完成 (10-31): 10-15 is 15 of 31 days
    assert expected_at(plan, points, D(2025, 10, 15)) == pytest.approx(0.8 + 0.2 * 15 / 31)
    assert expected_at(plan, points, D(2025, 11, 15)) == pytest.approx(1.0)


# --- 完成率 -------------------------------------------------------------------


def test_completion_amount_floor_baseline_down_and_milestone() -> None:
    assert completion_of(ind(), None) == 0.0  # no report yet
    assert completion_of(ind(), 35) == pytest.approx(0.35)
    assert completion_of(ind(floor=True), 113) == pytest.approx(1.13)  # 超额完成 kept
    assert completion_of(ind(kind="level", target=253, baseline=180), 217) == pytest.approx(37 / 73)
    # lower is better: 5.0% → 4.3%; at 4.6% the gap closed is 0.4 of 0.7
    assert completion_of(ind(direction="down", baseline=5.0, target=4.3), 4.6) == pytest.approx(0.4 / 0.7)
    assert completion_of(ind(kind="milestone", target=None), True) == 1.0
    assert completion_of(ind(kind="milestone", target=None), False) == 0.0
    assert completion_of(ind(kind="milestone", target=None), 1) == 1.0


# --- status and light ----------------------------------------------------------

PLAN = make_plan()
MID = D(2025, 7, 1)


@pytest.mark.parametrize(
    ("completion", "expected", "status", "light"),
    [
        (1.0, 0.5, "done", "blue"),
        (0.9999999999, 0.5, "done", "blue"),  # float noise still counts as done
        (0.61, 0.60, "ahead", "green"),
        (0.60, 0.60, "on_track", "green"),
        (0.51, 0.60, "on_track", "green"),  # 9 points behind
        (0.50, 0.60, "behind", "yellow"),  # exactly 10 points: yellow (0.6 − 0.5 is 0.0999…)
        (0.31, 0.60, "behind", "yellow"),  # 29 points
        (0.30, 0.60, "far_behind", "red"),  # exactly 30 points: red
        (0.10, 0.60, "far_behind", "red"),
    ],
)
def test_classify_boundaries(completion: float, expected: float, status: str, light: str) -> None:
    assert classify(completion, expected, PLAN, MID, started=True) == (status, light)


def test_not_started_takes_its_light_from_the_gap() -> None:
    assert classify(0.0, 0.05, PLAN, MID, started=False) == ("not_started", "green")
    assert classify(0.0, 0.2, PLAN, MID, started=False) == ("not_started", "yellow")
    assert classify(0.0, 0.5, PLAN, MID, started=False) == ("not_started", "red")


def test_overdue_after_the_final_deadline() -> None:
    # past 基本完成 (10-31) anything unfinished is behind, however close
    assert classify(0.99, 1.0, PLAN, D(2025, 10, 31), started=True) == ("on_track", "green")
    assert classify(0.99, 1.0, PLAN, D(2025, 11, 1), started=True) == ("behind", "yellow")
    assert classify(0.99, 1.0, PLAN, D(2025, 12, 31), started=True) == ("behind", "yellow")
    assert classify(0.60, 1.0, PLAN, D(2025, 12, 31), started=True) == ("far_behind", "red")
    assert classify(0.99, 1.0, PLAN, D(2026, 1, 1), started=True) == ("overdue", "red")
    assert classify(1.0, 1.0, PLAN, D(2026, 1, 1), started=True) == ("done", "blue")


def test_thresholds_come_from_the_plan() -> None:
    plan = make_plan(thresholds=Thresholds(yellow=0.2, red=0.5))
    assert classify(0.45, 0.60, plan, MID, started=True) == ("on_track", "green")  # 15 behind
    assert classify(0.40, 0.60, plan, MID, started=True) == ("behind", "yellow")  # 20 behind
    assert classify(0.10, 0.60, plan, MID, started=True) == ("far_behind", "red")  # 50 behind


# --- as of a date, tasks, overall -------------------------------------------


def reports_a() -> tuple[Report, ...]:
    return (
        Report(D(2025, 3, 31), {"1.1": 2, "1.2": 34}, problems="无"),
        Report(D(2025, 6, 30), {"1.1": 5.5, "1.2": 40}, problems="雨季"),
        Report(D(2025, 9, 30), {"1.1": 12, "1.2": 45}, problems="无"),
    )


def dataset(b: tuple[Report, ...] = ()) -> Dataset:
    return Dataset(make_plan(), {"A": reports_a(), "B": b})


@pytest.mark.parametrize(
    ("day", "value"),
    [(D(2025, 3, 30), None), (D(2025, 3, 31), 2), (D(2025, 4, 1), 2), (D(2025, 6, 30), 5.5), (D(2025, 12, 1), 12)],
)
def test_value_is_the_latest_report_on_or_before_the_date(day: dt.date, value: float | None) -> None:
    report = build_status(dataset(), day)
    row = next(i for i in report.indicators() if i.indicator.id == "1.1")
    assert row.value == value
    assert row.last_report == (None if value is None else max(r.date for r in reports_a() if r.date <= day))


def test_task_completion_is_the_weighted_mean_capped_and_overall_the_mean() -> None:
    report = build_status(dataset((Report(D(2025, 9, 1), {"2.1": True}),)), D(2025, 9, 30))
    task1, task2 = report.tasks
    # 1.1: 12/10 = 1.2 (shown), capped to 1 in the mean; 1.2: (45−30)/(50−30) = 0.75, weight 2
    assert task1.indicators[0].completion == pytest.approx(1.2)
    assert task1.completion == pytest.approx((1.0 * 1 + 0.75 * 2) / 3)
    assert task2.completion == 1.0
    assert report.completion == pytest.approx(((2.5 / 3) + 1.0) / 2)
    assert report.counts["done"] == 1


def test_milestone_indicator_is_due_at_the_basic_deadline_not_pro_rata() -> None:
    report = build_status(dataset(), D(2025, 7, 31))
    row = report.tasks[1].indicators[0]
    assert row.expected == 0.0
    assert (row.status, row.light) == ("not_started", "green")
    late = build_status(dataset(), D(2025, 11, 1)).tasks[1].indicators[0]
    assert (late.expected, late.status, late.light) == (1.0, "not_started", "red")


def test_since_gives_the_change_between_two_dates() -> None:
    report = build_status(dataset(), D(2025, 6, 30), since=D(2025, 3, 31))
    row = report.tasks[0].indicators[0]
    assert row.change == pytest.approx(0.55 - 0.2)
    # task 1 at 06-30: (0.55 + 2×0.5)/3; at 03-31: (0.2 + 2×0.2)/3
    assert report.tasks[0].change == pytest.approx((0.55 + 1.0) / 3 - (0.2 + 0.4) / 3)


def test_lagging_list_is_sorted_by_gap() -> None:
    report = build_status(dataset(), D(2025, 6, 30))
    # at 06-30 time progress is 180/303 = 0.594; 1.1 at 0.55 is on track, 1.2 at 0.5 is 9.4 behind
    assert [i.indicator.id for i in report.lagging()] == []
    report = build_status(dataset(), D(2025, 8, 31))
    # 08-31: 242/303 = 0.799; 1.1 still 0.55 (24.9 behind), 1.2 still 0.5 (29.9 behind)
    assert [i.indicator.id for i in report.lagging()] == ["1.2", "1.1"]


# --- forecast -----------------------------------------------------------------


def test_forecast_from_the_latest_reports_pace() -> None:
    plan = make_plan()
    target = ind(target=100)
    history = ((D(2025, 4, 30), 10), (D(2025, 5, 31), 20), (D(2025, 6, 30), 40))
    got = forecast(target, history, plan)
    # pace over 04-30 → 06-30 (61 days): 30 points, so 60 more points take 122 days
    assert got is not None and got.date == D(2025, 6, 30) + dt.timedelta(days=122)
    assert got.overdue is False
    slow = forecast(target, ((D(2025, 5, 31), 10), (D(2025, 6, 30), 11)), plan)
    # 1 point in 30 days: 89 more points take 2670 days, far past 12-31
    assert slow is not None and slow.date == D(2025, 6, 30) + dt.timedelta(days=2670) and slow.overdue
    stalled = forecast(target, ((D(2025, 5, 31), 10), (D(2025, 6, 30), 10)), plan)
    assert stalled is not None and stalled.date is None
    assert forecast(target, ((D(2025, 6, 30), 40),), plan) is None  # too little data
    assert forecast(target, ((D(2025, 5, 31), 90), (D(2025, 6, 30), 100)), plan) is None  # done


# --- reporting freshness ------------------------------------------------------


def test_due_period_monthly_with_grace_days() -> None:
    plan = make_plan(reporting=Reporting(cadence="monthly", due_days=5))
    # 次月5日前: June's report is due on 07-05, so it is late from 07-06, not on the 5th
    assert due_period(plan, D(2025, 7, 6)) == (D(2025, 6, 1), "2025年6月")
    assert due_period(plan, D(2025, 7, 5)) == (D(2025, 5, 1), "2025年5月")
    assert due_period(plan, D(2025, 2, 5)) is None  # January is due on 02-05: nothing late yet
    assert due_period(plan, D(2025, 2, 6)) == (D(2025, 1, 1), "2025年1月")
    # long after the year, the last period due is December
    assert due_period(plan, D(2027, 3, 1)) == (D(2025, 12, 1), "2025年12月")


def test_due_period_quarterly() -> None:
    plan = make_plan(reporting=Reporting(cadence="quarterly", due_days=10))
    # Q2 ends 06-30 and is due 07-10: late from 07-11
    assert due_period(plan, D(2025, 7, 11)) == (D(2025, 4, 1), "2025年第2季度")
    assert due_period(plan, D(2025, 7, 10)) == (D(2025, 1, 1), "2025年第1季度")


def test_missing_report_for_the_period() -> None:
    data = Dataset(
        make_plan(reporting=Reporting(cadence="monthly", due_days=0)),
        {"A": reports_a(), "B": (Report(D(2025, 8, 15), {"2.1": False}),)},
    )
    report = build_status(data, D(2025, 9, 1))
    # August is due on 08-31 (due_days 0), late from 09-01: A's last report is 06-30 (missing),
    # B reported on 08-15
    assert [(u.unit, u.missing) for u in report.units] == [("A", True), ("B", False)]
    assert report.units[0].due_period == "2025年8月"
    # on 08-31 itself August is not late yet: July is the period due, and B's 08-15 counts for it
    on_the_day = build_status(data, D(2025, 8, 31))
    assert [(u.unit, u.missing, u.due_period) for u in on_the_day.units] == [
        ("A", True, "2025年7月"),
        ("B", False, "2025年7月"),
    ]


def test_year_end_week_with_a_final_deadline_before_december_31() -> None:
    """Final deadline 12-20, due_days 5: December is still a whole month, due 01-05.

    Hand-worked ledger, last report of each unit: A 12-20, B 11-30, C 10-31, D 11-15, E 09-30.
    From 12-06 to 01-05 the period due is November (ended 11-30, due 12-05): a unit is missing
    if it has no report since 11-01, which is C and E. From 01-06 December is due (since 12-01):
    only A has reported since, so B, C, D and E are missing.
    """
    names = ("A", "B", "C", "D", "E")
    plan = Plan(
        title="测试",
        region="测试区",
        year=2025,
        deadlines=Deadlines(basic=Deadline(D(2025, 10, 31), "基本完成"), final=Deadline(D(2025, 12, 20), "全面完成")),
        units=tuple(Unit(n) for n in names),
        tasks=(
            Task(
                id="1",
                name="甲",
                description="甲",
                units=names,
                indicators=tuple(Indicator(id=f"1.{k}", name=n, unit=n, target=10) for k, n in enumerate(names, 1)),
            ),
        ),
        reporting=Reporting(cadence="monthly", due_days=5),
    )
    last = {"A": D(2025, 12, 20), "B": D(2025, 11, 30), "C": D(2025, 10, 31), "D": D(2025, 11, 15), "E": D(2025, 9, 30)}
    data = Dataset(plan, {n: (Report(day, {f"1.{k}": 5}),) for k, (n, day) in enumerate(last.items(), 1)})

    def missing(day: dt.date) -> tuple[list[str], set[str | None]]:
        units = build_status(data, day).units
        return [u.unit for u in units if u.missing], {u.due_period for u in units}

    for day in (D(2025, 12, 25), D(2025, 12, 27), D(2025, 12, 30), D(2025, 12, 31), D(2026, 1, 5)):
        assert missing(day) == (["C", "E"], {"2025年11月"}), day
    assert missing(D(2026, 1, 6)) == (["B", "C", "D", "E"], {"2025年12月"})
    assert missing(D(2026, 6, 30)) == (["B", "C", "D", "E"], {"2025年12月"})


def test_trend_matches_the_status_at_each_report_date() -> None:
    data = dataset((Report(D(2025, 9, 1), {"2.1": True}),))
    trend = build_status(data, D(2025, 9, 30)).trend
    assert [p.date for p in trend] == [D(2025, 3, 31), D(2025, 6, 30), D(2025, 9, 1), D(2025, 9, 30)]
    for point in trend:
        at = build_status(data, point.date)
        assert point.completion == pytest.approx(at.completion)
        assert point.tasks["1"] == pytest.approx((at.tasks[0].completion, at.tasks[0].expected))
    # 06-30: task 1 is (0.55 + 2×0.5)/3, task 2 not done yet
    assert trend[1].tasks["1"][0] == pytest.approx(1.55 / 3) and trend[1].tasks["2"][0] == 0.0

"""留痕 (issue 15): history, --as-recorded and validate --changes-since on a repository of dated commits.

The repository is built here with fixed GIT_AUTHOR_DATE / GIT_COMMITTER_DATE and two
authors; every expected event, flag and day count is worked out by hand below.
The plan is the small test plan (2025, quarterly reports due 10 days after the quarter).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from tests.conftest import SMALL
from tests.gitrepo import LI, ZHANG, GitRepo

runner = CliRunner()
PLAN = (SMALL / "plan-2025.yaml").read_text(encoding="utf-8")

HEAD = "unit: 甲局\nreports:\n"
Q1 = "  - date: 2025-03-31\n    values:\n      1.1: 2\n      1.2: 34\n    summary: 开工。\n"
MAY = "  - date: 2025-05-31\n    values:\n      1.1: 4\n      1.2: 38\n    summary: 补报五月。\n"
Q2 = "  - date: 2025-06-30\n    values:\n      1.1: 5\n      1.2: 40\n    summary: 过半。\n"
Q2_FIXED = "  - date: 2025-06-30\n    values:\n      1.1: 5.5\n      1.2: 40\n    summary: 过半，更正。\n"

C1 = "2025-04-08T10:00:00+08:00"  # Q1 report, due 2025-04-10: on time
C2 = "2025-07-15T09:30:00+08:00"  # Q2 report, due 2025-07-10: 5 days late
C3 = "2025-08-01T16:00:00+08:00"  # corrects Q2's 1.1 (5 -> 5.5), 17 days after C2; 通报 of 2025-07-18 in between
C4 = "2025-08-02T11:00:00+08:00"  # back-dated 2025-05-31 report: Q2 due 2025-07-10 -> 23 days late; before 06-30
C5 = "2025-08-03T12:00:00+08:00"  # deletes the Q1 report


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def story(tmp_path: Path) -> tuple[GitRepo, dict[str, str]]:
    repo = GitRepo(tmp_path / "repo")
    shas = {}
    shas["c1"] = repo.commit(C1, ZHANG, {"plan-2025.yaml": PLAN, "progress/甲局.yaml": HEAD + Q1}, "甲局一季度")
    shas["c2"] = repo.commit(C2, LI, {"progress/甲局.yaml": HEAD + Q1 + Q2}, "甲局二季度")
    shas["c3"] = repo.commit(C3, LI, {"progress/甲局.yaml": HEAD + Q1 + Q2_FIXED}, "更正二季度")
    shas["c4"] = repo.commit(C4, LI, {"progress/甲局.yaml": HEAD + Q1 + MAY + Q2_FIXED}, "补报五月")
    shas["c5"] = repo.commit(C5, ZHANG, {"progress/甲局.yaml": HEAD + MAY + Q2_FIXED}, "删除一季度")
    return repo, shas


def history_json(data: Path, *args: str) -> list[dict]:
    result = run("history", "--data", str(data), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_history_json_event_by_event(story: tuple[GitRepo, dict[str, str]]) -> None:
    repo, c = story
    events = history_json(repo.data, "--issued", "2025-07-18")
    progress = str(repo.data / "progress" / "甲局.yaml")
    zhang = "张三 <zhang@office.example>"
    li = "李四 <li@unit.example>"
    assert events == [
        {
            "file": str(repo.data / "plan-2025.yaml"),
            "unit": None,
            "report_date": None,
            "commit": c["c1"],
            "author": zhang,
            "committed_at": C1,
            "kind": "added",
            "changes": [],
            "flags": [],
        },
        {
            "file": progress,
            "unit": "甲局",
            "report_date": "2025-03-31",
            "commit": c["c1"],
            "author": zhang,
            "committed_at": C1,
            "kind": "added",
            "changes": [
                {"field": "values.1.1", "old": None, "new": 2},
                {"field": "values.1.2", "old": None, "new": 34},
                {"field": "summary", "old": None, "new": "开工。"},
            ],
            "flags": [],
        },
        {
            "file": progress,
            "unit": "甲局",
            "report_date": "2025-06-30",
            "commit": c["c2"],
            "author": li,
            "committed_at": C2,
            "kind": "added",
            "changes": [
                {"field": "values.1.1", "old": None, "new": 5},
                {"field": "values.1.2", "old": None, "new": 40},
                {"field": "summary", "old": None, "new": "过半。"},
            ],
            "flags": [{"flag": "补报", "days": 5, "due": "2025-07-10"}],
        },
        {
            "file": progress,
            "unit": "甲局",
            "report_date": "2025-06-30",
            "commit": c["c3"],
            "author": li,
            "committed_at": C3,
            "kind": "changed",
            "changes": [
                {"field": "values.1.1", "old": 5, "new": 5.5},
                {"field": "summary", "old": "过半。", "new": "过半，更正。"},
            ],
            "flags": [
                {
                    "flag": "改数",
                    "days": 17,
                    "first_committed": C2,
                    "issued": [{"date": "2025-07-18", "name": "--issued"}],
                }
            ],
        },
        {
            "file": progress,
            "unit": "甲局",
            "report_date": "2025-05-31",
            "commit": c["c4"],
            "author": li,
            "committed_at": C4,
            "kind": "added",
            "changes": [
                {"field": "values.1.1", "old": None, "new": 4},
                {"field": "values.1.2", "old": None, "new": 38},
                {"field": "summary", "old": None, "new": "补报五月。"},
            ],
            "flags": [{"flag": "补报", "days": 23, "due": "2025-07-10"}, {"flag": "插入", "before": "2025-06-30"}],
        },
        {
            "file": progress,
            "unit": "甲局",
            "report_date": "2025-03-31",
            "commit": c["c5"],
            "author": zhang,
            "committed_at": C5,
            "kind": "removed",
            "changes": [
                {"field": "values.1.1", "old": 2, "new": None},
                {"field": "values.1.2", "old": 34, "new": None},
                {"field": "summary", "old": "开工。", "new": None},
            ],
            "flags": [{"flag": "删除"}],
        },
    ]


def test_history_filters(story: tuple[GitRepo, dict[str, str]]) -> None:
    repo, c = story
    every = [c[k] for k in ("c1", "c2", "c3", "c4", "c5")]
    assert [e["commit"] for e in history_json(repo.data, "--unit", "甲")] == every
    assert history_json(repo.data, "--unit", "乙中心") == []
    # 1.2 did not change in c3: that event is about 1.1 and the text only
    assert [e["commit"] for e in history_json(repo.data, "--indicator", "1.2")] == [c["c1"], c["c2"], c["c4"], c["c5"]]
    assert [e["commit"] for e in history_json(repo.data, "--since", "2025-08-02")] == [c["c4"], c["c5"]]
    unknown = run("history", "--data", str(repo.data), "--unit", "丁局")
    assert unknown.exit_code == 2


def test_history_tag_is_a_notice(story: tuple[GitRepo, dict[str, str]]) -> None:
    repo, c = story
    repo.git("tag", "-a", "tongbao-2025-q2", c["c2"], "-m", "二季度通报", when="2025-07-20T10:00:00+08:00")
    (changed,) = [e for e in history_json(repo.data) if e["kind"] == "changed"]
    assert changed["flags"][0]["issued"] == [{"date": "2025-07-20", "name": "tag tongbao-2025-q2"}]


def test_history_other_formats(story: tuple[GitRepo, dict[str, str]]) -> None:
    repo, _ = story
    table = run("history", "--data", str(repo.data), "--issued", "2025-07-18")
    assert table.exit_code == 0, table.output
    words = ("补报（晚 5 天", "改数（首次提交后 17 天；其间已通报：2025-07-18", "插入（已有 2025-06-30", "删除", "李四")
    for word in words:
        assert word in table.stdout
    md = run("history", "--data", str(repo.data), "--format", "markdown")
    assert md.stdout.startswith("# 留痕") and "| 2025-08-01 16:00 | 李四 | 甲局 | 2025-06-30 | 修改 |" in md.stdout
    csv = run("history", "--data", str(repo.data), "--format", "csv")
    lines = csv.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("提交时间,作者,提交,文件,单位,报告日期,类型,项目,原值,新值,标记")
    assert any(",修改,1.1,5,5.5,改数" in line for line in lines)


def status_value(data: Path, *args: str) -> float | int | None:
    result = run("status", "--data", str(data), "--as-of", "2025-06-30", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    return next(i["value"] for t in report["tasks"] for i in t["indicators"] if i["id"] == "1.1")


def test_status_as_recorded_before_and_after_the_correction(story: tuple[GitRepo, dict[str, str]]) -> None:
    repo, c = story
    assert status_value(repo.data) == 5.5  # the working tree
    assert status_value(repo.data, "--as-recorded", "2025-07-31") == 5  # what the 通报 of July saw
    assert status_value(repo.data, "--as-recorded", "2025-08-01") == 5.5  # c3, 16:00 that day
    assert status_value(repo.data, "--as-recorded", c["c2"]) == 5
    assert status_value(repo.data, "--as-recorded", c["c2"][:8]) == 5
    # before the Q2 report was committed, 1.1 as of 06-30 came from the Q1 report
    assert status_value(repo.data, "--as-recorded", "2025-07-14") == 2


def test_as_recorded_reaches_every_export(story: tuple[GitRepo, dict[str, str]], tmp_path: Path) -> None:
    repo, _ = story
    base = ["--data", str(repo.data), "--as-of", "2025-06-30", "--as-recorded", "2025-07-31"]
    csv = run("export", "csv", *base)
    assert csv.exit_code == 0, csv.output
    row = next(line for line in csv.stdout.splitlines() if line.startswith("1.1,") or ",修路," in line)
    assert ",5," in row and "5.5" not in row
    for kind in ("xlsx", "html", "docx"):
        out = tmp_path / f"out.{kind}"
        result = run("export", kind, "-o", str(out), *base)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert run("report", "--unit", "甲局", "-f", "json", *base).exit_code == 0
    assert run("trend", *base).exit_code == 0


def test_validate_changes_since(story: tuple[GitRepo, dict[str, str]]) -> None:
    repo, c = story
    progress = repo.data / "progress" / "甲局.yaml"
    result = run("validate", "--data", str(repo.data), "--changes-since", c["c2"], "--format", "json")
    assert result.exit_code == 0, result.output  # warnings only
    found = json.loads(result.stdout)["problems"]
    # Working tree: the 05-31 report is items 0 (line 3), 06-30 is item 1 (line 8), its 1.1 on line 10.
    assert [(p["file"], p["line"], p["code"], p["severity"]) for p in found] == [
        (str(progress), 2, "committed-value-removed", "warning"),
        (str(progress), 2, "committed-value-removed", "warning"),
        (str(progress), 10, "committed-value-changed", "warning"),
    ]
    assert "2025-03-31 的报告（指标 1.1 已提交的值 2）" in found[0]["message"]
    assert "2025-03-31 的报告（指标 1.2 已提交的值 34）" in found[1]["message"]
    assert "2025-06-30 的报告中指标 1.1 已提交的值 5 被改为 5.5" in found[2]["message"]
    strict = run("validate", "--data", str(repo.data), "--changes-since", c["c2"], "--strict", "--format", "github")
    assert strict.exit_code == 1
    annotations = [line for line in strict.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 3 and all(a.startswith("::error file=") for a in annotations)
    assert ",line=10,col=12,title=committed-value-changed::" in annotations[2]
    text = run("validate", "--data", str(repo.data), "--changes-since", c["c2"])
    assert text.exit_code == 0 and f"{progress}:10:12: [committed-value-changed] 警告：" in text.stdout
    # Since the last commit nothing committed was changed; since c4 only the Q1 report was removed.
    assert "committed-value" not in run("validate", "--data", str(repo.data), "--changes-since", "HEAD").stdout
    assert (
        run("validate", "--data", str(repo.data), "--changes-since", c["c4"], "-f", "json").stdout.count(
            "committed-value-removed"
        )
        == 2
    )


def test_changes_since_counts_uncommitted_edits(story: tuple[GitRepo, dict[str, str]]) -> None:
    repo, _ = story
    path = repo.data / "progress" / "甲局.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("1.2: 40", "1.2: 41"), encoding="utf-8")
    result = run("validate", "--data", str(repo.data), "--changes-since", "HEAD", "-f", "json")
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["code"] == "committed-value-changed" and "40 被改为 41" in problem["message"]


# --- bad input ------------------------------------------------------------------------------------


def test_not_a_git_repository(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    for args in (
        ["history", "--data", str(data)],
        ["status", "--data", str(data), "--as-recorded", "2025-07-01"],
        ["validate", "--data", str(data), "--changes-since", "HEAD"],
    ):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert "不在 git 仓库中" in result.stderr
    assert run("status", "--data", str(data), "--as-of", "2025-06-30").exit_code == 0
    assert run("validate", "--data", str(data)).exit_code == 0


def test_as_recorded_before_the_first_commit(story: tuple[GitRepo, dict[str, str]]) -> None:
    repo, _ = story
    result = run("status", "--data", str(repo.data), "--as-recorded", "2025-04-07")
    assert result.exit_code == 2
    assert "早于第一次提交" in result.stderr and "2025-04-08" in result.stderr
    unknown = run("status", "--data", str(repo.data), "--as-recorded", "no-such-rev")
    assert unknown.exit_code == 2 and "找不到提交" in unknown.stderr


def test_as_recorded_before_the_plan_was_committed(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.commit("2025-01-02T09:00:00+08:00", ZHANG, {"README.txt": "数据仓库\n"})
    repo.commit(C1, ZHANG, {"plan-2025.yaml": PLAN, "progress/甲局.yaml": HEAD + Q1})
    result = run("status", "--data", str(repo.data), "--as-recorded", "2025-01-05")
    assert result.exit_code == 2 and "还没有计划文件" in result.stderr

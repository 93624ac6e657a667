"""督办 (issue 14): a year played on a copy of the shipped data, the ledger's write path, and its rules.

Lights per period are read from `status --as-of END --format json`, the same computation the
suggestions use; the 考评 score is worked out in the test from the documented rule.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import yaml
from typer.testing import CliRunner

from minsheng.cli import app

runner = CliRunner()


def run(data: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result.stdout


def status(data: Path, day: str) -> dict:
    return json.loads(run(data, "status", "--as-of", day, "--format", "json"))


def light(data: Path, day: str, task: str) -> str:
    return next(t["light"] for t in status(data, day)["tasks"] if t["id"] == task)


def test_a_year_of_supervision(shipped_copy: Path) -> None:
    data = shipped_copy
    # Task 4 is red at the end of April and of May: two periods in a row → 挂牌督办 is suggested.
    assert [light(data, d, "4") for d in ("2024-04-30", "2024-05-31")] == ["red", "red"]
    may = status(data, "2024-05-31")["supervision"]
    assert may is None  # no ledger yet
    out = run(data, "status", "--as-of", "2024-05-31")
    assert "督办事项" not in out
    run(
        data, "supervise", "add", "--kind", "提醒", "--unit", "区司法局", "--demand", "按时报送", "--date", "2024-05-31"
    )
    may = status(data, "2024-05-31")["supervision"]
    ids = [s["id"] for s in may["suggestions"]]
    assert "4-挂牌督办" in ids
    four = next(s for s in may["suggestions"] if s["id"] == "4-挂牌督办")
    assert [p["light"] for p in four["lights"]][-2:] == ["red", "red"]
    assert [p["period"] for p in four["lights"]][-2:] == ["2024年4月", "2024年5月"]

    # Suggestion 1 recorded: 挂牌督办 on task 4, due at the end of June.
    run(data, "supervise", "add", "--from-suggestion", "4-挂牌督办", "--date", "2024-06-05", "--due", "2024-06-30")
    june = status(data, "2024-06-30")["supervision"]
    assert "4-挂牌督办" not in [s["id"] for s in june["suggestions"]]
    # June is red as well: three in a row → 约谈 (suggestion 2).
    assert light(data, "2024-06-30", "4") == "red"
    assert "4-约谈" in [s["id"] for s in june["suggestions"]]
    run(data, "supervise", "add", "--from-suggestion", "4-约谈", "--date", "2024-07-03", "--due", "2024-08-31")

    run(data, "supervise", "reply", "DB2024-002", "--text", "已增加施工队伍3支", "--date", "2024-06-20")
    # DB2024-002 (the 挂牌督办) is open past its 整改时限 on 07-05: 逾期未整改, and 通报批评 is suggested.
    july = status(data, "2024-07-05")["supervision"]
    assert july["overdue"] == ["DB2024-002"]
    assert "DB2024-002-通报批评" in [s["id"] for s in july["suggestions"]]
    listed = json.loads(run(data, "supervise", "list", "--overdue", "--as-of", "2024-07-05", "--format", "json"))
    assert [a["id"] for a in listed] == ["DB2024-002"]
    assert listed[0]["replies"] == [{"date": "2024-06-20", "text": "已增加施工队伍3支"}]
    # Closed late (07-10 after 06-30); the 约谈 closed on time (08-20 before 08-31).
    run(data, "supervise", "close", "DB2024-002", "--check", "现场核验：新增3个标段开工", "--date", "2024-07-10")
    run(data, "supervise", "close", "DB2024-003", "--check", "约谈后进度恢复", "--date", "2024-08-20")
    run(data, "supervise", "verify", "2.1", "--note", "现场核验两条管网通水", "--date", "2024-08-10")
    closed = json.loads(run(data, "supervise", "list", "--as-of", "2024-12-31", "--format", "json"))
    by_id = {a["id"]: a for a in closed}
    assert by_id["DB2024-002"]["closed"]["on_time"] is False
    assert by_id["DB2024-003"]["closed"]["on_time"] is True
    assert by_id["DB2024-002"]["status_label"] == "已销号（逾期）"

    # The 督办函 states the numbers status gave on the action's date.
    letter = data.parent / "督办函.docx"
    run(data, "export", "letter", "DB2024-002", "-o", str(letter))
    text = "\n".join(p.text for p in docx.Document(str(letter)).paragraphs)
    day = status(data, "2024-06-05")
    task4 = next(t for t in day["tasks"] if t["id"] == "4")
    assert f"完成率{task4['completion'] * 100:.1f}%" in text
    assert f"序时进度{task4['expected'] * 100:.1f}%" in text
    assert "区交运局：" in text
    assert "2024年6月30日前完成整改" in text
    assert "唐山市丰润区人民政府督查室" in text

    # 考评 at 12-31, by the rule in the README (weights 20/40/20/20).
    review = json.loads(run(data, "review", "--as-of", "2024-12-31", "--format", "json"))
    year = status(data, "2024-12-31")
    ledgers = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (data / "progress").glob("*.yaml")}
    first = min(dt.date.fromisoformat(str(r["date"])) for led in ledgers.values() for r in led["reports"])
    # Monthly periods from the first report's month (April) whose report was due (end + 5 days) by 12-31:
    # April … November = 8.
    due = 8
    assert first.month == 4
    for row in review:
        unit = row["unit"]
        mine = [i for t in year["tasks"] for i in t["indicators"] if i["unit"] == unit]
        months = {dt.date.fromisoformat(str(r["date"])).month for r in ledgers[unit]["reports"]}
        reported = len(months & set(range(4, 12)))
        progress = sum(min(i["completion"] / i["expected"], 1) for i in mine) / len(mine)
        verified = sum(1 for i in mine if i["id"] == "2.1") / len(mine)
        got = {"区交运局": 2, "区司法局": 1}.get(unit, 0)
        late = {"区交运局": 1}.get(unit, 0)
        supervision = 1 - late / got if got else 1.0
        score = (20 * reported / due + 40 * progress + 20 * verified + 20 * supervision) / 100 * 100
        assert row["periods_due"] == due
        assert row["reported"] == reported, unit
        assert row["actions"] == got
        assert row["score"] == pytest.approx(round(score, 1)), unit
    scores = [r["score"] for r in review]
    assert scores == sorted(scores, reverse=True)
    assert [r["rank"] for r in review] == list(range(1, len(review) + 1))
    # 区住建局 has one of its two indicators verified; 区交运局 lost half of its 督办 part.
    by_unit = {r["unit"]: r for r in review}
    assert by_unit["区住建局"]["verified"] == pytest.approx(0.5)
    assert by_unit["区交运局"]["closed_on_time"] == 1
    # And validate passes on the whole directory, the ledger included.
    assert runner.invoke(app, ["validate", "--data", str(data)]).exit_code == 0


def test_a_refused_entry_writes_nothing(shipped_copy: Path) -> None:
    run(shipped_copy, "supervise", "add", "--kind", "督办函", "--task", "3", "--demand", "加快", "--date", "2024-06-01")
    path = shipped_copy / "supervision-2024.yaml"
    before = path.read_bytes()
    for args in (
        [
            "supervise",
            "add",
            "--kind",
            "督办函",
            "--task",
            "3",
            "--demand",
            "x",
            "--due",
            "2024-05-01",
            "--date",
            "2024-06-01",
        ],
        ["supervise", "add", "--kind", "表扬", "--task", "3", "--demand", "x", "--date", "2024-06-01"],
        ["supervise", "close", "DB2024-099", "--check", "x", "--date", "2024-06-02"],
        ["supervise", "reply", "DB2024-001", "--text", "x", "--date", "2024-05-01"],
        ["supervise", "verify", "9.9", "--note", "x", "--date", "2024-06-02"],
    ):
        result = runner.invoke(app, [*args, "--data", str(shipped_copy)])
        assert result.exit_code == 1, (args, result.output)
        assert "未写入" in result.output
        assert path.read_bytes() == before, args
    twice = ["supervise", "close", "DB2024-001", "--check", "核验", "--date", "2024-06-03"]
    assert runner.invoke(app, [*twice, "--data", str(shipped_copy)]).exit_code == 0
    after_close = path.read_bytes()
    assert after_close.startswith(before)  # insert-only: every earlier byte kept
    assert runner.invoke(app, [*twice, "--data", str(shipped_copy)]).exit_code == 1
    assert path.read_bytes() == after_close


def test_a_correction_keeps_what_it_corrects(shipped_copy: Path) -> None:
    run(shipped_copy, "supervise", "add", "--kind", "督办函", "--task", "3", "--demand", "加快", "--due", "2024-06-30",
        "--date", "2024-06-01")  # fmt: skip
    run(shipped_copy, "supervise", "correct", "DB2024-001", "--due", "2024-07-31", "--reason", "时限笔误",
        "--date", "2024-06-02")  # fmt: skip
    text = (shipped_copy / "supervision-2024.yaml").read_text(encoding="utf-8")
    assert "due: 2024-06-30" in text and "due: 2024-07-31" in text and "时限笔误" in text
    listed = json.loads(run(shipped_copy, "supervise", "list", "--as-of", "2024-07-05", "--format", "json"))
    assert listed[0]["due"] == "2024-07-31"
    assert listed[0]["status"] == "open"  # not overdue under the corrected 时限


def test_concurrent_writers_lose_nothing(shipped_copy: Path) -> None:
    run(shipped_copy, "supervise", "add", "--kind", "督办函", "--task", "3", "--demand", "加快", "--date", "2024-06-01")
    env = {**os.environ, "MINSHENG_NO_CACHE": "1"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "minsheng",
                "supervise",
                "reply",
                "DB2024-001",
                "--text",
                f"第{n}次答复",
                "--date",
                "2024-06-10",
                "--data",
                str(shipped_copy),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for n in range(6)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, [err for _out, err in outputs]
    listed = json.loads(run(shipped_copy, "supervise", "list", "--format", "json", "--as-of", "2024-12-31"))
    assert sorted(r["text"] for r in listed[0]["replies"]) == sorted(f"第{n}次答复" for n in range(6))


def test_report_unit_lists_open_items_and_replies(shipped_copy: Path) -> None:
    run(shipped_copy, "supervise", "add", "--kind", "挂牌督办", "--task", "4", "--demand", "倒排工期",
        "--due", "2024-09-30", "--date", "2024-08-05")  # fmt: skip
    run(shipped_copy, "supervise", "reply", "DB2024-001", "--text", "新增两个标段", "--date", "2024-08-20")
    out = run(shipped_copy, "report", "--unit", "交运局", "--as-of", "2024-08-31")
    assert "DB2024-001 挂牌督办（任务4，整改中，整改时限 2024-09-30）：倒排工期" in out
    assert "答复 2024-08-20：新增两个标段" in out
    other = run(shipped_copy, "report", "--unit", "区住建局", "--as-of", "2024-08-31")
    assert "本单位无未销号的督办事项。" in other


def test_status_as_recorded_shows_the_ledger_as_it_stood(tmp_path: Path) -> None:
    """issue 15 with issue 14: --as-recorded reads the 督办 ledger from the same commit as the rest."""
    from tests.gitrepo import ZHANG, GitRepo
    from tests.test_history import HEAD, PLAN, Q1

    first = (
        "year: 2025\nentries:\n"
        '  - action: "DB2025-001"\n    date: 2025-04-10\n    kind: 挂牌督办\n    task: "1"\n'
        "    demand: 倒排工期\n    due: 2025-05-31\n"
    )
    later = first + '  - close: "DB2025-001"\n    date: 2025-05-20\n    check: 现场核验\n'
    repo = GitRepo(tmp_path / "repo")
    files = {"plan-2025.yaml": PLAN, "progress/甲局.yaml": HEAD + Q1, "supervision-2025.yaml": first}
    repo.commit("2025-04-11T10:00:00+08:00", ZHANG, files)
    repo.commit("2025-05-21T10:00:00+08:00", ZHANG, {"supervision-2025.yaml": later})

    def overdue_and_closed(*extra: str) -> tuple[list[str], list[str]]:
        args = ["status", "--data", str(repo.data), "--as-of", "2025-06-30", "--format", "json", *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        value = json.loads(result.stdout)["supervision"]
        return value["overdue"], value["closed"]

    assert overdue_and_closed() == ([], ["DB2025-001"])
    # as recorded on 05-01 the action was still open, and past its 整改时限 on 06-30
    assert overdue_and_closed("--as-recorded", "2025-05-01") == (["DB2025-001"], [])


def test_verified_and_self_reported_are_counted_apart_and_review_is_a_ledger_sheet(shipped_copy: Path) -> None:
    import openpyxl

    # At 12-31 the example ledgers report 9 of 10 tasks done; count the indicators reported done by hand:
    year = status(shipped_copy, "2024-12-31")
    done = [i["id"] for t in year["tasks"] for i in t["indicators"] if i["status"] == "done"]
    run(shipped_copy, "supervise", "verify", "1.1", "--note", "现场核验", "--date", "2024-12-20")
    run(shipped_copy, "supervise", "verify", "2.1", "--note", "现场核验", "--date", "2024-12-20")
    value = status(shipped_copy, "2024-12-31")["supervision"]
    assert value["verified"] == ["1.1", "2.1"]
    assert value["self_reported_done"] == done
    out = run(shipped_copy, "status", "--as-of", "2024-12-31")
    assert f"单位自报完成的指标{len(done)}个，其中核验销号2个，待核验{len(done) - 2}个。" in out
    # the year's 考评 is a sheet of the 台账, its numbers those of `review`
    path = shipped_copy.parent / "台账.xlsx"
    run(shipped_copy, "export", "xlsx", "--as-of", "2024-12-31", "-o", str(path))
    sheet = openpyxl.load_workbook(path)["年度考评"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    review = json.loads(run(shipped_copy, "review", "--as-of", "2024-12-31", "--format", "json"))
    assert rows[0][:2] == ["位次", "单位"]
    assert [(r[0], r[1], r[-1]) for r in rows[1:]] == [(x["rank"], x["unit"], x["score"]) for x in review]


def test_report_unit_shows_what_is_verified_and_what_waits(shipped_copy: Path) -> None:
    run(shipped_copy, "supervise", "verify", "2.1", "--note", "现场核验两条管网通水", "--date", "2024-08-10")
    out = run(shipped_copy, "report", "--unit", "区住建局", "--as-of", "2024-12-31")
    assert "已核验销号：2.1（2024-08-10）" in out
    assert "单位自报完成、待核验：1.1" in out  # 1.1 is reported done (3条) but nobody has checked it

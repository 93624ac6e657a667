"""The 月度通报 (issue 13 item 4, issue 14 item 4): `export bulletin` on the shipped data and on a ledger.

Every number is checked against `status --format json` of the same date; the ranking is worked out in
the test from those numbers and the documented rule (mean over a unit's indicators, sub-targets left
out, of min(max(完成率, 0), 1) − 序时进度, highest first, equal to 0.1 point share a 位次).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from minsheng.project import open_project
from minsheng.ranking import Period, rank_scores, reported_periods
from minsheng.render.bulletin_view import bulletin_title
from tests.conftest import DATA
from tests.office import convert, read_pdf, require_office, squeeze

runner = CliRunner()
SECTIONS = [
    "一、总体情况",
    "二、亮灯情况",
    "三、责任单位排名",
    "四、未报送单位",
    "五、挂牌督办及逾期未整改事项",
    "六、下步要求",
]
TITLE = "关于2024年7月份民生实事项目进展情况的通报"
LIGHTS = {"红灯": "red", "黄灯": "yellow", "绿灯": "green", "蓝灯": "blue"}
LABELS = {"done": "已完成", "ahead": "超序时", "on_track": "按序时", "behind": "滞后", "far_behind": "严重滞后"}


def run(data: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result.stdout


def status(data: Path, day: str) -> dict:
    return json.loads(run(data, "status", "--as-of", day, "--format", "json"))


def by_hand(report: dict) -> list[tuple[str, float]]:
    """(unit, 平均偏差 in points) ranked by the rule, from the JSON's numbers."""
    scores: dict[str, list[float]] = {}
    for task in report["tasks"]:
        for ind in task["indicators"]:
            if ind["part_of"] is None:
                capped = min(max(ind["completion"], 0.0), 1.0)
                scores.setdefault(ind["unit"], []).append(capped - ind["expected"])
    means = [(unit, sum(v) / len(v) * 100) for unit, v in scores.items()]
    return sorted(means, key=lambda pair: -round(pair[1], 1))


def ranks(ranked: list[tuple[str, float]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for place, (unit, score) in enumerate(ranked, start=1):
        prev = ranked[place - 2] if place > 1 else None
        out[unit] = out[prev[0]] if prev and round(prev[1], 1) == round(score, 1) else place
    return out


def read_docx(path: Path) -> docx.document.Document:
    return docx.Document(str(path))


def table_rows(table: docx.table.Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def md_table(text: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table whose header row starts with ``| header |``."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f"| {header} |"))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().replace("\\", "") for cell in line.strip("|").split(" | ")])
    return [rows[0], *rows[2:]]


@pytest.fixture(scope="module")
def july(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    out = tmp_path_factory.mktemp("bulletin") / "通报.docx"
    run(DATA, "export", "bulletin", "-o", str(out), "--as-of", "2024-07-31")
    return out, status(DATA, "2024-07-31"), status(DATA, "2024-06-30")


def test_the_docx_has_the_title_headings_and_the_status_numbers(july: tuple[Path, dict, dict]) -> None:
    path, js, _june = july
    document = read_docx(path)
    paras = document.paragraphs
    texts = [p.text for p in paras]
    title = next(p for p in paras if p.style.name == "Title")
    assert title.text.replace("\n", "") == TITLE
    assert "第7期" in texts[: texts.index(title.text)]  # 期号 by default: the 7th month of a January plan
    assert [p.text for p in paras if p.style.name == "Heading 1"] == SECTIONS
    assert document.core_properties.title == TITLE
    body = "\n".join(texts)
    # 完成率 (projects done), 总体进度 and the counts per status are status's.
    assert f"已完成{js['done']}项，完成率{js['done_rate'] * 100:.1f}%" in body
    assert f"总体进度{js['completion'] * 100:.1f}%" in body
    counts = next(t for t in texts if t.startswith("按项目状态统计："))
    shown = dict((label, int(n)) for label, n in re.findall(r"(超序时|按序时|滞后|严重滞后|已完成)(\d+)项", counts))
    assert shown == {LABELS[k]: n for k, n in js["counts"].items() if n and k in LABELS}
    assert shown == {"超序时": 6, "按序时": 2, "滞后": 1, "严重滞后": 1}
    # 亮灯: every project under the light status gave it.
    lights = table_rows(document.tables[0])
    assert lights[0] == ["灯色", "项目数", "项目"]
    for label, count, projects in lights[1:]:
        expected = [t["id"] for t in js["tasks"] if t["light"] == LIGHTS[label]]
        listed = [] if projects == "无" else [p.split(" ")[0] for p in projects.split("、")]
        assert listed == expected and int(count) == len(expected), label
    assert [row[0] for row in lights[1:]] == ["红灯", "黄灯", "绿灯", "蓝灯"]


def test_the_ranking_and_its_change_are_worked_by_hand(july: tuple[Path, dict, dict]) -> None:
    path, js, june = july
    rows = table_rows(read_docx(path).tables[1])
    assert rows[0] == ["位次", "责任单位", "指标数", "平均偏差（个百分点）", "上期位次", "位次变化"]
    now, before = by_hand(js), by_hand(june)
    # Top: 区人社局 — 8.1 and 8.2, one-off targets judged by stage (序时 0 before their deadline), done:
    # +100 points each; 8.3 70.6% against 69.7%: +0.9; mean (100 + 100 + 0.9) / 3 ≈ +66.9 points.
    # Bottom: 区交运局 — 4.1 35.0% and 4.2 35.1% against 69.7%: mean ≈ −34.7 points.
    assert now[0][0] == "区人社局" and now[-1][0] == "区交运局"
    assert rows[1][:2] == ["1", "区人社局"] and rows[-1][:2] == ["11", "区交运局"]
    assert rows[1][3] == f"{now[0][1]:+.1f}" == "+66.9"
    assert rows[-1][3] == f"{now[-1][1]:+.1f}" == "-34.7"
    this, last = ranks(now), ranks(before)
    assert [r[1] for r in rows[1:]] == [unit for unit, _ in now]
    for place, unit, _n, score, previous, change in rows[1:]:
        assert int(place) == this[unit]
        assert score == f"{dict(now)[unit]:+.1f}"
        assert int(previous) == last[unit]
        moved = last[unit] - this[unit]
        assert change == (f"上升{moved}位" if moved > 0 else f"下降{-moved}位" if moved < 0 else "持平"), unit
    # 区人社局 was already 1st at the end of June (8.1 and 8.2 done by then): 持平; 区文旅局 rose from 9th to 4th.
    assert last["区人社局"] == 1 and rows[1][5] == "持平"
    assert last["区文旅局"] == 9 and this["区文旅局"] == 4 and rows[4][1:2] == ["区文旅局"] and rows[4][5] == "上升5位"


def test_the_markdown_has_the_same_content(july: tuple[Path, dict, dict]) -> None:
    path, js, _june = july
    text = run(DATA, "export", "bulletin", "--as-of", "2024-07-31", "--format", "markdown")
    assert text.startswith(f"# {TITLE}\n")
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == SECTIONS
    document = read_docx(path)
    assert md_table(text, "灯色") == table_rows(document.tables[0])
    assert md_table(text, "位次") == table_rows(document.tables[1])
    assert f"完成率{js['done_rate'] * 100:.1f}%" in text
    # -o - prints the same; -o FILE.md writes it.
    assert run(DATA, "export", "bulletin", "--as-of", "2024-07-31", "-f", "markdown", "-o", "-") == text
    out = path.parent / "通报.md"
    run(DATA, "export", "bulletin", "--as-of", "2024-07-31", "-o", str(out))
    assert out.read_text(encoding="utf-8") == text


def test_markdown_escapes_every_field(shipped_copy: Path) -> None:
    plan = shipped_copy / "plan-2024.yaml"
    text = plan.read_text(encoding="utf-8")
    assert "城市道路提升工程" in text
    plan.write_text(text.replace("城市道路提升工程", "城市道路*提升*[工程](http://x.example)<b>", 1), encoding="utf-8")
    out = run(shipped_copy, "export", "bulletin", "--as-of", "2024-07-31", "-f", "markdown")
    assert "[工程](http" not in out and "<b>" not in out
    assert r"城市道路\*提升\*\[工程\]" in out


def test_a_date_within_a_month_reports_on_the_month_before(tmp_path: Path) -> None:
    out = run(DATA, "export", "bulletin", "--as-of", "2024-08-06", "-f", "markdown", "--number", "12")
    assert out.startswith(f"# {TITLE}\n") and "\n第12期\n" in out
    # The figures are those at the end of July; who has not reported is said on the bulletin's day.
    js = status(DATA, "2024-07-31")
    assert f"总体进度{js['completion'] * 100:.1f}%" in out
    assert "均已报送2024年7月进展" in out
    assert out.rstrip().endswith("2024年8月6日")
    early = runner.invoke(app, ["export", "bulletin", "--as-of", "2024-01-15", "-f", "markdown", "--data", str(DATA)])
    assert early.exit_code == 2 and "还没有结束的统计期" in early.output
    no_file = runner.invoke(app, ["export", "bulletin", "--as-of", "2024-07-31", "--data", str(DATA)])
    assert no_file.exit_code == 2 and "-o" in no_file.output


def test_the_periods_a_bulletin_reports_on() -> None:
    plan = open_project(DATA).dataset(None, dt.date(2024, 7, 31)).plan
    july = reported_periods(plan, dt.date(2024, 7, 31))
    assert july == (Period(dt.date(2024, 7, 31), "2024年7月", 7), Period(dt.date(2024, 6, 30), "2024年6月", 6))
    assert reported_periods(plan, dt.date(2024, 8, 5)) == july  # not a month end: the last complete month
    assert reported_periods(plan, dt.date(2024, 1, 15)) is None
    after = reported_periods(plan, dt.date(2025, 3, 1))
    assert after is not None and after[0].label == "2024年12月"  # after the plan: its last period
    first = reported_periods(plan, dt.date(2024, 1, 31))
    assert first == (Period(dt.date(2024, 1, 31), "2024年1月", 1), None)
    quarterly = dataclasses.replace(plan, reporting=dataclasses.replace(plan.reporting, cadence="quarterly"))
    q3 = reported_periods(quarterly, dt.date(2024, 10, 15))
    assert q3 is not None and q3[0] == Period(dt.date(2024, 9, 30), "2024年第3季度", 3)
    assert bulletin_title(q3[0]) == "关于2024年第3季度民生实事项目进展情况的通报"
    assert bulletin_title(july[0]) == TITLE


def test_ties_share_a_place() -> None:
    # 0.1234 and 0.1231 both print +12.3 points: 并列第1, the next is 3rd.
    ranked = rank_scores([("甲", 1, 0.1234), ("乙", 1, 0.1231), ("丙", 2, -0.05)])
    assert [(r.unit, r.rank) for r in ranked] == [("甲", 1), ("乙", 1), ("丙", 3)]


def test_the_ledger_shows_listed_and_overdue_items(shipped_copy: Path) -> None:
    data = shipped_copy
    run(data, "supervise", "add", "--kind", "挂牌督办", "--task", "4", "--demand", "倒排工期，加快施工",
        "--due", "2024-06-30", "--date", "2024-06-05")  # fmt: skip
    run(data, "supervise", "add", "--kind", "督办函", "--task", "3", "--demand", "加快用地手续",
        "--due", "2024-07-15", "--date", "2024-07-01")  # fmt: skip
    run(data, "supervise", "add", "--kind", "挂牌督办", "--task", "3", "--demand", "9月底前开工",
        "--due", "2024-09-30", "--date", "2024-07-20")  # fmt: skip
    run(data, "supervise", "add", "--kind", "挂牌督办", "--task", "1", "--demand", "文化路复工",
        "--due", "2024-06-20", "--date", "2024-05-10")  # fmt: skip
    run(data, "supervise", "close", "DB2024-004", "--check", "现场核查，已复工", "--date", "2024-06-15")
    listed = json.loads(run(data, "supervise", "list", "--as-of", "2024-07-31", "--format", "json"))
    overdue_ids = [a["id"] for a in listed if a["status"] == "overdue"]
    assert overdue_ids == ["DB2024-001", "DB2024-002"]
    out = data.parent / "通报.docx"
    run(data, "export", "bulletin", "-o", str(out), "--as-of", "2024-07-31")
    document = read_docx(out)
    texts = [p.text for p in document.paragraphs]
    assert texts.index("（一）挂牌督办事项") < texts.index("（二）逾期未整改事项") < texts.index("六、下步要求")
    header = ["编号", "督办对象", "责任单位", "整改要求", "整改时限", "状态"]
    tables = [table_rows(t) for t in document.tables if table_rows(t)[0] == header]
    assert len(tables) == 2
    # 挂牌督办: the two still open; the one closed in June (before this period) is not listed again.
    assert [r[0] for r in tables[0][1:]] == ["DB2024-001", "DB2024-003"]
    assert tables[0][1][1:5] == ["4 “四好农村路”提升工程", "区交运局", "倒排工期，加快施工", "2024年6月30日"]
    assert tables[0][2][5] == "整改中"
    # 逾期未整改: every kind past its 整改时限, with the days: 07-31 − 06-30 = 31, 07-31 − 07-15 = 16.
    assert [(r[0], r[5]) for r in tables[1][1:]] == [
        ("DB2024-001", "逾期未整改（逾期31天）"),
        ("DB2024-002", "逾期未整改（逾期16天）"),
    ]
    assert "（三）抓好督办整改" in texts
    demand = texts[texts.index("（三）抓好督办整改") + 1]
    assert demand.startswith("区交运局、区教育局的2件督办事项已超过整改时限")
    # Task 4 red in May, June and July: the plan's rule suggests 约谈, as status does.
    assert "建议对区交运局（“四好农村路”提升工程）约谈（连续3期红灯" in demand
    md = run(data, "export", "bulletin", "--as-of", "2024-07-31", "-f", "markdown")
    assert md_table(md, "编号")[1:] == tables[0][1:]


def test_without_a_ledger_section_five_says_none(july: tuple[Path, dict, dict]) -> None:
    texts = [p.text for p in read_docx(july[0]).paragraphs]
    assert "本期无挂牌督办事项。" in texts and "无逾期未整改事项。" in texts


def test_libreoffice_prints_the_bulletin(july: tuple[Path, dict, dict], tmp_path: Path) -> None:
    require_office()
    (pdf,) = convert([july[0]], "pdf", tmp_path / "pdf", tmp_path / "profile")
    printed = read_pdf(pdf)
    assert squeeze(TITLE) in squeeze(printed.text())
    assert squeeze("三、责任单位排名") in squeeze(printed.text())


def test_a_plan_with_stages_and_investment_gives_its_rates() -> None:
    rich = DATA.parent / "tests" / "cases" / "valid" / "rich"
    js = status(rich, "2025-06-30")
    out = run(rich, "export", "bulletin", "--as-of", "2025-06-30", "-f", "markdown")
    assert out.startswith("# 关于2025年6月份民生实事项目进展情况的通报\n") and "\n第6期\n" in out
    # 开工率 and 投资完成率 in the same sentence status gives: 1 of 1 tracked started, 2100 of 4000 万元.
    assert js["summary"] in out
    assert f"开工率{js['start_rate'] * 100:.1f}%" in out and "开工率100.0%" in out
    assert f"投资完成率{js['investment']['completion'] * 100:.1f}%" in out and "投资完成率52.5%" in out


def test_as_recorded_reads_the_ledger_as_it_stood(tmp_path: Path) -> None:
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
    now = run(repo.data, "export", "bulletin", "--as-of", "2025-06-30", "-f", "markdown")
    then = run(
        repo.data, "export", "bulletin", "--as-of", "2025-06-30", "-f", "markdown", "--as-recorded", "2025-05-01"
    )
    assert "DB2025-001" not in now.split("（二）逾期未整改事项")[1].split("## 六")[0]
    overdue = md_table(then.split("（二）逾期未整改事项")[1], "编号")
    assert [(r[0], r[5]) for r in overdue[1:]] == [("DB2025-001", "逾期未整改（逾期30天）")]  # 06-30 − 05-31


def test_the_due_rule_is_worded_as_the_plan_states_it() -> None:
    """下步要求 says when reports are due by the plan's own rule (issue 12's due_day_of_month too)."""
    shipped = run(DATA, "export", "bulletin", "-f", "markdown", "--as-of", "2024-07-31")
    assert "各责任单位要于每月结束后5日内报送进展" in shipped  # due_days: 5
    zhaohua = DATA.parent / "examples" / "昭化区-2017"  # reporting: {cadence: monthly, due_day_of_month: 20}
    out = run(zhaohua, "export", "bulletin", "-f", "markdown", "--as-of", "2017-07-31")
    assert "各责任单位要于每月20日前报送进展" in out and "每期结束时" not in out


def test_due_rule_words_for_every_rule() -> None:
    from minsheng.periods import due_rule_words

    plan = open_project(DATA).plans[0][1]

    def worded(cadence: str, due_days: int = 0, day: int | None = None) -> str:
        reporting = dataclasses.replace(plan.reporting, cadence=cadence, due_days=due_days, due_day_of_month=day)
        return due_rule_words(dataclasses.replace(plan, reporting=reporting))

    assert worded("monthly", 5) == "每月结束后5日内"
    assert worded("quarterly", 10) == "每季度结束后10日内"
    assert worded("quarterly", day=20) == "每季度末月20日前"
    assert worded("monthly", -5) == "每月结束前5日"
    assert worded("monthly") == "每期结束时"

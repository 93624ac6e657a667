"""督办 (issue 14 items 3 and 4) in every output: 单位自报完成 and 核验销号 counted apart in status, the
HTML 看板, the docx 专题报告, the CSV and xlsx 台账; the unit's items in `report --unit`; `supervise list`.

The expected counts are worked out here from `status --format json` (which indicators are done) and
the entries the test itself writes; every output must say the same numbers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from tests.office import convert, read_pdf, require_office, squeeze
from tests.test_html import LAYOUT, Browser, browser, needs_chromium, problems_of

__all__ = ["browser"]  # the module's browser fixture, shared

runner = CliRunner()
DAY = "2024-10-31"


def run(data: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def data(shipped_copy: Path) -> Path:
    """The shipped data with 2.1 verified, 4.1 (not done) verified too, and a 挂牌督办 on task 4 past its 时限."""
    run(shipped_copy, "supervise", "verify", "2.1", "--note", "现场核验两条管网通水", "--date", "2024-08-10")
    run(shipped_copy, "supervise", "verify", "4.1", "--note", "抽查路段", "--date", "2024-09-15")
    run(shipped_copy, "supervise", "add", "--kind", "挂牌督办", "--task", "4", "--demand", "倒排工期",
        "--due", "2024-09-30", "--date", "2024-08-05")  # fmt: skip
    run(shipped_copy, "supervise", "reply", "DB2024-001", "--text", "新增两个标段", "--date", "2024-08-20")
    return shipped_copy


def done_ids(data: Path) -> list[str]:
    value = json.loads(run(data, "status", "--as-of", DAY, "--format", "json"))
    return [i["id"] for t in value["tasks"] for i in t["indicators"] if i["status"] == "done"]


def expected_counts(data: Path) -> tuple[list[str], str]:
    done = done_ids(data)
    assert "2.1" in done and "4.1" not in done  # 4.1 (农村公路) is still behind on 10-31
    # 2.1 done and verified; 4.1 verified but not done; the rest of `done` waits for the check.
    line = f"单位自报完成的指标{len(done)}个，其中核验销号1个，待核验{len(done) - 1}个"
    return done, line + "；另有1个已核验销号的指标现在的报告未显示完成"


def test_status_json_and_text_count_both(data: Path) -> None:
    done, line = expected_counts(data)
    value = json.loads(run(data, "status", "--as-of", DAY, "--format", "json"))["supervision"]
    assert value["verification"] == {
        "self_reported_done": len(done),
        "verified": 2,
        "verified_done": 1,
        "waiting": len(done) - 1,
        "verified_not_done": 1,
    }
    assert value["self_reported_done"] == done and value["verified"] == ["2.1", "4.1"]
    assert line + "（minshengvalidate查看）。" in "".join(run(data, "status", "--as-of", DAY).split())
    markdown = run(data, "status", "--as-of", DAY, "--format", "markdown")
    assert "## 督办事项" in markdown and line in markdown


def test_html_dashboard_counts_both(data: Path, tmp_path: Path) -> None:
    done, line = expected_counts(data)
    out = tmp_path / "看板.html"
    run(data, "export", "html", "--as-of", DAY, "-o", str(out))
    page = out.read_text(encoding="utf-8")
    section = page[page.index('<section id="supervision">') :]
    section = section[: section.index("</section>")]
    counts = dict(re.findall(r'data-count="(\w+)">[^<]*<b>(\d+)</b>', section))
    assert counts == {
        "self_reported_done": str(len(done)),
        "verified_done": "1",
        "waiting": str(len(done) - 1),
        "verified_not_done": "1",
    }
    text = re.sub(r"(\s*<[^>]+>\s*)+", "|", section)  # cells as |a|b|; an empty one vanishes
    assert "七、督办与核验销号" in text
    assert line + "。" in text  # without the command hint: a dashboard is read, not typed at
    assert "|2.1|供水管网改造|区住建局|自报完成|2024-08-10|现场核验两条管网通水|" in text
    assert "|1.1|城市道路翻修改造|区住建局|自报完成|待核验|" in text
    assert "|4.1|" in text and "|未完成|2024-09-15|抽查路段|" in text
    assert "督办事项1件：整改中0件，逾期未整改1件。" in text
    assert "|DB2024-001|2024-08-05|挂牌督办|任务4|区交运局|倒排工期|2024-09-30|逾期未整改|" in text
    assert "script" not in section.lower()


def test_html_without_a_ledger_has_no_supervision_section(shipped_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "看板.html"
    run(shipped_copy, "export", "html", "--as-of", DAY, "-o", str(out))
    assert 'id="supervision"' not in out.read_text(encoding="utf-8")


def test_docx_report_counts_both(data: Path, tmp_path: Path) -> None:
    done, line = expected_counts(data)
    out = tmp_path / "专题报告.docx"
    run(data, "export", "docx", "--as-of", DAY, "-o", str(out))
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    # 二、滞后项目清单（N个项目、M个指标）: the heading carries its counts
    lagging = next(k for k, p in enumerate(paragraphs) if p.startswith("二、滞后项目清单"))
    overview = paragraphs[paragraphs.index("一、总体情况") : lagging]
    assert line + "。" in overview
    assert "督办事项1件：整改中0件，逾期未整改1件。" in overview
    assert "逾期未整改：DB2024-001 挂牌督办 任务4（区交运局，整改时限 2024-09-30）" in overview
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    table = next(t for t in tables if t[0] == ["指标", "名称", "责任单位", "单位自报", "核验销号", "核验情况"])
    by_id = {row[0]: row for row in table[1:]}
    assert set(by_id) == {*done, "4.1"}
    assert by_id["2.1"][3:] == ["自报完成", "2024-08-10", "现场核验两条管网通水"]
    assert by_id["4.1"][3:5] == ["未完成", "2024-09-15"]
    assert sum(1 for row in table[1:] if row[4] == "待核验") == len(done) - 1
    suggestions = paragraphs[paragraphs.index("五、下步工作建议") :]
    assert any("督促区交运局对督办事项DB2024-001（挂牌督办，任务4）抓紧整改" in p for p in suggestions)


def test_docx_without_a_ledger_is_as_before(shipped_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "专题报告.docx"
    run(shipped_copy, "export", "docx", "--as-of", DAY, "-o", str(out))
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "核验销号" not in text and "督办事项" not in text


def test_csv_and_xlsx_ledger_carry_the_same_verification_column(data: Path, tmp_path: Path) -> None:
    done, _line = expected_counts(data)
    rows = list(csv.reader(io.StringIO(run(data, "export", "csv", "--as-of", DAY).lstrip("\ufeff"))))
    assert rows[0][-1] == "核验销号"
    cells = {row[0].lstrip("\u200b"): row[-1] for row in rows[1:]}
    assert cells["2.1"] == "核验销号 2024-08-10"
    assert cells["4.1"] == "已核验销号（2024-09-15），现报未完成"
    assert sum(1 for v in cells.values() if v == "自报完成，待核验") == len(done) - 1
    assert sum(1 for v in cells.values() if v == "") == len(cells) - len(done) - 1

    path = tmp_path / "台账.xlsx"
    run(data, "export", "xlsx", "--as-of", DAY, "-o", str(path))
    book = openpyxl.load_workbook(path)
    sheet = book["总台账"]
    header = [c.value for c in sheet[2]]
    assert header == rows[0]  # 列同 CSV 台账
    column = header.index("核验销号") + 1
    xlsx_cells = {str(r[0].value): r[column - 1].value or "" for r in sheet.iter_rows(min_row=3)}
    assert xlsx_cells == cells
    checked = [[c.value for c in r] for r in book["核验销号"].iter_rows(min_row=3)]
    assert {r[0] for r in checked} == {*done, "4.1"}  # ids stay text: 2.10 is not 2.1
    assert ["2.1", "供水管网改造", "区住建局", "自报完成", "2024-08-10", "现场核验两条管网通水"] in checked
    actions = [[c.value for c in r] for r in book["督办事项"].iter_rows(min_row=2)]
    assert actions[0][:3] == ["编号", "日期", "方式"]
    assert actions[1][0] == "DB2024-001" and "逾期未整改" in actions[1]


def test_csv_ledger_without_a_ledger_keeps_its_columns(shipped_copy: Path) -> None:
    rows = list(csv.reader(io.StringIO(run(shipped_copy, "export", "csv", "--as-of", DAY).lstrip("\ufeff"))))
    assert "核验销号" not in rows[0]


def test_report_unit_in_every_format(data: Path) -> None:
    table = "".join(run(data, "report", "--unit", "交运局", "--as-of", DAY).split())
    assert "DB2024-001挂牌督办（任务4，逾期未整改，整改时限2024-09-30）：倒排工期" in table
    assert "答复2024-08-20：新增两个标段" in table
    markdown = run(data, "report", "--unit", "交运局", "--as-of", DAY, "--format", "markdown")
    assert "## 督办事项" in markdown and "答复 2024-08-20：新增两个标段" in markdown
    value = json.loads(run(data, "report", "--unit", "交运局", "--as-of", DAY, "--format", "json"))
    mine = value["supervision"]
    assert [a["id"] for a in mine["open"]] == ["DB2024-001"]
    assert mine["open"][0]["status"] == "overdue"
    assert mine["open"][0]["replies"] == [{"date": "2024-08-20", "text": "新增两个标段"}]
    assert mine["verified"] == [{"indicator": "4.1", "date": "2024-09-15", "note": "抽查路段"}]
    other = json.loads(run(data, "report", "--unit", "区住建局", "--as-of", DAY, "--format", "json"))
    assert other["supervision"]["open"] == [] and other["supervision"]["waiting"] == ["1.1"]
    assert [i["id"] for i in other["indicators"]][:2] == ["1.1", "2.1"]


def test_report_unit_json_without_a_ledger_says_null(shipped_copy: Path) -> None:
    value = json.loads(run(shipped_copy, "report", "--unit", "交运局", "--as-of", DAY, "--format", "json"))
    assert value["supervision"] is None


def test_supervise_list_filters_and_formats(data: Path) -> None:
    run(data, "supervise", "add", "--kind", "督办函", "--indicator", "2.2", "--demand", "加快换表",
        "--due", "2024-11-30", "--date", "2024-10-08")  # fmt: skip
    run(data, "supervise", "add", "--kind", "提醒", "--unit", "区司法局", "--demand", "按时报送",
        "--date", "2024-09-01")  # fmt: skip
    run(data, "supervise", "close", "DB2024-003", "--check", "已按时报送", "--date", "2024-09-10")

    def ids(*args: str) -> list[str]:
        return [a["id"] for a in json.loads(run(data, "supervise", "list", "--as-of", DAY, "-f", "json", *args))]

    assert ids() == ["DB2024-001", "DB2024-002", "DB2024-003"]
    assert ids("--open") == ["DB2024-001", "DB2024-002"]
    assert ids("--overdue") == ["DB2024-001"]
    assert ids("--unit", "水务集团") == ["DB2024-002"]  # the unit of indicator 2.2
    assert ids("--open", "--unit", "区司法局") == []
    rows = list(csv.reader(io.StringIO(run(data, "supervise", "list", "--as-of", DAY, "-f", "csv").lstrip("\ufeff"))))
    assert rows[0] == ["编号", "日期", "方式", "督办对象", "责任单位", "责任人", "整改要求", "整改时限", "状态",
                       "最近答复", "销号"]  # fmt: skip
    assert rows[1][0] == "DB2024-001" and rows[1][8] == "逾期未整改" and rows[1][9] == "2024-08-20 新增两个标段"
    assert rows[3][8] == "已销号" and rows[3][10] == "2024-09-10 已按时报送"
    markdown = run(data, "supervise", "list", "--as-of", DAY, "-f", "markdown", "--overdue")
    assert markdown.startswith("# 督办事项清单") and "| DB2024-001 |" in markdown and "DB2024-002" not in markdown
    table = runner.invoke(
        app, ["supervise", "list", "--as-of", DAY, "--open", "--data", str(data)], env={"COLUMNS": "160"}
    )
    assert "督办事项清单（2项）" in table.stdout and "DB2024-002" in table.stdout
    assert "无。" in run(data, "supervise", "list", "--as-of", DAY, "-f", "markdown", "--unit", "区司法局", "--open")
    unknown = runner.invoke(app, ["supervise", "list", "--unit", "不存在局", "--data", str(data)])
    assert unknown.exit_code == 2 and "未知单位" in unknown.stderr


def test_status_text_shows_the_lights_that_triggered_a_suggestion(shipped_copy: Path) -> None:
    run(shipped_copy, "supervise", "add", "--kind", "提醒", "--unit", "区司法局", "--demand", "按时报送",
        "--date", "2024-05-31")  # fmt: skip
    words = {"red": "红", "yellow": "黄", "green": "绿", "blue": "蓝"}
    ends = ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"]
    lights = []
    for end in ends:  # each month's light of task 4 as `status --as-of END` gave it
        value = json.loads(run(shipped_copy, "status", "--as-of", end, "--format", "json"))
        lights.append(next(t["light"] for t in value["tasks"] if t["id"] == "4"))
    assert lights[-2:] == ["red", "red"]
    history = "、".join(f"2024年{int(end[5:7])}月{words[x]}" for end, x in zip(ends, lights, strict=True))
    text = "".join(run(shipped_copy, "status", "--as-of", "2024-05-31").split())
    assert f"建议挂牌督办：4-挂牌督办，连续2期红灯（2024年4月、2024年5月）；各期亮灯：{history}。" in text


@needs_chromium
@pytest.mark.parametrize("width", [1280, 390])
def test_the_supervision_section_reads_at_desk_and_phone_widths(
    browser: Browser, data: Path, tmp_path: Path, width: int
) -> None:
    """The page with section 七 never scrolls sideways; its wide tables scroll inside their own boxes."""
    page = tmp_path / "看板.html"
    run(data, "export", "html", "--as-of", DAY, "-o", str(page))
    session = browser.open(page.as_uri(), width=width, height=900, mobile=width < 500)
    got = browser.cdp.evaluate(LAYOUT, session)
    assert got["scrollWidth"] <= width, got["scrollWidth"]
    mine = [t for t in got["tables"] if t["id"] in {"verification-table", "supervision-open"}]
    assert len(mine) == 2
    for table in mine:
        assert table["boxLeft"] >= -0.5 and table["boxRight"] <= width + 0.5, table["id"]
        if table["width"] > table["box"] + 1:
            assert table["overflow"] in ("auto", "scroll"), table["id"]
        for name, _right, w in table["columns"]:
            assert w >= 16, (table["id"], name, w)
    assert problems_of(browser.events(session)) == []
    browser.close_tab(session)


def test_the_docx_supervision_part_prints_in_writer(data: Path, tmp_path: Path) -> None:
    """Writer prints the sentence, every row of the 核验销号 table with its unit whole, and the 督办 lines."""
    require_office()
    done, line = expected_counts(data)
    source = tmp_path / "专题报告.docx"
    run(data, "export", "docx", "--as-of", DAY, "-o", str(source))
    (pdf_path,) = convert([source], "pdf", tmp_path / "pdf", tmp_path / "profile")
    pdf = read_pdf(pdf_path)
    text = pdf.text()
    assert squeeze(line + "。") in text
    assert squeeze("逾期未整改：DB2024-001 挂牌督办 任务4（区交运局，整改时限 2024-09-30）") in text
    words = [w.text for w in pdf.words]
    assert all(i in words for i in [*done, "4.1"])
    assert "区住建局" in words and "区水务集" not in words  # unit names on one line of their cells


@pytest.mark.parametrize(
    "args",
    [
        ("status", "--as-of", DAY),
        ("report", "--unit", "区交运局", "--as-of", DAY),
        ("export", "csv", "--as-of", DAY),
        ("export", "xlsx", "-o", "{tmp}/台账.xlsx", "--as-of", DAY),
        ("export", "html", "-o", "{tmp}/看板.html", "--as-of", DAY),
        ("export", "docx", "-o", "{tmp}/报告.docx", "--as-of", DAY),
        ("export", "bulletin", "-f", "markdown", "--as-of", DAY),
    ],
)
def test_the_data_is_opened_once_with_a_ledger(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """The 督办 summary, the 核验销号 column and the 考评 sheet read the project the report was computed
    from: one open of the data directory per command, not one more per 督办 reader."""
    import minsheng.project

    opened: list[Path] = []
    real = minsheng.project.open_project

    def counting(data_dir: Path, *rest: object, **kw: object) -> object:
        opened.append(data_dir)
        return real(data_dir, *rest, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(minsheng.project, "open_project", counting)
    run(data, *(a.format(tmp=tmp_path) for a in args))
    assert len(opened) == 1, args

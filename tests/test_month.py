"""The office's month, played whole on a copy of the shipped data (issue 13, "Done when").

The shipped ledgers are cut back to June. On 2024-08-01 the office sends every unit its July
form; nine units fill theirs with the July figures of the shipped example ledgers (one clerk
saves the form with LibreOffice, as a colleague's WPS would); two units (区卫健局, 交警九大队)
send nothing. On 2024-08-05 the office imports the folder of returned forms in one command; on
2024-08-06 (one day after the due date, ``due_days: 5``) `remind` lists exactly the two units
left out and `export bulletin` issues the July 通报 whose numbers are those of `status` at July's end.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from minsheng.model import Report
from minsheng.project import open_project
from tests.conftest import DATA
from tests.office import convert, require_office

runner = CliRunner()
JULY = dt.date(2024, 7, 31)
LEFT_OUT = ["区卫健局", "交警九大队"]  # in the plan's order of units
THROUGH_OFFICE = "区水务集团"
SHIPPED = open_project(DATA).dataset(None, JULY)
LIGHTS = {"红灯": "red", "黄灯": "yellow", "绿灯": "green", "蓝灯": "blue"}


def run(data: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--data", str(data)])
    assert result.exit_code == code, result.output
    return result.stdout


def status(data: Path, day: str) -> dict:
    return json.loads(run(data, "status", "--as-of", day, "--format", "json"))


def july_values(unit: str) -> dict[str, object]:
    """What the shipped example ledger says the unit reported on 2024-07-31 (its values only)."""
    return dict(shipped_report(unit, JULY).values)


def shipped_report(unit: str, day: dt.date) -> Report:
    (report,) = [r for r in SHIPPED.reports[unit] if r.date == day]
    return report


def cut_to_june(data: Path) -> None:
    for path in (data / "progress").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        at = text.find("  - date: 2024-07-31")
        assert at > 0, path
        path.write_text(text[:at], encoding="utf-8")


def fill(path: Path, values: dict[str, object]) -> None:
    """A unit's clerk types the report date and this month's cumulative values into the 填报 sheet."""
    wb = openpyxl.load_workbook(path)
    ws = wb["填报"]
    ws["B3"] = JULY
    header = next(r for r in ws.iter_rows(min_row=1, max_row=12) if r[0].value == "指标编号")
    column = next(c.column for c in header if str(c.value).startswith("本次累计完成"))
    filled = set()
    for row in ws.iter_rows(min_row=header[0].row + 1):
        if row[0].value in values:
            ws.cell(row=row[0].row, column=column).value = values[row[0].value]
            filled.add(row[0].value)
    assert filled == set(values), (path.name, set(values) - filled)
    wb.save(path)


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    require_office()
    root = tmp_path_factory.mktemp("month")
    data = root / "data"
    shutil.copytree(DATA, data)
    cut_to_june(data)

    # 1. 8月1日: forms for all, for July.
    sent = root / "发出"
    args = ["export", "xlsx", "--template", "--all", "-o", str(sent), "--period", "2024-07", "--as-of", "2024-08-01"]
    written = runner.invoke(app, [*args, "--data", str(data)])
    assert written.exit_code == 0, written.output
    units = [u["unit"] for u in status(data, "2024-07-31")["units"]]
    forms = sorted(p.name for p in sent.iterdir())
    assert forms == sorted(f"{u}-2024年7月-填报表.xlsx" for u in units)

    # 2. The units fill theirs; two send nothing; one goes through LibreOffice.
    back = root / "收回"
    back.mkdir()
    filled = {u: july_values(u) for u in units if u not in LEFT_OUT}
    for unit, values in filled.items():
        form = sent / f"{unit}-2024年7月-填报表.xlsx"
        fill(form, values)
        if unit == THROUGH_OFFICE:
            (saved,) = convert([form], "xlsx", root / "office", root / "profile")
            shutil.copy(saved, back / form.name)
        else:
            shutil.copy(form, back / form.name)

    # 3. 8月5日: one import for all.
    imported = runner.invoke(app, ["import", str(back), "--data", str(data)])
    return {
        "data": data,
        "units": units,
        "filled": filled,
        "imported": imported,
        "remind": json.loads(run(data, "remind", "--as-of", "2024-08-06", "--format", "json")),
        "remind_text": run(data, "remind", "--as-of", "2024-08-06", "--format", "text"),
        "status": status(data, "2024-08-06"),
        "period_end": status(data, "2024-07-31"),
        "root": root,
    }


def test_every_returned_form_is_recorded_in_one_import(month: dict) -> None:
    imported = month["imported"]
    assert imported.exit_code == 0, imported.output
    assert f"共 {len(month['filled'])} 个文件：已记录 {len(month['filled'])} 个。" in imported.stdout
    assert len(month["filled"]) == 9
    values = {i["id"]: i["value"] for t in month["status"]["tasks"] for i in t["indicators"]}
    for unit, typed in month["filled"].items():
        for ind, value in typed.items():
            assert values[ind] == value, (unit, ind)
    # The left-out units still stand at June: 区卫健局's 10.1 is its June value in the shipped ledger.
    for ind, value in shipped_report("区卫健局", dt.date(2024, 6, 30)).values.items():
        assert values[ind] == value, ind


def test_remind_lists_exactly_the_units_left_out(month: dict) -> None:
    got = month["remind"]
    # July's report was due 2024-08-05 (period end + due_days 5); on 08-06 it is 1 day late.
    assert got["period"]["due"] == "2024-08-05"
    assert [u["unit"] for u in got["units"]] == LEFT_OUT
    assert all(u["days_overdue"] == 1 and u["last_report"] == "2024-06-30" for u in got["units"])
    missing = [u["unit"] for u in month["status"]["units"] if u["missing"]]
    assert missing == LEFT_OUT
    for unit in LEFT_OUT:
        assert (
            f"{unit}：你单位2024年7月民生实事进展情况应于2024年8月5日前报送，截至2024年8月6日仍未报送，已逾期1天。"
            in (month["remind_text"])
        )


def test_the_bulletin_matches_status(month: dict) -> None:
    # The 通报 of 8月6日 reports on July: its figures are the status at the period's end (07-31),
    # its 未报送 units those of the day it is issued.
    data, js = month["data"], month["period_end"]
    out = month["root"] / "通报.docx"
    run(data, "export", "bulletin", "-o", str(out), "--as-of", "2024-08-06", "--number", "7")
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    body = "\n".join(texts)
    assert "关于2024年7月份民生实事项目进展情况的通报" in body.replace("\n", "")
    assert "第7期" in body
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == ["一、总体情况", "二、亮灯情况", "三、责任单位排名", "四、未报送单位"]
    assert f"已完成{js['done']}项，完成率{js['done_rate'] * 100:.1f}%" in body
    assert f"总体进度{js['completion'] * 100:.1f}%" in body
    lights = [[c.text for c in row.cells] for row in document.tables[0].rows]
    for label, count, projects in lights[1:]:
        expected = [t["id"] for t in js["tasks"] if t["light"] == LIGHTS[label]]
        listed = [] if projects == "无" else [p.split(" ")[0] for p in projects.split("、")]
        assert listed == expected and int(count) == len(expected), label
    ranking = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert sorted(r[1] for r in ranking[1:]) == sorted(month["units"])
    section = body[body.index("四、未报送单位") : body.index(headings[4])]
    assert re.findall("区卫健局|交警九大队", section)[:2] == LEFT_OUT
    for unit in set(month["units"]) - set(LEFT_OUT):
        assert unit not in section

    markdown = run(data, "export", "bulletin", "--format", "markdown", "--as-of", "2024-08-06", "--number", "7")
    assert f"已完成{js['done']}项，完成率{js['done_rate'] * 100:.1f}%" in markdown
    assert all(unit in markdown for unit in LEFT_OUT)

"""The 专题报告 draft (.docx): its structure, and every number against the JSON of the same date."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import docx
import pytest

from minsheng.compute import STATUS_LABELS, build_status
from minsheng.dataset import Dataset
from minsheng.model import Deadline, Deadlines, Indicator, Plan, Report, Task, Unit
from minsheng.project import open_project
from minsheng.render.docx import status_docx
from minsheng.render.view import EXAMPLE_NOTE, status_dict
from tests.conftest import DATA

D = dt.date
SECTIONS = ["一、总体情况", "二、滞后项目清单", "三、分单位推进情况", "四、存在问题", "五、下步工作建议"]
CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def shipped(day: dt.date, since: dt.date | None = None):
    data = open_project(DATA).dataset(None, day)
    return build_status(data, day, since)


def opened(report):
    return docx.Document(io.BytesIO(status_docx(report)))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def section(document, heading: str) -> list[str]:
    """Paragraph texts between ``heading`` and the next level-1 heading (or the blank line before the 落款)."""
    out: list[str] = []
    inside = False
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == heading or p.text.startswith(heading + "（")  # 二、滞后项目清单（2个项目、4个指标）
            continue
        if inside and not p.text:
            break
        if inside:
            out.append(p.text)
    return out


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def indicators(data: dict) -> dict[str, dict]:
    return {i["id"]: i for t in data["tasks"] for i in t["indicators"]}


def pct(x: float) -> str:
    return f"{x * 100:.1f}%"


@pytest.fixture(scope="module", params=[D(2024, 7, 31), D(2024, 12, 31)], ids=["07-31", "12-31"])
def case(request):
    day = request.param
    since = D(2024, 6, 30) if day.month == 7 else None
    report = shipped(day, since)
    return report, status_dict(report), opened(report)


def test_title_date_and_example_note(case) -> None:
    report, data, document = case
    paras = document.paragraphs
    assert paras[0].style.name == "Title"
    kind = "完成情况" if report.as_of.month == 12 else "进展情况"  # the final deadline is 12-31
    assert paras[0].text == f"关于唐山市丰润区2024年民生实事\n{kind}的报告"  # broken between the phrases
    day = report.as_of
    assert paras[1].text == f"（截至{day.year}年{day.month}月{day.day}日）"
    assert data["example"] is True
    assert EXAMPLE_NOTE in texts(document)[:4]
    assert document.core_properties.title == paras[0].text.replace("\n", "")


def test_five_sections_in_order(case) -> None:
    _, data, document = case
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    lagging = data["lagging"]
    # the lagging list is counted as every output counts it: projects, and the indicators listed
    counted = f"（{len({row['task'] for row in lagging})}个项目、{len(lagging)}个指标）" if lagging else ""
    assert headings == [SECTIONS[0], SECTIONS[1] + counted, *SECTIONS[2:]]


def test_overview_numbers_match_the_json(case) -> None:
    _, data, document = case
    body = section(document, "一、总体情况")
    assert body[0] == data["summary"]
    head = f"总体进度{pct(data['completion'])}，序时进度{pct(data['time_progress'])}"
    # the figures once, in the opening sentence; the next paragraph says what they mean
    assert [t for t in body if head in t] == [body[0]]
    figures = next(t for t in body if t.startswith("总体进度") and "按项目状态统计：" in t)
    for key, label in STATUS_LABELS.items():
        # zero counts are left out ("已完成0项" is noise)
        n = data["counts"][key]
        assert (f"按项目状态统计：{label}{n}项" in figures or f"，{label}{n}项" in figures) == bool(n), (label, n)
    count = len(indicators(data))
    lagging = len(data["lagging"])
    if lagging:
        assert f"{count}个指标中，{lagging}个落后于序时进度，详见滞后项目清单。" in body
    else:
        assert f"{count}个指标均未落后于序时进度。" in body


def test_since_sentence_only_with_since(case) -> None:
    report, data, document = case
    body = section(document, "一、总体情况")
    if report.since is None:
        assert not any("较" in t for t in body)
    else:
        # 较6月底提高26.2个百分点, not "总体完成率变化 +26.2 个百分点"
        assert data["change"] > 0
        sentence = next(t for t in body if t.startswith("总体进度较6月底"))
        assert sentence.startswith(f"总体进度较6月底提高{data['change'] * 100:.1f}个百分点，")


def test_lagging_table_matches_the_json(case) -> None:
    _, data, document = case
    by_id = indicators(data)
    if not data["lagging"]:
        assert section(document, "二、滞后项目清单") == ["无。"]
        assert len(document.tables) == len(data["units"])  # only the units' tables
        return
    table = rows(document.tables[0])
    assert table[0] == ["序号", "项目", "指标", "责任单位", "完成率", "序时进度", "偏差", "状态"]
    assert len(table) - 1 == len(data["lagging"])
    for n, (cells, item) in enumerate(zip(table[1:], data["lagging"], strict=True), start=1):
        ind = by_id[item["indicator"]]
        assert cells[0] == str(n)
        assert cells[1].startswith(item["task"] + " ")
        assert cells[2] == f"{item['indicator']} {item['name']}"
        assert cells[3] == item["unit"]
        assert cells[4] == pct(ind["completion"])
        assert cells[5] == pct(ind["expected"])
        assert cells[6] == f"{-item['gap'] * 100:+.1f}"
        assert cells[7] == STATUS_LABELS[item["status"]]


def test_lagging_rows_at_july_end() -> None:
    document = opened(shipped(D(2024, 7, 31)))
    table = rows(document.tables[0])
    assert [(r[2].split()[0], r[3], r[4], r[6], r[7]) for r in table[1:]] == [
        ("4.1", "区交运局", "35.0%", "-34.7", "严重滞后"),
        ("4.2", "区交运局", "35.1%", "-34.7", "严重滞后"),
        ("3.1", "区教育局", "50.0%", "-19.7", "滞后"),
        ("3.2", "区教育局", "50.0%", "-19.7", "滞后"),
    ]


def test_units_in_order_with_their_figures_and_texts(case) -> None:
    _, data, document = case
    by_id = indicators(data)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [f"（{CN[n]}）{u['unit']}" for n, u in enumerate(data["units"])]
    unit_tables = document.tables[1:] if data["lagging"] else document.tables
    assert len(unit_tables) == len(data["units"])
    body = section(document, "三、分单位推进情况")
    for unit, table in zip(data["units"], unit_tables, strict=True):
        name = unit["unit"]
        cells = rows(table)
        assert cells[0] == ["指标", "目标", "累计完成", "完成率", "状态"]
        expected_ids = [i for i, ind in by_id.items() if ind["unit"] == name or name in ind["co_units"]]
        assert [r[0].split()[0] for r in cells[1:]] == expected_ids
        for r in cells[1:]:
            ind = by_id[r[0].split()[0]]
            assert r[3].startswith(pct(ind["completion"]))
            assert r[4] == ind["status_label"]
            assert r[0].endswith("（配合）") == (ind["unit"] != name)
        latest = unit["latest"]
        assert f"进展情况：{latest['summary']}" in body
        assert f"下步计划：{latest['next_steps']}" in body


def test_problems_one_paragraph_per_unit(case) -> None:
    _, data, document = case
    expected = [
        f"{u['unit']}：{u['latest']['problems']}"
        for u in data["units"]
        if u["latest"] and u["latest"]["problems"] and u["latest"]["problems"].strip("。") not in ("无", "暂无")
    ]
    assert expected
    assert section(document, "四、存在问题") == expected


def test_suggestions_follow_the_status() -> None:
    body = section(opened(shipped(D(2024, 7, 31))), "五、下步工作建议")
    # one suggestion per project, its lagging indicators together (4.1 and 4.2 are one project)
    assert body[0] == (
        "1．“四好农村路”提升工程：督促区交运局加快推进（改造提升农村公路（条数）完成率35.0%，"
        "改造提升农村公路（里程）完成率35.1%，落后序时34.7个百分点），必要时挂牌督办。"
    )
    assert body[1].startswith("2．教育基础设施提升工程：督促区教育局加快推进（")
    assert "学校改扩建完成率50.0%，落后序时19.7个百分点）" in body[1] and "挂牌督办" not in body[1]
    assert body[-1].startswith("3．其余项目继续加强调度")
    assert len(body) == 3


def test_overdue_item_is_put_under_supervision() -> None:
    report = shipped(D(2025, 1, 15))
    document = opened(report)
    assert [r.indicator.id for r in report.lagging()] == ["2.2"]
    body = section(document, "五、下步工作建议")
    assert body == [
        "1．城市供水设施改造工程：区水务集团逾期未完成（更换城区居民小区智能远传水表完成率96.2%），"
        "建议挂牌督办，限期完成。"
    ]


def test_year_end_lists_unfinished_items() -> None:
    body = section(opened(shipped(D(2024, 12, 31))), "五、下步工作建议")
    # 12-31 is the deadline itself: not "尽快完成", but what the day means
    assert body == [
        "1．城市供水设施改造工程：督促区水务集团抓紧收尾（更换城区居民小区智能远传水表完成率96.2%），"
        "今日为完成期限，未能完成的须说明原因并明确完成时限。"
    ]


def test_fonts_page_and_plain_runs() -> None:
    document = opened(shipped(D(2024, 7, 31)))
    section_ = document.sections[0]
    assert round(section_.page_width.mm) == 210 and round(section_.page_height.mm) == 297

    def fonts(name: str) -> dict[str, str]:
        rfonts = document.styles[name].element.rPr.rFonts
        return {k.split("}")[1]: v for k, v in rfonts.attrib.items()}

    assert fonts("Normal")["eastAsia"] == "仿宋_GB2312"
    assert fonts("Heading 1")["eastAsia"] == "黑体"
    assert fonts("Title")["eastAsia"] == "方正小标宋简体"
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2"):
        assert not any(k.endswith("Theme") or k == "cstheme" for k in fonts(name)), name
    assert document.styles["Title"].font.size.pt == 22
    assert document.styles["Normal"].font.size.pt == 16
    with zipfile.ZipFile(io.BytesIO(status_docx(shipped(D(2024, 7, 31))))) as z:
        xml = z.read("word/document.xml").decode()
        fonttable = z.read("word/fontTable.xml").decode()
    assert "fldSimple" not in xml and "instrText" not in xml and "fldChar" not in xml
    assert 'w:name="仿宋_GB2312"' in fonttable and 'w:val="仿宋"' in fonttable


# --- hostile text -------------------------------------------------------------

HOSTILE = "已开工\x00\x07<script>alert(1)</script>\x1b[31m红\x1b[0m\ud800\ufffe\x0c完"


def hostile_report():
    plan = Plan(
        title="测试",
        region="测试区\x01",
        year=2025,
        deadlines=Deadlines(basic=Deadline(D(2025, 10, 31), "基本完成"), final=Deadline(D(2025, 12, 31), "全面完成")),
        units=(Unit("A"),),
        tasks=(
            Task(
                id="1",
                name="甲<b>\x02",
                description="甲",
                units=("A",),
                indicators=(Indicator(id="1.1", name="路\x1b]0;title\x07段", unit="A", target=10, measure="公里"),),
            ),
        ),
    )
    reports = (
        Report(D(2025, 6, 30), {"1.1": 1}, summary=HOSTILE, problems="=1+2\x08<script>", next_steps="&amp;\tnext"),
    )
    return build_status(Dataset(plan, {"A": reports}), D(2025, 7, 31))


def test_hostile_text_comes_out_as_plain_text() -> None:
    report = hostile_report()
    data = status_docx(report)
    document = docx.Document(io.BytesIO(data))
    all_text = "\n".join(texts(document) + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", all_text)
    assert document.paragraphs[0].text == "关于测试区2025年民生实事进展情况的报告"
    assert "进展情况：已开工<script>alert(1)</script>红完" in all_text
    assert "A：=1+2<script>" in all_text
    assert "下步计划：&amp; next" in all_text
    assert "1.1 路段" in all_text  # the OSC title sequence is gone
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    # the lagging item is there (1 of 10 against ~70% time progress), with its figures
    assert "1.1 路段" in rows(document.tables[0])[1][2]
    assert rows(document.tables[0])[1][4] == "10.0%"


def test_no_example_note_for_real_data() -> None:
    document = docx.Document(io.BytesIO(status_docx(hostile_report())))
    assert EXAMPLE_NOTE not in texts(document)


def test_empty_problems_are_skipped() -> None:
    plan = hostile_report().plan
    reports = {"A": (Report(D(2025, 6, 30), {"1.1": 8}, summary="好", problems="无。"),)}
    report = build_status(Dataset(plan, reports), D(2025, 7, 31))
    document = opened(report)
    assert section(document, "四、存在问题") == ["各单位最近一次报告均未反映存在问题。"]
    assert "（未填写）" in section(document, "三、分单位推进情况")[-1]
    assert "<w:tblHeader/>" in document.tables[0].rows[0]._tr.xml  # the header repeats on every page


# --- the 公文 shape -------------------------------------------------------------


def test_recipient_opening_signature_and_date(case) -> None:
    report, _, document = case
    paras = texts(document)
    start = paras.index("区委、区政府：")
    assert paras[start + 1] in ("现将2024年民生实事推进情况报告如下：", "现将2024年民生实事完成情况报告如下：")
    assert paras[start + 2] == "一、总体情况"
    day = report.as_of
    assert paras[-2:] == ["唐山市丰润区人民政府办公室", f"{day.year}年{day.month}月{day.day}日"]
    assert document.paragraphs[-1].alignment == 2  # right


def test_page_numbers_in_the_footer() -> None:
    with zipfile.ZipFile(io.BytesIO(status_docx(shipped(D(2024, 7, 31))))) as z:
        names = z.namelist()
        footer = next(z.read(n).decode() for n in names if n.startswith("word/footer"))
        app = z.read("docProps/app.xml").decode()
        rels = z.read("_rels/.rels").decode()
    assert 'w:instr="PAGE"' in footer and "— " in footer and " —" in footer
    # no blank thumbnail, and the document does not claim to come from Word for Mac
    assert "thumbnail" not in rels and not any("thumbnail" in n for n in names)
    assert "Microsoft" not in app and "<Application>minsheng</Application>" in app


def test_unit_answers_for_its_own_indicators() -> None:
    """At 12-31 only 2.2 is behind; 区水务集团 reports it, 区住建局 only assists."""
    body = section(opened(shipped(D(2024, 12, 31))), "三、分单位推进情况")
    housing = next(t for t in body if t.startswith("负责报送指标2个") and "（2.2）" in t)
    assert housing.startswith("负责报送指标2个，均未落后于序时进度；配合其他单位的指标1个（2.2）")
    water = next(t for t in body if "（2.1）" in t)
    assert water.startswith("负责报送指标1个，其中1个落后于序时进度；配合其他单位的指标1个（2.1）")


def test_reporting_says_what_came_in_and_what_is_due() -> None:
    july = section(opened(shipped(D(2024, 7, 31))), "一、总体情况")
    assert "11个责任单位均已报送2024年6月进展。" in july
    assert "2024年7月进展已全部报送（截至2024年7月31日）。" in july
    # 8-15: July is due on 8-5 and in; August's reports are not yet due
    august = section(opened(shipped(D(2024, 8, 15))), "一、总体情况")
    assert "11个责任单位均已报送2024年7月进展。" in august
    assert "2024年8月进展应于2024年9月5日前报送。" in august


def test_long_lagging_list_goes_to_an_annex() -> None:
    report = shipped(D(2024, 4, 30))
    lagging = report.lagging()
    assert len(lagging) > 10
    document = opened(report)
    body = section(document, "二、滞后项目清单")
    projects = len({r.task_id for r in lagging})
    assert body == [f"{projects}个项目的{len(lagging)}个指标落后于序时进度，清单见附件1。"]
    paras = texts(document)
    assert paras[paras.index("附件1") + 1] == "滞后指标清单"
    table = rows(document.tables[-1])
    assert table[0][0] == "序号" and len(table) - 1 == len(lagging)
    assert any(t.endswith("详见附件1。") for t in section(document, "一、总体情况"))


def test_on_the_final_deadline_what_is_left_is_unfinished_work_not_a_lag() -> None:
    """At 12-31 序时 is 100%: "慢于序时进度0.2个百分点" on the last day reads as a lag; say what is left."""
    report = shipped(D(2024, 12, 31))
    assert report.as_of == report.plan.deadlines.final.date and report.completion < 1
    body = section(opened(report), "一、总体情况")
    left = f"{(1 - report.completion) * 100:.1f}"
    assert any(f"距全部完成尚差{left}个百分点" in t for t in body), body
    assert not any("慢于序时进度" in t for t in body)
    # before the last deadline the comparison with 序时 stays
    body = section(opened(shipped(D(2024, 7, 31))), "一、总体情况")
    assert any("快于序时进度0.9个百分点" in t for t in body), body


def test_a_floor_reads_as_written_chinese() -> None:
    """ "200以上场" → "200场以上": 以上 comes after the 计量单位, as in the 台账's number format."""
    document = opened(shipped(D(2024, 7, 31)))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    # 5.1 惠民演出 200场, 7.1 法律援助 540件, 9.3 托育机构 139家, 9.4 托位 4155个: floors in the plan
    assert {"200场以上", "540件以上", "139家以上", "4155个以上"} <= cells
    assert not [c for c in cells if re.fullmatch(r"\d+以上\D+", c)]

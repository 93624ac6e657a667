"""The Excel 台账 and the fill-in form, with openpyxl.

openpyxl is used because an xlsx is a zip of several XML parts with styles,
number formats, frozen panes and print setup; writing that by hand would be
a second, worse openpyxl. User text is always written as a string cell, so a
note starting with ``=`` can never become a formula.

What a reader sees is laid out here, not left to the program that opens the
file: fixed column widths that fit A4 landscape at a readable size, a stored
height for every row (LibreOffice and WPS do not grow a wrapped row by
themselves), page numbers in the footer, and numbers kept as numbers (a
target's 以上 lives in the number format, after its 计量单位: "200场以上").
"""

from __future__ import annotations

import io
import math
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len

from minsheng.compute import STATUS_LABELS, IndicatorStatus, StatusReport
from minsheng.render.fmt import clean, clean_lines, cn_date
from minsheng.render.rows import (
    LEDGER_HEADER,
    ExtraColumn,
    indicator_extra_cells,
    indicator_extra_header,
    ledger_extra_cells,
    ledger_extra_header,
    task_extra_header,
    task_rows,
)
from minsheng.render.view import EXAMPLE_NOTE, category_sentence, indicator_texts, unit_rows

TEMPLATE_SHEET = "填报"
META_SHEET = "_minsheng"
TEMPLATE_FORMAT = "minsheng-template-1"
VALUE_HEADER = "本次累计完成（填写）"
TEMPLATE_HEADER = ["指标编号", "指标名称", "目标", "计量单位", "上次报送日期", "上次累计值", VALUE_HEADER]
TEXT_LABELS = {"summary": "进展情况", "problems": "存在问题", "next_steps": "下步计划", "correction": "更正说明"}
"""The form's text boxes; 更正说明 is filled only when a cumulative value is lower than the last one."""

LIGHT_FILL = {
    "blue": PatternFill("solid", fgColor="BDD7EE"),
    "green": PatternFill("solid", fgColor="C6EFCE"),
    "yellow": PatternFill("solid", fgColor="FFEB9C"),
    "red": PatternFill("solid", fgColor="FFC7CE"),
}
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
BODY_FONT = Font(size=10)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
NUMBER = Alignment(horizontal="right", vertical="top", wrap_text=True)

# Column widths, in Excel's character units (a 汉字 of 10 pt takes about two), chosen so the
# 13 columns fit A4 landscape with little scaling: LibreOffice prints the 10 pt body at about
# 9 pt, Excel near 10 pt (the issue found the old widths printing at about 4 pt).
LEDGER_WIDTHS = {
    "序号": 4.5,
    "项目": 9,
    "指标": 12.5,
    "目标任务": 8,
    "计量单位": 5,
    "责任单位": 8,
    "累计完成": 7,
    "完成率": 6.5,
    "序时进度": 6.5,
    "状态": 7,
    "进展情况": 20,
    "存在问题": 15,
    "下步计划": 15,
    # Columns a plan adds (m12's shared view): narrow, their text wraps.
    "说明": 7,
    "责任领导": 7,
    "责任人": 6,
    "完成时限": 9,
    "逐项进展": 12,
    "分区域": 12,
}
FORM_WIDTHS = {
    "指标编号": 8,
    "指标名称": 34,
    "目标": 11,
    "计量单位": 8,
    "上次报送日期": 12,
    "上次累计值": 11,
    VALUE_HEADER: 18,
}
LINE_HEIGHT = 14.5
"""Points per wrapped line of 10 pt text (CJK fonts set about 1.45 em per line)."""
FOOTER = "第 &P 页，共 &N 页"


def put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write a cell; text is always a string cell, never a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = _fits_a_cell(clean_lines(value))
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


MAX_CELL_TEXT = 32767
"""Excel's limit for the text of one cell; openpyxl and Excel would cut a longer one without a word."""


def _fits_a_cell(text: str) -> str:
    """The text, or as much as fits followed by a note that says it was cut and where the rest is."""
    if len(text) <= MAX_CELL_TEXT:
        return text
    note = f"……（原文 {len(text)} 字，超过 Excel 单元格上限 {MAX_CELL_TEXT} 字，以下已截去；全文见进展文件）"
    return text[: MAX_CELL_TEXT - len(note)] + note


def _sheet_title(name: str, taken: set[str]) -> str:
    title = "".join("_" if ch in "[]:*?/\\" else ch for ch in clean(name))[:31] or "单位"
    base, n = title, 2
    while title in taken:
        title = f"{base[:28]}_{n}"
        n += 1
    taken.add(title)
    return title


def _print_setup(ws: Worksheet, title_rows: str, orientation: str = "landscape") -> None:
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # Fit to the page width; the widths above keep the scale near 90%, so this only guards a
    # wider font from pushing one column onto a second sheet of paper.
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.footer = 0.3
    # The sheet's name on the left, so a loose page says which 台账 it belongs to.
    for footer in (ws.oddFooter, ws.evenFooter):
        footer.left.text, footer.left.size = "&A", 9
        footer.center.text, footer.center.size = FOOTER, 9


def _ledger_sheet(
    ws: Worksheet, report: StatusReport, rows: list[IndicatorStatus], title: str, columns: tuple[ExtraColumn, ...] = ()
) -> None:
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    extra = ledger_extra_header(report, rows, columns)
    if report.example:
        note = put(ws, 1, 11, EXAMPLE_NOTE)
        note.font, note.alignment = Font(italic=True, color="C00000", size=10), WRAP
        # Held within the table's own columns: text running past the last one would widen the print.
        ws.merge_cells(start_row=1, start_column=11, end_row=1, end_column=len(LEDGER_HEADER) + len(extra))
    for col, name in enumerate([*LEDGER_HEADER, *extra], 1):
        cell = put(ws, 2, col, name)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True, size=10), HEADER_FILL, BORDER, CENTER
    names = {t.task.id: t.task.name for t in report.tasks}
    for r, row in enumerate(rows, 3):
        ind = row.indicator
        texts = indicator_texts(report, row)
        cells: list[Any] = [
            ind.id,
            names[row.task_id],
            ind.name,
            _target_value(row),
            ind.measure or "",
            "、".join((ind.unit, *ind.co_units)),
            _cell_value(row.value),
            row.completion,
            row.expected,
            STATUS_LABELS[row.status],
            texts.summary or "" if texts else "",
            texts.problems or "" if texts else "",
            texts.next_steps or "" if texts else "",
            *(ledger_extra_cells(report, rows, row, columns) if extra else []),
        ]
        for col, value in enumerate(cells, 1):
            cell = put(ws, r, col, value)
            cell.border, cell.font = BORDER, BODY_FONT
            cell.alignment = NUMBER if isinstance(value, int | float) else WRAP
        ws.cell(row=r, column=4).number_format = target_format(row)
        ws.cell(row=r, column=8).number_format = "0.0%"
        ws.cell(row=r, column=9).number_format = "0.0%"
        ws.cell(row=r, column=10).fill = LIGHT_FILL[row.light]
    ws.freeze_panes = "A3"
    _set_widths(ws, LEDGER_WIDTHS, 2)
    _fit_rows(ws, 2)
    ws.row_dimensions[1].height = 22
    _print_setup(ws, "1:2")


def _target_value(row: IndicatorStatus) -> Any:
    """The target as a number a spreadsheet can sum; a milestone's is the word 完成."""
    if row.indicator.kind == "milestone":
        return "完成"
    return row.indicator.target


def target_format(row: IndicatorStatus) -> str:
    """The number format of a target: a floor reads "200场以上" (以上 after the 计量单位), else the number."""
    ind = row.indicator
    if ind.kind == "milestone" or not ind.floor:
        return "General"
    suffix = (ind.measure or "") + "以上"
    return 'General"' + suffix.replace('"', "") + '"'


def _set_widths(ws: Worksheet, widths: dict[str, float], header_row: int) -> None:
    """The chosen width of each known column; a column a plan adds (投资, 开工 …) as wide as its
    longest cell, within 6 and 24 character units (its text then wraps)."""
    for col in range(1, ws.max_column + 1):
        header = ws.cell(row=header_row, column=col).value
        if isinstance(header, str) and header in widths:
            ws.column_dimensions[get_column_letter(col)].width = widths[header]
        else:
            cells = [ws.cell(row=r, column=col).value for r in range(header_row, ws.max_row + 1)]
            longest = max((cell_len(str(v)) for v in cells if v is not None), default=6)
            ws.column_dimensions[get_column_letter(col)].width = min(max(longest + 1, 6), 24)


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs at ``width`` character units (a 汉字 counts two, as in the width)."""
    room = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(cell_len(part) / room)) for part in text.split("\n"))


def _fit_rows(ws: Worksheet, first_row: int) -> None:
    """Store each row's height from its longest wrapped cell: other programs do not fit rows themselves."""
    widths = {col: ws.column_dimensions[get_column_letter(col)].width or 8.43 for col in range(1, ws.max_column + 1)}
    merged = {(c.min_row, c.min_col) for c in ws.merged_cells.ranges}
    for r in range(first_row, ws.max_row + 1):
        if ws.row_dimensions[r].height is not None:
            continue
        lines = 1
        for c in range(1, ws.max_column + 1):
            cell = ws.cell(row=r, column=c)
            if cell.value is None or (r, c) in merged:
                continue
            text = str(cell.value) if isinstance(cell.value, str) else "0" * 8
            lines = max(lines, _lines(text, widths[c]))
        ws.row_dimensions[r].height = lines * LINE_HEIGHT + 3


def _cell_value(value: object) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "已完成" if value else "未完成"
    return value


def ledger_xlsx(
    report: StatusReport,
    unit: str | None = None,
    extra: list[tuple[str, list[list[str]]]] | None = None,
    columns: tuple[ExtraColumn, ...] = (),
) -> bytes:
    """The 台账 workbook: 总台账 (one row per indicator), then a sheet per unit, then ``extra`` sheets
    (a title and rows, the first the header: the year's 考评 where the office keeps a 督办 ledger).
    ``columns`` are added to every ledger sheet (核验销号, where the office keeps that ledger)."""
    wb = Workbook()
    head = f"{report.plan.title}台账（截至{cn_date(report.as_of)}）"
    first = wb.active
    assert first is not None
    taken: set[str] = set()
    units = [unit] if unit else [u.unit for u in report.units]
    if unit is None:
        first.title = _sheet_title("总台账", taken)
        _ledger_sheet(first, report, report.indicators(), head, columns)
        if task_extra_header(report):
            _task_sheet(
                wb.create_sheet(_sheet_title("项目", taken)),
                report,
                f"{report.plan.title}项目一览（截至{report.as_of}）",
            )
    else:
        wb.remove(first)
    for name in units:
        ws = wb.create_sheet(_sheet_title(name, taken))
        _ledger_sheet(ws, report, unit_rows(report, name), f"{name} {head}", columns)
    for title, rows in extra or []:
        _table_sheet(
            wb.create_sheet(_sheet_title(title, taken)),
            f"{report.plan.title}{title}（截至{cn_date(report.as_of)}）",
            rows,
        )
    return _save(wb)


ID_HEADERS = frozenset({"指标", "编号", "序号"})


def _table_sheet(ws: Worksheet, title: str, rows: list[list[str]]) -> None:
    """A plain table sheet: title, a header row, numbers kept numbers (ids kept text: 2.10 is not 2.1)."""
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    ids = {col for col, name in enumerate(rows[0] if rows else [], 1) if name in ID_HEADERS}
    for r, cells in enumerate(rows, 2):
        for col, value in enumerate(cells, 1):
            cell = put(ws, r, col, _number(value) if r > 2 and col not in ids else value)
            cell.border = BORDER
            if r == 2:
                cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, CENTER
    ws.freeze_panes = "A3"
    _set_widths(ws, {}, 2)
    _fit_rows(ws, 2)
    _print_setup(ws, "1:2")


def _number(text: str) -> Any:
    """ "12", "84.5" and "50.0%" as numbers (a percent as a fraction, shown as a percent)."""
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else int(text) if text.isdigit() else float(text)
    except ValueError:
        return text


def _task_sheet(ws: Worksheet, report: StatusReport, title: str) -> None:
    """One row per task with its category, investment and 开工 (the shared task rows), then the categories."""
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    rows = task_rows(report)
    for r, cells in enumerate(rows, 2):
        for col, value in enumerate(cells, 1):
            cell = put(ws, r, col, value)
            cell.border = BORDER
            if r == 2:
                cell.font, cell.fill = Font(bold=True), HEADER_FILL
    below = len(rows) + 3
    for k, cat in enumerate(report.categories):
        put(ws, below + k, 1, category_sentence(cat))
    ws.freeze_panes = "A3"
    _set_widths(ws, {}, 2)
    _fit_rows(ws, 2)
    _print_setup(ws, "1:2")


def template_xlsx(report: StatusReport, unit: str) -> bytes:
    """The form a unit fills in: its indicators with target and last value, blanks for the new ones."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = TEMPLATE_SHEET
    put(ws, 1, 1, f"{report.plan.title} 进展填报表").font = Font(bold=True, size=14)
    labels = [("报送单位", unit), ("报告日期", None), ("计划", f"{report.plan.title}（{report.plan.year}年）")]
    for r, (label, value) in enumerate(labels, 2):
        put(ws, r, 1, label).font = Font(bold=True)
        cell = put(ws, r, 2, value) if value is not None else ws.cell(row=r, column=2)
        if value is None:
            cell.fill, cell.number_format = INPUT_FILL, "yyyy-mm-dd"
    put(ws, 3, 3, "← 填写累计数的截至日期，如 2024-08-31")
    header_row = 6
    rows = [r for r in unit_rows(report, unit) if r.indicator.unit == unit]
    # For reading only, after the value column (found by its header): what the plan adds per indicator.
    extra = indicator_extra_header(rows)
    for col, name in enumerate([*TEMPLATE_HEADER, *extra], 1):
        cell = put(ws, header_row, col, name)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), HEADER_FILL, BORDER, CENTER
    checks: list[list[Any]] = []
    for r, row in enumerate(rows, header_row + 1):
        ind = row.indicator
        values: list[Any] = [
            ind.id,
            ind.name,
            _target_value(row),
            ind.measure or "",
            row.last_report.isoformat() if row.last_report else "",
            _cell_value(row.value),
            None,
            *(indicator_extra_cells(rows, row) if extra else []),
        ]
        for col, value in enumerate(values, 1):
            cell = put(ws, r, col, value) if value is not None else ws.cell(row=r, column=col)
            cell.border = BORDER
            cell.alignment = NUMBER if isinstance(value, int | float) else WRAP
        # Text format: an id retyped in Excel stays "1.10", it does not become the number 1.1.
        ws.cell(row=r, column=1).number_format = "@"
        ws.cell(row=r, column=3).number_format = target_format(row)
        ws.cell(row=r, column=7).fill = INPUT_FILL
        # What the import checks the visible sheet against (ids, rows, measures, last values).
        checks.append(["indicator", ind.id, r, ind.measure or "", str(values[5])])
    _form_validation(ws, report, rows, header_row)
    _form_text_boxes(ws, header_row + len(rows) + 2)
    ws.freeze_panes = f"A{header_row + 1}"
    _set_widths(ws, FORM_WIDTHS, header_row)
    _fit_rows(ws, header_row)
    _print_setup(ws, f"{header_row}:{header_row}", orientation="portrait")
    meta = wb.create_sheet(META_SHEET)
    for r, (key, value) in enumerate(
        [("format", TEMPLATE_FORMAT), ("unit", unit), ("year", str(report.plan.year)), ("as_of", str(report.as_of))], 1
    ):
        put(meta, r, 1, key)
        put(meta, r, 2, value)
    for r, line in enumerate(checks, 6):
        for col, value in enumerate(line, 1):
            put(meta, r, col, value)
    meta.sheet_state = "hidden"
    return _save(wb)


def _form_text_boxes(ws: Worksheet, first_row: int) -> int:
    """进展情况 / 存在问题 / 下步计划 / 更正说明 as four boxes: a label cell beside each, a border round each box,
    a blank row between them. The importer finds each by its label in column A and reads column B."""
    row = first_row
    for label in TEXT_LABELS.values():
        cell = put(ws, row, 1, label)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), HEADER_FILL, BORDER, CENTER
        for col in range(2, 8):
            box = ws.cell(row=row, column=col)
            box.fill, box.border, box.alignment = INPUT_FILL, BORDER, WRAP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=7)
        ws.row_dimensions[row].height = 72
        ws.row_dimensions[row + 1].height = 8
        row += 2
    return row


def _rule(kind: str, title: str, prompt: str, error: str, **condition: str) -> DataValidation:
    """A validation that shows ``prompt`` when the cell is selected and ``error`` when the entry breaks it."""
    return DataValidation(
        type=kind,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=title,
        error=error,
        promptTitle=title,
        prompt=prompt,
        **condition,
    )


def _form_validation(ws: Worksheet, report: StatusReport, rows: list[IndicatorStatus], header_row: int) -> None:
    """Excel / WPS check what is typed: a date in 报告日期, a number ≥ 0 (or 是/否) in each value cell."""
    year = report.plan.year
    example = f"如 {year}-08-31"
    day = _rule("date", "报告日期", f"累计数的截至日期，{example}", f"请填写{year}年内的日期，{example}",
                operator="between", formula1=f"DATE({year},1,1)", formula2=f"DATE({year},12,31)")  # fmt: skip
    # A warning, not a stop: the importer reads more ways of writing a date than Excel's check does.
    day.errorStyle = "warning"
    day.add("B3")
    number = _rule("decimal", "累计完成", "填写截至报告日期的累计数，只填数字", "只填累计数字（不带单位），如 41",
                   operator="greaterThanOrEqual", formula1="0")  # fmt: skip
    milestone = _rule("list", "是否完成", "选择 是（已完成）或 否（未完成）", "请选择 是 或 否", formula1='"是,否"')
    for r, row in enumerate(rows, header_row + 1):
        (milestone if row.indicator.kind == "milestone" else number).add(f"G{r}")
    for rule in (day, number, milestone):
        if rule.sqref:
            ws.add_data_validation(rule)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

"""The Excel 台账 and the fill-in form, with openpyxl.

openpyxl is used because an xlsx is a zip of several XML parts with styles,
number formats, frozen panes and print setup; writing that by hand would be
a second, worse openpyxl. User text is always written as a string cell, so a
note starting with ``=`` can never become a formula.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len

from minsheng.compute import STATUS_LABELS, IndicatorStatus, StatusReport
from minsheng.render.fmt import clean_lines
from minsheng.render.rows import (
    LEDGER_HEADER,
    indicator_extra_cells,
    indicator_extra_header,
    ledger_extra_cells,
    ledger_extra_header,
    target_text,
    task_extra_header,
    task_rows,
)
from minsheng.render.view import EXAMPLE_NOTE, category_sentence, indicator_texts, unit_rows

TEMPLATE_SHEET = "填报"
META_SHEET = "_minsheng"
TEMPLATE_FORMAT = "minsheng-template-1"
VALUE_HEADER = "本次累计完成（填写）"
TEMPLATE_HEADER = ["指标编号", "指标名称", "目标", "计量单位", "上次报送日期", "上次累计值", VALUE_HEADER]
TEXT_LABELS = {"summary": "进展情况", "problems": "存在问题", "next_steps": "下步计划"}

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
TEXT_COLUMNS = {"进展情况", "存在问题", "下步计划", "指标", "项目", "指标名称", "逐项进展", "分区域", "说明"}


def put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write a cell; text is always a string cell, never a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = clean_lines(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _sheet_title(name: str, taken: set[str]) -> str:
    title = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "单位"
    base, n = title, 2
    while title in taken:
        title = f"{base[:28]}_{n}"
        n += 1
    taken.add(title)
    return title


def _fit_columns(ws: Worksheet, header_row: int) -> None:
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=header_row):
        for cell in row:
            if cell.value is not None:
                longest = max(cell_len(part) for part in str(cell.value).split("\n"))
                widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for col, width in widths.items():
        header = ws.cell(row=header_row, column=col).value
        cap = 42 if header in TEXT_COLUMNS else 24
        ws.column_dimensions[get_column_letter(col)].width = min(max(width, 4) + 2, cap)


def _print_setup(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.4


def _ledger_sheet(ws: Worksheet, report: StatusReport, rows: list[IndicatorStatus], title: str) -> None:
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    if report.example:
        put(ws, 1, 6, EXAMPLE_NOTE).font = Font(italic=True, color="C00000")
    extra = ledger_extra_header(report, rows)
    for col, name in enumerate([*LEDGER_HEADER, *extra], 1):
        cell = put(ws, 2, col, name)
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    names = {t.task.id: t.task.name for t in report.tasks}
    for r, row in enumerate(rows, 3):
        ind = row.indicator
        texts = indicator_texts(report, row)
        cells: list[Any] = [
            ind.id,
            names[row.task_id],
            ind.name,
            target_text(row),
            ind.measure or "",
            "、".join((ind.unit, *ind.co_units)),
            _cell_value(row.value),
            row.completion,
            row.expected,
            STATUS_LABELS[row.status],
            texts.summary or "" if texts else "",
            texts.problems or "" if texts else "",
            texts.next_steps or "" if texts else "",
            *(ledger_extra_cells(report, rows, row) if extra else []),
        ]
        for col, value in enumerate(cells, 1):
            cell = put(ws, r, col, value)
            cell.border = BORDER
            cell.alignment = WRAP
        ws.cell(row=r, column=8).number_format = "0.0%"
        ws.cell(row=r, column=9).number_format = "0.0%"
        ws.cell(row=r, column=10).fill = LIGHT_FILL[row.light]
    ws.freeze_panes = "A3"
    _fit_columns(ws, 2)
    _print_setup(ws, "1:2")


def _cell_value(value: object) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "已完成" if value else "未完成"
    return value


def ledger_xlsx(report: StatusReport, unit: str | None = None) -> bytes:
    """The 台账 workbook: 总台账 (one row per indicator), then a sheet per unit."""
    wb = Workbook()
    head = f"{report.plan.title}台账（截至{report.as_of}）"
    first = wb.active
    assert first is not None
    taken: set[str] = set()
    units = [unit] if unit else [u.unit for u in report.units]
    if unit is None:
        first.title = _sheet_title("总台账", taken)
        _ledger_sheet(first, report, report.indicators(), head)
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
        _ledger_sheet(ws, report, unit_rows(report, name), f"{name} {head}")
    return _save(wb)


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
    _fit_columns(ws, 2)
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
    # For reading only (the value column is found by its header): what the plan adds per indicator.
    extra = indicator_extra_header(rows)
    for col, name in enumerate([*TEMPLATE_HEADER, *extra], 1):
        cell = put(ws, header_row, col, name)
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
    for r, row in enumerate(rows, header_row + 1):
        ind = row.indicator
        values: list[Any] = [
            ind.id,
            ind.name,
            target_text(row),
            ind.measure or ("填 是/否" if ind.kind == "milestone" else ""),
            row.last_report.isoformat() if row.last_report else "",
            _cell_value(row.value),
            None,
            *(indicator_extra_cells(rows, row) if extra else []),
        ]
        for col, value in enumerate(values, 1):
            cell = put(ws, r, col, value) if value is not None else ws.cell(row=r, column=col)
            cell.border = BORDER
        ws.cell(row=r, column=7).fill = INPUT_FILL
    text_row = header_row + len(rows) + 2
    for k, label in enumerate(TEXT_LABELS.values()):
        put(ws, text_row + k, 1, label).font = Font(bold=True)
        cell = ws.cell(row=text_row + k, column=2)
        cell.fill, cell.alignment = INPUT_FILL, WRAP
        ws.merge_cells(start_row=text_row + k, start_column=2, end_row=text_row + k, end_column=7)
        ws.row_dimensions[text_row + k].height = 48
    ws.freeze_panes = f"A{header_row + 1}"
    _fit_columns(ws, header_row)
    ws.column_dimensions["G"].width = 22
    _print_setup(ws, f"{header_row}:{header_row}")
    meta = wb.create_sheet(META_SHEET)
    for r, (key, value) in enumerate(
        [("format", TEMPLATE_FORMAT), ("unit", unit), ("year", str(report.plan.year)), ("as_of", str(report.as_of))], 1
    ):
        put(meta, r, 1, key)
        put(meta, r, 2, value)
    meta.sheet_state = "hidden"
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

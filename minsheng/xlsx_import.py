"""Read a filled-in form (from `export xlsx --template`) into one new report.

Only reads: the write goes through :mod:`minsheng.record` like any other.
Formulas are never evaluated: a cell holding one is refused with its address,
as is any value that is not a plain number (or 是/否 for a milestone).
Problems are located as ``FILE.xlsx!Sheet!C7``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from minsheng.ledger_text import NewReport
from minsheng.model import Value
from minsheng.problems import Problem
from minsheng.render.xlsx import META_SHEET, TEMPLATE_HEADER, TEMPLATE_SHEET, TEXT_LABELS, VALUE_HEADER

MAX_XLSX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 2000
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE = {"是", "已完成", "完成", "true", "TRUE", "True"}
_FALSE = {"否", "未完成", "false", "FALSE", "False"}


@dataclass
class Form:
    unit: str | None = None
    report: NewReport | None = None
    cells: dict[str, str] = field(default_factory=dict)
    """Indicator id → the address of its value cell, to locate later problems."""
    date_cell: str = f"{TEMPLATE_SHEET}!B3"
    problems: list[Problem] = field(default_factory=list)


def read_form(path: Path) -> Form:
    form = Form()
    shown = str(path)

    def problem(cell: str, code: str, message: str, hint: str = "") -> None:
        form.problems.append(Problem(shown, 0, 0, code, message, hint, cell=cell))

    try:
        size = path.stat().st_size
        if size > MAX_XLSX_BYTES:
            problem(TEMPLATE_SHEET, "too-large", f"文件有 {size} 字节，超过上限 10 MB", "检查是否选错了文件")
            return form
        from openpyxl import load_workbook

        wb = load_workbook(path, data_only=False, read_only=False)
    except Exception as exc:  # untrusted file parsed by openpyxl: any failure means "not a form we can read"
        hint = "请用 minsheng export xlsx --template 生成的表格填写"
        problem(TEMPLATE_SHEET, "xlsx", f"无法作为 xlsx 打开：{exc}", hint)
        return form
    if TEMPLATE_SHEET not in wb.sheetnames:
        problem(TEMPLATE_SHEET, "xlsx", f"没有名为“{TEMPLATE_SHEET}”的工作表", "请用 export xlsx --template 生成的表格")
        return form
    ws = wb[TEMPLATE_SHEET]
    if ws.max_row > MAX_ROWS:
        problem(TEMPLATE_SHEET, "too-large", f"工作表有 {ws.max_row} 行，超过上限 {MAX_ROWS}", "")
        return form

    def cell(address: str) -> Any:
        c = ws[address]
        if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=") and c.data_type != "s"):
            problem(f"{TEMPLATE_SHEET}!{address}", "formula", "单元格里是公式，不会被计算", "请填写数值本身")
            return None
        return c.value

    unit = cell("B2")
    form.unit = unit.strip() if isinstance(unit, str) else None
    if not form.unit:
        problem(f"{TEMPLATE_SHEET}!B2", "missing-key", "缺少报送单位", "填写单位名称")
    day = _date(cell("B3"))
    if day is None:
        problem(f"{TEMPLATE_SHEET}!B3", "date", "报告日期缺失或无效，格式应为 YYYY-MM-DD", "如 2024-08-31")
    header_row = next(
        (r for r in range(1, min(ws.max_row, 50) + 1) if ws.cell(row=r, column=1).value == TEMPLATE_HEADER[0]), None
    )
    if header_row is None:
        problem(TEMPLATE_SHEET, "xlsx", "找不到表头“指标编号”", "请用 export xlsx --template 生成的表格")
        return form
    # The value column is found by its header, never assumed: a column added or removed
    # by hand must not make the form's "last value" pass for the new one.
    headers = {str(ws.cell(row=header_row, column=c).value).strip(): c for c in range(1, ws.max_column + 1)}
    value_column = headers.get(VALUE_HEADER)
    if value_column is None:
        problem(
            f"{TEMPLATE_SHEET}!A{header_row}",
            "xlsx",
            f"表头里找不到“{VALUE_HEADER}”一列",
            "不要增删或改名表头的列；请重新导出填报表",
        )
        return form
    letter = get_column_letter(value_column)
    values: dict[str, Value] = {}
    texts: dict[str, str | None] = {}
    labels = {label: key for key, label in TEXT_LABELS.items()}
    for r in range(header_row + 1, ws.max_row + 1):
        first = ws.cell(row=r, column=1).value
        if isinstance(first, str) and first in labels:
            text = cell(f"B{r}")
            texts[labels[first]] = str(text).strip() if text not in (None, "") else None
            continue
        if first in (None, ""):
            continue
        key = str(first).strip()
        address = f"{letter}{r}"
        form.cells[key] = f"{TEMPLATE_SHEET}!{address}"
        raw = cell(address)
        if raw in (None, ""):
            continue
        value = _value(raw)
        if value is None:
            hint = "只填累计数字；无数字事项填 是/否"
            problem(f"{TEMPLATE_SHEET}!{address}", "type", f"指标 {key} 的值“{raw}”不是数字", hint)
        elif key in values:
            problem(f"{TEMPLATE_SHEET}!A{r}", "duplicate-key", f"指标 {key} 出现了两次", "删去重复的一行")
        else:
            values[key] = value
    if not values and not any(texts.values()) and not form.problems:
        problem(f"{TEMPLATE_SHEET}!{letter}{header_row + 1}", "empty-report", "表中没有填写任何数值或文字", "")
    if META_SHEET in wb.sheetnames:
        meta = {
            str(r[0]): str(r[1])
            for r in wb[META_SHEET].iter_rows(values_only=True)
            if len(r) >= 2 and r[0] is not None and r[1] is not None
        }
        year = meta.get("year", "")
        if day is not None and year.isdigit() and day.year != int(year):
            problem(
                f"{TEMPLATE_SHEET}!B3",
                "date-outside-year",
                f"报告日期 {day} 不在这张填报表的年度（{year}年）内",
                "检查年份；新的年度请重新导出填报表",
            )
        if form.unit and meta.get("unit") and form.unit != meta["unit"]:
            problem(
                f"{TEMPLATE_SHEET}!B2",
                "xlsx",
                f"报送单位“{form.unit}”与这张填报表导出时的单位“{meta['unit']}”不同",
                "每个单位用自己的填报表",
            )
    if day is not None and not form.problems:
        form.report = NewReport(day, values, texts.get("summary"), texts.get("problems"), texts.get("next_steps"))
    return form


def _date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date() if raw.time() == dt.time() else None
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and _ISO_DATE.fullmatch(raw.strip()):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            return None
    return None


def _value(raw: Any) -> Value | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return raw if raw == raw and raw not in (float("inf"), float("-inf")) else None
    if isinstance(raw, str):
        text = raw.strip()
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None

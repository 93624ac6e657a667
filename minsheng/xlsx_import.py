"""Read a filled-in form (from `export xlsx --template`) into one new report.

Only reads: the write goes through :mod:`minsheng.record` like any other.
Formulas are never evaluated: a cell holding one is refused with its address,
as is any value that is not a plain number (or 是/否 for a milestone).
Problems are located as ``FILE.xlsx!Sheet!C7``.

Every filled cell of the form sheet is either read where it belongs or
refused with its address: merged cells over ids or values, a value beside a
blank id, an id Excel turned into a number (``1.10`` → 1.1), a percent cell
for an indicator that is not a rate, anything typed outside the form's
columns or in a hidden row or column. A hidden sheet is never read, and a
second visible copy of the form is refused rather than ignored. The form's
hidden sheet carries the ids, rows, measures and last values it was exported
with; the visible cells are checked against them, never read from them.

Size is checked before openpyxl builds anything: the inflated sizes in the
zip directory first, then every sheet is streamed (read-only) with a row and
column bound; only a workbook within those bounds is loaded whole.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from minsheng.ledger_text import NewReport
from minsheng.model import Value
from minsheng.problems import Problem
from minsheng.render.rows import FORM_NOTE_HEADERS
from minsheng.render.xlsx import MAX_CELL_TEXT, META_SHEET, TEMPLATE_HEADER, TEMPLATE_SHEET, TEXT_LABELS, VALUE_HEADER

MAX_XLSX_BYTES = 10 * 1024 * 1024
MAX_INFLATED_BYTES = 32 * 1024 * 1024
"""All parts of the workbook together, as the zip directory declares them (zipfile never inflates more)."""
MAX_ZIP_ENTRIES = 1000
MAX_ROWS = 2000
MAX_COLUMNS = 50
MAX_TEXT = MAX_CELL_TEXT
"""Excel's limit for one cell: a longer text cannot have come from Excel whole."""
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
_TYPED_DATE = re.compile(
    r"(\d{4})\s*(?:-|\.|/|年)\s*(\d{1,2})\s*(?:-|\.|/|月)\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?"
)
"""The dates people type: 2024-08-31, 2024.8.31, 2024/8/31, 2024年8月31日, each optionally at 00:00."""
_TRUE = {"是", "已完成", "完成", "true", "TRUE", "True"}
_FALSE = {"否", "未完成", "false", "FALSE", "False"}
_HINT_FORM = "请用 minsheng export xlsx --template 生成的表格填写"


@dataclass
class Form:
    unit: str | None = None
    report: NewReport | None = None
    cells: dict[str, str] = field(default_factory=dict)
    """Indicator id → the address of its value cell, to locate later problems."""
    date_cell: str = f"{TEMPLATE_SHEET}!B3"
    problems: list[Problem] = field(default_factory=list)
    exported_for: str | None = None
    """The unit the form was exported for (its hidden sheet); an alias in B2 is checked against it later."""
    meta: dict[str, str] = field(default_factory=dict)
    """The hidden sheet's lines (format, unit, year, plan, period …) as exported."""


@dataclass(frozen=True, slots=True)
class _Expected:
    """One indicator row as the form was exported (from the hidden sheet)."""

    id: str
    row: int
    measure: str
    last: str


_Report = Callable[[str, str, str, str], None]


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
        not_xlsx = _not_an_xlsx(path)
        if not_xlsx is not None:
            code, message, hint = not_xlsx
            problem(TEMPLATE_SHEET, code, message, hint)
            return form
        with warnings.catch_warnings():  # openpyxl's English warnings (a number in a date cell) are not for users
            warnings.simplefilter("ignore")
            too_large = _inflated_too_large(path) or _streamed_too_large(path)
        if too_large:
            problem(TEMPLATE_SHEET, "too-large", too_large, "填报表只需要导出时的那几行；请重新导出后填写")
            return form
        from openpyxl import load_workbook

        with warnings.catch_warnings():  # e.g. 20240831 in a date-formatted cell: openpyxl's own English warning
            warnings.simplefilter("ignore")
            wb = load_workbook(path, data_only=False, read_only=False)
    except Exception as exc:  # untrusted file parsed by openpyxl: any failure means "not a form we can read"
        problem(TEMPLATE_SHEET, "xlsx", f"无法作为 xlsx 打开：{exc}", _HINT_FORM)
        return form
    if TEMPLATE_SHEET not in wb.sheetnames:
        problem(TEMPLATE_SHEET, "xlsx", f"没有名为“{TEMPLATE_SHEET}”的工作表", "请用 export xlsx --template 生成的表格")
        return form
    ws = wb[TEMPLATE_SHEET]
    if ws.sheet_state != "visible":
        problem(
            TEMPLATE_SHEET,
            "xlsx",
            f"工作表“{TEMPLATE_SHEET}”被隐藏了：看不见的表不会被读取",
            f"取消隐藏并在“{TEMPLATE_SHEET}”表中填写；多余的副本请删去",
        )
        return form
    for other in wb.worksheets:
        if other is not ws and other.title != META_SHEET and other.sheet_state == "visible" and _looks_like_form(other):
            problem(
                f"{other.title}!A1",
                "xlsx",
                f"工作簿里还有一张填报表“{other.title}”：只导入“{TEMPLATE_SHEET}”表，另一张不会被读取",
                f"把要报送的数填在“{TEMPLATE_SHEET}”表里，删去多余的表后再导入",
            )
    meta, expected = _meta(wb)
    form.exported_for = meta.get("unit")
    form.meta = meta

    def cell(address: str) -> Any:
        c = ws[address]
        if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=") and c.data_type != "s"):
            problem(f"{TEMPLATE_SHEET}!{address}", "formula", "单元格里是公式，不会被计算", "请填写数值本身")
            return None
        if isinstance(c.value, str) and len(c.value) >= MAX_TEXT:
            # openpyxl cuts longer texts to the limit when it reads them: reaching it means cut.
            problem(
                f"{TEMPLATE_SHEET}!{address}",
                "too-large",
                f"单元格的文字达到了 Excel 单元格上限 {MAX_TEXT} 个字符，后面的部分可能已被截掉",
                "把文字缩短，或改用 minsheng record --summary 报送",
            )
            return None
        return c.value

    unit = cell("B2")
    form.unit = unicodedata.normalize("NFC", unit.strip()) if isinstance(unit, str) else None
    if not form.unit:
        problem(f"{TEMPLATE_SHEET}!B2", "missing-key", "缺少报送单位", "填写单位名称")
    typed = cell("B3")
    day = _date(typed)
    if day is None:
        what = "报告日期缺失" if typed in (None, "") else f"报告日期“{_typed_text(typed)}”不是有效的日期"
        if typed == "#VALUE!":  # openpyxl's stand-in for a number too large for a date-formatted cell
            what = "报告日期格里是一个不能当作日期的数（如 20240831 这样连写的数字）"
        problem(
            f"{TEMPLATE_SHEET}!B3",
            "date",
            what,
            "填 2024-08-31、2024/8/31、2024.8.31 或 2024年8月31日（Excel 的日期格也可以）",
        )
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
    # The plan's notes the form shows after the value column (完成时限, 说明 …): for reading, never read.
    notes = {c for name, c in headers.items() if c > value_column and name in FORM_NOTE_HEADERS}
    last_column, measure_column = headers.get(TEMPLATE_HEADER[5]), headers.get(TEMPLATE_HEADER[3])
    labels = {label: key for key, label in TEXT_LABELS.items()}
    text_rows = {
        r for r in range(header_row + 1, ws.max_row + 1) if str(ws.cell(row=r, column=1).value or "") in labels
    }
    _refuse_merges(ws, header_row, text_rows, problem)
    _refuse_hidden(ws, header_row, value_column, problem)
    by_row = {e.row: e for e in expected}
    by_id = {e.id: e for e in expected}
    values: dict[str, Value] = {}
    texts: dict[str, str | None] = {}
    for r in range(header_row + 1, ws.max_row + 1):
        where = f"{TEMPLATE_SHEET}!{{}}{r}"
        outside = [c for c in ws[r][value_column:] if c.value not in (None, "") and c.column not in notes]
        for coordinate in [c.coordinate for c in outside]:
            problem(
                f"{TEMPLATE_SHEET}!{coordinate}",
                "xlsx",
                f"{coordinate} 在填报表的列之外，这里填的内容不会被读取",
                f"本次累计数填在 {letter} 列，文字填在表下方的几格里",
            )
        if r in text_rows:
            for c in [c for c in ws[r][2:value_column] if c.value not in (None, "")]:
                message = f"{c.coordinate} 不会被读取：文字请填在 B{r}（B 到 {letter} 合并的那一格）"
                problem(f"{TEMPLATE_SHEET}!{c.coordinate}", "xlsx", message, "把文字移到 B 列那一格里")
            first = str(ws.cell(row=r, column=1).value)
            text = cell(f"B{r}")
            texts[labels[first]] = str(text).strip() if text not in (None, "") else None
            continue
        raw_id = ws.cell(row=r, column=1).value
        if raw_id in (None, ""):
            filled = [c for c in ws[r][1:value_column] if c.value not in (None, "")]
            if filled and r in by_row:
                message = f"A{r} 的指标编号被删掉了（导出时为 {by_row[r].id}），这一行不会被读取"
                problem(where.format("A"), "xlsx", message, "恢复指标编号，或重新导出填报表")
            elif filled:
                message = f"{filled[0].coordinate} 填了内容，但这一行没有指标编号（A{r} 是空的），不知道记给哪个指标"
                problem(
                    where.format(filled[0].column_letter), "xlsx", message, "在导出时的那一行填写；不要删改指标编号"
                )
            continue
        key = _row_id(raw_id, by_row.get(r))
        if key is None:
            should = f"应为 {by_row[r].id}" if r in by_row else "编号应写成文本"
            problem(
                where.format("A"),
                "xlsx",
                f"A{r} 的指标编号是数字 {raw_id}（Excel 会把 1.10 改成 1.1），{should}",
                "把这一格设为文本格式后重新输入编号，或重新导出填报表",
            )
            continue
        exported = by_id.get(key)
        if exported is not None and last_column is not None:
            last = ws.cell(row=r, column=last_column)
            if _canon(last.value) != _canon(exported.last):
                problem(
                    where.format(last.column_letter),
                    "xlsx",
                    f"{last.coordinate}（上次累计值）被改动了：导出时为 {exported.last or '空'}，现为 {last.value}",
                    f"本次累计数请填在 {letter} 列，上次累计值不要改",
                )
        address = f"{letter}{r}"
        form.cells[key] = f"{TEMPLATE_SHEET}!{address}"
        raw = cell(address)
        if raw in (None, ""):
            continue
        value_cell = ws[address]
        shown_measure = ws.cell(row=r, column=measure_column).value if measure_column else ""
        measure = exported.measure if exported is not None else str(shown_measure or "")
        value, complaint = _value_of(raw, value_cell.number_format, measure)
        if value is None:
            hint = "只填累计数字；无数字事项填 是/否"
            problem(f"{TEMPLATE_SHEET}!{address}", "type", complaint or f"指标 {key} 的值“{raw}”不是数字", hint)
        elif key in values:
            problem(f"{TEMPLATE_SHEET}!A{r}", "duplicate-key", f"指标 {key} 出现了两次", "删去重复的一行")
        else:
            values[key] = value
    nothing = not values and not any(texts.values())
    if nothing and typed in (None, "") and [p.code for p in form.problems] == ["date"]:
        form.problems.clear()  # untouched: say so, not only that the date is missing
        problem(
            f"{TEMPLATE_SHEET}!B3",
            "empty-report",
            "这张填报表是空的：没有填写报告日期、任何数值或文字",
            "填好报告日期和本次累计数后再导入",
        )
    elif nothing and not form.problems:
        problem(f"{TEMPLATE_SHEET}!{letter}{header_row + 1}", "empty-report", "表中没有填写任何数值或文字", "")
    year = meta.get("year", "")
    if day is not None and year.isdigit() and day.year != int(year):
        problem(
            f"{TEMPLATE_SHEET}!B3",
            "date-outside-year",
            f"报告日期 {day} 不在这张填报表的年度（{year}年）内",
            "检查年份；新的年度请重新导出填报表",
        )
    first, last = _date(meta.get("period_start")), _date(meta.get("period_end"))
    if day is not None and first is not None and last is not None and not first <= day <= last:
        problem(
            f"{TEMPLATE_SHEET}!B3",
            "date-outside-period",
            f"报告日期 {day} 不在这张填报表的报送期（{first}至{last}）内",
            f"填写 {first} 至 {last} 之间的日期（通常是 {last}）；别的月份请用那一期的填报表",
        )
    if day is not None and not form.problems:
        form.report = NewReport(
            day,
            values,
            texts.get("summary"),
            texts.get("problems"),
            texts.get("next_steps"),
            texts.get("correction"),
        )
    return form


_SAVE_AS = "在 Excel 或 WPS 里打开，“另存为” Excel 工作簿（.xlsx）后再导入"
_OLD_FORMATS = {".xls": "旧版 Excel 工作簿（.xls）", ".et": "WPS 表格（.et）", ".ods": "OpenDocument 表格（.ods）"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an OLE compound file: an .xls or .et workbook, or an xlsx encrypted with a password."""


def _not_an_xlsx(path: Path) -> tuple[str, str, str] | None:
    """Why the file is not an xlsx at all (code, message, hint), from its name and first bytes, before parsing."""
    with path.open("rb") as handle:
        head = handle.read(8)
    kind = _OLD_FORMATS.get(path.suffix.lower())
    if head == _OLE:
        data = path.read_bytes()  # within MAX_XLSX_BYTES: checked before
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            return (
                "encrypted",
                "文件设置了打开密码（已加密），无法读取",
                "在 Excel 或 WPS 里打开，取消密码（文件 → 信息 → 保护工作簿 / 文档加密）后另存为 .xlsx 再导入",
            )
        return "xlsx", f"这是{kind or '旧版 Excel（.xls）或 WPS（.et）工作簿'}，不是 .xlsx", _SAVE_AS
    if kind is not None:
        return "xlsx", f"这是{kind}，不是 .xlsx", _SAVE_AS
    if head[:4] != b"PK\x03\x04":
        return "xlsx", "不是 xlsx 文件（xlsx 是一个压缩包，这个文件不是）", f"检查是否选错了文件；{_HINT_FORM}"
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            small = "mimetype" in names and archive.getinfo("mimetype").file_size < 200
            if small and b"opendocument" in archive.read("mimetype"):
                return "xlsx", "这是 OpenDocument 表格（.ods），不是 .xlsx", _SAVE_AS
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return "xlsx", f"无法作为 xlsx 打开：压缩包已损坏（{exc}）", f"检查是否选错了文件；{_HINT_FORM}"
    if "xl/workbook.xml" not in names:
        return "xlsx", "这个压缩包不是 Excel 工作簿（没有 xl/workbook.xml）", _HINT_FORM
    return None


def _inflated_too_large(path: Path) -> str | None:
    """The zip directory's declared sizes, before anything is inflated."""
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            return f"压缩包里有 {len(entries)} 个部件，超过上限 {MAX_ZIP_ENTRIES}"
        total = sum(e.file_size for e in entries)
        if total > MAX_INFLATED_BYTES:
            return f"解压后有 {total} 字节，超过上限 {MAX_INFLATED_BYTES // (1024 * 1024)} MB"
    return None


def _streamed_too_large(path: Path) -> str | None:
    """Stream every sheet in read-only mode and stop at the first row or column past the bound.

    Every sheet, not only the form: loading the workbook whole parses them all.
    """
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "reset_dimensions"):  # a chart sheet: no rows
                continue
            ws.reset_dimensions()  # the sheet's declared dimension is not trusted either
            for count, row in enumerate(ws.iter_rows(), 1):
                if count > MAX_ROWS:
                    return f"工作表“{ws.title}”超过 {MAX_ROWS} 行"
                if len(row) > MAX_COLUMNS:
                    return f"工作表“{ws.title}”第 {count} 行超过 {MAX_COLUMNS} 列"
    finally:
        wb.close()
    return None


def _looks_like_form(ws: Any) -> bool:
    if ws.title.startswith(TEMPLATE_SHEET):
        return True
    return any(ws.cell(row=r, column=1).value == TEMPLATE_HEADER[0] for r in range(1, min(ws.max_row, 50) + 1))


def _meta(wb: Any) -> tuple[dict[str, str], list[_Expected]]:
    """The hidden sheet: what the form was exported with (checked against, never read as values)."""
    if META_SHEET not in wb.sheetnames:
        return {}, []
    meta: dict[str, str] = {}
    expected: list[_Expected] = []
    for r in wb[META_SHEET].iter_rows(max_col=5, values_only=True):
        if len(r) >= 5 and r[0] == "indicator" and isinstance(r[1], str) and isinstance(r[2], int):
            expected.append(_Expected(r[1], r[2], str(r[3] or ""), str(r[4] or "")))
        elif len(r) >= 2 and r[0] is not None and r[1] is not None:
            meta[str(r[0])] = str(r[1])
    return meta, expected


def _refuse_merges(ws: Any, header_row: int, text_rows: set[int], problem: _Report) -> None:
    """A merged range hides every cell but its first: only the form's own text merges are allowed."""
    for merged in ws.merged_cells.ranges:
        own = merged.min_row == merged.max_row and merged.min_row in text_rows and merged.min_col == 2
        if own or merged.max_row < header_row:
            continue
        problem(
            f"{TEMPLATE_SHEET}!{merged.coord}",
            "xlsx",
            f"{merged.coord} 是合并单元格：合并后只有左上角一格有值，填的数可能记错行或丢失",
            "取消合并，每个指标在自己一行的本次累计格里填写",
        )


def _refuse_hidden(ws: Any, header_row: int, value_column: int, problem: _Report) -> None:
    """No value is read from a cell the person cannot see."""
    for c in range(1, value_column + 1):
        letter = get_column_letter(c)
        if ws.column_dimensions[letter].hidden:
            problem(
                f"{TEMPLATE_SHEET}!{letter}{header_row}",
                "xlsx",
                f"{letter} 列被隐藏了：看不见的格不会被读取",
                "取消隐藏后检查内容，再导入",
            )
    for r, dim in ws.row_dimensions.items():
        if r > header_row and dim.hidden and any(v not in (None, "") for v in _row_values(ws, r, value_column)):
            problem(
                f"{TEMPLATE_SHEET}!A{r}",
                "xlsx",
                f"第 {r} 行被隐藏了：看不见的行不会被读取",
                "取消隐藏后检查内容，再导入",
            )


def _row_values(ws: Any, r: int, last_column: int) -> list[Any]:
    return [ws.cell(row=r, column=c).value for c in range(1, last_column + 1)]


def _row_id(raw: Any, exported: _Expected | None) -> str | None:
    """The id as text; a number (Excel's doing) only when it is exactly the id exported in that row."""
    if isinstance(raw, str):
        return unicodedata.normalize("NFC", raw.strip())
    if exported is not None and isinstance(raw, int | float) and _text_of(raw) == exported.id:
        return exported.id
    return None


def _text_of(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _canon(value: Any) -> str:
    """A cell's content compared as written: 146, 146.0 and "146" are the same."""
    text = _text_of(value).strip()
    try:
        return format(Decimal(text).normalize(), "f") if text else ""
    except ArithmeticError:
        return text


def _value_of(raw: Any, number_format: str, measure: str) -> tuple[Value | None, str | None]:
    """A cell's value; a percent (a "%"-formatted cell, or text "96%") counts only for a "%" indicator."""
    percent_text = isinstance(raw, str) and raw.strip().endswith("%")
    percent_cell = "%" in (number_format or "") and isinstance(raw, int | float) and not isinstance(raw, bool)
    if not (percent_text or percent_cell):
        return _value(raw), None
    shown = raw.strip() if percent_text else f"{_canon(Decimal(repr(raw)) * 100)}%"
    if measure.strip() != "%":
        unit = f"“{measure}”" if measure else "不是 %"
        return None, f"填的是百分数 {shown}，但这个指标的计量单位{unit}：请填写数量本身"
    number = _value(raw.strip()[:-1]) if percent_text else float(Decimal(repr(raw)) * 100)
    if percent_text and (number is None or isinstance(number, bool)):
        return None, f"“{raw}”不是数字"
    if isinstance(number, float) and number.is_integer():
        return int(number), None
    return number, None


def _date(raw: Any) -> dt.date | None:
    """A real Excel date (at midnight), or a date typed as text in one of the :data:`_TYPED_DATE` forms."""
    if isinstance(raw, dt.datetime):
        return raw.date() if raw.time() == dt.time() else None
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and (m := _TYPED_DATE.fullmatch(unicodedata.normalize("NFKC", raw).strip())):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def _typed_text(raw: Any) -> str:
    """What was in the date cell, as the user would recognise it."""
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


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

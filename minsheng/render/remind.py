"""催报 as words: the one-line message, the list (table, CSV, Markdown, JSON) and the 催报通知.

Every string from the data goes through :func:`~minsheng.render.fmt.clean` (or
:func:`~minsheng.render.fmt.md_escape` for Markdown) before it is shown.
"""

from __future__ import annotations

from typing import Any

from minsheng.reminders import Reminder, Reminders
from minsheng.render.delimited import to_markdown_table
from minsheng.render.fmt import clean, cn_date, md_escape, short_date

REMIND_SCHEMA_VERSION = 1
HEADER = ["单位", "报送期", "应报日期", "逾期天数", "最近报送", "联系人", "电话"]
DEADLINE_WORDS = "请于收到本通知后1个工作日内报送；确有困难的，请说明原因。"


def message(r: Reminders) -> str:
    """What the list says on ``as_of``, in one sentence (or two once the plan is over)."""
    day = cn_date(r.as_of)
    first = f"第一期{r.first.label}进展应于{cn_date(r.first.due)}前报送"
    if r.state == "before_start":
        return f"计划自{cn_date(r.plan.start_date)}开始，截至{day}尚无到期的报送期（{first}）。"
    if r.state == "not_due" or r.period is None:
        return f"截至{day}尚无到期的报送期（{first}）。"
    ended = f"计划已结束：最后一期{r.last.label}进展应于{cn_date(r.last.due)}前报送。" if r.ended else ""
    period = f"{r.period.label}进展（应于{cn_date(r.period.due)}前报送）"
    if r.state == "all_reported":
        return f"{ended}各单位均已报送{period}，截至{day}无需催报。"
    return f"{ended}截至{day}，{len(r.rows)}个单位未报送{period}。"


def row(reminder: Reminder, blank: str = "—") -> list[str]:
    """One unit as the cells of :data:`HEADER` (``blank`` where a contact or phone is not given)."""
    return [
        clean(reminder.unit),
        reminder.period,
        reminder.due_date.isoformat(),
        str(reminder.days_overdue),
        short_date(reminder.last_report),
        clean(reminder.contact) or blank,
        clean(reminder.phone) or blank,
    ]


def remind_dict(r: Reminders) -> dict[str, Any]:
    """The value ``remind --format json`` prints (its own ``schema_version``, documented in the README)."""
    period = r.period
    return {
        "schema_version": REMIND_SCHEMA_VERSION,
        "as_of": r.as_of.isoformat(),
        "plan": {"title": r.plan.title, "region": r.plan.region, "year": r.plan.year, "id": r.plan.id},
        "state": r.state,
        "ended": r.ended,
        "message": message(r),
        "period": None
        if period is None
        else {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "due": period.due.isoformat(),
        },
        "office": r.plan.supervision.signed_by(r.plan.region),
        "reporting_units": r.units,
        "units": [
            {
                "unit": x.unit,
                "period": x.period,
                "due_date": x.due_date.isoformat(),
                "days_overdue": x.days_overdue,
                "last_report": None if x.last_report is None else x.last_report.isoformat(),
                "contact": x.contact,
                "phone": x.phone,
            }
            for x in r.rows
        ],
    }


def remind_markdown(r: Reminders) -> str:
    table = to_markdown_table([HEADER, *(row(x) for x in r.rows)]) if r.rows else "无。"
    return f"# 催报清单（截至{cn_date(r.as_of)}）\n\n{md_escape(message(r))}\n\n{table}\n"


def notice_title(r: Reminders) -> str:
    label = r.period.label if r.period is not None else ""
    return f"关于催报{label}民生实事进展情况的通知"


def unit_paragraph(r: Reminders, x: Reminder) -> str:
    """区交运局：你单位2024年7月民生实事进展情况应于2024年8月5日前报送，截至2024年8月9日仍未报送，已逾期4天。…"""
    text = (
        f"{clean(x.unit)}：你单位{x.period}民生实事进展情况应于{cn_date(x.due_date)}前报送，"
        f"截至{cn_date(r.as_of)}仍未报送，已逾期{x.days_overdue}天。{DEADLINE_WORDS}"
    )
    people = [f"{name}：{clean(value)}" for name, value in (("联系人", x.contact), ("电话", x.phone)) if clean(value)]
    return text + ("，".join(people) + "。" if people else "")


def remind_text(r: Reminders) -> str:
    """The 催报通知, ready to send: heading, the units addressed, one paragraph each, 落款 and date.

    With nobody to chase, only the message: a notice to nobody is not printed.
    """
    if not r.rows or r.period is None:
        return message(r) + "\n"
    title = clean(r.plan.title)
    basis = title if title.startswith("《") else f"《{title}》"
    lines = [
        notice_title(r),
        "",
        "、".join(clean(x.unit) for x in r.rows) + "：",
        f"按照{basis}要求，各责任单位应按期报送民生实事进展情况。截至{cn_date(r.as_of)}，"
        f"以下单位尚未报送{r.period.label}进展情况，现予催报。",
        "",
    ]
    for x in r.rows:
        lines += [unit_paragraph(r, x), ""]
    lines += [clean(r.plan.supervision.signed_by(r.plan.region)), cn_date(r.as_of)]
    return "\n".join(lines) + "\n"

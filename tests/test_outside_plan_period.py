"""Issue 11: a date outside the plan is said plainly in every output, the dashboard and the docx too.

`status --as-of 2026-12-02` with the 2024 plan printed the note in the terminal and Markdown,
while the HTML and the Word report showed the 2024 figures under "截至2026年12月2日" without a word.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from minsheng.render.docx import status_docx
from minsheng.render.html import status_html
from tests.conftest import DATA
from tests.test_html import report_of

NOTE = "注意：统计日2026年12月2日在本计划的计划期（2024年1月1日至2024年12月31日）之后"


@pytest.mark.parametrize("day", [dt.date(2026, 12, 2), dt.date(2024, 7, 31)])
def test_the_dashboard_and_the_docx_say_the_date_is_outside_the_plan(day: dt.date) -> None:
    report = report_of(DATA, day)
    outside = day.year != 2024
    assert (NOTE in status_html(report)) == outside
    paragraphs = [p.text for p in docx.Document(io.BytesIO(status_docx(report))).paragraphs]
    assert any(NOTE in t for t in paragraphs) == outside


def test_the_deadline_day_is_said_on_the_dashboard() -> None:
    doc = status_html(report_of(DATA, dt.date(2024, 10, 31)))
    assert '<p id="deadline">今天是基本完成的时限（2024年10月31日），尚有3项未完成。</p>' in doc

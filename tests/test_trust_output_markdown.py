"""Issue 10, item 10: no field of the Markdown output becomes a link, an image or HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_trust_output import AS_OF, hostile_report
from typer.testing import CliRunner

from minsheng.cli import app
from minsheng.render import fmt

LINK = "[乙](javascript:alert(1))<img src=x onerror=alert(1)>![t](https://e.example/t.png)*b*`c`~~d~~"


def _rendered(markdown: str) -> str:
    """The page a Markdown viewer makes of it, with every link target allowed (as some viewers do)."""
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.validateLink = lambda url: True
    return md.render(markdown)


def test_markdown_fields_never_become_links_images_or_html(small_copy: Path) -> None:
    from minsheng.render.markdown import status_markdown, task_markdown, unit_markdown

    report, unit = hostile_report(small_copy, LINK)
    for markdown in (
        status_markdown(report),
        unit_markdown(report, unit),
        task_markdown(report, report.tasks[0]),
    ):
        page = _rendered(markdown)
        for tag in ("<a ", "<img", "<em>", "<code>", "<del>"):
            assert tag not in page, (tag, markdown)
        assert "javascript:alert(1)" in page  # shown as the text that was typed


def test_markdown_escape_round_trips_the_text() -> None:
    text = "# [a](javascript:x) <b>&amp; | *s* _u_ `c` ~d~ \\ ![i](https://e/x.png)"
    page = _rendered(fmt.md_escape(text))
    assert page.strip() == "<p>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>"


def test_report_markdown_through_the_cli_has_no_link(small_copy: Path) -> None:
    """A unit named like a link (the issue's example): `/` is refused in unit names, this is not."""
    name = "# [乙](javascript:alert(1))<img src=x onerror=alert(1)>"
    for path in [small_copy / "plan-2025.yaml", *(small_copy / "progress").glob("*.yaml")]:
        path.write_text(path.read_text(encoding="utf-8").replace("甲局", f"'{name}'"), encoding="utf-8")
    (small_copy / "progress" / "甲局.yaml").rename(small_copy / "progress" / f"{name}.yaml")
    path = small_copy / "progress" / "乙中心.yaml"
    text = path.read_text(encoding="utf-8")
    hostile = "summary: '[a](javascript:alert(2)) ![t](https://e.example/t.png) <img src=x onerror=alert(3)>'"
    path.write_text(text.replace("summary: 培训过半。", hostile), encoding="utf-8")
    runner = CliRunner()
    base = ["--data", str(small_copy), "--as-of", AS_OF, "--format", "markdown"]
    outputs = [runner.invoke(app, ["status", *base]), runner.invoke(app, ["report", "--unit", name, *base])]
    outputs.append(runner.invoke(app, ["report", "--unit", "乙中心", *base]))
    for result in outputs:
        assert result.exit_code == 0, result.output
        page = _rendered(result.stdout)
        assert "<a " not in page and "<img" not in page, result.stdout

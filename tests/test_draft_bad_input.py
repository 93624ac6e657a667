"""`plan draft` refuses what it cannot draft from, with a message, and never writes half a file."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli import app
from minsheng.draft import read
from tests.conftest import SEED

runner = CliRunner()


def draft(*args: str):
    return runner.invoke(app, ["plan", "draft", *args])


def test_no_numbered_tasks_exit_1_nothing_written(tmp_path: Path) -> None:
    doc = tmp_path / "讲话.txt"
    doc.write_text(
        "在2024年全区民生工作会议上的讲话\n\n一、充分肯定成绩\n\n同志们，过去一年我们办了不少实事。\n\n二、明确目标\n\n要再接再厉。\n",
        encoding="utf-8",
    )
    out = tmp_path / "plan-2024.yaml"
    result = draft(str(doc), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "没有找到编号的项目" in result.stderr and "未写入任何文件" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [doc]


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "plan-2024.yaml"
    out.write_text("# 手工改过的计划\n", encoding="utf-8")
    result = draft(str(SEED), "-o", str(out))
    assert result.exit_code == 2
    assert "已存在" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "# 手工改过的计划\n"
    result = draft(str(SEED), "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# 由 minsheng plan draft")


def test_default_output_name_is_plan_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = draft(str(SEED))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plan-2024.yaml").is_file()
    assert "下一步：核对后运行 minsheng validate --data ." in result.stderr


def test_huge_file_is_refused_quickly(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: no time spent writing it
        handle.truncate(read.MAX_TEXT_BYTES + 1)
    start = time.perf_counter()
    result = draft(str(big), "-o", str(tmp_path / "plan.yaml"))
    assert time.perf_counter() - start < 0.5
    assert result.exit_code == 1
    assert "超过上限" in result.stderr
    assert not (tmp_path / "plan.yaml").exists()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("binary.txt", b"1.\x00\x01\x02\x00" * 100, "二进制"),
        ("renamed.txt", b"PK\x03\x04" + b"\x00" * 100, "不是文本文件"),
        ("not-a-zip.docx", "1.城市道路提升工程。".encode(), "不是有效的 .docx"),
        ("not-a-zip.xlsx", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "不是有效的 .xlsx"),
        ("old.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "另存为 .docx"),
        ("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "另存为 .xlsx"),
        ("scan.pdf", b"%PDF-1.4", "PDF"),
        ("plan.odt", b"x", "不认识"),
        ("empty.txt", b"", "空文件"),
        ("latin.txt", bytes(range(128, 256)) * 4, "既不是 UTF-8 也不是 GBK"),
    ],
)
def test_unreadable_inputs(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = draft(str(path), "-o", str(tmp_path / "plan.yaml"))
    assert result.exit_code == 1, result.output
    assert words in result.stderr, result.stderr
    assert not (tmp_path / "plan.yaml").exists()


def test_zip_bomb_docx_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_UNPACKED_BYTES", 1000)
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "0" * 100_000)
    result = draft(str(path), "-o", str(tmp_path / "plan.yaml"))
    assert result.exit_code == 1
    assert "解压后超过" in result.stderr


def test_missing_file_and_directory_output_are_usage_errors(tmp_path: Path) -> None:
    assert draft(str(tmp_path / "none.txt")).exit_code == 2
    result = draft(str(SEED), "-o", str(tmp_path))
    assert result.exit_code == 2 and "是目录" in result.stderr


def test_no_year_asks_for_year(tmp_path: Path) -> None:
    doc = tmp_path / "清单.txt"
    doc.write_text("民生实事项目\n\n1.新建公办幼儿园3所。（责任单位：县教育局）\n", encoding="utf-8")
    result = draft(str(doc), "-o", str(tmp_path / "plan.yaml"))
    assert result.exit_code == 1 and "--year" in result.stderr
    result = draft(str(doc), "-o", str(tmp_path / "plan.yaml"), "--year", "2025", "--region", "某县")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "plan.yaml").read_text(encoding="utf-8")
    assert "year: 2025" in text and "region: 某县" in text and "target: 3" in text

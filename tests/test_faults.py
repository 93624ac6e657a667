"""Faults while writing, and text that must not act on the terminal.

Each fault is injected (monkeypatched os calls, a read-only folder, a killed
process); afterwards the old file is intact and the command said what happened.
"""

from __future__ import annotations

import errno
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from minsheng import atomic, record
from minsheng.cli import app
from minsheng.load import load_dir
from tests.conftest import DATA, SMALL

runner = CliRunner()
RECORD = ["record", "-u", "区司法局", "-d", "2024-06-30", "7.1=317", "--summary", "补报"]


@pytest.fixture
def data(shipped_copy: Path) -> Path:
    return shipped_copy


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_disk_full_leaves_the_old_file(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(data / "progress")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        if not os.path.isdir(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", full)
    result = runner.invoke(app, [*RECORD, "--data", str(data)])
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "文件未改动" in result.stderr
    assert snapshot(data / "progress") == before  # no temporary file left either


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder(data: Path) -> None:
    folder = data / "progress"
    before = snapshot(folder)
    folder.chmod(0o555)
    try:
        result = runner.invoke(app, [*RECORD, "--data", str(data)])
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1 and "文件未改动" in result.stderr
    assert snapshot(folder) == before


def test_read_only_folder_as_root_too(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root ignores permission bits, so the refusal is injected where the OS would give it."""
    before = snapshot(data / "progress")

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    result = runner.invoke(app, [*RECORD, "--data", str(data)])
    assert result.exit_code == 1
    assert "Permission denied" in result.stderr and "文件未改动" in result.stderr
    assert snapshot(data / "progress") == before


def _meanwhile(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> None:
    """Run ``action`` right after `record` has read and checked the file, before it writes."""
    real = record._prepare

    def prepare_then_act(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        action()
        return result

    monkeypatch.setattr(record, "_prepare", prepare_then_act)


def test_file_changed_by_someone_else_between_read_and_write(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data / "progress" / "区司法局.yaml"
    edit = "# 有人同时手工编辑了这个文件\n"
    _meanwhile(monkeypatch, lambda: path.write_text(path.read_text(encoding="utf-8") + edit, encoding="utf-8"))
    result = runner.invoke(app, [*RECORD, "--data", str(data)])
    assert result.exit_code == 1
    assert "在读取后被其他程序修改" in result.stderr
    assert path.read_text(encoding="utf-8").endswith(edit)  # their edit survives
    assert "2024-06-30" not in path.read_text(encoding="utf-8")


def test_file_deleted_by_someone_else_between_read_and_write(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data / "progress" / "区司法局.yaml"
    _meanwhile(monkeypatch, path.unlink)
    result = runner.invoke(app, [*RECORD, "--data", str(data)])
    assert result.exit_code == 1 and "在读取后被其他程序修改" in result.stderr
    assert not path.exists()  # not silently re-created from a stale copy


def test_killed_at_any_moment_leaves_old_or_new_never_half(tmp_path: Path) -> None:
    """SIGKILL `record` at random moments; every time the file reads as the old or the new one."""
    rng = random.Random(20241029)
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    path = data / "progress" / "甲局.yaml"
    env = {**os.environ, "PYTHONPATH": str(DATA.parent)}

    for n in range(8):
        before = path.read_bytes()
        day = f"2025-{7 + n // 4:02d}-{10 + n % 4 * 5:02d}"
        args = ["record", "--data", str(data), "-u", "甲局", "-d", day, f"1.1={6 + n}"]
        proc = subprocess.Popen([sys.executable, "-m", "minsheng", *args], env=env, stdout=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = path.read_bytes()

        ledger = next(lf.ledger for lf in load_dir(data).ledgers if lf.ledger.unit == "甲局")
        dates = [str(r.date) for r in ledger.reports]
        assert dates == sorted(dates)
        assert after == before or day in dates
        leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
        for name in leftovers:  # a killed run may leave its temporary file: never read, safe to delete
            assert name.startswith(".")
    assert runner.invoke(app, ["validate", "--data", str(data)]).exit_code == 0


ESCAPES = "\x1b[2J\x1b[31m红\x1b]0;title\x07\x1b[0m\x07\r\x08"


def test_terminal_output_strips_escape_sequences(data: Path) -> None:
    args = ["-u", "区司法局", "-d", "2024-06-30", "7.1=317", "--summary", ESCAPES, "--problems", ESCAPES]
    assert runner.invoke(app, ["record", "--data", str(data), *args]).exit_code == 0
    import datetime as dt

    from minsheng.compute import build_status
    from minsheng.project import open_project
    from minsheng.render.table import status_view, unit_view

    day = dt.date(2024, 7, 5)
    report = build_status(open_project(data).dataset(None, day), day)
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=True, color_system="truecolor")
    console.print(unit_view(report, "区司法局"))
    console.print(status_view(report))
    out = buffer.getvalue()
    # rich's own colour codes are allowed; the note's are not: no clear-screen, no title, no bell
    assert "\x1b[2J" not in out and "\x1b]0;" not in out and "\x07" not in out and "\x08" not in out
    assert "红" in out

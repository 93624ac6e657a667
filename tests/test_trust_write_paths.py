"""Issue 10, where writes go: shared and linked folders, links to unit files, a stuck lock, file modes.

Every subprocess here has a timeout and is ended by its own id; a lock holder is a
small python process that prints once it holds the lock and sleeps until killed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from minsheng.load import load_dir
from tests.conftest import DATA
from tests.test_record import run

UNIT = "区司法局.yaml"
HOLD = "import fcntl, os, sys, time\nfd = os.open(sys.argv[1], os.O_RDONLY)\nfcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(120)\n"  # noqa: E501
ENV = {**os.environ, "PYTHONPATH": str(DATA.parent), "MINSHENG_NO_CACHE": "1"}


@pytest.fixture
def data(shipped_copy: Path) -> Path:
    return shipped_copy


@pytest.fixture
def holder() -> Iterator[list[subprocess.Popen]]:
    """Processes that hold a lock; killed (by their own pid) after the test."""
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        proc.kill()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def hold(started: list[subprocess.Popen], folder: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE, text=True)
    started.append(proc)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def record_process(data: Path, day: str, value: int, wait: str = "30") -> subprocess.Popen:
    args = ["record", "--data", str(data), "-u", "区司法局", "-d", day, f"7.1={value}"]
    return subprocess.Popen(
        [sys.executable, "-m", "minsheng", *args],
        env={**ENV, "MINSHENG_LOCK_WAIT": wait},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen, timeout: float = 60) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate(timeout=10)
        raise AssertionError(
            f"record did not finish within {timeout} s (waiting for a lock without a bound?)"
        ) from None
    return proc.returncode, out, err


def reports(data: Path) -> dict[str, object]:
    ledger = next(lf.ledger for lf in load_dir(data).ledgers if lf.ledger.unit == "区司法局")
    return {str(r.date): r.values.get("7.1") for r in ledger.reports}


# --- 14: a stuck lock holder ----------------------------------------------------------------


def test_a_stuck_lock_holder_is_waited_for_with_a_bound_and_named(data: Path, holder: list) -> None:
    stuck = hold(holder, data)
    before = (data / "progress" / UNIT).read_bytes()
    start = time.monotonic()
    code, _out, err = finish(record_process(data, "2024-06-15", 300, wait="0.5"), timeout=20)
    assert time.monotonic() - start < 15
    assert code == 1, err
    assert f"进程 {stuck.pid}" in err and "等了 0.5 秒仍未释放，未写入" in err
    assert "Traceback" not in err
    assert (data / "progress" / UNIT).read_bytes() == before


def test_a_lock_released_in_time_is_waited_for(data: Path, holder: list) -> None:
    stuck = hold(holder, data)
    proc = record_process(data, "2024-06-15", 300, wait="30")
    time.sleep(0.5)
    stuck.kill()
    stuck.wait(timeout=10)
    code, out, err = finish(proc)
    assert code == 0, err
    assert "已记录" in out and reports(data)["2024-06-15"] == 300


def test_the_lock_wait_must_be_a_number_of_seconds(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINSHENG_LOCK_WAIT", "forever")
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-15", "7.1=300")
    assert result.exit_code == 2 and "MINSHENG_LOCK_WAIT" in result.stderr


# --- 5: two data directories sharing one progress/ folder -----------------------------------


@pytest.fixture
def shared(data: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A second data directory whose progress/ is a link to the first one's."""
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(data / "plan-2024.yaml", other / "plan-2024.yaml")
    (other / "progress").symlink_to(data / "progress")
    return data, other


def test_the_real_folder_holding_the_file_is_locked(shared: tuple[Path, Path], holder: list) -> None:
    first, other = shared
    stuck = hold(holder, first / "progress")  # what a record through `first` holds while writing
    code, _out, err = finish(record_process(other, "2024-06-15", 300, wait="0.5"), timeout=20)
    assert code == 1, "a record through the other data directory did not wait for the shared folder"
    assert f"进程 {stuck.pid}" in err
    assert "2024-06-15" not in reports(first)


def test_concurrent_records_through_two_data_directories_all_land(shared: tuple[Path, Path]) -> None:
    first, other = shared
    # mid-month dates between the existing month-end reports, values fitting between them
    existing = reports(first)
    days = [f"2024-{m:02d}-15" for m in range(5, 12)]
    values = {day: max(v for d, v in existing.items() if d < day) + 1 for day in days}  # type: ignore[type-var,operator]
    procs = [record_process(first if k % 2 else other, day, values[day]) for k, day in enumerate(days)]
    results = [finish(proc) for proc in procs]
    assert [code for code, _, _ in results] == [0] * len(days), [err for _, _, err in results]
    got = reports(first)
    assert {day: got.get(day) for day in days} == values
    assert list(got) == sorted(got)
    assert run("validate", "--data", str(other)).exit_code == 0


# --- 6: a unit file that is a link ----------------------------------------------------------


def test_a_linked_unit_file_is_written_through(data: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / UNIT
    outside.parent.mkdir()
    link = data / "progress" / UNIT
    shutil.move(link, outside)
    link.symlink_to(outside)
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-15", "7.1=300")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == outside.resolve()
    assert "2024-06-15" in outside.read_text(encoding="utf-8")
    assert [p.name for p in outside.parent.iterdir()] == [UNIT]  # no temporary file left
    assert run("validate", "--data", str(data)).exit_code == 0
    assert reports(data)["2024-06-15"] == 300


def test_a_dangling_unit_link_is_refused_by_record_as_by_validate(data: Path, tmp_path: Path) -> None:
    link = data / "progress" / UNIT
    link.unlink()
    link.symlink_to(tmp_path / "gone.yaml")
    checked = run("validate", "--data", str(data))
    assert checked.exit_code == 1 and UNIT in checked.output
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-15", "7.1=300")
    assert result.exit_code == 1, result.output
    assert "符号链接" in result.stderr and "新建" not in result.output
    assert link.is_symlink() and not (tmp_path / "gone.yaml").exists()


# --- 7: progress/ missing or a dangling link ------------------------------------------------


def test_a_dangling_progress_link_is_named_by_validate_status_and_record(data: Path, tmp_path: Path) -> None:
    shutil.rmtree(data / "progress")
    (data / "progress").symlink_to(tmp_path / "moved-away")
    for args in (
        ["validate"],
        ["status", "--as-of", "2024-07-31"],
        ["record", "-u", "区司法局", "-d", "2024-06-15", "7.1=300"],
    ):
        result = run(*args, "--data", str(data))
        assert result.exit_code == 2, (args, result.output)
        assert "失效的符号链接" in result.stderr and "moved-away" in result.stderr, args
        assert "通过" not in result.stdout and "File exists" not in result.output
    assert not (tmp_path / "moved-away").exists()


def test_progress_that_is_a_file_is_named(data: Path) -> None:
    shutil.rmtree(data / "progress")
    (data / "progress").write_text("", encoding="utf-8")
    result = run("validate", "--data", str(data))
    assert result.exit_code == 2 and "不是文件夹" in result.stderr


def test_a_missing_progress_folder_is_said_and_record_creates_it(data: Path) -> None:
    shutil.rmtree(data / "progress")
    checked = run("validate", "--data", str(data))
    assert checked.exit_code == 0
    assert "还没有 progress/ 文件夹" in checked.stderr
    status = run("status", "--data", str(data), "--as-of", "2024-07-31")
    assert status.exit_code == 0 and "还没有 progress/ 文件夹" in status.stderr
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-15", "7.1=300")
    assert result.exit_code == 0 and "新建" in result.stdout
    assert "还没有" not in run("validate", "--data", str(data)).stderr


# --- modes and groups -----------------------------------------------------------------------


def test_a_read_only_unit_file_is_not_overwritten(data: Path) -> None:
    path = data / "progress" / UNIT
    before = path.read_bytes()
    path.chmod(0o444)
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-15", "7.1=300")
    assert result.exit_code == 1 and "只读" in result.stderr
    assert path.read_bytes() == before and path.stat().st_mode & 0o777 == 0o444


@pytest.mark.skipif(os.geteuid() != 0 and len(os.getgroups()) < 2, reason="needs a second group to give the file")
def test_a_rewrite_keeps_the_file_group_and_mode(data: Path) -> None:
    path = data / "progress" / UNIT
    group = next(g for g in ([100, 4] if os.geteuid() == 0 else os.getgroups()) if g != os.getegid())
    os.chown(path, -1, group)
    path.chmod(0o664)
    result = run("record", "--data", str(data), "-u", "区司法局", "-d", "2024-06-15", "7.1=300")
    assert result.exit_code == 0, result.output
    assert (path.stat().st_gid, path.stat().st_mode & 0o777) == (group, 0o664)

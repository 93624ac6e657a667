"""The 督办 ledger's write path under concurrent writers and kills (issue 14 item 2).

`supervise add/reply/close` run as real processes. Every process has a timeout and is ended by its own
id. A writer is stopped mid-write deterministically: a small wrapper runs the CLI with one step of
:mod:`minsheng.atomic` replaced by "say so, then sleep", and the test kills it with SIGKILL there.
Afterwards the ledger is the old bytes or the new ones, never torn, and the lock is free.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from minsheng.cli import app
from tests.conftest import DATA

runner = CliRunner()
ENV = {**os.environ, "PYTHONPATH": str(DATA.parent), "MINSHENG_NO_CACHE": "1", "MINSHENG_LOCK_WAIT": "60"}
LEDGER = "supervision-2024.yaml"
# Runs the CLI with atomic.<step> replaced by: print "at <step>", then sleep until killed.
PAUSE = """
import sys, time
from minsheng import atomic
step = sys.argv[1]
real = getattr(atomic.os, step) if step == "replace" else getattr(atomic, step)
def pause(*args, **kwargs):
    if step == "_fsync_dir":
        real(*args, **kwargs)  # the new file is in place: stop before the directory is synced
    print("at", step, flush=True)
    time.sleep(120)
if step == "replace":
    atomic.os.replace = pause
else:
    setattr(atomic, step, pause)
from minsheng.cli import main
sys.argv = ["minsheng", *sys.argv[2:]]
main()
"""


@pytest.fixture
def data(shipped_copy: Path) -> Path:
    result = runner.invoke(
        app,
        ["supervise", "add", "--kind", "挂牌督办", "--task", "4", "--demand", "倒排工期", "--due", "2024-09-30",
         "--date", "2024-08-05", "--data", str(shipped_copy)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return shipped_copy


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen]]:
    """Processes the test starts; any still running afterwards is killed by its own id."""
    procs: list[subprocess.Popen] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


def start(procs: list[subprocess.Popen], data: Path, *args: str, pause: str | None = None) -> subprocess.Popen:
    prefix = ["-c", PAUSE, pause] if pause else ["-m", "minsheng"]
    proc = subprocess.Popen(
        [sys.executable, *prefix, *args, "--data", str(data)],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    procs.append(proc)
    return proc


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate(timeout=30)
        raise AssertionError(f"a writer did not finish within {timeout} s") from None
    return proc.returncode, out, err


def entries(data: Path) -> list[dict]:
    return yaml.safe_load((data / LEDGER).read_text(encoding="utf-8"))["entries"]


def lock_is_free(data: Path) -> bool:
    fd = os.open(data, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing drops the lock if it was taken
    return True


def valid(data: Path) -> bool:
    return runner.invoke(app, ["validate", "--data", str(data)]).exit_code == 0


def test_concurrent_adds_all_land_each_with_its_own_id(data: Path, started: list) -> None:
    """Six `supervise add` at once, none given --id: each draws the next free number under the lock."""
    n = 6
    units = ["区住建局", "区水务集团", "区教育局", "区文旅局", "区残联", "区民政局"]
    add = ["supervise", "add", "--kind", "督办函", "--date", "2024-09-01"]
    procs = [start(started, data, *add, "--unit", units[k], "--demand", f"第{k}项要求") for k in range(n)]
    results = [finish(p) for p in procs]
    assert [code for code, _, _ in results] == [0] * n, [err for _, _, err in results]
    actions = [e for e in entries(data) if "action" in e]
    # the fixture's DB2024-001, then 002 … 007 in whatever order the writers got the lock
    assert sorted(e["action"] for e in actions) == [f"DB2024-{k:03d}" for k in range(1, n + 2)]
    assert sorted(e["demand"] for e in actions[1:]) == sorted(f"第{k}项要求" for k in range(n))
    said = sorted(out.split()[2].split("：")[0] for _, out, _ in results)  # "已记录 action DB2024-00k：…"
    assert said == [f"DB2024-{k:03d}" for k in range(2, n + 2)]
    assert valid(data) and lock_is_free(data)


def test_concurrent_replies_and_a_close_all_land(data: Path, started: list) -> None:
    replies = [
        start(started, data, "supervise", "reply", "DB2024-001", "--text", f"第{k}次答复", "--date", "2024-09-10")
        for k in range(4)
    ]
    close = start(started, data, "supervise", "close", "DB2024-001", "--check", "现场核验", "--date", "2024-09-20")
    results = [finish(p) for p in [*replies, close]]
    assert [code for code, _, _ in results] == [0] * 5, [err for _, _, err in results]
    got = entries(data)
    assert sorted(e["text"] for e in got if "reply" in e) == [f"第{k}次答复" for k in range(4)]
    assert [e["check"] for e in got if "close" in e] == ["现场核验"]
    assert valid(data) and lock_is_free(data)


@pytest.mark.parametrize(("step", "lands"), [("replace", False), ("_fsync_dir", True)])
def test_killed_mid_write_leaves_old_or_new_bytes_and_frees_the_lock(
    data: Path, started: list, step: str, lands: bool
) -> None:
    """Killed with the new text written to its temporary file but not yet renamed: the old bytes stay.
    Killed after the rename, before the folder is synced: the new bytes, whole."""
    path = data / LEDGER
    before = path.read_bytes()
    proc = start(
        started, data, "supervise", "reply", "DB2024-001", "--text", "已整改", "--date", "2024-09-10", pause=step
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == f"at {step}"
    assert not lock_is_free(data)  # the writer holds the lock while it writes
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    after = path.read_bytes()
    if lands:
        assert after.startswith(before) and after != before
        assert [e["text"] for e in entries(data) if "reply" in e] == ["已整改"]
    else:
        assert after == before
    assert lock_is_free(data)  # the lock went with the process
    for leftover in (p.name for p in data.iterdir() if p.name.endswith(".tmp")):
        assert leftover.startswith(f".{LEDGER}.")  # a killed run's temporary file: hidden, never read
    assert valid(data)
    # and the next writer is not blocked
    code, _, err = finish(
        start(started, data, "supervise", "reply", "DB2024-001", "--text", "再次答复", "--date", "2024-09-11")
    )
    assert code == 0, err
    assert path.read_bytes().startswith(after)


def test_killed_at_random_moments_never_tears_the_ledger(data: Path, started: list) -> None:
    """SIGKILL `supervise reply` at random moments: each time the ledger is the old one or has the new entry."""
    rng = random.Random(20241203)
    path = data / LEDGER
    for n in range(6):
        before = path.read_bytes()
        text = f"第{n}次答复"
        proc = start(started, data, "supervise", "reply", "DB2024-001", "--text", text, "--date", "2024-09-10")
        time.sleep(rng.uniform(0.05, 0.8))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        after = path.read_bytes()
        texts = [e["text"] for e in entries(data) if "reply" in e]
        assert after == before or (after.startswith(before) and texts[-1] == text)
        assert lock_is_free(data)
    assert valid(data)


REFUSED = [
    (["add", "--kind", "督办函", "--task", "99", "--demand", "x"], "unknown-task"),
    (["add", "--kind", "督办函", "--indicator", "9.9", "--demand", "x"], "unknown-indicator"),
    (["add", "--kind", "督办函", "--area", "不存在镇", "--demand", "x"], "unknown-area"),
    (["add", "--kind", "督办函", "--unit", "不存在局", "--demand", "x"], "unknown-unit"),
    (["add", "--kind", "表扬", "--task", "4", "--demand", "x"], "unknown-kind"),
    (["add", "--id", "DB2024-001", "--kind", "督办函", "--task", "4", "--demand", "x"], "duplicate-action"),
    (["add", "--kind", "督办函", "--task", "4", "--demand", "x", "--due", "2024-08-01"], "due-before-action"),
    (["reply", "DB2024-001", "--text", "x", "--date", "2024-08-01"], "date-before-action"),
    (["reply", "DB2024-099", "--text", "x"], "unknown-action"),
    (["close", "DB2024-099", "--check", "x"], "unknown-action"),
    (["correct", "DB2024-001", "--due", "2024-08-01", "--reason", "x"], "due-before-action"),
    (["verify", "9.9", "--note", "x"], "unknown-indicator"),
    (["verify", "2.1", "--item", "不存在路", "--note", "x"], "unknown-item"),
]


@pytest.mark.parametrize(("args", "code"), REFUSED, ids=[f"{a[0]}-{c}" for a, c in REFUSED])
def test_a_refused_command_writes_nothing_and_says_where(data: Path, args: list[str], code: str) -> None:
    path = data / LEDGER
    before = path.read_bytes()
    dated = args if "--date" in args else [*args, "--date", "2024-09-01"]
    result = runner.invoke(app, ["supervise", *dated, "--data", str(data)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    line = next(x for x in result.stderr.splitlines() if f"[{code}]" in x)
    assert line.startswith(f"{path}:") and line.split(":")[1].isdigit() and line.split(":")[2].isdigit()
    assert "提示：" in result.stderr and "未写入" in result.stderr
    assert path.read_bytes() == before


def test_closing_twice_is_refused(data: Path) -> None:
    close = ["supervise", "close", "DB2024-001", "--check", "现场核验", "--date", "2024-09-20", "--data", str(data)]
    assert runner.invoke(app, close).exit_code == 0
    after = (data / LEDGER).read_bytes()
    again = runner.invoke(app, close)
    assert again.exit_code == 1 and "[closed-twice]" in again.stderr
    assert (data / LEDGER).read_bytes() == after


def test_a_report_below_a_verified_value_is_refused_until_the_check_is_revoked(data: Path) -> None:
    """2.1 (供水管网改造, 区住建局) stands at 2 on 07-31 and is verified on 08-10; 1 on 08-15 is refused."""
    progress = data / "progress" / "区住建局.yaml"
    verify = ["supervise", "verify", "2.1", "--note", "现场核验两条管网通水", "--date", "2024-08-10"]
    assert runner.invoke(app, [*verify, "--data", str(data)]).exit_code == 0
    before = progress.read_bytes()
    lower = ["record", "-u", "区住建局", "-d", "2024-08-15", "2.1=1", "--correction", "7月多报1条", "--data", str(data)]
    refused = runner.invoke(app, lower)
    assert refused.exit_code == 1
    assert "2.1: [verified-decrease] 指标 2.1 已于 2024-08-10 核验销号（当时累计 2），新报告却是 1" in refused.stderr
    assert "supervise verify 2.1 --revoke" in refused.stderr
    assert progress.read_bytes() == before
    # the same figure, or a report of another indicator, still goes in
    same = ["record", "-u", "区住建局", "-d", "2024-08-15", "2.1=2", "--data", str(data)]
    assert runner.invoke(app, same).exit_code == 0
    # the office finds its check wrong and revokes it (insert-only: the check stays in the file)
    revoke = ["supervise", "verify", "2.1", "--revoke", "--note", "复核发现第二条管网未通水", "--date", "2024-08-20"]
    assert runner.invoke(app, [*revoke, "--data", str(data)]).exit_code == 0
    ledger = (data / LEDGER).read_text(encoding="utf-8")
    assert "现场核验两条管网通水" in ledger and "revoke: true" in ledger
    lower[4] = "2024-08-25"
    assert runner.invoke(app, lower).exit_code == 0, "after the revoke the lower figure is the unit's to report"
    value = runner.invoke(app, ["status", "--as-of", "2024-08-31", "--format", "json", "--data", str(data)])
    assert json.loads(value.stdout)["supervision"]["verified"] == []
    assert valid(data)
    # a revoke of nothing in force is refused, and writes nothing
    after = (data / LEDGER).read_bytes()
    again = runner.invoke(app, [*revoke[:-1], "2024-08-26", "--data", str(data)])
    assert again.exit_code == 1 and "[not-verified]" in again.stderr
    assert (data / LEDGER).read_bytes() == after


def test_a_verified_decrease_written_by_hand_does_not_lock_the_office_out(data: Path) -> None:
    """validate flags the drop; supervise still runs, so that the office can revoke its check."""
    verify = ["supervise", "verify", "2.1", "--note", "现场核验", "--date", "2024-08-10", "--data", str(data)]
    assert runner.invoke(app, verify).exit_code == 0
    progress = data / "progress" / "区住建局.yaml"
    text = progress.read_text(encoding="utf-8")
    head, tail = text.split("  - date: 2024-08-31\n", 1)
    progress.write_text(head + "  - date: 2024-08-31\n" + tail.replace("      2.1: 2\n", "      2.1: 1\n", 1), "utf-8")
    checked = runner.invoke(app, ["validate", "--data", str(data)])
    assert checked.exit_code == 1 and "[verified-decrease]" in checked.stdout
    revoke = ["supervise", "verify", "2.1", "--revoke", "--note", "核验有误", "--date", "2024-09-05"]
    assert runner.invoke(app, [*revoke, "--data", str(data)]).exit_code == 0
    assert "[verified-decrease]" not in runner.invoke(app, ["validate", "--data", str(data)]).stdout

"""Issue 10, items 3 and 8: the cache never serves data other than what its key's bytes give,
and never runs or reveals anything another local user could have placed or read."""

from __future__ import annotations

import marshal
import os
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from minsheng import cache, project
from minsheng.cli import app
from minsheng.project import open_project

ROOT = Path(__file__).resolve().parent.parent
OLD, NEW = "1.1: 5.5", "1.1: 6"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def _value(p: project.Project, unit: str = "甲局", key: str = "1.1") -> Any:
    ledger = next(lf for lf in p.ledgers if lf.unit == unit)
    return ledger.reports[-1].values[key]


def _private_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "private" / "cache"
    folder.parent.mkdir(mode=0o700)
    return folder


# --- item 3: the key is the bytes that were parsed ------------------------------------------


def test_a_write_between_hashing_and_parsing_cannot_leave_a_stale_entry(
    small_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's race, made deterministic: a `record` lands while `status` runs, and is
    then reverted byte for byte; the report must show the reverted value, as with no cache."""
    folder = _private_folder(tmp_path)
    path = small_copy / "progress" / "甲局.yaml"
    original = path.read_bytes()
    real = project._check

    def concurrent_write(data_dir: Path, *args: Any) -> project.Project:
        _edit(path, OLD, NEW)  # lands after the key was taken, before the loader reads
        return real(data_dir, *args)

    monkeypatch.setattr(project, "_check", concurrent_write)
    open_project(small_copy, cache_folder=folder)
    monkeypatch.setattr(project, "_check", real)
    path.write_bytes(original)
    assert _value(open_project(small_copy, cache_folder=folder)) == 5.5
    assert open_project(small_copy, cache_folder=folder) == open_project(small_copy)


def test_the_cli_shows_the_true_value_after_the_race(
    small_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _private_folder(tmp_path)
    monkeypatch.setenv("MINSHENG_CACHE_DIR", str(folder))
    path = small_copy / "progress" / "甲局.yaml"
    original = path.read_bytes()
    real = project._check

    def concurrent_write(data_dir: Path, *args: Any) -> project.Project:
        _edit(path, OLD, NEW)
        return real(data_dir, *args)

    args = ["status", "--data", str(small_copy), "--as-of", "2025-06-30", "--format", "json"]
    runner = CliRunner()
    monkeypatch.setattr(project, "_check", concurrent_write)
    assert runner.invoke(app, args).exit_code == 0
    monkeypatch.setattr(project, "_check", real)
    path.write_bytes(original)
    cached = runner.invoke(app, args)
    monkeypatch.setenv("MINSHENG_NO_CACHE", "1")
    fresh = runner.invoke(app, args)
    assert cached.exit_code == fresh.exit_code == 0
    assert cached.stdout == fresh.stdout


def test_a_file_added_while_loading_is_not_cached_under_the_old_list(
    small_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _private_folder(tmp_path)
    extra = small_copy / "progress" / "丁局.yaml"
    real = project._check

    def file_appears(data_dir: Path, *args: Any) -> project.Project:
        shutil.copy(small_copy / "progress" / "甲局.yaml", extra)
        return real(data_dir, *args)

    monkeypatch.setattr(project, "_check", file_appears)
    open_project(small_copy, cache_folder=folder)
    monkeypatch.setattr(project, "_check", real)
    extra.unlink()
    assert open_project(small_copy, cache_folder=folder) == open_project(small_copy)


def test_concurrent_writes_never_leave_a_wrong_entry(small_copy: Path, tmp_path: Path) -> None:
    """A writer flips a file between two versions (atomically) while reports run; afterwards,
    each version read through the cache is what checking it from scratch gives. Bounded by counts."""
    folder = _private_folder(tmp_path)
    path = small_copy / "progress" / "甲局.yaml"
    versions = [path.read_bytes(), path.read_bytes().replace(OLD.encode(), NEW.encode())]
    assert versions[0] != versions[1]
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < 5000:
            tmp = path.with_name(".flip.tmp")
            tmp.write_bytes(versions[n % 2])
            os.replace(tmp, path)
            n += 1

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        for _ in range(40):
            open_project(small_copy, cache_folder=folder)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    for content in versions:
        path.write_bytes(content)
        assert open_project(small_copy, cache_folder=folder) == open_project(small_copy)


def test_checking_code_is_keyed_by_content_not_size_and_mtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "minsheng"
    shutil.copytree(Path(cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "__file__", str(package / "cache.py"))
    before = cache.Snapshot([]).key
    checks = package / "checks.py"
    st = checks.stat()
    text = checks.read_bytes()
    edited = text.replace(b"problems", b"problemz", 1)
    assert edited != text and len(edited) == len(text)
    checks.write_bytes(edited)
    os.utime(checks, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, mtime put back
    assert cache.Snapshot([]).key != before


def test_library_and_python_versions_are_in_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import pydantic
    import yaml

    found = cache.library_versions()
    assert f"-{pydantic.VERSION}" in found and f"-{yaml.__version__}" in found
    base = cache.Snapshot([]).key
    monkeypatch.setattr(cache, "library_versions", lambda: found.replace(pydantic.VERSION, "0.0.1"))
    assert cache.Snapshot([]).key != base
    monkeypatch.undo()
    monkeypatch.setattr(sys, "version", sys.version + " other build")
    assert cache.Snapshot([]).key != base


def test_a_device_or_endless_file_is_not_read_whole(tmp_path: Path) -> None:
    data = tmp_path / "plan.yaml"
    data.symlink_to("/dev/zero")
    snap = cache.Snapshot([data])
    assert snap.oversize and not snap.complete


# --- item 8: nothing another user could have written is run, nothing is readable by them -----


def _entry(folder: Path) -> Path:
    (entry,) = [p for p in folder.iterdir() if not p.name.startswith(".")]
    return entry


def test_an_entry_is_never_unpickled(small_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    folder = _private_folder(tmp_path)
    open_project(small_copy, cache_folder=folder)
    used: list[str] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        used.append("pickle")
        raise AssertionError("the cache unpickled an entry")

    monkeypatch.setattr(pickle, "loads", spy)
    monkeypatch.setattr(pickle, "load", spy)
    monkeypatch.setattr(pickle, "Unpickler", spy)
    open_project(small_copy, cache_folder=folder)
    assert not used
    assert b"\x80\x05" not in _entry(folder).read_bytes()[:64]


def _forge(folder: Path, data_dir: Path, plain: Any) -> None:
    """An entry with the right key and checksum: what someone who could write it would make."""
    snap = cache.Snapshot([*sorted(data_dir.glob("plan*.yaml")), *sorted((data_dir / "progress").glob("*.yaml"))])
    payload = marshal.dumps(plain)
    blob = cache._MAGIC + snap.key + cache.blake2b(payload, digest_size=32).digest() + payload
    entry = folder / cache._entry_name(data_dir)
    entry.write_bytes(blob)
    entry.chmod(0o600)


@pytest.mark.parametrize(
    "plain",
    [
        compile("open('/tmp/minsheng-pwned', 'w')", "x", "exec"),  # a code object: inert, refused
        ["Project", ["\0list"], ["\0list"], ["\0list", ["system", "id"]], 1],  # no such class
        ["os.system", "id"],
        {b"bytes": 1},
        frozenset({1}),
    ],
)
def test_a_forged_entry_is_a_miss_and_runs_nothing(
    small_copy: Path, tmp_path: Path, calls: list[Path], plain: Any
) -> None:
    folder = _private_folder(tmp_path)
    open_project(small_copy, cache_folder=folder)
    _forge(folder, small_copy, plain)
    result = open_project(small_copy, cache_folder=folder)
    assert len(calls) == 2 and result == open_project(small_copy)
    assert not Path("/tmp/minsheng-pwned").exists()


def test_the_round_trip_is_exact_on_the_shipped_data(shipped_copy: Path, tmp_path: Path, calls: list[Path]) -> None:
    folder = _private_folder(tmp_path)
    first = open_project(shipped_copy, cache_folder=folder)
    second = open_project(shipped_copy, cache_folder=folder)
    assert len(calls) == 1 and second == first
    _edit(shipped_copy / "plan-2024.yaml", "year: 2024", "year: 2024\nextra: 1")  # problems round-trip too
    bad = open_project(shipped_copy, cache_folder=folder)
    assert open_project(shipped_copy, cache_folder=folder) == bad and bad.errors and len(calls) == 2


def test_entries_are_0600_in_a_0700_folder(small_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "fresh" / "deep" / "cache"
    open_project(small_copy, cache_folder=folder)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert _entry(folder).stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("mode", [0o755, 0o750, 0o711, 0o770, 0o777], ids=oct)
def test_a_folder_others_can_read_or_write_is_refused(
    small_copy: Path, tmp_path: Path, calls: list[Path], mode: int
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(mode)
    open_project(small_copy, cache_folder=folder)
    open_project(small_copy, cache_folder=folder)
    assert len(calls) == 2
    assert not list(folder.iterdir())  # nothing written where others could read it


def test_a_parent_others_can_write_is_refused(small_copy: Path, tmp_path: Path, calls: list[Path]) -> None:
    """The issue's setting: a shared team folder without the sticky bit; another user could
    rename our cache folder away and put theirs in its place."""
    shared = tmp_path / "team"
    shared.mkdir()
    shared.chmod(0o777)
    folder = shared / "cache"
    open_project(small_copy, cache_folder=folder)
    folder.mkdir(mode=0o700, exist_ok=True)
    open_project(small_copy, cache_folder=folder)
    assert len(calls) == 2
    assert not list(folder.iterdir())


def test_a_sticky_shared_parent_is_fine(small_copy: Path, tmp_path: Path, calls: list[Path]) -> None:
    shared = tmp_path / "tmpdir"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: others cannot rename what is ours
    folder = shared / "cache"
    open_project(small_copy, cache_folder=folder)
    open_project(small_copy, cache_folder=folder)
    assert len(calls) == 1


def test_a_symlinked_entry_is_not_followed(small_copy: Path, tmp_path: Path, calls: list[Path]) -> None:
    folder = _private_folder(tmp_path)
    open_project(small_copy, cache_folder=folder)
    entry = _entry(folder)
    elsewhere = tmp_path / "elsewhere.cache"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    open_project(small_copy, cache_folder=folder)
    assert len(calls) == 2


def test_a_group_readable_or_hard_linked_entry_is_refused(small_copy: Path, tmp_path: Path, calls: list[Path]) -> None:
    folder = _private_folder(tmp_path)
    open_project(small_copy, cache_folder=folder)
    entry = _entry(folder)
    entry.chmod(0o640)
    open_project(small_copy, cache_folder=folder)
    assert len(calls) == 2
    entry = _entry(folder)
    assert entry.stat().st_mode & 0o777 == 0o600  # rewritten private
    os.link(entry, tmp_path / "private" / "link")
    open_project(small_copy, cache_folder=folder)
    assert len(calls) == 3


@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
def test_an_entry_or_folder_of_another_user_is_refused(small_copy: Path, tmp_path: Path, calls: list[Path]) -> None:
    folder = _private_folder(tmp_path)
    open_project(small_copy, cache_folder=folder)
    os.chown(_entry(folder), 65534, 65534)
    open_project(small_copy, cache_folder=folder)
    assert len(calls) == 2
    for entry in folder.iterdir():
        entry.unlink()
    open_project(small_copy, cache_folder=folder)
    os.chown(folder, 65534, 65534)
    open_project(small_copy, cache_folder=folder)
    assert len(calls) == 4
    os.chown(folder, 0, 0)
    os.chown(folder.parent, 65534, 65534)  # a parent owned by someone else, even 0700
    open_project(small_copy, cache_folder=folder)
    assert len(calls) == 5


def test_status_through_an_unsafe_cache_folder_still_works(
    small_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: list[Path]
) -> None:
    shared = tmp_path / "team"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("MINSHENG_CACHE_DIR", str(shared / "cache"))
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(app, ["status", "--data", str(small_copy), "--as-of", "2025-06-30"])
        assert result.exit_code == 0, result.output
    assert len(calls) == 2


def test_security_md_states_the_cache_trust_model() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "pickle" not in text.lower().replace("never unpickles", "")
    for phrase in ("O_NOFOLLOW", "0600", "0700", "marshal", "sticky"):
        assert phrase in text

"""The report cache: used when nothing changed, never trusted otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from minsheng import cache, project
from minsheng.project import open_project


@pytest.fixture
def data(small_copy: Path) -> Path:
    return small_copy


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []
    real = project._check

    def counting(
        data_dir: Path, plans: list[Path], progress: object = None, snapshot: object = None
    ) -> project.Project:
        seen.append(data_dir)
        return real(data_dir, plans, progress, snapshot)  # type: ignore[arg-type]

    monkeypatch.setattr(project, "_check", counting)
    return seen


def test_unchanged_data_comes_from_the_cache(data: Path, tmp_path: Path, calls: list[Path]) -> None:
    folder = tmp_path / "cache"
    first = open_project(data, cache_folder=folder)
    second = open_project(data, cache_folder=folder)
    assert len(calls) == 1
    assert second == first
    assert folder.stat().st_mode & 0o077 == 0  # private to the user


def test_any_change_to_a_file_is_a_miss(data: Path, tmp_path: Path, calls: list[Path]) -> None:
    folder = tmp_path / "cache"
    open_project(data, cache_folder=folder)
    path = data / "progress" / "甲局.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("1.1: 5.5", "1.1: 6"), encoding="utf-8")
    changed = open_project(data, cache_folder=folder)
    assert len(calls) == 2
    ledger = next(lf for lf in changed.ledgers if lf.unit == "甲局")
    assert ledger.reports[-1].values["1.1"] == 6
    (data / "progress" / "丙办.yaml").unlink()
    open_project(data, cache_folder=folder)
    assert len(calls) == 3


def test_untrusted_or_broken_cache_is_ignored(data: Path, tmp_path: Path, calls: list[Path]) -> None:
    folder = tmp_path / "cache"
    open_project(data, cache_folder=folder)
    folder.chmod(0o777)  # writable by others: never read
    open_project(data, cache_folder=folder)
    assert len(calls) == 2
    folder.chmod(0o700)
    for entry in folder.iterdir():
        entry.write_bytes(entry.read_bytes()[:-20])  # truncated
    result = open_project(data, cache_folder=folder)
    assert len(calls) == 3 and result.files == 4


def test_no_cache_setting() -> None:
    assert cache.cache_dir({"MINSHENG_NO_CACHE": "1", "MINSHENG_CACHE_DIR": "/x"}) is None
    assert cache.cache_dir({"MINSHENG_CACHE_DIR": "/x"}) == Path("/x")
    assert cache.cache_dir({"XDG_CACHE_HOME": "/c"}) == Path("/c/minsheng")


def test_validate_never_uses_the_cache(data: Path, calls: list[Path]) -> None:
    from typer.testing import CliRunner

    from minsheng.cli import app

    runner = CliRunner()
    for _ in range(2):
        assert runner.invoke(app, ["status", "--data", str(data), "--as-of", "2025-06-30"]).exit_code == 0
    assert len(calls) == 1
    for _ in range(2):
        assert runner.invoke(app, ["validate", "--data", str(data)]).exit_code == 0
    assert len(calls) == 3

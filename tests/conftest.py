"""Shared fixtures: paths to the shipped data and the small second plan."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SMALL = Path(__file__).resolve().parent / "cases" / "valid" / "small"
# The seed document, kept in the repository so the test against it always runs
# (a copy of shared/seeds/000_3b4448e73ed88c88.txt).
SEED = ROOT / "docs" / "sources" / "唐山市丰润区2024年民生实事实施方案.txt"


@pytest.fixture(autouse=True)
def _no_user_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never depend on the developer's MINSHENG_DATA or terminal settings."""
    monkeypatch.delenv("MINSHENG_DATA", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False, help="rewrite tests/golden/* from the current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test session has its own report cache, never the developer's."""
    monkeypatch.setenv("MINSHENG_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data directory."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def small_copy(tmp_path: Path) -> Path:
    """A writable copy of the small second plan's data directory."""
    target = tmp_path / "data"
    shutil.copytree(SMALL, target)
    return target


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each time a data directory is checked from scratch (a cache miss)."""
    from minsheng import project

    seen: list[Path] = []
    real = project._check

    def counting(data_dir: Path, *args: Any) -> project.Project:
        seen.append(data_dir)
        return real(data_dir, *args)

    monkeypatch.setattr(project, "_check", counting)
    return seen

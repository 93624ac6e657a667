"""A cache of checked data, keyed by the bytes of every data file.

`status`, `report` and the exports read a data directory that rarely changes
between two runs in a meeting. When every file's content (and the checking
code) is as it was, the checked plans, ledgers and problems are loaded from
the cache instead of parsed and validated again: that skips PyYAML parsing
and pydantic, whose import alone costs more than the whole report.

`validate` never uses the cache: it always checks from scratch.

Safety: the cache holds pickles, so it is only read from a directory owned by
the current user and not writable by anyone else (created 0700), and only if
its key (a BLAKE2 digest of the tool's checking code and every data file's
path and bytes) matches. Set ``MINSHENG_NO_CACHE=1`` to turn it off, or
``MINSHENG_CACHE_DIR`` to move it (default: ``$XDG_CACHE_HOME/minsheng``).
"""

from __future__ import annotations

import os
import pickle
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from minsheng import __version__

try:  # the BLAKE2 module alone: hashlib would also load OpenSSL (~4 ms of a ~170 ms run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b

# The modules whose code decides what "checked data" is; a change in any of them
# (an edited checkout, a new version) makes every cached entry stale.
_CHECKING_CODE = ("model.py", "yamlio.py", "schema.py", "load.py", "checks.py", "units.py", "problems.py", "dataset.py")
_MAGIC = b"minsheng-cache-1\n"


def cache_dir(environ: Mapping[str, str]) -> Path | None:
    if environ.get("MINSHENG_NO_CACHE"):
        return None
    if environ.get("MINSHENG_CACHE_DIR"):
        return Path(environ["MINSHENG_CACHE_DIR"])
    base = environ.get("XDG_CACHE_HOME") or (str(Path.home() / ".cache") if Path.home() != Path("/") else "")
    return Path(base) / "minsheng" if base else None


def digest(files: list[Path]) -> bytes:
    """What the checked data depends on: the checking code and every file's path and bytes."""
    h = blake2b(digest_size=32)
    h.update(f"{__version__}|{sys.version_info[:2]}".encode())
    here = Path(__file__).parent
    for name in _CHECKING_CODE:
        st = (here / name).stat()
        h.update(f"{name}|{st.st_size}|{st.st_mtime_ns}".encode())
    for path in files:
        data = path.read_bytes()
        h.update(f"\0{path}\0{len(data)}\0".encode())
        h.update(data)
    return h.digest()


def _entry(folder: Path, data_dir: Path) -> Path:
    name = blake2b(str(data_dir.resolve()).encode(), digest_size=16).hexdigest()
    return folder / f"{name}.pickle"


def _trusted(folder: Path) -> bool:
    """Only a folder of our own that nobody else can write to is read."""
    try:
        st = folder.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "getuid") or st.st_uid == os.getuid()


def load(folder: Path | None, data_dir: Path, key: bytes) -> Any | None:
    if folder is None or not _trusted(folder):
        return None
    try:
        blob = _entry(folder, data_dir).read_bytes()
    except OSError:
        return None
    head = _MAGIC + key
    if not blob.startswith(head):
        return None
    try:
        return pickle.loads(blob[len(head) :])
    except Exception:  # a truncated or foreign entry is a miss, never an error
        return None


def store(folder: Path | None, data_dir: Path, key: bytes, value: Any) -> None:
    """Best effort: a cache that cannot be written is simply not used."""
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _trusted(folder):
            return
        from minsheng.atomic import write_bytes

        write_bytes(_entry(folder, data_dir), _MAGIC + key + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        return

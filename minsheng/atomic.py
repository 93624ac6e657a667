"""Atomic file writes: a temporary file in the same directory, fsync, rename.

A reader sees the old file or the new one, never half of either; a crash
before the rename leaves the old file as it was. The new file keeps the old
one's mode and group (the owner becomes the writer: rename cannot keep it).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path


def write_bytes(path: Path, data: bytes) -> None:
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file 0600 and ours; give it the old file's group and mode (in a
        # group-shared folder the others keep their access), or what a new file would get.
        old = path.stat() if path.exists() else None
        if old is not None and old.st_gid != os.stat(tmp_name).st_gid:
            try:
                os.chown(tmp_name, -1, old.st_gid)
            except OSError:
                raise PermissionError(
                    errno.EPERM, f"无法保留 {path} 的属组（gid {old.st_gid}），改写会让同组的人失去权限"
                ) from None
        os.chmod(tmp_name, old.st_mode & 0o7777 if old is not None else 0o666 & ~_umask())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(directory)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

"""A cache of checked data, keyed by the bytes that were checked.

`status`, `report` and the exports read a data directory that rarely changes
between two runs in a meeting. When every file's content (and the checking
code) is as it was, the checked plans, ledgers and problems are loaded from
the cache instead of parsed and validated again: that skips PyYAML parsing
and pydantic, whose import alone costs more than the whole report.

`validate` never uses the cache: it always checks from scratch.

What a hit promises: the value is what checking *these bytes* gave. Every
file is read once (:class:`Snapshot`), the key is a BLAKE2 digest of exactly
those bytes, and the loader parses the same buffers; a file written while
the tool runs cannot pair an old key with new data.

Trust model (also in SECURITY.md): an entry is plain values (``marshal`` of
str, int, float, bool, None, tuples, lists and dicts, with the model's
classes rebuilt by name from an allow-list), so even a forged entry cannot
run code. It is read only through a chain of directory file descriptors
opened with ``O_NOFOLLOW`` from ``/``, where every ancestor is owned by root
or the current user and is not writable by others (or is sticky, like
``/tmp``), the cache folder is the user's own with mode ``0700`` (no group or
other bits), and the entry is a regular file of the user's, mode ``0600``,
with a checksum. Anything else is a miss, never an error. Set
``MINSHENG_NO_CACHE=1`` to turn it off, or ``MINSHENG_CACHE_DIR`` to move it
(default: ``$XDG_CACHE_HOME/minsheng``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import marshal
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from minsheng import __version__
from minsheng.gcpause import gc_paused

try:  # the BLAKE2 module alone: hashlib would also load OpenSSL (~4 ms of a ~170 ms run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b

_MAGIC = b"minsheng-cache-2\n"
_SUFFIX = ".cache"

MAX_FILE_BYTES = 16 * 1024 * 1024
"""A data file larger than this is not snapshot: the run goes uncached and the loader refuses it."""

LIBRARIES = {
    "yaml": "pyyaml",
    "pydantic": "pydantic",
    "pydantic_core": "pydantic-core",
    "annotated_types": "annotated-types",
}
"""Module -> distribution of the libraries whose versions decide what "checked" means, besides our code."""


def cache_dir(environ: Mapping[str, str]) -> Path | None:
    if environ.get("MINSHENG_NO_CACHE"):
        return None
    if environ.get("MINSHENG_CACHE_DIR"):
        return Path(environ["MINSHENG_CACHE_DIR"])
    base = environ.get("XDG_CACHE_HOME") or (str(Path.home() / ".cache") if Path.home() != Path("/") else "")
    return Path(base) / "minsheng" if base else None


# --- the key -------------------------------------------------------------------------------


def code_fingerprint() -> bytes:
    """The content of every module of the package outside ``render/`` (the checking code,
    this cache's format included), the library versions and the Python build."""
    h = blake2b(digest_size=32)
    h.update(f"{__version__}|{sys.version}|{sys.implementation.cache_tag}".encode())
    h.update(library_versions().encode())
    here = os.path.dirname(os.path.abspath(__file__))
    for name in _code_files(here):
        with open(os.path.join(here, name), "rb") as handle:
            data = handle.read()
        h.update(f"\0{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.digest()


def _code_files(here: str) -> list[str]:
    """The package's ``*.py`` outside ``render/`` as POSIX paths relative to ``here``, in path order
    (``os.walk``: a tenth of ``Path.rglob``'s time, which start-up feels)."""
    found = []
    for folder, dirs, files in os.walk(here):
        rel = os.path.relpath(folder, here).replace(os.sep, "/")
        dirs[:] = [d for d in dirs if d != "__pycache__" and not (rel == "." and d == "render")]
        found += [name if rel == "." else f"{rel}/{name}" for name in files if name.endswith(".py")]
    return sorted(found, key=lambda name: name.split("/"))


def library_versions() -> str:
    """``name=version`` of each of :data:`LIBRARIES`, found without importing them.

    The version comes from the ``*.dist-info`` folder next to the package; where
    there is none (a system package), the package's ``__init__.py`` is hashed.
    """
    import importlib.util

    out = []
    for name, dist in LIBRARIES.items():
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        where = spec.origin if spec is not None else None
        if not where:
            out.append(f"{name}=absent")
            continue
        package = Path(where).parent
        found = ""
        with contextlib.suppress(OSError):
            for entry in sorted(os.listdir(package.parent)):
                low = entry.lower().replace("_", "-")
                if low.endswith(".dist-info") and low.startswith(dist + "-"):
                    found = entry
                    break
        if not found:
            with contextlib.suppress(OSError):
                found = blake2b(Path(where).read_bytes(), digest_size=16).hexdigest()
        out.append(f"{name}={found}@{package}")
    return "|".join(out)


class Snapshot:
    """Every data file read once: the key is their digest, the loader parses these bytes.

    ``read`` hands the loader a file's bytes (or raises the error reading it gave);
    :attr:`complete` says whether the loader asked for exactly the files snapshot,
    so a file that appeared in between is noticed.
    """

    def __init__(
        self, files: Sequence[Path], code: bytes | None = None, source: Callable[[Path], bytes] | None = None
    ) -> None:
        self._contents: dict[str, bytes | OSError] = {}
        self._asked: set[str] = set()
        self.oversize = False
        h = blake2b(digest_size=32)
        h.update(code if code is not None else code_fingerprint())
        for path in files:
            content = _read_bounded(path) if source is None else _read_given(source, path)
            if content is None:
                self.oversize = True
                content = OSError("too large")
            self._contents[str(path)] = content
            if isinstance(content, OSError):
                h.update(f"\0{path}\0error\0{content.errno}\0".encode())
            else:
                h.update(f"\0{path}\0{len(content)}\0".encode())
                h.update(content)
        self.key = h.digest()

    def read(self, path: Path) -> bytes:
        name = str(path)
        self._asked.add(name)
        content = self._contents.get(name)
        if content is None:  # not in the snapshot: read it, and do not cache this run
            self._asked.add("\0unexpected")
            return path.read_bytes()
        if isinstance(content, OSError):
            raise content
        return content

    @property
    def complete(self) -> bool:
        return not self.oversize and self._asked == set(self._contents)


def _read_given(source: Callable[[Path], bytes], path: Path) -> bytes | OSError | None:
    """A file's bytes from ``source`` (a git commit's, for ``--as-recorded``) under the same bound."""
    try:
        data = source(path)
    except OSError as exc:
        return exc
    return None if len(data) > MAX_FILE_BYTES else data


def _read_bounded(path: Path) -> bytes | OSError | None:
    """The file's bytes, the error reading it, or ``None`` when it is over :data:`MAX_FILE_BYTES`
    (also a file that grows while read, or a device that never ends)."""
    try:
        with open(path, "rb", buffering=0) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                return None
            chunks = [handle.read(size + 1)]
            while chunks[-1] and sum(map(len, chunks)) <= MAX_FILE_BYTES:
                chunks.append(handle.read(MAX_FILE_BYTES + 1 - sum(map(len, chunks))))
    except OSError as exc:
        return OSError(exc.errno, exc.strerror)
    data = b"".join(chunks)
    return None if len(data) > MAX_FILE_BYTES else data


# --- the format: plain values, rebuilt from an allow-list of classes -------------------------

_DATE = "\0date"
_LIST = "\0list"


def _classes() -> dict[str, type]:
    from minsheng import model, problems, project
    from minsheng.supervision import model as supervision

    found: dict[str, type] = {}
    for module in (model, supervision, problems, project):
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__:
                found[value.__name__] = value
    return found


def _fields(cls: type, memo: dict[type, tuple[str, ...]] = {}) -> tuple[str, ...]:  # noqa: B006 - a memo
    names = memo.get(cls)
    if names is None:
        names = memo[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


_PLAIN = (str, int, float, bool, type(None))


def encode(value: Any) -> Any:
    """Plain values only: a dataclass is ``[name, *fields]``, a date ``["\\0date", ordinal]``."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple:
        return tuple(encode(v) for v in value)
    if kind is dict:
        return {k: encode(v) for k, v in value.items()}
    if kind is list:
        return [_LIST, *(encode(v) for v in value)]
    if kind is dt.date:
        return [_DATE, value.toordinal()]
    if dataclasses.is_dataclass(value):
        return [kind.__name__, *(encode(getattr(value, name)) for name in _fields(kind))]
    raise TypeError(f"not a plain value: {kind.__name__}")


def decode(value: Any, classes: Mapping[str, type]) -> Any:
    """The inverse of :func:`encode`; anything else (a code object, bytes, a set, an unknown
    class) raises, which the caller treats as a miss. Nothing in the input is ever called."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple:
        return tuple([v if type(v) in _PLAIN else decode(v, classes) for v in value])
    if kind is dict:
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise TypeError("a key that is not text")
            out[k] = v if type(v) in _PLAIN else decode(v, classes)
        return out
    if kind is list:
        tag = value[0]
        if tag == _DATE:
            return dt.date.fromordinal(value[1])
        items = [v if type(v) in _PLAIN else decode(v, classes) for v in value[1:]]
        if tag == _LIST:
            return items
        return classes[tag](*items)  # KeyError for a class not on the list
    raise TypeError(f"not a plain value: {kind.__name__}")


# --- the folder and its entries --------------------------------------------------------------

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_SUPPORTED = hasattr(os, "O_NOFOLLOW") and hasattr(os, "getuid") and os.open in os.supports_dir_fd


def _safe_ancestor(st: os.stat_result, uid: int) -> bool:
    """A folder on the way: nobody but root and us can rename or replace what it holds."""
    if not stat.S_ISDIR(st.st_mode) or st.st_uid not in (0, uid):
        return False
    return not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or bool(st.st_mode & stat.S_ISVTX)


def _private(st: os.stat_result, uid: int, kind: int) -> bool:
    """Ours, of the right kind, and with no group or other permission at all."""
    return stat.S_IFMT(st.st_mode) == kind and st.st_uid == uid and not st.st_mode & 0o077


@contextlib.contextmanager
def _open_folder(folder: Path, *, create: bool) -> Iterator[int | None]:
    """A descriptor of the cache folder, reached from ``/`` one ``O_NOFOLLOW`` step at a time,
    with every step checked; ``None`` if any check fails."""
    if not _SUPPORTED:
        yield None
        return
    uid = os.getuid()
    try:
        real = Path(os.path.realpath(folder))
    except (OSError, ValueError):
        yield None
        return
    parts = real.parts
    fds: list[int] = []
    try:
        try:
            fd = os.open(parts[0], _DIR_FLAGS)
        except OSError:
            yield None
            return
        fds.append(fd)
        for i, name in enumerate(parts[1:], 1):
            last = i == len(parts) - 1
            if not _safe_ancestor(os.fstat(fd), uid):
                yield None
                return
            try:
                fd = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    yield None
                    return
                try:
                    os.mkdir(name, 0o700 if last else 0o755, dir_fd=fd)
                    fd = os.open(name, _DIR_FLAGS, dir_fd=fd)
                except OSError:
                    yield None
                    return
            except OSError:
                yield None
                return
            fds.append(fd)
        yield fd if _private(os.fstat(fd), uid, stat.S_IFDIR) else None
    finally:
        for opened in fds:
            os.close(opened)


def _entry_name(data_dir: Path, slot: str = "") -> str:
    """One entry per data directory, and one per ``slot`` beside it: ``--as-recorded`` data has its own
    ("recorded"), so switching between a commit and the working tree evicts neither."""
    name = f"{data_dir.resolve()}{slot and chr(0) + slot}"
    return blake2b(name.encode(), digest_size=16).hexdigest() + _SUFFIX


def load(folder: Path | None, data_dir: Path, key: bytes, slot: str = "") -> Any | None:
    """The value stored under ``key`` for ``data_dir``, or ``None`` (a miss) for anything amiss."""
    if folder is None:
        return None
    try:
        with _open_folder(folder, create=False) as dir_fd:
            if dir_fd is None:
                return None
            blob = _read_entry(dir_fd, _entry_name(data_dir, slot))
    except OSError:
        return None
    if blob is None:
        return None
    head = _MAGIC + key
    if not blob.startswith(head) or len(blob) < len(head) + 32:
        return None
    check, payload = blob[len(head) : len(head) + 32], blob[len(head) + 32 :]
    if blake2b(payload, digest_size=32).digest() != check:
        return None
    try:
        with gc_paused():  # many objects that all live on: the cycle collector would find nothing to free
            return decode(marshal.loads(payload), _classes())
    except Exception:  # a foreign or stale entry is a miss, never an error
        return None


def _read_entry(dir_fd: int, name: str) -> bytes | None:
    flags = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(name, flags, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not _private(st, os.getuid(), stat.S_IFREG) or st.st_nlink != 1:
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def store(folder: Path | None, data_dir: Path, key: bytes, value: Any, slot: str = "") -> None:
    """Best effort: a cache that cannot be written (or trusted) is simply not used."""
    if folder is None:
        return
    try:
        payload = marshal.dumps(encode(value))
    except (TypeError, ValueError):
        return
    blob = _MAGIC + key + blake2b(payload, digest_size=32).digest() + payload
    name = _entry_name(data_dir, slot)
    tmp = f".{name}.{os.getpid()}.tmp"
    try:
        with _open_folder(folder, create=True) as dir_fd:
            if dir_fd is None:
                return
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp, dir_fd=dir_fd)
            fd = os.open(tmp, flags, 0o600, dir_fd=dir_fd)
            try:
                os.fchmod(fd, 0o600)
                view = memoryview(blob)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            try:
                os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=dir_fd)
                return
            with contextlib.suppress(OSError):  # the pickles of earlier versions are never read again
                os.unlink(name.removesuffix(_SUFFIX) + ".pickle", dir_fd=dir_fd)
    except OSError:
        return

"""`dataclass` with its methods made on first use, for a fast start-up.

The standard decorator compiles `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__` and
`__delattr__` for every class when its module is imported — about a millisecond a class, and
`status` imports some sixty of them while constructing only a few. This one lets the standard
decorator do everything except those methods (so `dataclasses.fields`, `replace`, `is_dataclass`,
`__slots__`, `__match_args__` and pydantic's dataclass support work as before); `__init__` binds
its arguments generically until the class has been constructed :data:`COMPILE_AFTER` times, then
compiles the same code `dataclasses` would; equality, hashing, `repr` and the frozen
guard are shared functions that read the field names. Supported: `@dataclass`,
`@dataclass(frozen=True)` and `@dataclass(frozen=True, slots=True)`, with defaults and
`field(default=..., default_factory=...)`; no `__post_init__`, no inheritance between them.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T", bound=type)
_HAS_FACTORY = object()


@overload
def dataclass(cls: T, /) -> T: ...
@overload
def dataclass(*, frozen: bool = False, slots: bool = False) -> Callable[[T], T]: ...
@dataclass_transform(field_specifiers=(dataclasses.field,))
def dataclass(cls: T | None = None, /, *, frozen: bool = False, slots: bool = False) -> Any:
    """Drop-in for `dataclasses.dataclass` (the three forms above)."""

    def wrap(kind: T) -> T:
        return _process(kind, frozen=frozen, slots=slots)

    return wrap if cls is None else wrap(cls)


def _process(cls: T, *, frozen: bool, slots: bool) -> T:
    if "__post_init__" in cls.__dict__ or any(dataclasses.is_dataclass(base) for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__name__}: lazyclass.dataclass supports neither __post_init__ nor inheritance")
    if not cls.__dict__.get("__doc__"):
        cls.__doc__ = f"{cls.__name__}({', '.join(inspect.get_annotations(cls))})"
    new = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)
    params = new.__dataclass_params__  # type: ignore[attr-defined]
    params.init = params.repr = params.eq = True
    params.frozen = frozen
    fields = dataclasses.fields(new)
    new.__init__ = _lazy_init(new, frozen)  # type: ignore[misc]
    new.__repr__ = _repr_for(new.__qualname__, tuple(f.name for f in fields if f.repr))  # type: ignore[assignment]
    key = _key_for(tuple(f.name for f in fields if f.compare))
    new.__eq__ = _eq_for(key)  # type: ignore[assignment]
    if frozen:
        new.__hash__ = _hash_for(_key_for(tuple(f.name for f in fields if f.compare and f.hash is not False)))  # type: ignore[assignment]
        new.__setattr__ = _frozen_setattr  # type: ignore[assignment]
        new.__delattr__ = _frozen_delattr  # type: ignore[assignment]
    else:
        new.__hash__ = None  # type: ignore[assignment]
    return new


def _key_for(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda _self: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return attrgetter(*names)


def _eq_for(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _hash_for(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __hash__


def _repr_for(qualname: str, names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{qualname}({shown})"

    return __repr__


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


COMPILE_AFTER = 64
"""Calls of a class's shared ``__init__`` before its own is compiled (a compile costs about 300 µs)."""


def _lazy_init(cls: type, frozen: bool) -> Callable[..., None]:
    """A shared ``__init__`` that binds arguments by name; after :data:`COMPILE_AFTER` calls the class
    gets a compiled one, so a short run compiles nothing and a long one runs at full speed."""
    fields = dataclasses.fields(cls)
    names = tuple(f.name for f in fields)
    known = frozenset(names)
    defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
    factories = {f.name: f.default_factory for f in fields if f.default_factory is not dataclasses.MISSING}
    put = object.__setattr__
    calls = 0

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > COMPILE_AFTER:
            made = _make_init(cls, frozen)
            cls.__init__ = made  # type: ignore[misc]
            made(self, *args, **kwargs)
            return
        if len(args) > len(names):
            raise TypeError(f"__init__() takes {len(names) + 1} positional arguments but {len(args) + 1} were given")
        values = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in known:
                raise TypeError(f"__init__() got an unexpected keyword argument {key!r}")
            if key in values:
                raise TypeError(f"__init__() got multiple values for argument {key!r}")
            values[key] = value
        for name in names:
            if name in values:
                put(self, name, values[name])
            elif name in defaults:
                put(self, name, defaults[name])
            elif name in factories:
                put(self, name, factories[name]())
            else:
                raise TypeError(f"__init__() missing 1 required positional argument: {name!r}")

    return __init__


def _make_init(cls: type, frozen: bool) -> Callable[..., None]:
    """Compile `__init__` as `dataclasses` would: positional-or-keyword fields in order."""
    namespace: dict[str, Any] = {"_HAS_FACTORY": _HAS_FACTORY, "_set": object.__setattr__}
    params: list[str] = []
    body: list[str] = []
    for f in dataclasses.fields(cls):
        name = f.name
        if f.default is not dataclasses.MISSING:
            namespace[f"_default_{name}"] = f.default
            params.append(f"{name}=_default_{name}")
            value = name
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{name}"] = f.default_factory
            params.append(f"{name}=_HAS_FACTORY")
            value = f"_factory_{name}() if {name} is _HAS_FACTORY else {name}"
        else:
            params.append(name)
            value = name
        body.append(f"    _set(self, {name!r}, {value})" if frozen else f"    self.{name} = {value}")
    source = f"def __init__(self, {', '.join(params)}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(compile(source, f"<{cls.__qualname__}.__init__>", "exec"), namespace)
    made: Callable[..., None] = namespace["__init__"]
    made.__qualname__ = f"{cls.__qualname__}.__init__"
    return made

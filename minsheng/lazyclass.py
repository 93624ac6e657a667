"""`dataclass` with its methods made on first use, for a fast start-up.

The standard decorator compiles `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__` and
`__delattr__` for every class when its module is imported — about a millisecond a class, and
`status` imports some sixty of them while constructing only a few. This one builds the same
`__dataclass_fields__`, `__dataclass_params__`, `__slots__` and `__match_args__` without compiling
anything (so `dataclasses.fields`, `replace`, `is_dataclass` and pydantic's dataclass support
work as before); `__init__` binds
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
    fields = _fields_of(cls)
    names = tuple(fields)
    if slots:
        body = {k: v for k, v in cls.__dict__.items() if k not in fields and k not in ("__dict__", "__weakref__")}
        body["__slots__"] = names
        new = type(cls)(cls.__name__, cls.__bases__, body)
        new.__qualname__ = cls.__qualname__
        if frozen:
            new.__getstate__ = _getstate_for(names)  # type: ignore[attr-defined]
            new.__setstate__ = _setstate_for(names)  # type: ignore[attr-defined]
    else:
        new = cls
        for name, f in fields.items():
            if f.default is not dataclasses.MISSING:
                setattr(new, name, f.default)
            elif isinstance(cls.__dict__.get(name), dataclasses.Field):
                delattr(new, name)
    if not new.__dict__.get("__doc__"):
        new.__doc__ = f"{new.__name__}({', '.join(names)})"
    new.__dataclass_fields__ = fields  # type: ignore[attr-defined]
    new.__dataclass_params__ = _FROZEN_PARAMS if frozen else _PARAMS  # type: ignore[attr-defined]
    new.__match_args__ = names  # type: ignore[attr-defined]
    own = cls.__dict__  # as `dataclasses`: a method the class defines itself is kept
    if frozen and ("__setattr__" in own or "__delattr__" in own):
        raise TypeError(f"cannot overwrite attribute __setattr__ or __delattr__ in class {cls.__name__}")
    if "__init__" not in own:
        new.__init__ = _lazy_init(new, frozen)  # type: ignore[misc]
    if "__repr__" not in own:
        new.__repr__ = _repr_for(new.__qualname__, tuple(n for n, f in fields.items() if f.repr))  # type: ignore[assignment]
    if "__eq__" not in own:
        new.__eq__ = _eq_for(_key_for(tuple(n for n, f in fields.items() if f.compare)))  # type: ignore[assignment]
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if frozen:
        if not explicit_hash:
            hashed = tuple(n for n, f in fields.items() if (f.compare if f.hash is None else f.hash))
            new.__hash__ = _hash_for(_key_for(hashed))  # type: ignore[assignment]
        new.__setattr__ = _frozen_setattr  # type: ignore[assignment]
        new.__delattr__ = _frozen_delattr  # type: ignore[assignment]
    elif not explicit_hash:
        new.__hash__ = None  # type: ignore[assignment]
    return new


def _fields_of(cls: type) -> dict[str, dataclasses.Field[Any]]:
    """The ``dataclasses.Field`` of each annotated name, in order, as ``dataclasses`` would make them
    (what ``dataclasses.fields``, ``replace`` and pydantic read)."""
    fields: dict[str, dataclasses.Field[Any]] = {}
    seen_default = False
    for name, kind in inspect.get_annotations(cls).items():
        text = kind if isinstance(kind, str) else getattr(kind, "__name__", "")
        if text.split("[")[0].rsplit(".", 1)[-1] in ("ClassVar", "InitVar", "KW_ONLY"):
            raise TypeError(f"{cls.__name__}.{name}: lazyclass.dataclass has no ClassVar, InitVar or KW_ONLY")
        given = cls.__dict__.get(name, dataclasses.MISSING)
        f = given if isinstance(given, dataclasses.Field) else dataclasses.field(default=given)
        if f.default is not dataclasses.MISSING and f.default.__class__.__hash__ is None:
            raise ValueError(f"mutable default {type(f.default)} for field {name} is not allowed: use default_factory")
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {name!r} follows default argument")
        seen_default = seen_default or has_default
        f.name = name
        f.type = kind
        f._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # what dataclasses.fields() keeps
        fields[name] = f
    return fields


def _params(frozen: bool) -> Any:
    """A ``__dataclass_params__`` value, taken from a class the standard decorator made without
    compiling anything, then told what the classes here do."""
    made = dataclasses.dataclass(type("_Params", (), {"__doc__": "-"}), init=False, repr=False, eq=False)
    params = made.__dataclass_params__  # type: ignore[attr-defined]
    params.init = params.repr = params.eq = True
    params.frozen = frozen
    return params


_PARAMS = _params(False)
_FROZEN_PARAMS = _params(True)


def _getstate_for(names: tuple[str, ...]) -> Callable[[Any], list[Any]]:
    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, name) for name in names]

    return __getstate__


def _setstate_for(names: tuple[str, ...]) -> Callable[[Any, list[Any]], None]:
    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)

    return __setstate__


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

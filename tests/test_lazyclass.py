"""minsheng.lazyclass.dataclass behaves as dataclasses.dataclass for the forms the package uses."""

from __future__ import annotations

import dataclasses

import pytest

from minsheng import lazyclass
from minsheng.lazyclass import dataclass


@dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int = 0
    tags: list[str] = dataclasses.field(default_factory=list)


@dataclass
class Box:
    name: str
    items: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True, slots=True)
class StdPoint:
    x: int
    y: int = 0
    tags: list[str] = dataclasses.field(default_factory=list)


def test_same_behaviour_as_the_standard_decorator() -> None:
    for a, b in (
        (Point(1), StdPoint(1)),
        (Point(1, 2, ["t"]), StdPoint(1, 2, ["t"])),
        (Point(x=3, y=4), StdPoint(3, 4)),
    ):
        assert (a.x, a.y, a.tags) == (b.x, b.y, b.tags)
        assert repr(a) == repr(b).replace("StdPoint", "Point")
    assert Point(1, 2) == Point(x=1, y=2)
    assert Point(1, 2) != Point(1, 3)
    assert Point(1) != StdPoint(1)
    assert hash(Point(1, 2, ())) == hash(StdPoint(1, 2, ()))  # type: ignore[arg-type]
    assert Point(1).tags is not Point(1).tags  # a fresh list each time
    assert Point.__slots__ == StdPoint.__slots__
    assert Point.__match_args__ == ("x", "y", "tags")


def test_dataclass_helpers_work() -> None:
    p = Point(1, 2)
    assert dataclasses.is_dataclass(Point)
    assert [f.name for f in dataclasses.fields(Point)] == ["x", "y", "tags"]
    assert dataclasses.replace(p, y=5) == Point(1, 5)
    assert Point.__dataclass_params__.frozen  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del p.x  # type: ignore[misc]


def test_mutable_form() -> None:
    box = Box("a")
    box.items.append(1)
    box.name = "b"
    assert box == Box("b", [1])
    assert Box.__hash__ is None
    assert repr(box) == "Box(name='b', items=[1])"


def test_bad_arguments_raise_type_error() -> None:
    for args, kwargs in (((), {}), ((1, 2, [], 4), {}), ((1,), {"x": 1}), ((1,), {"z": 1})):
        with pytest.raises(TypeError):
            Point(*args, **kwargs)


def test_compiled_after_many_calls_gives_the_same_objects() -> None:
    @dataclass(frozen=True, slots=True)
    class Pair:
        a: int
        b: str = "b"

    shared = Pair.__init__
    made = [Pair(n) for n in range(lazyclass.COMPILE_AFTER + 5)]
    assert Pair.__init__ is not shared  # compiled once the threshold was passed
    assert made[-1] == Pair(lazyclass.COMPILE_AFTER + 4, "b")
    assert [p.a for p in made] == list(range(lazyclass.COMPILE_AFTER + 5))
    with pytest.raises(TypeError):
        Pair()  # type: ignore[call-arg]


def test_copy_and_pickle_round_trip() -> None:
    import copy
    import pickle

    p = Point(1, 2, ["t"])
    assert copy.copy(p) == p
    assert copy.deepcopy(p) == p
    assert pickle.loads(pickle.dumps(p)) == p


def test_standard_rules_kept() -> None:
    with pytest.raises(ValueError, match="mutable default"):

        @dataclass
        class Bad:
            items: list[int] = []  # noqa: RUF012

    with pytest.raises(TypeError, match="non-default argument"):

        @dataclass
        class Order:
            a: int = 0
            b: int  # type: ignore[misc]


def test_methods_the_class_defines_are_kept() -> None:
    @dataclass(frozen=True, slots=True)
    class Named:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

    @dataclasses.dataclass(frozen=True, slots=True)
    class StdNamed:
        name: str

        def __eq__(self, other: object) -> bool:
            return isinstance(other, StdNamed) and other.name.lower() == self.name.lower()

    @dataclass(frozen=True, slots=True)
    class LazyNamed:
        name: str

        def __eq__(self, other: object) -> bool:
            return isinstance(other, LazyNamed) and other.name.lower() == self.name.lower()

    assert repr(Named("a")) == "<a>"
    assert LazyNamed("A") == LazyNamed("a")
    assert (StdNamed.__hash__ is None) == (LazyNamed.__hash__ is None)

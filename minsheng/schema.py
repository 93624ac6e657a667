"""Pydantic validation of plain values into the dataclasses of :mod:`minsheng.model`.

The one place that imports pydantic. It turns pydantic's errors into located,
plain-Chinese :class:`SchemaError` values (one wording table, as rendercv does)
and emits the JSON Schema that editors and ``check-jsonschema`` use.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BeforeValidator, TypeAdapter, ValidationError

from minsheng.model import Ledger, Plan, load_constraints
from minsheng.numbers import PLAIN_NUMBER, NumberError, parse_number

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class SchemaError:
    path: Path
    code: str
    message: str
    hint: str
    at_key: bool = False


def _iso_date(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError("not an ISO date")
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
iso_date_only = BeforeValidator(_iso_date)


def _load_constraints() -> None:
    from minsheng.supervision import model as supervision

    load_constraints(iso_date_only=iso_date_only)
    load_constraints(vars(supervision), iso_date_only=iso_date_only)


@functools.cache
def _adapter(kind: type) -> TypeAdapter[Any]:
    _load_constraints()
    return TypeAdapter(kind)


def validate_plan(data: Any) -> tuple[Plan | None, list[SchemaError]]:
    return _validate(Plan, data)


def validate_ledger(data: Any) -> tuple[Ledger | None, list[SchemaError]]:
    return _validate(Ledger, data)


def validate_as(kind: type, data: Any) -> tuple[Any, list[SchemaError]]:
    """Any other dataclass of the schema (the 督办 ledger's entries)."""
    return _validate(kind, data)


def _validate(kind: type, data: Any) -> tuple[Any, list[SchemaError]]:
    refused: list[SchemaError] = []
    fix = _numbers_of(kind)
    if fix is not None:
        data = fix(data, (), refused)
    try:
        value = _adapter(kind).validate_python(data)
    except ValidationError as exc:
        raw = [err for err in exc.errors(include_url=False) if not _other_branch(err)]
        errors = _merge(_without_cascades([_translate(kind, err) for err in raw]))
    else:
        if not refused:
            return value, []
        errors = []
    # A number refused by the rule is left as text, which pydantic refuses again: say it once.
    paths = {err.path for err in refused}
    return None, refused + [err for err in errors if err.path not in paths]


Fix = Callable[[Any, Path, list[SchemaError]], Any]


def _numbers_of(kind: Any) -> Fix | None:
    """A function that turns the text of every number field under ``kind`` into a number.

    Numbers follow one rule (:func:`minsheng.numbers.parse_number`), the same as the CLI's;
    pydantic's own text-to-number conversion (which takes ``1_000``, ``+5``, ``1e-400`` → 0)
    then never sees text. Text the rule refuses is left in place and reported.
    """
    _load_constraints()
    return _fixer(kind)


@functools.cache
def _fixer(annotation: Any) -> Fix | None:
    members = _members(annotation) - {type(None)}
    if members and members <= {int, float, bool} and members & {int, float}:
        return functools.partial(_fix_number, bool in members)
    if len(members) != 1:
        return None
    (kind,) = members
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind, include_extras=True)
        fields = {name: f for name, hint in hints.items() if (f := _fixer(hint)) is not None}
        return functools.partial(_fix_fields, fields) if fields else None
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in {tuple, list} and args and (item := _fixer(args[0])) is not None:
        return functools.partial(_fix_items, item)
    if origin is dict and len(args) == 2 and (item := _fixer(args[1])) is not None:
        return functools.partial(_fix_values, item)
    return None


def _members(annotation: Any) -> set[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in {typing.Union, types.UnionType}:
        return set().union(*(_members(a) for a in typing.get_args(annotation)))
    return {annotation}


def _fix_number(allow_bool: bool, value: Any, path: Path, errors: list[SchemaError]) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return parse_number(value, allow_bool=allow_bool)
    except NumberError as exc:
        errors.append(SchemaError(path, exc.code, exc.message, exc.hint))
        return value


def _fix_fields(fields: dict[str, Fix], value: Any, path: Path, errors: list[SchemaError]) -> Any:
    if isinstance(value, dict):
        for name, fix in fields.items():
            if name in value:
                value[name] = fix(value[name], (*path, name), errors)
    return value


def _fix_items(fix: Fix, value: Any, path: Path, errors: list[SchemaError]) -> Any:
    if isinstance(value, list):
        for k, item in enumerate(value):
            value[k] = fix(item, (*path, k), errors)
    return value


def _fix_values(fix: Fix, value: Any, path: Path, errors: list[SchemaError]) -> Any:
    if isinstance(value, dict):
        plain = PLAIN_NUMBER.fullmatch
        for key, item in value.items():
            # A report's values are most of a ledger's numbers: the plain spelling (within both
            # bounds by its shape) is taken here, without a call per value.
            if item.__class__ is str and plain(item):
                value[key] = float(item) if "." in item else int(item)
            else:
                value[key] = fix(item, (*path, key), errors)
    return value


_UNION_TEXT, _UNION_MAPPING = "constrained-str", "Item"
"""Member tags pydantic adds to a location for ``items: [text | {name: …}]``."""


_MEMBER_TAGS = frozenset({"int", "float", "bool", "str", "function-after", _UNION_TEXT, _UNION_MAPPING})


def _other_branch(err: Any) -> bool:
    """An error from the member of a text-or-mapping union that the value was not written as."""
    loc = tuple(err["loc"])
    if _UNION_TEXT in loc:
        return isinstance(err.get("input"), dict)
    if loc and loc[-1] == _UNION_MAPPING:
        return err["type"] in {"dataclass_type", "dataclass_exact_type", "dict_type"}
    return False


def _without_cascades(errors: list[SchemaError]) -> list[SchemaError]:
    """A list whose entries all failed is reported "empty" by pydantic too: that echo is dropped.

    The one problem is the entry's own; saying also that the list is empty would send
    the user looking for a second mistake that is not there.
    """
    misspelt = {
        (err.path[:-1], close)
        for err in errors
        if err.code == "unknown-key" and err.path
        for close in difflib.get_close_matches(str(err.path[-1]), _missing_at(errors, err.path[:-1]), n=1, cutoff=0.6)
    }
    return [
        err
        for err in errors
        if not (err.code == "empty" and any(_below(other.path, err.path) for other in errors))
        # "nam: x" is one mistake, not also a missing "name".
        and not (err.code == "missing-key" and err.path and (err.path[:-1], str(err.path[-1])) in misspelt)
    ]


def _below(path: Path, parent: Path) -> bool:
    return len(path) > len(parent) and path[: len(parent)] == parent


def _missing_at(errors: list[SchemaError], parent: Path) -> list[str]:
    return [str(e.path[-1]) for e in errors if e.code == "missing-key" and e.path and e.path[:-1] == parent]


def _merge(errors: list[SchemaError]) -> list[SchemaError]:
    """One problem per place: a union (number or true/false) fails once per member."""
    merged: dict[tuple[Path, bool], SchemaError] = {}
    for err in errors:
        key = (err.path, err.at_key)
        first = merged.get(key)
        if first is None:
            merged[key] = err
        elif first.code == err.code == "type" and "true" in err.message and "数字" in first.message:
            given = first.message.rsplit("，这里是 ", 1)[-1]
            merged[key] = SchemaError(err.path, "type", f"应为数字（或 true/false），这里是 {given}", first.hint)
    return list(merged.values())


def json_schema(kind: type) -> dict[str, Any]:
    return _adapter(kind).json_schema()


_TYPE_WORDS = {
    "string_type": ("type", "应为文本"),
    "int_parsing": ("type", "应为整数"),
    "int_type": ("type", "应为整数"),
    "int_from_float": ("type", "应为整数，不能有小数"),
    "float_parsing": ("type", "应为数字"),
    "float_type": ("type", "应为数字"),
    "bool_parsing": ("type", "应为 true 或 false"),
    "bool_type": ("type", "应为 true 或 false"),
    "date_parsing": ("date", "日期格式应为 YYYY-MM-DD，如 2024-06-30"),
    "date_from_datetime_parsing": ("date", "不是有效日期，格式应为 YYYY-MM-DD，如 2024-06-30"),
    "date_from_datetime_inexact": ("date", "日期不能带时间，格式应为 YYYY-MM-DD"),
    "date_type": ("date", "应为日期，格式 YYYY-MM-DD"),
    "finite_number": ("type", "数字不能是无穷大或 NaN"),
    "dict_type": ("type", "应为映射（键: 值）"),
    "dataclass_type": ("type", "应为映射（键: 值）"),
    "dataclass_exact_type": ("type", "应为映射（键: 值）"),
    "list_type": ("type", "应为列表（每项以 - 开头）"),
    "tuple_type": ("type", "应为列表（每项以 - 开头）"),
}


def _translate(kind: type, err: Any) -> SchemaError:
    loc: Path = tuple(err["loc"])
    # Unions add the tried member type to loc (e.g. ('values', '2.2', 'int')); drop it.
    loc = tuple(step for step in loc if step not in _MEMBER_TAGS)
    kind_name = err["type"]
    given = _shown(err.get("input"))
    ctx = err.get("ctx") or {}
    if kind_name in {"unexpected_keyword_argument", "extra_forbidden"}:
        name = str(loc[-1]) if loc else ""
        allowed = _field_names(kind, loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"是不是“{close[0]}”？" if close else ""
        hint += f"可用的键：{', '.join(allowed)}" if allowed else ""
        return SchemaError(loc, "unknown-key", f"未知的键“{name}”", hint, at_key=True)
    if kind_name == "missing" or kind_name == "missing_keyword_argument":
        name = str(loc[-1]) if loc else ""
        return SchemaError(loc, "missing-key", f"缺少必填项“{name}”", f"请补上 {name}:")
    if kind_name == "value_error" and loc and loc[-1] in {"date", "start"}:
        return SchemaError(loc, "date", f"日期格式应为 YYYY-MM-DD，如 2024-06-30，这里是 {given}", "月和日都用两位")
    if kind_name in _TYPE_WORDS:
        code, words = _TYPE_WORDS[kind_name]
        hint = ""
        if kind_name == "string_type":
            hint = "文字如被误读，请加引号"
        elif kind_name.endswith(("_parsing", "_from_float")):
            hint = "只填数字，计量单位不用写"
        elif kind_name in {"dict_type", "dataclass_type", "dataclass_exact_type"}:
            hint = "按示例格式，在下一行缩进写“键: 值”"
        elif kind_name in {"list_type", "tuple_type"}:
            hint = "按示例格式，每项一行，以“- ”开头"
        if code == "date":
            hint = "日期写成 2024-06-30 这样，月和日都用两位"
        return SchemaError(loc, code, f"{words}，这里是 {given}", hint)
    if kind_name in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        bound = next(iter(ctx.values()), "")
        word = {
            "greater_than_equal": "不能小于",
            "greater_than": "必须大于",
            "less_than_equal": "不能大于",
            "less_than": "必须小于",
        }[kind_name]
        return SchemaError(loc, "out-of-range", f"{given} {word} {bound}", "")
    if kind_name in {"too_short", "string_too_short"}:
        return SchemaError(loc, "empty", "不能为空", "至少写一项")
    if kind_name == "literal_error":
        expected = ctx.get("expected", "")
        return SchemaError(loc, "enum", f"{given} 不是可选值，应为 {expected} 之一", "")
    return SchemaError(loc, "schema", f"{err['msg']}（{given}）", "")


def _shown(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, list):
        return "列表"
    text = str(value)
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def _field_names(kind: type, loc: Path) -> list[str]:
    """The keys allowed at ``loc`` under the dataclass ``kind``, for "did you mean"."""
    _load_constraints()
    current: Any = kind
    for step in loc:
        current = _unwrap(current)
        if dataclasses.is_dataclass(current) and isinstance(step, str):
            hints = typing.get_type_hints(current)
            current = hints.get(step)
        elif isinstance(step, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        else:
            current = typing.get_args(current)[-1] if typing.get_args(current) else None
        if current is None:
            return []
    current = _unwrap(current)
    if dataclasses.is_dataclass(current):
        return [f.name for f in dataclasses.fields(current)]
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and ``X | None`` down to the type that holds fields."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in {typing.Union, types.UnionType}:
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                # text-or-mapping (items): the mapping's keys are the ones to suggest
                holders = [m for m in members if dataclasses.is_dataclass(m)]
                return holders[0] if len(holders) == 1 else annotation
            annotation = members[0]
        else:
            return annotation

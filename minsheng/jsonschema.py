"""JSON Schema of the plan and progress files, for editors and check-jsonschema.

The schema says what ``minsheng validate`` accepts file by file, no more and
no less, so that an editor never flags a file that validate passes (and the
other way round, for everything a schema can say). pydantic's own schema is
adjusted in two ways:

- its constraint words ``ge`` / ``gt`` / ``le`` / ``lt`` (not JSON Schema
  keywords, so ignored by every validator) become ``minimum`` /
  ``exclusiveMinimum`` / ``maximum`` / ``exclusiveMaximum``;
- minsheng reads every scalar as the text that was written (``2.10`` stays
  ``"2.10"``, see :mod:`minsheng.yamlio`), whereas an editor's YAML parser
  turns ``id: 2`` into a number and ``target: "10000"`` stays a string. So a
  text field also takes a number or true/false as written, a number field also
  takes a quoted number, and a true/false field also takes the words
  validate reads as true or false (``yes``/``no``, ``on``/``off`` …).

What a schema cannot say (rules across files or between fields) is listed in
the README under “编辑器里的 JSON Schema”.
"""

from __future__ import annotations

import json
from typing import Any

from minsheng.model import Ledger, Plan

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_KEYWORDS = {"ge": "minimum", "gt": "exclusiveMinimum", "le": "maximum", "lt": "exclusiveMaximum"}
_BOUNDS = tuple(_KEYWORDS.values())
_UNSIGNED = r"([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
_NUMBER_TEXT = {"integer": r"[0-9]+", "number": _UNSIGNED}
# The words pydantic reads as true or false, in any case.
_BOOL_WORDS = ("true", "false", "yes", "no", "on", "off", "t", "f", "y", "n", "1", "0")


def schemas() -> dict[str, dict[str, Any]]:
    from minsheng.schema import json_schema

    plan = editor_schema(json_schema(Plan))
    plan.update({"$schema": SCHEMA_DIALECT, "title": "民生实事计划 (minsheng plan)"})
    progress = editor_schema(json_schema(Ledger))
    progress.update({"$schema": SCHEMA_DIALECT, "title": "单位进展文件 (minsheng progress)"})
    return {"plan": plan, "progress": progress}


def schema_text(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def editor_schema(node: Any) -> Any:
    """pydantic's JSON Schema made to accept what validate accepts, file by file."""
    if isinstance(node, list):
        return [editor_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {_KEYWORDS.get(key, key): value for key, value in node.items()}
    bounds = {key: node.pop(key) for key in _BOUNDS if key in node and "anyOf" in node}
    if bounds:  # `Annotated[int | float, Ge(0)]`: the bound sits beside the union; give it to each number
        node["anyOf"] = [_bounded(alt, bounds) for alt in node["anyOf"]]
    node = {key: editor_schema(value) for key, value in node.items()}
    kind = node.get("type")
    if kind == "string" and "format" not in node and "enum" not in node:
        node["type"] = ["string", "number", "boolean"]
    elif kind in _NUMBER_TEXT:
        number = {key: node.pop(key) for key in ("type", *_BOUNDS) if key in node}
        node["anyOf"] = [number, _number_text(number)]
    elif kind == "boolean":
        del node["type"]
        node["anyOf"] = [{"type": "boolean"}, {"type": "string", "pattern": _bool_pattern()}]
    return node


def _bounded(alt: Any, bounds: dict[str, Any]) -> Any:
    if isinstance(alt, dict) and alt.get("type") in _NUMBER_TEXT:
        return {**alt, **bounds}
    if isinstance(alt, dict) and "anyOf" in alt:
        return {**alt, "anyOf": [_bounded(inner, bounds) for inner in alt["anyOf"]]}
    return alt


def _number_text(number: dict[str, Any]) -> dict[str, Any]:
    """A number written in quotes, as validate reads it; no minus sign where the number cannot be negative."""
    floor = number.get("minimum", number.get("exclusiveMinimum"))
    sign = "[+]?" if isinstance(floor, int | float) and floor >= 0 else "[+-]?"
    return {"type": "string", "pattern": f"^{sign}{_NUMBER_TEXT[number['type']]}$"}


def _bool_pattern() -> str:
    def any_case(word: str) -> str:
        return "".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in word)

    return "^(" + "|".join(any_case(word) for word in _BOOL_WORDS) + ")$"

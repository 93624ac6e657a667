"""JSON Schema of the plan and progress files, for editors and check-jsonschema."""

from __future__ import annotations

import json
from typing import Any

from minsheng.model import Ledger, Plan

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schemas() -> dict[str, dict[str, Any]]:
    from minsheng.schema import json_schema

    plan = json_schema(Plan)
    plan.update({"$schema": SCHEMA_DIALECT, "title": "民生实事计划 (minsheng plan)"})
    progress = json_schema(Ledger)
    progress.update({"$schema": SCHEMA_DIALECT, "title": "单位进展文件 (minsheng progress)"})
    return {"plan": plan, "progress": progress}


def schema_text(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

"""What a write changes, one line per value or text: ``1.1 名称：1 → 2条，完成率 66.7%``.

Shared by `record`, `import` of one file and the summary of an import of many.
"""

from __future__ import annotations

from minsheng.compute import completion_of
from minsheng.record import TEXT_FIELDS, Recorded
from minsheng.render.fmt import clean, num, pct


def change_lines(done: Recorded) -> list[str]:
    """Each value (old → new, with its completion) and text the report records or changes."""
    indicators = {i.id: i for p in ([done.plan] if done.plan else []) for t in p.tasks for i in t.indicators}
    if done.replaced:
        rows = [(c.key, c.old, c.new) for c in done.changes]
    else:
        rows = [(k, done.before.get(k), v) for k, v in done.report.values.items()]
    lines: list[str] = []
    for key, old, value in rows:
        ind = indicators.get(key)
        if ind is None:
            label = TEXT_FIELDS.get(key) or ("更正说明" if key == "correction" else None)
            if label is not None:
                lines.append(f"{label}：{excerpt(old)} → {excerpt(value)}")
            continue
        if value is None:
            after = done.before.get(key)
            fallback = f"此日期改为沿用此前的 {num(after)}" if after is not None else "此前没有报过"
            lines.append(f"{key} {clean(ind.name)}：{num(old)} → 删除（{fallback}）")
            continue
        change = f"{num(old)} → {num(value)}" if old is not None else num(value)
        measure = clean(ind.measure or "")
        lines.append(f"{key} {clean(ind.name)}：{change}{measure}，完成率 {pct(completion_of(ind, value))}")
    return lines


def excerpt(text: object) -> str:
    if not text:
        return "（无）"
    shown = clean(str(text))
    return f"“{shown[:30]}…”" if len(shown) > 30 else f"“{shown}”"

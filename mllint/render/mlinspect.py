"""The plan in mlinspect's vocabulary, for ``compare_plans.py`` and for people who know mlinspect.

Only operations mlinspect instruments are shown (``node.view.visible``);
edges are bridged over the hidden ones, the way data flows through functions
mlinspect does not patch.  Code references follow the ``ast`` convention
(UTF-8 byte columns).
"""
from __future__ import annotations

import json

from ..engine.analysis import Analysis
from ..plan import PlanNode


def to_document(analysis: Analysis) -> dict:
    plan = analysis.plan
    visible = [n for n in plan.nodes() if n.view.visible]
    visible_ids = {n.id for n in visible}
    lines = analysis.source.text.split("\n") if analysis.source is not None else []

    def visible_parents(node: PlanNode) -> list[int]:
        found: list[int] = []
        stack = plan.parent_ids(node.id)
        seen: set[int] = set()
        while stack:
            parent = stack.pop()
            if parent in seen:
                continue
            seen.add(parent)
            if parent in visible_ids:
                found.append(parent)
            else:
                stack.extend(plan.parent_ids(parent))
        return sorted(found)

    nodes, edges = [], []
    for node in visible:
        nodes.append({
            "node_id": node.id,
            "operator_type": node.operator.name,
            "description": node.description,
            "columns": node.columns or [],
            "code_reference": _code_reference(node, lines),
        })
        edges.extend({"source": parent, "target": node.id} for parent in visible_parents(node))
    return {"nodes": nodes, "edges": edges}


def _code_reference(node: PlanNode, lines: list[str]) -> dict | None:
    span = node.span
    if span is None:
        return None

    def to_bytes(line: int, col: int) -> int:
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return col if text.isascii() else len(text[:col].encode("utf-8"))

    return {"lineno": span.start_line, "col_offset": to_bytes(span.start_line, span.start_col),
            "end_lineno": span.end_line, "end_col_offset": to_bytes(span.end_line, span.end_col)}


def render(analysis: Analysis) -> str:
    return json.dumps(to_document(analysis), indent=1)

"""A readable listing of the plan: one node per line, with where its rows come from."""
from __future__ import annotations

from ..engine.analysis import Analysis
from ..plan import Operator, PlanNode
from .common import columns_text, dangling_projection
from .marks import Marks, findings_lines


def _provenance(analysis: Analysis, node: PlanNode) -> str:
    prov = node.provenance
    if prov is None:
        return ""
    plan = analysis.plan

    def name_of(node_id: int) -> str:
        source = plan.node(node_id)
        if source.operator is Operator.GROUP_BY_AGG:   # one row per group: rows of their own
            return f"groups of #{node_id}"
        return source.description or f"#{node_id}"

    return prov.describe(name_of)


def _where(analysis: Analysis, node: PlanNode) -> str:
    """``line:col``, or ``cell N:line:col`` inside a notebook."""
    span = node.span
    if span is None:
        return "?"
    place = analysis.source.code_cell_position(span.start_line) if analysis.source is not None else None
    if place is not None:
        return f"cell {place[0]}:{place[1]}:{analysis.source.cell_column(span.start_line, span.start_col) + 1}"
    return f"{span.start_line}:{span.start_col + 1}"


def render(analysis: Analysis, marks: Marks | None = None) -> str:
    """The plan, one node a line; with ``marks``, the findings listed under it (the nodes they point at)."""
    plan = analysis.plan
    out: list[str] = []
    if analysis.error:
        out.append(f"error: {analysis.error}")
    for note in analysis.notes:
        out.append(f"note: {note}")
    for node in plan.nodes():
        if dangling_projection(plan, node):
            continue
        where = _where(analysis, node)
        parents = ", ".join(f"#{p.id}" for p in plan.parents(node))
        line = f"#{node.id:<3} {where:<12} {node.operator.name:<17} {node.description or ''}"
        out.append(line.rstrip())
        details = []
        if parents:
            details.append(f"from {parents}")
        cols = columns_text(node)
        if cols and node.operator not in (Operator.ESTIMATOR, Operator.SCORE):
            details.append(f"columns {cols}")
        prov = _provenance(analysis, node)
        if prov:
            details.append(f"rows {prov}")
        if node.in_loop:
            details.append("in a loop")
        if details:
            out.append("       " + "; ".join(details))
    if not len(plan):
        out.append("no pandas / scikit-learn operations found")
    if marks is not None:
        out += [""] + findings_lines(analysis, marks)
    return "\n".join(out)

"""Graphviz DOT of the plan; nodes that findings point at get a red border and their codes."""
from __future__ import annotations

import json

from ..engine.analysis import Analysis
from ..plan import Operator
from .common import columns_text, dangling_projection, label
from .marks import NO_MARKS, Marks, line_label

_STYLE = {
    Operator.DATA_SOURCE: 'shape=cylinder, style=filled, fillcolor="#e8f1fb"',
    Operator.TRAIN_TEST_SPLIT: 'shape=diamond, style=filled, fillcolor="#fff4d6"',
    Operator.ESTIMATOR: 'shape=box3d, style=filled, fillcolor="#e6f5e6"',
    Operator.SCORE: 'shape=oval, style=filled, fillcolor="#fde8e8"',
    Operator.PREDICT: 'shape=oval, style=filled, fillcolor="#fde8e8"',
    Operator.TRANSFORMER: 'shape=box, style="rounded,filled", fillcolor="#f3e8fb"',
}
#: A node a finding points at: red border (the fill keeps the operator's colour).
FINDING_STYLE = 'color="#d62728", penwidth=3, fontcolor="#b71c1c"'


def render(analysis: Analysis, marks: Marks = NO_MARKS) -> str:
    plan = analysis.plan
    lines = ["digraph plan {", "  rankdir=TB;", '  node [shape=box, fontname="Helvetica", fontsize=10];']
    shown = {n.id for n in plan.nodes() if not dangling_projection(plan, n)}
    for node in plan.nodes():
        if node.id not in shown:
            continue
        codes = marks.codes_of(node.id)
        text = (", ".join(codes) + "\n" if codes else "") + label(node, line_label(analysis, node))
        cols = columns_text(node, limit=5)
        if cols and node.operator not in (Operator.ESTIMATOR, Operator.SCORE):
            text += "\n" + cols
        styles = [s for s in (_STYLE.get(node.operator, ""), FINDING_STYLE if codes else "") if s]
        extra = ", class=\"finding\"" if codes else ""
        lines.append(f"  n{node.id} [label={json.dumps(text)}{''.join(', ' + s for s in styles)}{extra}];")
    for source, target in plan.edges():
        if source.id in shown and target.id in shown:
            lines.append(f"  n{source.id} -> n{target.id};")
    lines.append("}")
    return "\n".join(lines)

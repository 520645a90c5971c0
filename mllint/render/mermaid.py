"""A Mermaid flowchart of the plan: sources, splits, fits and scores as boxes and arrows.

Nodes that findings point at carry the ``finding`` class (a red border) and their codes on the
first line of the label, so a webview that renders the chart shows where the harm is.
"""
from __future__ import annotations

from ..engine.analysis import Analysis
from ..plan import Operator
from .common import dangling_projection, label
from .marks import NO_MARKS, Marks, line_label

_SHAPES = {
    Operator.DATA_SOURCE: ('[("', '")]'),
    Operator.TRAIN_TEST_SPLIT: ('{{"', '"}}'),
    Operator.ESTIMATOR: ('[["', '"]]'),
    Operator.SCORE: ('(["', '"])'),
    Operator.PREDICT: ('(["', '"])'),
}
_CLASSES = {
    Operator.DATA_SOURCE: "source", Operator.TRAIN_TEST_SPLIT: "split", Operator.ESTIMATOR: "model",
    Operator.SCORE: "score", Operator.PREDICT: "score", Operator.TRANSFORMER: "transform",
}


def _escape(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def render(analysis: Analysis, marks: Marks = NO_MARKS) -> str:
    plan = analysis.plan
    lines = ["flowchart TD"]
    shown = [n for n in plan.nodes() if not dangling_projection(plan, n)]
    shown_ids = {n.id for n in shown}
    for node in shown:
        left, right = _SHAPES.get(node.operator, ('["', '"]'))
        codes = marks.codes_of(node.id)
        text = _escape(label(node, line_label(analysis, node)))
        if codes:
            text = f"{', '.join(codes)}<br/>{text}"
        lines.append(f"    n{node.id}{left}{text}{right}")
    for source, target in plan.edges():
        if source.id in shown_ids and target.id in shown_ids:
            lines.append(f"    n{source.id} --> n{target.id}")
    lines += [
        "    classDef source fill:#e8f1fb,stroke:#3b73b9",
        "    classDef split fill:#fff4d6,stroke:#c99a06",
        "    classDef model fill:#e6f5e6,stroke:#2e8b57",
        "    classDef score fill:#fde8e8,stroke:#c0392b",
        "    classDef transform fill:#f3e8fb,stroke:#8e44ad",
        "    classDef finding stroke:#d62728,stroke-width:3px,color:#b71c1c",
    ]
    for node in shown:
        css = _CLASSES.get(node.operator)
        if css:
            lines.append(f"    class n{node.id} {css}")
    for node in shown:   # after the operator classes: the red border wins
        if marks.codes_of(node.id):
            lines.append(f"    class n{node.id} finding")
    return "\n".join(lines)

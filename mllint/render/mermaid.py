"""A Mermaid flowchart of the plan: sources, splits, fits and scores as boxes and arrows."""
from __future__ import annotations

from ..engine.analysis import Analysis
from ..plan import Operator
from .common import dangling_projection, label

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


def render(analysis: Analysis) -> str:
    plan = analysis.plan
    lines = ["flowchart TD"]
    shown = [n for n in plan.nodes() if not dangling_projection(plan, n)]
    shown_ids = {n.id for n in shown}
    for node in shown:
        left, right = _SHAPES.get(node.operator, ('["', '"]'))
        lines.append(f"    n{node.id}{left}{_escape(label(node))}{right}")
    for source, target in plan.edges():
        if source.id in shown_ids and target.id in shown_ids:
            lines.append(f"    n{source.id} --> n{target.id}")
    lines += [
        "    classDef source fill:#e8f1fb,stroke:#3b73b9",
        "    classDef split fill:#fff4d6,stroke:#c99a06",
        "    classDef model fill:#e6f5e6,stroke:#2e8b57",
        "    classDef score fill:#fde8e8,stroke:#c0392b",
        "    classDef transform fill:#f3e8fb,stroke:#8e44ad",
    ]
    for node in shown:
        css = _CLASSES.get(node.operator)
        if css:
            lines.append(f"    class n{node.id} {css}")
    return "\n".join(lines)

"""Shared helpers of the plan views."""
from __future__ import annotations

from ..plan import Operator, Plan, PlanNode

#: Short labels for the operators in pictures.
SHORT = {
    Operator.DATA_SOURCE: "source", Operator.SELECTION: "select", Operator.PROJECTION: "project",
    Operator.PROJECTION_MODIFY: "modify", Operator.JOIN: "join", Operator.CONCATENATION: "concat",
    Operator.GROUP_BY_AGG: "group-by", Operator.TRAIN_TEST_SPLIT: "split", Operator.TRANSFORMER: "transform",
    Operator.ESTIMATOR: "fit", Operator.SCORE: "score", Operator.TRAIN_DATA: "train data",
    Operator.TRAIN_LABELS: "train labels", Operator.TEST_DATA: "test data", Operator.TEST_LABELS: "test labels",
    Operator.PREDICT: "predict", Operator.UNKNOWN: "unknown",
}


def line_of(node: PlanNode) -> int | None:
    span = node.span
    return span.start_line if span is not None else None


def label(node: PlanNode, where_text: str | None = None) -> str:
    """``fit: Logistic Regression (line 18)``; ``where_text`` (``line 18``, ``cell 2:4``) replaces the
    node's own line (pictures show the line of the operation, see ``marks.line_label``)."""
    line = line_of(node)
    shown = where_text if where_text is not None else (f"line {line}" if line is not None else None)
    where = f" ({shown})" if shown is not None else ""
    if node.description:
        return f"{SHORT[node.operator]}: {node.description}{where}"
    return f"{SHORT[node.operator]}{where}"


def columns_text(node: PlanNode, limit: int = 8) -> str:
    columns = node.columns
    if columns is None:
        return ""
    open_ = node.schema is not None and getattr(node.schema, "open", False) and node.view.columns is None
    if not columns:
        return "[unknown]" if open_ else "[]"
    shown = ", ".join(columns[:limit])
    more = f", ... (+{len(columns) - limit})" if len(columns) > limit else ""
    return f"[{shown}{more}{', and possibly more' if open_ else ''}]"


def dangling_projection(plan: Plan, node: PlanNode) -> bool:
    """Column reads inside conditions and arithmetic: mlinspect records them, pictures skip them."""
    return node.operator is Operator.PROJECTION and not plan.out_degree(node.id)

"""Hover text for variables: a dataframe's inferred columns and rows, an estimator's steps."""
from __future__ import annotations

from mllint.engine.analysis import Analysis
from mllint.domains.values import Data, DataKind, Estimator

_MAX_COLUMNS = 40


def describe_value(name: str, analysis: Analysis) -> str | None:
    value = analysis.env.get(name)
    if isinstance(value, Data):
        return _describe_data(name, value, analysis)
    if isinstance(value, Estimator):
        return _describe_estimator(name, value)
    return None


def _describe_data(name: str, data: Data, analysis: Analysis) -> str:
    kind = {DataKind.FRAME: "DataFrame", DataKind.SERIES: "Series", DataKind.ARRAY: "array"}[data.kind]
    lines = [f"**{name}**: {kind} (inferred by mllint)"]
    if data.kind is DataKind.FRAME:
        names = list(data.schema.names)
        shown = ", ".join(f"`{n}`" for n in names[:_MAX_COLUMNS])
        more = f", … ({len(names) - _MAX_COLUMNS} more)" if len(names) > _MAX_COLUMNS else ""
        if names:
            lines.append(f"columns: {shown}{more}{' and possibly more' if data.schema.open else ''}")
        else:
            lines.append("columns: unknown")
    elif data.kind is DataKind.SERIES and data.name:
        lines.append(f"column: `{data.name}`")
    if data.prov is not None:
        plan = analysis.plan

        def label(node_id: int) -> str:
            node = plan.node(node_id)
            span = node.span
            where = f" (line {span.start_line})" if span is not None else ""
            return f"{node.description or 'data source'}{where}"

        lines.append(f"rows: {data.prov.describe(label)}")
    return "\n\n".join(lines)


def _describe_estimator(name: str, estimator: Estimator) -> str:
    lines = [f"**{name}**: `{estimator.class_name}`{' (fitted)' if estimator.fitted else ''}"]
    if estimator.steps:
        lines.append("steps:")
        lines.extend(f"- `{step_name}`: {_label(step)}" for step_name, step in estimator.steps)
    if estimator.branches:
        lines.append("column branches:")
        for branch_name, part, columns in estimator.branches:
            from mllint.domains.data_ops import const_strings
            cols = const_strings(columns)
            lines.append(f"- `{branch_name}`: {_label(part)} on {', '.join(cols) if cols else 'unknown columns'}")
    return "\n".join(lines)


def _label(value) -> str:
    if isinstance(value, Estimator):
        inner = f" [{', '.join(_label(s) for _, s in value.steps)}]" if value.steps else ""
        return f"`{value.class_name}`{inner}"
    return "`passthrough`" if getattr(value, "value", None) == "passthrough" else "unknown"

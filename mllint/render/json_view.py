"""Node-link JSON of the whole plan (networkx's node-link shape)."""
from __future__ import annotations

import enum
import json

from ..engine.analysis import Analysis
from ..plan import PlanNode


#: Fields of the operator records the JSON view shows (when the node's record has them).
_SHOWN_FIELDS = ("side", "phase", "filter", "reads", "modifies", "how", "learns", "method")


def node_record(node: PlanNode) -> dict:
    span = node.span
    schema = node.schema
    prov = node.provenance
    record = {
        "id": node.id,
        "operator": node.operator.name,
        "description": node.description,
        "span": list(span.as_tuple()) if span is not None else None,
        "columns": node.columns,
        "schema_open": getattr(schema, "open", None),
        "lineage": {c.name: sorted(c.lineage) for c in schema.columns} if schema is not None else None,
        "in_loop": node.in_loop,
        "mlinspect": node.view.visible,
    }
    info = node.info
    for key in _SHOWN_FIELDS:
        value = getattr(info, key, None)
        if value is not None:
            if isinstance(value, enum.Enum):
                value = value.value
            record[key] = sorted(value) if isinstance(value, (set, frozenset)) else value
    if prov is not None:
        record["provenance"] = [[o.source, [list(step) for step in o.path]] for o in prov.origins]
    return record


def render(analysis: Analysis) -> str:
    plan = analysis.plan
    document = {
        "directed": True,
        "multigraph": False,
        "graph": {"error": analysis.error, "notes": analysis.notes},
        "nodes": [node_record(n) for n in plan.nodes()],
        "links": [{"source": s.id, "target": t.id} for s, t in plan.edges()],
    }
    return json.dumps(document, indent=1, default=str)

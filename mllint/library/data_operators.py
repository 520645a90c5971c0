"""Models of arithmetic and comparison where one side is data (``df.a * 2``, ``df.age < 18``).

An operator keeps the rows (the union of both sides' provenances) and adds the
lineage of both sides; a comparison makes a boolean mask, which is what a
selection ``df[mask]`` later reads.  ``predict(X) == y`` is a hand-written
accuracy: an evaluation, so it gets a SCORE node.
"""
from __future__ import annotations

from ..domains.data_ops import lineage_of, parents_of, stats_of
from ..domains.values import Data, DataKind, Value
from ..plan import EvaluationInfo, EvaluationKind, Operator
from .context import CallContext


def data_arithmetic(ctx: CallContext, left: Value, op: str, right: Value) -> Value:
    datas = [v for v in (left, right) if isinstance(v, Data)]
    first = datas[0]
    kind = DataKind.FRAME if any(d.kind is DataKind.FRAME for d in datas) else (DataKind.SERIES if any(
        d.kind is DataKind.SERIES for d in datas) else DataKind.ARRAY)
    prov = first.prov
    for other in datas[1:]:
        if other.prov != prov:
            prov = prov.union(other.prov) if prov is not None else None
    schema = first.schema if kind == first.kind else next(d.schema for d in datas if d.kind == kind)
    is_mask = op in ("BitAnd", "BitOr", "BitXor") and all(d.is_mask for d in datas)
    return Data(kind=kind, nodes=tuple(parents_of(*datas)), schema=schema, prov=prov,
                name=first.name if len(datas) == 1 else None, reads=lineage_of(left) | lineage_of(right),
                is_mask=is_mask, stats=stats_of(left, right))


def data_compare(ctx: CallContext, left: Value, right: Value, *, equality: bool) -> Value:
    """``equality``: ``==`` / ``!=``, the comparisons that can be a hand-written accuracy."""
    datas = [v for v in (left, right) if isinstance(v, Data)]
    first = datas[0]
    predictions = [d for d in datas if any(n.operator is Operator.PREDICT for n in d.nodes)]
    if len(datas) == 2 and len(predictions) == 1 and equality:
        # `model.predict(X_test) == y_test`: a hand-written accuracy is an evaluation too
        truth = datas[0] if predictions[0] is datas[1] else datas[1]
        ctx.emit(Operator.SCORE, "comparison with predictions", parents_of(predictions[0], truth),
                 EvaluationInfo(kind=EvaluationKind.METRIC, truth=truth.prov), visible=False)
    return Data(kind=DataKind.SERIES if first.kind is not DataKind.ARRAY else DataKind.ARRAY,
                nodes=tuple(parents_of(*datas)), schema=first.schema, prov=first.prov, name=first.name,
                reads=lineage_of(left) | lineage_of(right), is_mask=True, stats=stats_of(left, right))

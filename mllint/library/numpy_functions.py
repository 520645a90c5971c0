"""Models of numpy functions, by the effects of ``knowledge.pandas_ops.NUMPY_FUNCTIONS``.

numpy works on arrays without names, so these models keep the rows' provenance
and lineage (what the leakage and split rules need) and mostly forget columns.
Random numbers are an array of no source: a mask built from them selects rows,
which is how a hand-made split is recognised.
"""
from __future__ import annotations

from dataclasses import replace

from ..domains.data_ops import lineage_of, parents_of, stats_of
from ..domains.folding import as_path_text
from ..domains.provenance import Provenance
from ..domains.schema import UNKNOWN_SCHEMA
from ..domains.values import TOP, Const, Data, DataKind, Seq, Statistic, Value
from ..plan import Operator, SourceInfo
from .context import CallContext
from .data_values import along_rows
from .registration import Family, HandlerTable

handlers = HandlerTable()
_register = handlers.register


def _unknown(ctx: CallContext, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return ctx.unknown(f"numpy.{ctx.name}", args + list(kwargs.values()))


@_register(Family.NUMPY, "elementwise")
def elementwise(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    first = args[0] if args else None
    if isinstance(first, Data):
        return replace(first, reads=lineage_of(first), stats=stats_of(*args))
    if isinstance(first, Statistic):
        return first
    if isinstance(first, (Seq, Const)) and ctx.name in ("array", "asarray"):
        return first
    return TOP


@_register(Family.NUMPY, "statistic")
def statistic(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    first = args[0] if args else None
    if isinstance(first, Data):
        if along_rows(args[1:], kwargs):   # np.mean(X, axis=1): per row
            return replace(first, kind=DataKind.ARRAY, schema=UNKNOWN_SCHEMA, name=None, reads=lineage_of(first),
                           is_mask=False)
        return Statistic(ctx.name, first.prov, lineage_of(first), ctx.site)
    return _unknown(ctx, args, kwargs)


@_register(Family.NUMPY, "concat")
def stack_rows(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``np.vstack``: the rows of all parts (their provenances join)."""
    return _concatenate(ctx, args, kwargs, rows=True)


@_register(Family.NUMPY, "hconcat")
def stack_columns(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``np.hstack``: columns of the same rows side by side (the first part's rows)."""
    return _concatenate(ctx, args, kwargs, rows=False)


def _concatenate(ctx: CallContext, args: list[Value], kwargs: dict[str, Value], *, rows: bool) -> Value:
    first = args[0] if args else None
    parts = ctx.iterate(first) if first is not None else None
    if parts and all(isinstance(p, Data) for p in parts):
        prov = parts[0].prov
        if rows:
            for part in parts[1:]:
                prov = prov.union(part.prov) if prov is not None else None
        node = ctx.emit(Operator.CONCATENATION, f"numpy.{ctx.name}", parents_of(*parts), visible=False)
        return Data(kind=DataKind.ARRAY, nodes=(node,), schema=UNKNOWN_SCHEMA, prov=prov, name=None,
                    reads=frozenset().union(*(lineage_of(p) for p in parts)), is_mask=False, stats=stats_of(*parts))
    return ctx.unknown(f"numpy.{ctx.name}", parts or args)


@_register(Family.NUMPY, "where")
def where(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    datas = [a for a in args if isinstance(a, Data)]
    if datas:
        return Data(kind=DataKind.ARRAY, nodes=tuple(parents_of(*datas)), schema=UNKNOWN_SCHEMA, prov=datas[0].prov,
                    name=None, reads=frozenset().union(*(lineage_of(d) for d in datas)), is_mask=False,
                    stats=stats_of(*args))
    return TOP


@_register(Family.NUMPY, "source")
def load(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    first = args[0] if args else None
    path = as_path_text(first.value) if isinstance(first, Const) else None
    node = ctx.emit(Operator.DATA_SOURCE, path.replace("\\", "/").split("/")[-1] if path else ctx.name, [],
                    SourceInfo(function=ctx.name, path=path), visible=False)
    return Data(kind=DataKind.ARRAY, nodes=(node,), schema=UNKNOWN_SCHEMA, prov=Provenance.of_source(node.id))


@_register(Family.NUMPY, "random_array")
def random_array(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """Random numbers: a mask made of them selects rows (a manual split)."""
    return Data(kind=DataKind.ARRAY, nodes=(), schema=UNKNOWN_SCHEMA, prov=None)


@_register(Family.NUMPY, "np_random")
def random_source(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    node = ctx.emit(Operator.DATA_SOURCE, "random", [], columns=["array"])
    return Data(kind=DataKind.ARRAY, nodes=(node,), schema=UNKNOWN_SCHEMA, prov=Provenance.of_source(node.id))

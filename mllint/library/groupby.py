"""Models of ``df.groupby(...)`` and of what is called on a group-by or an accessor (``.str``, ``.dt``).

A group-by value only remembers its frame, keys and selected columns; the
aggregation makes the plan node.  An aggregated frame summarises all the rows
of each group, so its values carry a statistic over those rows (for the
leakage rules); ``transform`` broadcasts such a statistic back to every row.
Accessor methods (``s.str.lower()``) work row by row: the same rows, a mask for
the ``.str`` predicates (``knowledge.pandas_ops.MASK_STR_METHODS``).
"""
from __future__ import annotations

from dataclasses import replace

from ..domains.data_ops import arg, const_str, const_strings, lineage_of, parents_of, python_value, series_of
from ..domains.provenance import Provenance
from ..domains.schema import UNKNOWN_SCHEMA, Column, Schema
from ..domains.values import (TOP, Accessor, Const, Data, DataKind, DictV, GroupBy, Lambda, Seq, Statistic,
                              UserFunction, Value)
from ..knowledge.pandas_ops import MASK_STR_METHODS
from ..plan import GroupByInfo, Operator
from .context import CallContext
from .data_values import FRAME, data_method
from .registration import Family, HandlerTable

handlers = HandlerTable()


@data_method(handlers, FRAME, "groupby")
def groupby(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    keys = const_strings(arg(args, kwargs, 0, "by") or TOP)
    as_index = kwargs.get("as_index")
    return GroupBy(data, tuple(keys) if keys is not None else (), None) if not (
        isinstance(as_index, Const) and as_index.value is False) else GroupBy(data, tuple(keys or ()) + ("",))


@handlers.register(Family.GROUPBY, "transform")
def transform(ctx: CallContext, group: GroupBy, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``groupby('g')['x'].transform('mean')``: a per-row group statistic."""
    data = group.data
    keys = tuple(k for k in group.keys if k)
    selected = group.selected or ()
    lineage = data.schema.lineage_of(selected) if selected else data.schema.lineage_of(keys) | data.schema.lineage
    func = args[0] if args else kwargs.get("func")
    if isinstance(func, (Lambda, UserFunction)) and len(selected) == 1:
        # transform(lambda s: s.shift(28).rolling(7).mean()): what the function makes of the column
        result = ctx.call(func, [series_of(data, selected[0])], {})
        if (isinstance(result, Data) and result.kind is not DataKind.FRAME) or isinstance(result, Statistic):
            lineage = result.reads
    stat = Statistic(f"group {ctx.name}", data.prov, lineage, ctx.site)
    return replace(data, kind=DataKind.SERIES if len(selected) == 1 else DataKind.FRAME,
                   schema=data.schema.project(selected) if selected else data.schema,
                   name=selected[0] if len(selected) == 1 else None, reads=lineage, is_mask=False,
                   stats=data.stats + (stat,))


@handlers.register(Family.GROUPBY, "aggregate")
def aggregate(ctx: CallContext, group: GroupBy, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``groupby(keys).agg(...)`` / ``.mean()``: one row per group, named as mlinspect names it."""
    name = ctx.name
    data = group.data
    keys = tuple(k for k in group.keys if k)
    out_lineage: dict[str, frozenset[str]] = {}
    if name in ("agg", "aggregate") and kwargs and not args:
        out_names = list(kwargs)
        description_args = "{" + ", ".join(f"{k!r}: {python_value(v)!r}" for k, v in kwargs.items()) + "}"
        for out_name, spec in kwargs.items():   # named aggregation: ("column", "func")
            if isinstance(spec, Seq) and spec.items and const_str(spec.items[0]) is not None:
                out_lineage[out_name] = data.schema.lineage_of([const_str(spec.items[0])])
    else:
        spec = args[0] if args else None
        if isinstance(spec, DictV):
            out_names = [python_value(k) for k in spec.keys]
        elif group.selected is not None:
            out_names = list(group.selected)
        else:
            out_names = [n for n in data.schema.names if n not in keys]
        description_args = repr(tuple(python_value(a) for a in args)) if name in ("agg", "aggregate") else name
    index_name = keys[0] if len(keys) == 1 and "" not in group.keys else None
    description = f"Groupby '{index_name}', Aggregate: '{description_args}'"
    columns = [str(index_name)] + [str(n) for n in out_names]
    lineage = data.schema.lineage_of(keys + tuple(n for n in (group.selected or data.schema.names)))
    # an aggregated column summarises its own input column within each group: the keys say which
    # rows are summarised together (row selection, not value lineage)
    schema = Schema(tuple([Column(k, data.schema.lineage_of([k])) for k in keys] +
                          [Column(str(n), out_lineage.get(str(n), data.schema.lineage_of([n]) if isinstance(n, str)
                                                          else lineage)) for n in out_names]),
                    data.schema.open or not all(isinstance(n, str) for n in out_names))
    mlinspect = name == "agg" and group.selected is None
    # one row per group: new rows (a split of them splits groups), each summarising its own group
    node = ctx.emit(Operator.GROUP_BY_AGG, description, parents_of(data), GroupByInfo(keys=tuple(keys)),
                    visible=mlinspect, columns=columns, schema=schema, rows=None)
    node.provenance = Provenance.of_source(node.id) if data.prov is not None else None
    stat = Statistic(f"group {name}", data.prov, lineage, ctx.site)
    # aggregated rows summarise all input rows: downstream values carry that statistic
    return Data(kind=DataKind.FRAME, nodes=(node,), schema=schema, prov=node.provenance, name=None, reads=data.reads,
                is_mask=False, stats=data.stats + (stat,))


@handlers.register(Family.ACCESSOR, "per_row")
def per_row(ctx: CallContext, accessor: Accessor, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``s.str.lower()``, ``s.dt.year``: a series over the same rows (a mask for ``.str.contains``)."""
    data = accessor.data
    if accessor.kind == "str" and _expands(ctx.name, kwargs):
        # s.str.split("-", expand=True): a frame of pieces of each row, columns 0, 1, ...
        return replace(data, kind=DataKind.FRAME, schema=UNKNOWN_SCHEMA, name=None, reads=lineage_of(data),
                       is_mask=False)
    return replace(data, kind=DataKind.SERIES, reads=lineage_of(data), is_mask=ctx.name in MASK_STR_METHODS)


def _expands(name: str, kwargs: dict[str, Value]) -> bool:
    expand = kwargs.get("expand")
    if name == "extract":   # extract's expand defaults to True
        return not (isinstance(expand, Const) and expand.value is False)
    return name in ("split", "rsplit", "partition", "rpartition", "extractall", "get_dummies") and (
        name in ("partition", "rpartition", "extractall", "get_dummies") or (isinstance(expand, Const) and expand.value is True))

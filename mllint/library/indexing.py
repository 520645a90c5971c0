"""Models of attributes, ``[]``, ``.loc`` / ``.iloc`` and assignment to columns on data values.

These are not calls, so they have no handler table: the walker builds a
:class:`~.context.CallContext` for the attribute / subscript and calls the
function here directly.  Reading a column the schema does not know yet
(``df["age"]`` on an open schema) is evidence that the source has it
(``ctx.discover``).  An assignment's plan node is placed at the whole statement,
which is mlinspect's code reference for it.
"""
from __future__ import annotations

from dataclasses import replace

from ..domains.data_ops import const_strings, lineage_of, parents_of, series_of, stats_of
from ..domains.schema import UNKNOWN_SCHEMA, Schema
from ..domains.values import TOP, Accessor, Const, Data, DataKind, FoldIndex, Lambda, Seq, SeqKind, Statistic, StatisticKind, Value
from ..knowledge.pandas_ops import ACCESSOR_ATTRIBUTES, DATA_ATTRIBUTES_NOT_COLUMNS, FRAME_METHODS
from ..plan import ModifyInfo, Operator, SelectionInfo
from .context import CallContext
from .data_values import derived, is_full_slice, positional_columns, select_rows


# -- attributes -------------------------------------------------------------------------------
def data_attribute(ctx: CallContext, data: Data, attr: str) -> Value:
    if attr == "values":
        return replace(data, kind=DataKind.ARRAY, reads=lineage_of(data))
    if attr in ACCESSOR_ATTRIBUTES:
        return Accessor(data, attr)
    if attr == "index":   # df.drop(df[df.age < 18].index): the rows a selection picked
        reads = frozenset().union(*(n.info.reads or frozenset() for n in data.nodes
                                    if isinstance(n.info, (SelectionInfo, ModifyInfo))))
        return Data(kind=DataKind.ARRAY, nodes=data.nodes, schema=UNKNOWN_SCHEMA, prov=data.prov, name=None,
                    reads=reads, is_mask=False, stats=())
    if attr == "T":
        return replace(data, schema=UNKNOWN_SCHEMA, prov=None, name=None, reads=lineage_of(data), is_mask=False)
    if data.kind is DataKind.FRAME:
        if attr == "columns":
            if not data.schema.open:
                return Seq(tuple(Const(n) for n in data.schema.names))
            # the columns a fitted selector kept: their names depend on its fit
            chosen = [s for s in data.stats if s.kind is StatisticKind.SELECTION]
            return chosen[-1] if chosen else TOP
        if attr in data.schema.names or (data.schema.open and attr not in FRAME_METHODS
                                         and attr not in DATA_ATTRIBUTES_NOT_COLUMNS and not attr.startswith("_")):
            ctx.discover(data, [attr])
            return series_of(data, attr)   # df.col: mlinspect records no node
    if data.kind is DataKind.SERIES and attr == "name" and data.name is not None:
        return Const(data.name)
    return TOP


# -- reading ---------------------------------------------------------------------------------
def data_getitem(ctx: CallContext, data: Data, keys: list[Value]) -> Value:
    key = keys[0] if len(keys) == 1 else Seq(tuple(keys), SeqKind.TUPLE)
    if data.kind is DataKind.FRAME:
        names = const_strings(key)
        if names is not None and not (isinstance(key, Seq) and key.kind is SeqKind.TUPLE):
            ctx.discover(data, names)
            node = ctx.emit(Operator.PROJECTION, f"to {names}", parents_of(data), columns=names)
            if isinstance(key, Const):
                return series_of(data, names[0], (node,))
            schema = data.schema.project(names)
            node.schema = schema
            # the picked columns are the values: what the frame's other columns or its row
            # selections read is not their lineage
            return derived(data, node, schema, reads=frozenset())
        if isinstance(key, (Data, FoldIndex)):
            return select_rows(ctx, data, key, None,
                               mlinspect=isinstance(key, Data) and key.kind is DataKind.SERIES)
        if isinstance(key, Const) and isinstance(key.value, int) and not isinstance(key.value, bool) \
                and data.schema.open:
            # pieces[0] of s.str.split(expand=True), a column labelled 0: one of the unnamed columns
            return Data(DataKind.SERIES, data.nodes, UNKNOWN_SCHEMA, data.prov, None, data.reads, False, data.stats)
        if isinstance(key, Seq) and key.kind is SeqKind.SLICE:
            return select_rows(ctx, data, key, None, mlinspect=False)
        # columns picked by a key we cannot read: which ones (and so where they come from) is unknown;
        # keeping the frame's whole lineage would let rules read "may come from the label" as "does"
        return replace(data, schema=UNKNOWN_SCHEMA, name=None, reads=frozenset(), is_mask=False,
                       stats=data.stats + selections_in(key))
    if data.kind is DataKind.SERIES:
        if isinstance(key, (Data, FoldIndex)) or (isinstance(key, Seq) and key.kind is SeqKind.SLICE):
            return select_rows(ctx, data, key, None, mlinspect=False)
        return Statistic("element", data.prov, data.reads, ctx.site) if isinstance(key, Const) else TOP
    # ndarray indexing: rows and/or columns of the same rows
    if isinstance(key, Seq) and key.kind is SeqKind.SLICE:
        return select_rows(ctx, data, key, None, mlinspect=False)
    if isinstance(key, (Data, FoldIndex)):
        return select_rows(ctx, data, key, None, mlinspect=False)
    if isinstance(key, Seq) and key.kind is SeqKind.TUPLE and key.items and not is_full_slice(key.items[0]):
        return select_rows(ctx, data, key.items[0], None, mlinspect=False)
    if isinstance(key, Seq) and key.kind is SeqKind.TUPLE and len(key.items) == 2:
        # X[:, 1:], X[:, 0]: columns by position; their lineage only when the columns are known
        picked = positional_columns(data.schema, key.items[1])
        if picked is not None:
            return replace(data, kind=DataKind.ARRAY, schema=Schema(picked, False), name=None,
                           reads=frozenset().union(*(c.lineage for c in picked)), is_mask=False)
        return replace(data, kind=DataKind.ARRAY, schema=UNKNOWN_SCHEMA, name=None, reads=frozenset(),
                       is_mask=False, stats=data.stats + selections_in(key.items[1]))
    return replace(data, kind=DataKind.ARRAY, schema=UNKNOWN_SCHEMA, name=None, reads=lineage_of(data),
                   is_mask=False, stats=data.stats + selections_in(key))


def positional_lineage(value: Value, count: int) -> list[frozenset[str]] | None:
    """Each column's own lineage when ``value`` has ``count`` known columns in order (a frame, or a
    column-wise transformer's output: ``df[cols] = OrdinalEncoder().fit_transform(df[cols])``)."""
    if isinstance(value, Data) and not value.schema.open and len(value.schema.columns) == count and count > 1:
        return [column.lineage for column in value.schema.columns]
    return None


def selections_in(key: Value) -> tuple[Statistic, ...]:
    """Column keys chosen by a fitted selector (``X.loc[:, selector.get_support()]``)."""
    items = key.items if isinstance(key, Seq) else (key,)
    return tuple(k for k in items if isinstance(k, Statistic) and k.kind is StatisticKind.SELECTION)


def accessor_getitem(ctx: CallContext, accessor: Accessor, keys: list[Value]) -> Value:
    data = accessor.data
    if accessor.kind in ("str", "dt", "cat"):
        return replace(data, kind=DataKind.SERIES, reads=lineage_of(data), is_mask=False)
    if accessor.kind not in ("loc", "iloc"):
        return TOP
    rows = keys[0] if keys else TOP
    cols = keys[1] if len(keys) > 1 else None
    result = data
    if not is_full_slice(rows):
        result = select_rows(ctx, result, rows, f"{accessor.kind}[...]", mlinspect=False)
    if cols is not None and not is_full_slice(cols) and result.kind is DataKind.FRAME:
        names = const_strings(cols) if accessor.kind == "loc" else None
        picked = positional_columns(result.schema, cols) if accessor.kind == "iloc" else None
        if picked is not None:   # df.iloc[:, :-1] of known columns: those columns
            if isinstance(cols, Const):
                return series_of(result, picked[0].name)
            names = [c.name for c in picked]
        if names is not None:
            single = isinstance(cols, Const)
            node = ctx.emit(Operator.PROJECTION, f"to {names}", parents_of(result), visible=False, columns=names)
            if single:
                return series_of(result, names[0], (node,))
            return derived(result, node, result.schema.project(names), reads=frozenset())
        # columns by position or by a mask: which ones is unknown, so is their lineage
        return replace(result, kind=DataKind.FRAME, schema=UNKNOWN_SCHEMA, name=None, reads=frozenset(),
                       is_mask=False, stats=result.stats + selections_in(cols))
    return result


# -- assignment --------------------------------------------------------------------------------
def data_setitem(ctx: CallContext, data: Data, keys: list[Value], value: Value) -> Value | None:
    if data.kind is not DataKind.FRAME or len(keys) != 1:
        return replace(data, reads=data.reads | lineage_of(value), is_mask=False, stats=data.stats + stats_of(value))
    key = keys[0]
    names = const_strings(key)
    if names is None:
        if isinstance(key, Data):   # df[mask] = value: values change, columns stay
            return derived(data, None, stats=data.stats + stats_of(value))
        return replace(data, schema=data.schema.widened(), name=None, is_mask=False,
                       stats=data.stats + stats_of(value))
    schema = data.schema
    lineage = lineage_of(value) if not isinstance(value, (Lambda,)) else frozenset()
    by_position = positional_lineage(value, len(names))
    for index, name in enumerate(names):
        schema = schema.with_column(name, by_position[index] if by_position is not None else lineage)
    # mlinspect: the code reference is the whole assignment
    node = ctx.emit(Operator.PROJECTION_MODIFY, f"modifies {names}", parents_of(data),
                    ModifyInfo(modifies=tuple(names)), visible=isinstance(key, Const), at=ctx.statement_site,
                    schema=schema)
    node.schema = schema
    return derived(data, node, schema, stats=data.stats + stats_of(value))


def accessor_setitem(ctx: CallContext, accessor: Accessor, keys: list[Value], value: Value) -> Value | None:
    data = accessor.data
    if data.kind is not DataKind.FRAME:
        return None
    cols = const_strings(keys[1]) if len(keys) > 1 and accessor.kind == "loc" else None
    if cols is None:
        return replace(data, name=None, is_mask=False, stats=data.stats + stats_of(value))
    schema = data.schema
    for column in cols:
        schema = schema.with_column(column, lineage_of(value) | (
            data.schema.get(column).lineage if data.schema.get(column) else frozenset()))
    reads = lineage_of(keys[0]) if keys and isinstance(keys[0], Data) else frozenset()
    node = ctx.emit(Operator.PROJECTION_MODIFY, f"modifies {cols}", parents_of(data),
                    ModifyInfo(modifies=tuple(cols), reads=reads), visible=False, at=ctx.statement_site,
                    schema=schema)
    return derived(data, node, schema, stats=data.stats + stats_of(value))

"""Models of DataFrame / Series / ndarray methods, one per effect of ``knowledge.pandas_ops``.

The name -> effect tables (``FRAME_METHODS``, ``SERIES_METHODS``, ``ARRAY_METHODS``)
say what a method does to rows and columns; each handler here applies one effect
to the receiver's abstract value and emits the plan node mlinspect would record
(with its description template) or a hidden one.  A method the tables do not
list gets :func:`stub_typed_unknown`: the result type pandas-stubs promises, with
nothing known about its rows.  Joins live in ``combine``, ``groupby`` in ``groupby``.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..domains.data_ops import arg, const_str, const_strings, is_true, lineage_of, parents_of, python_value, \
    series_of, stats_of
from ..domains.schema import UNKNOWN_SCHEMA, Schema
from ..domains.values import TOP, Const, Data, DataKind, DictV, Lambda, Statistic, StatisticKind, UserFunction, Value
from ..knowledge.pandas_stubs import ResultKind, has_inplace, result_kinds
from ..plan import ModifyInfo, Operator, ProjectionInfo, RowFilter, SelectionInfo, UnknownInfo
from .context import CallContext, Rebind
from .data_values import ALL_DATA, FRAME, FRAME_SERIES, SERIES, along_rows, data_method, derived, narrowed, plain
from .registration import Family, HandlerTable

handlers = HandlerTable()

_QUERY_KEYWORDS = frozenset({"and", "or", "not", "in", "is", "True", "False", "None", "index", "inf", "nan"})
_IDENTIFIER = re.compile(r"`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*)")


def _method(families, *effects):
    return data_method(handlers, families, *effects)


def _mlinspect_ok(kwargs: dict[str, Value]) -> bool:
    return not is_true(kwargs.get("inplace"))


def stub_typed_unknown(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """A method our table does not know: its result *type* comes from pandas-stubs, its meaning stays unknown.

    The UNKNOWN node keeps the data flow connected; the value keeps the
    kind the stubs promise but an open schema and unknown rows, so no rule
    can rest a finding on it.
    """
    name = ctx.name
    owner = {DataKind.FRAME: "DataFrame", DataKind.SERIES: "Series"}.get(data.kind)
    kinds = result_kinds(owner, name) if owner is not None else None
    unknown_node = ctx.emit(Operator.UNKNOWN, f".{name}()", parents_of(data, *args, *kwargs.values()),
                            UnknownInfo(method=name), visible=False, rows=None)
    if kinds is not None and len(kinds) == 1:
        (kind,) = kinds
        if kind is ResultKind.NONE or (is_true(kwargs.get("inplace")) and has_inplace(owner, name)):
            return Const(None)
        target = {ResultKind.DATAFRAME: DataKind.FRAME, ResultKind.SERIES: DataKind.SERIES,
                  ResultKind.NDARRAY: DataKind.ARRAY}.get(kind)
        if target is not None:
            # which columns an unknown method reads is unknown: a series' own column at most
            return Data(kind=target, nodes=(unknown_node,), schema=UNKNOWN_SCHEMA, prov=None, name=None,
                        reads=lineage_of(data) if data.kind is DataKind.SERIES else frozenset(), is_mask=False,
                        stats=data.stats)
    return TOP


@handlers.register(Family.FRAME, "pipe")
@handlers.register(Family.SERIES, "pipe")
def pipe(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``df.pipe(f, *args)`` is ``f(df, *args)``."""
    return ctx.call(args[0], [data] + args[1:], kwargs) if args else TOP


# -- rows -----------------------------------------------------------------------------------
@_method(FRAME_SERIES, "filter_rows")
def filter_rows(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    name = ctx.name
    reads: frozenset[str] = frozenset()
    if name in ("dropna", "drop_duplicates"):
        subset = const_strings(kwargs.get("subset", TOP))
        reads = data.schema.lineage_of(subset) if subset is not None else frozenset()
    elif name == "drop" and isinstance(arg(args, kwargs, 0, "labels") or kwargs.get("index"), Data):
        reads = (arg(args, kwargs, 0, "labels") or kwargs.get("index")).reads
    elif name in ("nlargest", "nsmallest"):
        ordered_by = const_strings(arg(args, kwargs, 1, "columns") or TOP)
        reads = data.schema.lineage_of(ordered_by) if ordered_by is not None else frozenset()
    dropped = arg(args, kwargs, 0, "labels") or kwargs.get("index") if name == "drop" else None
    node = ctx.emit(Operator.SELECTION, name, parents_of(data, dropped),
                    SelectionInfo(filter=RowFilter(name), reads=reads, replace=is_true(kwargs.get("replace"))),
                    visible=(name == "dropna" and data.kind is DataKind.FRAME and _mlinspect_ok(kwargs)),
                    schema=data.schema)
    return narrowed(data, node)


def _strip_literals(expression: str) -> str:
    return re.sub(r"'[^']*'|\"[^\"]*\"|@[A-Za-z_][A-Za-z0-9_]*", " ", expression)


@_method(FRAME, "query")
def query(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    expression = const_str(arg(args, kwargs, 0, "expr") or TOP)
    reads: frozenset[str] = frozenset()
    if expression is not None:
        words = {m.group(1) or m.group(2) for m in _IDENTIFIER.finditer(_strip_literals(expression))}
        words -= _QUERY_KEYWORDS
        known = [w for w in words if w in data.schema.names or data.schema.open]
        reads = data.schema.lineage_of(w for w in known if w in data.schema.names or w in words)
        reads = frozenset(r for r in reads if r in data.schema.lineage or data.schema.open)
    node = ctx.emit(Operator.SELECTION, f"query: {expression}" if expression else "query", parents_of(data),
                    SelectionInfo(filter=RowFilter.QUERY, reads=reads), visible=False, schema=data.schema)
    return narrowed(data, node)


# -- values ---------------------------------------------------------------------------------
@_method(FRAME, "replace")
def replace_values(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    if len(args) >= 2 and not isinstance(args[0], DictV) and data.kind is DataKind.FRAME:
        description = f"Replace '{plain(args[0])}' with '{plain(args[1])}'"
        mlinspect = _mlinspect_ok(kwargs)
    else:
        description, mlinspect = "replace", False
    node = ctx.emit(Operator.PROJECTION_MODIFY, description, parents_of(data), visible=mlinspect,
                    schema=data.schema)
    return derived(data, node)


@_method(FRAME_SERIES, "fillna")
def fillna(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    value = arg(args, kwargs, 0, "value") or TOP
    stats = data.stats + stats_of(value) if not isinstance(value, DictV) else \
        data.stats + stats_of(*value.values)
    if data.kind is DataKind.SERIES:
        return replace(data, is_mask=False, stats=stats)
    node = ctx.emit(Operator.PROJECTION_MODIFY, "fillna", parents_of(data), visible=False, schema=data.schema)
    return derived(data, node, stats=stats)


def argument_stats(ctx: CallContext, args: list[Value], kwargs: dict[str, Value]) -> tuple[Statistic, ...]:
    """Statistics the arguments bring in, including those a function argument refers to
    (``s.apply(lambda x: x if x < 170 else high_mean)``)."""
    values = [*args, *kwargs.values()]
    captured = [s for v in values if isinstance(v, (Lambda, UserFunction)) for s in ctx.captured_statistics(v)]
    return stats_of(*values, *captured)


@_method(FRAME, "modify_values")
def modify_values(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    node = ctx.emit(Operator.PROJECTION_MODIFY, ctx.name, parents_of(data), visible=False, schema=data.schema)
    return derived(data, node, stats=data.stats + argument_stats(ctx, args, kwargs))


@_method(FRAME, "apply")
def apply(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    axis = kwargs.get("axis")
    if isinstance(axis, Const) and axis.value in (1, "columns"):
        return replace(data, kind=DataKind.SERIES, schema=UNKNOWN_SCHEMA, name=None,
                       reads=_row_function_reads(ctx, data, args[0] if args else kwargs.get("func")), is_mask=False)
    return modify_values(ctx, data, args, kwargs)


def _row_function_reads(ctx: CallContext, data: Data, func: Value | None) -> frozenset[str]:
    """Columns ``df.apply(f, axis=1)`` computes from: what ``f`` reads of its row (``row["text"]``).

    The function is run with the frame standing for its row, only to see which columns it reads;
    what it computes over that stand-in (``row.mean()`` is per row) is not kept.  When that does not
    tell (a function we cannot run, ``row.loc["a"]``), which columns it reads is unknown: no definite
    lineage, rather than "every column of the row" (which would include a label next to it)."""
    if isinstance(func, (Lambda, UserFunction)):
        start = ctx.next_node_id
        result = ctx.call(func, [data], {})
        if isinstance(result, Data):
            return result.reads if result.kind is not DataKind.FRAME else lineage_of(result)
        if isinstance(result, Statistic):
            return result.reads
        # the result is unknown (``re.sub(p, " ", row["text"])``): the columns it picked from its row
        picked = [name for i in range(start, ctx.next_node_id)
                  if (node := ctx.node(i)).operator is Operator.PROJECTION and node.view.columns
                  for name in node.view.columns]
        if picked and all(data.schema.open or data.schema.get(name) is not None for name in picked):
            return data.schema.lineage_of(picked)
    return frozenset()


@_method(SERIES, "series_modify")
def series_modify(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return replace(data, reads=lineage_of(data), is_mask=False, stats=data.stats + argument_stats(ctx, args, kwargs))


@_method(SERIES, "shift")
def shift(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``s.shift(n)``: each row gets the value of a row ``n`` earlier.  Past values of a column are
    not that column (a lagged target is a forecasting feature, not the label): the lineage is marked
    as past; ``shift(-n)`` brings later rows' values and keeps it."""
    periods = arg(args, kwargs, 0, "periods") or Const(1)
    result = series_modify(ctx, data, args, kwargs)
    if isinstance(periods, Const) and isinstance(periods.value, int) and periods.value > 0:
        return replace(result, reads=frozenset(past(name) for name in result.reads))
    return result


def past(column: str) -> str:
    """Lineage name of earlier rows' values of ``column``."""
    return column if column.endswith(PAST_MARK) else column + PAST_MARK


PAST_MARK = " (earlier rows)"


@_method(SERIES, "mask")
def mask(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return replace(data, kind=DataKind.SERIES, reads=lineage_of(data) | frozenset().union(
        *(lineage_of(a) for a in args)), is_mask=True)


@_method(FRAME, "elementwise_mask")
def elementwise_mask(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return replace(data, reads=lineage_of(data), is_mask=True)


# -- columns --------------------------------------------------------------------------------
@_method(FRAME, "drop")
def drop(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    axis = kwargs.get("axis", args[1] if len(args) > 1 else None)
    by_columns = "columns" in kwargs or (isinstance(axis, Const) and axis.value in (1, "columns"))
    if not by_columns:
        return filter_rows(ctx.renamed("drop"), data, args, kwargs)
    names = const_strings(kwargs.get("columns", arg(args, kwargs, 0, "labels") or TOP))
    schema = data.schema.without(names) if names is not None else data.schema.widened()
    node = ctx.emit(Operator.PROJECTION, f"drop {names}" if names is not None else "drop", parents_of(data),
                    ProjectionInfo(dropped=tuple(names) if names is not None else None), visible=False,
                    schema=schema)
    return derived(data, node, schema)


@_method(FRAME, "rename")
def rename(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    mapping = kwargs.get("columns", args[0] if args and data.kind is DataKind.FRAME else None)
    if isinstance(mapping, DictV):
        pairs = {python_value(k): python_value(v) for k, v in zip(mapping.keys, mapping.values)}
        if all(isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()):
            schema = data.schema.renamed(pairs)
        else:
            schema = data.schema.widened()
    elif data.kind is DataKind.FRAME and ("columns" in kwargs or args):
        schema = Schema((), True) if not isinstance(mapping, DictV) else data.schema
    else:
        return data
    node = ctx.emit(Operator.PROJECTION_MODIFY, "rename", parents_of(data), visible=False, schema=schema)
    return derived(data, node, schema)


@_method(FRAME, "assign")
def assign(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    schema = data.schema
    stats = data.stats
    for column, value in kwargs.items():
        if isinstance(value, (Lambda, UserFunction)):   # assign(c=lambda d: ...) is called with the frame
            value = ctx.call(value, [data], {})
        lineage = lineage_of(value)
        schema = schema.with_column(column, lineage)
        stats = stats + stats_of(value)
    node = ctx.emit(Operator.PROJECTION_MODIFY, f"assign {list(kwargs)}", parents_of(data),
                    ModifyInfo(modifies=tuple(kwargs)), visible=False, schema=schema)
    return derived(data, node, schema, stats=stats)


@_method(FRAME, "update")
def update(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value | Rebind:
    """``df.update(other)``: other's values overwrite df's in place, aligned on the index; no rows or
    columns are added, so df keeps its rows and columns and gains other's lineage and statistics."""
    other = arg(args, kwargs, 0, "other")
    if not isinstance(other, Data):
        return Rebind(data, Const(None))
    schema = data.schema
    changed = [c for c in other.schema.columns if schema.get(c.name) is not None]
    for column in changed:
        schema = schema.with_column(column.name, schema.get(column.name).lineage | column.lineage)
    node = ctx.emit(Operator.PROJECTION_MODIFY, "update", parents_of(data, other),
                    ModifyInfo(modifies=tuple(c.name for c in changed)), visible=False, schema=schema)
    return Rebind(derived(data, node, schema, reads=data.reads | (other.reads if other.schema.open else frozenset()),
                          stats=data.stats + other.stats), Const(None))


@_method(FRAME, "pop")
def pop(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value | Rebind:
    """``df.pop("y")``: the column, and the frame loses it."""
    column = const_str(args[0]) if args else None
    # a column we cannot name: a series over the same rows whose lineage is unknown (so: none definite)
    result = series_of(data, column) if column is not None else Data(
        DataKind.SERIES, data.nodes, UNKNOWN_SCHEMA, data.prov, None, frozenset(), False, data.stats)
    removed = const_str(arg(args, kwargs, 0, "item") or TOP)
    return Rebind(derived(data, None, data.schema.widened() if removed is None else data.schema.without([removed])),
                  result)


@_method(FRAME, "insert")
def insert(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value | Rebind:
    """``df.insert(0, "c", values)``: the frame gains the column."""
    column = const_str(arg(args, kwargs, 1, "column") or TOP)
    changed = data.schema.widened() if column is None else \
        data.schema.with_column(column, lineage_of(arg(args, kwargs, 2, "value") or TOP))
    return Rebind(derived(data, None, changed), Const(None))


@_method(FRAME, "unknown_columns")
def unknown_columns(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``df.melt(...)``, ``df.T``, ``df.filter(like=...)``: the same rows' values, in columns we cannot name
    (so with no definite lineage)."""
    return replace(data, schema=UNKNOWN_SCHEMA, name=None, reads=frozenset(), is_mask=False)


@handlers.register(Family.PANDAS, "reshape_fn")
def reshape_function(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``pd.melt(df, ...)``, ``pd.wide_to_long(df, ...)``: a reshape of ``df``'s rows."""
    frame = arg(args, kwargs, 0, "frame") or arg(args, kwargs, 0, "df") or arg(args, kwargs, 0, "data")
    if isinstance(frame, Data) and frame.kind is DataKind.FRAME:
        return unknown_columns(ctx, frame, args[1:], kwargs)
    return ctx.unknown(f"pandas.{ctx.name}", args + list(kwargs.values()))


@_method(FRAME, "same_columns")
def same_columns(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return data


@_method(ALL_DATA, "same")
def same(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    if ctx.name == "reset_index" and data.kind is DataKind.SERIES:
        return replace(data, kind=DataKind.FRAME, schema=data.schema.widened(), name=None, is_mask=False)
    return replace(data)


@_method(FRAME, "reindex")
def reindex(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``reindex(columns=...)`` aligns the columns: separately made dummies now line up."""
    columns = kwargs.get("columns")
    if columns is None:
        return same(ctx, data, args, kwargs)
    names = const_strings(columns)
    other = columns if isinstance(columns, Data) else None
    schema = data.schema.project(names) if names is not None else (
        other.schema if other is not None and other.kind is DataKind.FRAME else UNKNOWN_SCHEMA)
    stats = tuple(s for s in data.stats if s.kind is not StatisticKind.ENCODING)
    if other is not None:
        stats += tuple(s for s in other.stats if s.kind is StatisticKind.ENCODING)
    return derived(data, None, schema, stats=stats)


@_method(FRAME, "set_index")
def set_index(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    keys = const_strings(arg(args, kwargs, 0, "keys") or TOP)
    drop_ = kwargs.get("drop")
    if keys is None:
        return unknown_columns(ctx, data, args, kwargs)
    if isinstance(drop_, Const) and drop_.value is False:
        return same(ctx, data, args, kwargs)
    return derived(data, None, data.schema.without(keys))


# -- results of another type ----------------------------------------------------------------
#: reductions whose first positional parameter is ``axis`` (``df.sum(1)``); ``quantile(q)`` is not one
_AXIS_FIRST = frozenset({"mean", "median", "std", "var", "sum", "min", "max", "mode", "count", "nunique", "skew",
                         "kurt", "kurtosis", "prod", "sem", "idxmax", "idxmin"})


@_method(ALL_DATA, "statistic")
def statistic(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    if data.kind is not DataKind.SERIES and along_rows(args if ctx.name in _AXIS_FIRST else [], kwargs):
        # df[["a", "b"]].sum(axis=1): one value per row from that row's columns, not a statistic over rows
        return replace(data, kind=DataKind.SERIES if data.kind is DataKind.FRAME else DataKind.ARRAY,
                       schema=UNKNOWN_SCHEMA, name=None, reads=lineage_of(data), is_mask=False)
    return Statistic(ctx.name, data.prov, lineage_of(data), ctx.site)



@_method(FRAME_SERIES, "category_statistic")
def category_statistic(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``value_counts()``: which categories there are and how often (frequent-category lists,
    frequency encodings): a category-only statistic, like an encoder's fit, so not a leak of values
    before a split (ML101), but one re-computed on test rows codes them differently (ML302)."""
    return Statistic(ctx.name, data.prov, lineage_of(data), ctx.site, learned=False, categories=True)


@_method(FRAME_SERIES, "to_array")
def to_array(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return replace(data, kind=DataKind.ARRAY, reads=lineage_of(data))


@_method(SERIES, "to_frame")
def to_frame(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return replace(data, kind=DataKind.FRAME, name=None, is_mask=False)


@_method(ALL_DATA, "sink")
def sink(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return TOP

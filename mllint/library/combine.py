"""Models of the calls that combine tables: ``pd.concat``, ``merge`` (function and method), ``join``.

Combining is where rows of different sources meet, so these models compute the
merged schema (pandas' column order and suffixes), the union of the row
provenances, and whether the same rows are stacked twice (duplication).  A
statistic joined in from another table is a lookup, not a statistic over these
rows (:func:`_lookup_stats`).
"""
from __future__ import annotations

from dataclasses import replace

from ..domains.data_ops import arg, const_str, const_strings, is_true, lineage_of, parents_of, python_value, stats_of
from ..domains.provenance import Provenance
from ..domains.schema import Column, Schema, concat_schemas, merge_schemas
from ..domains.values import Const, Data, DataKind, Seq, SeqKind, Statistic, TOP, Value
from ..plan import ConcatInfo, JoinInfo, Operator
from .context import CallContext
from .data_values import FRAME, data_method, plain
from .registration import Family, HandlerTable

handlers = HandlerTable()


@handlers.register(Family.PANDAS, "concat")
def concat(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    parts = ctx.iterate(arg(args, kwargs, 0, "objs") or TOP)
    if not parts or not all(isinstance(p, Data) for p in parts):
        return ctx.unknown("pandas.concat", parts or args)
    axis = arg(args, kwargs, 1, "axis")
    by_columns = isinstance(axis, Const) and axis.value in (1, "columns")
    if by_columns:
        columns: list[Column] = []
        for part in parts:
            columns.extend(part.schema.columns if part.kind is DataKind.FRAME else
                           (Column(part.name or "0", part.reads),))
        schema = Schema(tuple(columns), any(p.schema.open for p in parts if p.kind is DataKind.FRAME))
    else:
        schema = concat_schemas([p.schema for p in parts])
    prov = parts[0].prov
    for part in parts[1:]:
        prov = prov.union(part.prov) if prov is not None else None
    # rows of the same source stacked twice (df with a subset of itself): duplication
    duplicates = not by_columns and any(
        a.prov is not None and b.prov is not None and a.prov.covers_any(b.prov) and not _other_views(a, b)
        for i, a in enumerate(parts) for b in parts[i + 1:])
    node = ctx.emit(Operator.CONCATENATION, "concat (columns)" if by_columns else "concat", parents_of(*parts),
                    ConcatInfo(duplicates_rows=bool(duplicates), call=ctx.site), visible=False, schema=schema)
    return Data(kind=DataKind.FRAME, nodes=(node,), schema=schema, prov=prov, name=None,
                reads=frozenset().union(*(unnamed_lineage(p) for p in parts)), is_mask=False, stats=stats_of(*parts))


def _other_views(a: Data, b: Data) -> bool:
    """Two parts over the same rows whose same-named columns hold different values (a games table as
    winner / loser views, a molecule table and its mirror): stacking them reshapes, it does not copy."""
    if a.kind is not DataKind.FRAME or b.kind is not DataKind.FRAME:
        return False
    return any(column.lineage != other.lineage for column in a.schema.columns
               if (other := b.schema.get(column.name)) is not None)


@data_method(handlers, FRAME, "append_rows")
def append_rows(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``df.append(other)`` (pandas < 2): ``pd.concat([df, other])``; ``other`` may be a list of frames."""
    other = arg(args, kwargs, 0, "other")
    if other is None:
        return ctx.unknown(".append()", [data])
    more = ctx.iterate(other) if not isinstance(other, Data) else [other]
    if more is None:
        return ctx.unknown(".append()", [data, other])
    return concat(ctx, None, [Seq((data, *more), SeqKind.LIST)], {})


@handlers.register(Family.PANDAS, "merge_fn")
def merge_function(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``pd.merge(left, right, ...)``: mlinspect does not instrument the function form."""
    if len(args) >= 2 and isinstance(args[0], Data):
        return merge(ctx, args[0], args[1:], kwargs, mlinspect=False)
    return ctx.unknown(f"pandas.{ctx.name}", args + list(kwargs.values()))


@data_method(handlers, FRAME, "merge")
def merge_method(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return merge(ctx, data, args, kwargs, mlinspect=True)


@data_method(handlers, FRAME, "join")
def join(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value:
    right = arg(args, kwargs, 0, "other")
    if not isinstance(right, Data):
        return ctx.unknown(".join()", [data, right or TOP])
    suffixes = (const_str(kwargs.get("lsuffix", TOP)) or "", const_str(kwargs.get("rsuffix", TOP)) or "")
    schema = merge_schemas(data.schema, right.schema, [], [], suffixes)
    how = const_str(kwargs.get("how", TOP)) or "left"
    prov = joined_rows(data, right, how)
    node = ctx.emit(Operator.JOIN, "join", parents_of(data, right), JoinInfo(how=how), visible=False,
                    schema=schema, rows=prov)
    return Data(kind=DataKind.FRAME, nodes=(node,), schema=schema, prov=prov, name=None,
                reads=unnamed_lineage(data) | unnamed_lineage(right), is_mask=False, stats=data.stats + right.stats)


def unnamed_lineage(value: Data) -> frozenset[str]:
    """What a frame's columns beyond its named ones come from (its ``reads``); the named columns
    carry their own lineage in the schema.  Other data: all of its lineage."""
    return value.reads if value.kind is DataKind.FRAME else lineage_of(value)


def joined_rows(left: Data, right: Data, how: str) -> Provenance | None:
    """Rows of a join: a left join keeps the left rows (the right side is a lookup that adds
    columns: ``valid.merge(train_stats, on="shop", how="left")`` holds validation rows only), a
    right join the right rows; inner and outer joins pair rows of both."""
    if how == "left":
        return left.prov
    if how == "right":
        return right.prov
    return left.prov.union(right.prov) if left.prov is not None and right.prov is not None else None


def merge(ctx: CallContext, left: Data, args: list[Value], kwargs: dict[str, Value], *, mlinspect: bool) -> Value:
    right = arg(args, kwargs, 0, "right")
    if not isinstance(right, Data):
        return ctx.unknown(".merge()", [left, right or TOP])
    on = kwargs.get("on", args[2] if len(args) > 2 else None)
    left_on, right_on = kwargs.get("left_on"), kwargs.get("right_on")
    on_names = const_strings(on) if on is not None else None
    left_keys = on_names or const_strings(left_on or TOP) or []
    right_keys = on_names or const_strings(right_on or TOP) or []
    if on is None and left_on is None and not kwargs.get("left_index") and not kwargs.get("right_index"):
        shared = [n for n in left.schema.names if n in right.schema.names]
        left_keys = right_keys = shared
    suffix_value = python_value(kwargs.get("suffixes", TOP))
    suffixes = tuple(suffix_value) if isinstance(suffix_value, (list, tuple)) and len(suffix_value) == 2 \
        and all(isinstance(s, str) for s in suffix_value) else ("_x", "_y")
    schema = merge_schemas(left.schema, right.schema, left_keys, right_keys, suffixes)
    how = const_str(kwargs.get("how", TOP))
    description = _merge_description(kwargs)
    prov = joined_rows(left, right, how or "inner")
    node = ctx.emit(Operator.JOIN, description, parents_of(left, right),
                    JoinInfo(how=how or "inner", keys=(left_keys, right_keys)),
                    visible=mlinspect and description is not None, schema=schema, rows=prov)
    return Data(kind=DataKind.FRAME, nodes=(node,), schema=schema, prov=prov,
                name=None, reads=unnamed_lineage(left) | unnamed_lineage(right), is_mask=False,
                stats=_lookup_stats(left.stats, right.prov) + _lookup_stats(right.stats, left.prov))


def _lookup_stats(stats: tuple[Statistic, ...], other: Provenance | None) -> tuple[Statistic, ...]:
    """Statistics joined in from another table are lookups, not statistics over the other side's rows.

    ``customers.merge(orders.groupby("customer_id").agg(...), on="customer_id")`` gives each
    customer a summary of *its own* orders: it mixes no customer rows.  A statistic over the
    same rows it is joined back into (``df.merge(df.groupby("city").agg(...))``) stays one.
    """
    if other is None:
        return stats
    out = []
    for stat in stats:
        same_rows = stat.prov is not None and any(
            mine.source == theirs.source for mine in stat.prov.origins for theirs in other.origins)
        out.append(stat if same_rows or not stat.learned or stat.estimator is not None else
                   replace(stat, learned=False))
    return tuple(out)


def _merge_description(kwargs: dict[str, Value]) -> str | None:
    """mlinspect's merge description; None where mlinspect's own code would fail."""
    if "on" in kwargs:
        description: str | None = f"on '{plain(kwargs['on'])}'"
    elif ("left_on" in kwargs or is_true(kwargs.get("left_index"))) and \
            ("right_on" in kwargs or is_true(kwargs.get("right_index"))):
        left = f"'{plain(kwargs['left_on'])}'" if "left_on" in kwargs else "left_index"
        right = f"'{plain(kwargs['right_on'])}'" if "right_on" in kwargs else "right_index"
        description = f"on {left} == {right}"
    else:
        return None
    if "how" in kwargs:
        description += f" ({plain(kwargs['how'])})"
    return description

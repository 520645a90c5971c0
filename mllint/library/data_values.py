"""What the pandas / numpy models share: deriving a data value from another, selecting rows, in-place calls.

Most pandas operations give "the same rows and columns, changed a little": the
helpers here build that value with :func:`dataclasses.replace`, so each model
states only what it changes.  Selecting rows also gives the rows a new
provenance step (the selection node), which is what the split and leakage rules
follow.  ``inplace=True`` is one rule for every data method, so it is applied
by the registration decorator :func:`data_method`, not by each handler.
"""
from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any, Callable, Iterable

from ..domains.data_ops import is_true, lineage_of, parents_of, python_value, stats_of
from ..domains.schema import Column, Schema
from ..domains.values import Const, Data, FoldIndex, Seq, SeqKind, Value
from ..plan import Operator, RowFilter, SelectionInfo
from .context import CallContext, Rebind
from .registration import Family, Handler, HandlerTable


def derived(data: Data, node: Any, schema: Schema | None = None, **changes: Any) -> Data:
    """``data`` after an operation that made plan node ``node`` (None: no node): not a mask any more."""
    values: dict[str, Any] = dict(nodes=(node,) if node is not None else data.nodes,
                                  schema=data.schema if schema is None else schema, is_mask=False)
    values.update(changes)
    return replace(data, **values)


def narrowed(data: Data, node: Any, **changes: Any) -> Data:
    """Rows selected from ``data``: the provenance gains a row step for the selection node."""
    prov = data.prov.split(node.id, "rows") if data.prov is not None else None
    node.provenance = prov
    return derived(data, node, prov=prov, **changes)


def select_rows(ctx: CallContext, data: Data, key: Value, description: str | None, *, mlinspect: bool) -> Data:
    """``data[key]`` where the key picks rows: a fold index, a slice, or a boolean mask."""
    if isinstance(key, FoldIndex):   # X[train_idx] inside `for train_idx, test_idx in kf.split(X)`
        prov = data.prov.split(key.split_id, key.side) if data.prov is not None else None
        return derived(data, None, prov=prov)
    if isinstance(key, Seq) and key.kind is SeqKind.SLICE:
        bounds = tuple(python_value(b) for b in key.items)
        node = ctx.emit(Operator.SELECTION, description or f"slice {slice_text(bounds)}", parents_of(data),
                        SelectionInfo(filter=RowFilter.SLICE, bounds=bounds), visible=False, schema=data.schema)
        return narrowed(data, node)
    reads = lineage_of(key) if isinstance(key, Data) else frozenset()
    node = ctx.emit(Operator.SELECTION, description or f"Select by Series: {ctx.code}", parents_of(data),
                    SelectionInfo(filter=RowFilter.MASK, reads=reads), visible=mlinspect, schema=data.schema)
    return narrowed(data, node, stats=data.stats + stats_of(key))


def is_full_slice(value: Value) -> bool:
    """``:``, and its spellings ``0:``, ``::1``, ``0::``: every row (or column)."""
    if not (isinstance(value, Seq) and value.kind is SeqKind.SLICE and len(value.items) == 3
            and all(isinstance(v, Const) for v in value.items)):
        return False
    start, stop, step = (v.value for v in value.items)
    return start in (None, 0) and stop is None and step in (None, 1) and not isinstance(start, bool)


def positional_columns(schema: Schema, key: Value) -> tuple[Column, ...] | None:
    """The columns ``iloc[:, key]`` / ``array[:, key]`` picks when the schema is closed and the key
    is a literal position, slice or list of positions; None when which ones is not known."""
    if schema.open:
        return None
    columns = schema.columns
    try:
        if isinstance(key, Const) and isinstance(key.value, int) and not isinstance(key.value, bool):
            return (columns[key.value],)
        if isinstance(key, Seq) and key.kind is SeqKind.SLICE:
            bounds = [v.value if isinstance(v, Const) else _UNREAD for v in key.items]
            if _UNREAD in bounds or not all(b is None or (isinstance(b, int) and not isinstance(b, bool))
                                            for b in bounds):
                return None
            return columns[slice(*bounds)]
        if isinstance(key, Seq) and key.kind in (SeqKind.LIST, SeqKind.TUPLE) and key.items and all(
                isinstance(v, Const) and isinstance(v.value, int) and not isinstance(v.value, bool) for v in key.items):
            return tuple(columns[v.value] for v in key.items)
    except IndexError:
        return None
    return None


_UNREAD = object()


def along_rows(args: list[Value], kwargs: dict[str, Value]) -> bool:
    """``axis=1`` / ``axis="columns"`` (or a positional 1 first): a reduction within each row."""
    axis = kwargs.get("axis", args[0] if args else None)
    return isinstance(axis, Const) and axis.value in (1, "columns") and not isinstance(axis.value, bool)


def slice_text(bounds: tuple) -> str:
    lower, upper, step = (("" if b is None else repr(b)) for b in bounds)
    return f"[{lower}:{upper}{':' + step if step else ''}]"


def plain(value: Value) -> str:
    return str(python_value(value))


def in_place(function: Handler) -> Handler:
    """``df.fillna(0, inplace=True)``: the receiver becomes the result, and the call returns None."""
    @functools.wraps(function)
    def handler(ctx: CallContext, data: Data, args: list[Value], kwargs: dict[str, Value]) -> Value | Rebind:
        result = function(ctx, data, args, kwargs)
        if is_true(kwargs.get("inplace")):
            value = result.result if isinstance(result, Rebind) else result
            if isinstance(value, Data):
                return Rebind(value, Const(None))
        return result
    return handler


def data_method(table: HandlerTable, families: Iterable[Family], *effects: str) -> Callable[[Handler], Handler]:
    """Register a DataFrame / Series / ndarray method model (with the ``inplace=`` rule) in ``table``.

    The undecorated function stays the module's name, so one model can call another.
    """
    def decorate(function: Handler) -> Handler:
        wrapped = in_place(function)
        for family in families:
            table.register(family, *effects)(wrapped)
        return function
    return decorate


#: The receiver families a data method model is registered for (as the knowledge tables list the effect).
FRAME = (Family.FRAME,)
SERIES = (Family.SERIES,)
FRAME_SERIES = (Family.FRAME, Family.SERIES)
ALL_DATA = (Family.FRAME, Family.SERIES, Family.ARRAY)

__all__ = ["derived", "narrowed", "select_rows", "is_full_slice", "slice_text", "plain", "data_method",
           "FRAME", "SERIES", "FRAME_SERIES", "ALL_DATA"]

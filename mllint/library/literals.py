"""Models of the methods of literal containers and str constants (``cols.append("x")``, ``"a,b".split(",")``).

Mutating methods return a :class:`~.context.Rebind`: the walker rebinds the
receiver (``cols``) to the changed literal, or to unknown when the change is not modelled.
"""
from __future__ import annotations

from ..domains.data_ops import const_strings
from ..domains.folding import const_or_top, fold_str_method
from ..domains.values import TOP, Const, DictV, Seq, SeqKind, Value, seq_or_top
from .context import CallContext, Rebind
from .registration import Family, HandlerTable

handlers = HandlerTable()
_register = handlers.register


# -- list / tuple / set ----------------------------------------------------------------------
@_register(Family.LIST, "append")
def append(ctx: CallContext, seq: Seq, args: list[Value], kwargs: dict[str, Value]) -> Value | Rebind:
    if len(args) != 1:
        return TOP
    return Rebind(seq_or_top(seq.items + (args[0],), seq.kind), Const(None))


@_register(Family.LIST, "extend")
def extend(ctx: CallContext, seq: Seq, args: list[Value], kwargs: dict[str, Value]) -> Value | Rebind:
    if len(args) != 1:
        return TOP
    more = ctx.iterate(args[0])
    return Rebind(seq_or_top(seq.items + tuple(more), seq.kind) if more is not None else TOP, Const(None))


@_register(Family.LIST, "remove")
def remove(ctx: CallContext, seq: Seq, args: list[Value], kwargs: dict[str, Value]) -> Value | Rebind:
    if len(args) != 1:
        return TOP
    items = list(seq.items)
    if args[0] not in items:
        return Rebind(TOP, Const(None))
    items.remove(args[0])
    return Rebind(Seq(tuple(items), seq.kind), Const(None))


@_register(Family.LIST, "same")
@_register(Family.DICT, "same")
def same(ctx: CallContext, value: Value, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``copy()``, ``tolist()``: the same literal."""
    return value


@_register(Family.LIST, "without")
def without(ctx: CallContext, seq: Seq, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``cols.drop(["y"])`` / ``cols.difference(["y"])`` on a literal list of column names."""
    dropped = const_strings(args[0]) if args else None
    if dropped is None:
        return TOP
    return Seq(tuple(i for i in seq.items if not (isinstance(i, Const) and i.value in dropped)), seq.kind)


@_register(Family.LIST, "mutate_unknown")
@_register(Family.DICT, "mutate_unknown")
def mutate_unknown(ctx: CallContext, value: Value, args: list[Value], kwargs: dict[str, Value]) -> Rebind:
    """A change we do not model: the receiver becomes unknown."""
    return Rebind(TOP, TOP)


# -- dict ---------------------------------------------------------------------------------------
@_register(Family.DICT, "items")
def items(ctx: CallContext, d: DictV, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return Seq(tuple(Seq((k, v), SeqKind.TUPLE) for k, v in zip(d.keys, d.values)))


@_register(Family.DICT, "keys")
def keys(ctx: CallContext, d: DictV, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return Seq(d.keys)


@_register(Family.DICT, "values")
def values(ctx: CallContext, d: DictV, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return Seq(d.values)


@_register(Family.DICT, "get")
def get(ctx: CallContext, d: DictV, args: list[Value], kwargs: dict[str, Value]) -> Value:
    if not args or not isinstance(args[0], Const):
        return TOP
    found = d.get(args[0].value)
    return found if found is not None else (args[1] if len(args) > 1 else Const(None))


# -- str constants --------------------------------------------------------------------------------
@_register(Family.STR, "fold_no_args")
def fold_no_args(ctx: CallContext, text: str, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return Const(getattr(text, ctx.name)()) if not args else TOP


@_register(Family.STR, "fold_with_args")
def fold_with_args(ctx: CallContext, text: str, args: list[Value], kwargs: dict[str, Value]) -> Value:
    if not all(isinstance(a, (Const, Seq)) for a in args):
        return TOP
    plain = [a.value if isinstance(a, Const) else a.constants() for a in args]
    result = fold_str_method(text, ctx.name, plain)
    if result is None:
        return TOP
    if isinstance(result, list):
        return seq_or_top(tuple(Const(r) for r in result))
    return const_or_top(result)

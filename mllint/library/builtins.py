"""Models of Python builtins: containers built from known elements, folded constants, ``max(scores)``."""
from __future__ import annotations

from ..domains.folding import fold_call
from dataclasses import replace

from ..domains.values import TOP, Const, Data, DictV, Folds, Seq, SeqKind, Statistic, Value
from .context import CallContext
from .registration import Family, HandlerTable

handlers = HandlerTable()
_register = handlers.register

_FOLDED = {"str": str, "int": int, "float": float, "bool": bool, "abs": abs, "round": round, "len": len,
           "min": min, "max": max}


@_register(Family.BUILTIN, "container")
def container(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``list(x)``, ``tuple(x)``, ``set(x)``: the elements of ``x`` when known."""
    kind = SeqKind(ctx.name)
    if not args:
        return Seq((), kind)
    items = ctx.iterate(args[0])
    return TOP if items is None else Seq(tuple(items), kind)


@_register(Family.BUILTIN, "sorted")
def sorted_(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    if not args:
        return ctx.unknown("call of sorted", list(kwargs.values()))
    items = ctx.iterate(args[0])
    if items is None:
        return TOP
    constants = Seq(tuple(items)).constants()
    if constants is None:
        return TOP
    try:
        return Seq(tuple(Const(v) for v in sorted(constants)))
    except TypeError:
        return TOP


@_register(Family.BUILTIN, "dict")
def dict_(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return DictV(tuple(Const(k) for k in kwargs), tuple(kwargs.values()))


@_register(Family.BUILTIN, "range")
def range_(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    bounds = [a.value for a in args if isinstance(a, Const) and isinstance(a.value, int)]
    if len(bounds) == len(args) and 1 <= len(bounds) <= 3:
        try:   # folded ints reach 4,096 bits: a range longer than sys.maxsize has no len()
            numbers = range(*bounds)
            count = len(numbers)
        except (ValueError, OverflowError):   # a zero step, or too long
            return TOP
        if count <= 1024:
            return Seq(tuple(Const(i) for i in numbers))
    return TOP


@_register(Family.BUILTIN, "enumerate")
def enumerate_(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    if not args:
        return ctx.unknown("call of enumerate", list(kwargs.values()))
    if isinstance(args[0], Folds):   # for i, (train, test) in enumerate(kf.split(X))
        return TOP if args[0].enumerated else replace(args[0], enumerated=True)
    items = ctx.iterate(args[0])
    return TOP if items is None else Seq(tuple(Seq((Const(i), v), SeqKind.TUPLE) for i, v in enumerate(items)))


@_register(Family.BUILTIN, "zip")
def zip_(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    columns = [ctx.iterate(a) for a in args]
    if not columns or any(c is None for c in columns):
        return TOP
    return Seq(tuple(Seq(tuple(row), SeqKind.TUPLE) for row in zip(*columns)))


@_register(Family.BUILTIN, "min_max")
def min_max(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``max(scores)`` compares candidates; ``max(df)`` is a statistic of the rows; of constants, folded."""
    if not args:
        return ctx.unknown(f"call of {ctx.name}", list(kwargs.values()))
    ctx.compared(args + list(kwargs.values()))
    first = args[0]
    if isinstance(first, Data):
        return ctx.call_method(first, ctx.name, [], {})
    return fold(ctx, None, args, kwargs)


@_register(Family.BUILTIN, "fold")
def fold(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``len("abc")``, ``int("3")``: computed now when the argument is a constant."""
    if not args:
        return ctx.unknown(f"call of {ctx.name}", list(kwargs.values()))
    first = args[0]
    if isinstance(first, Const):
        return fold_call(_FOLDED[ctx.name], first.value)
    if ctx.name == "len" and isinstance(first, Seq):
        return Const(len(first.items))
    if ctx.name in ("int", "float", "abs", "round") and isinstance(first, Statistic):
        return first   # round(df["a"].mean(), 2) is still that mean
    return TOP


@_register(Family.BUILTIN, "none")
def returns_none(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return Const(None)


@_register(Family.BUILTIN, "opaque")
def opaque(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """Introspection and I/O builtins: their value is unknown and no data flows through them."""
    return TOP

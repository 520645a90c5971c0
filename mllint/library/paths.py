"""Models of file-path building: ``os.path.join``, ``pathlib.Path`` and its methods, on constants.

A data source is described by its file name and its CSV header is read when its path is a
constant; real notebooks rarely write the literal itself (``os.path.join(DATA, "train.csv")``,
``Path(DATA) / "train.csv"``), so paths built from constants are folded (``domains.folding``,
bounded like every folded value).  Anything not constant is unknown.
"""
from __future__ import annotations

from pathlib import PurePath

from ..domains.folding import fold_path, fold_path_join, fold_path_method
from ..domains.values import TOP, Const, Value
from .context import CallContext
from .registration import Family, HandlerTable

handlers = HandlerTable()


def _constants(args: list[Value], kwargs: dict[str, Value]) -> list[object] | None:
    if kwargs or not all(isinstance(a, Const) for a in args):
        return None
    return [a.value for a in args]   # type: ignore[union-attr]


@handlers.register(Family.PATH, "join_text")
def join_text(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    parts = _constants(args, kwargs)
    return TOP if parts is None else fold_path_join(parts)


@handlers.register(Family.PATH, "path")
def path(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    parts = _constants(args, kwargs)
    return TOP if parts is None else fold_path(parts)


@handlers.register(Family.PATH, "path_method")
def path_method(ctx: CallContext, receiver: PurePath, args: list[Value], kwargs: dict[str, Value]) -> Value:
    parts = _constants(args, kwargs)
    return TOP if parts is None else fold_path_method(receiver, ctx.name, parts)

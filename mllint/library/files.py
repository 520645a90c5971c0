"""Models of the standard library's file functions: path building on constants, pickled-object loaders.

A data source is described by its file name and its CSV header is read when its path is a
constant; real notebooks rarely write the literal itself (``os.path.join(DATA, "train.csv")``,
``Path(DATA) / "train.csv"``), so paths built from constants are folded (``domains.folding``,
bounded like every folded value).  Anything not constant is unknown.

``pickle.load(f)`` / ``joblib.load(path)`` give back whatever was saved; in notebooks that is
mostly a prepared frame, so it is data of unknown schema whose rows come from one source (an
oversampling of it before a split is still seen), never "no data".
"""
from __future__ import annotations

from pathlib import PurePath

from ..domains.folding import as_path_text, fold_path, fold_path_join, fold_path_method
from ..domains.provenance import Provenance
from ..domains.schema import UNKNOWN_SCHEMA
from ..domains.values import TOP, Const, Data, DataKind, Value
from ..plan import Operator, SourceInfo
from .context import CallContext
from .registration import Family, HandlerTable

handlers = HandlerTable()


def _constants(args: list[Value], kwargs: dict[str, Value]) -> list[object] | None:
    if kwargs or not all(isinstance(a, Const) for a in args):
        return None
    return [a.value for a in args]   # type: ignore[union-attr]


@handlers.register(Family.FILE, "join_text")
def join_text(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    parts = _constants(args, kwargs)
    return TOP if parts is None else fold_path_join(parts)


@handlers.register(Family.FILE, "path")
def path(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    parts = _constants(args, kwargs)
    return TOP if parts is None else fold_path(parts)


@handlers.register(Family.FILE, "path_method")
def path_method(ctx: CallContext, receiver: PurePath, args: list[Value], kwargs: dict[str, Value]) -> Value:
    parts = _constants(args, kwargs)
    return TOP if parts is None else fold_path_method(receiver, ctx.name, parts)


@handlers.register(Family.FILE, "load")
def load(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    first = args[0] if args else None
    path = as_path_text(first.value) if isinstance(first, Const) and not ctx.name.endswith("loads") else None
    node = ctx.emit(Operator.DATA_SOURCE, path.replace("\\", "/").split("/")[-1] if path else ctx.name, [],
                    SourceInfo(function=ctx.name, path=path), visible=False)
    return Data(kind=DataKind.FRAME, nodes=(node,), schema=UNKNOWN_SCHEMA, prov=Provenance.of_source(node.id))

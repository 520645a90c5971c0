"""Helpers shared by the pandas, numpy and scikit-learn transfer functions."""
from __future__ import annotations

from typing import Iterable

from .schema import Schema
from .values import SeqKind, DataKind, TOP, Const, Data, DictV, Seq, Statistic, Value


def parents_of(*values: Value | None) -> list:
    """The plan nodes behind data values (in order, without duplicates)."""
    nodes: list = []
    for value in values:
        if isinstance(value, Data):
            for node in value.nodes:
                if node not in nodes:
                    nodes.append(node)
    return nodes


def columns_of(value: Value) -> list[str]:
    """Column names the way mlinspect prints them: a frame's columns, a series' name, 'array'."""
    if isinstance(value, Data):
        if value.kind is DataKind.FRAME:
            return list(value.schema.names)
        if value.kind is DataKind.SERIES and value.name is not None:
            return [value.name]
    return ["array"]


def lineage_of(value: Value) -> frozenset[str]:
    """Source columns a value was computed from (empty when unknown or constant)."""
    if isinstance(value, Data):
        return value.schema.lineage | value.reads if value.kind is DataKind.FRAME else value.reads
    if isinstance(value, Statistic):
        return value.reads
    return frozenset()


def stats_of(*values: Value) -> tuple[Statistic, ...]:
    out: list[Statistic] = []
    for value in values:
        if isinstance(value, Statistic):
            out.append(value)
        elif isinstance(value, Data):
            out.extend(value.stats)
        elif isinstance(value, (DictV, Seq)):   # fillna({"a": mean}), replace({"x": median}), [q1, q3]
            items = value.values if isinstance(value, DictV) else value.items
            out.extend(s for s in items if isinstance(s, Statistic))
    return tuple(dict.fromkeys(out))


def const_str(value: Value) -> str | None:
    return value.value if isinstance(value, Const) and isinstance(value.value, str) else None


def const_strings(value: Value) -> list[str] | None:
    """A column spec as a list of names: 'a' -> ['a'], ['a', 'b'] -> [...]; None if unknown."""
    if isinstance(value, Const) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, Seq) and value.kind is not SeqKind.SLICE:
        names = value.constants()
        if names is not None and all(isinstance(n, str) for n in names):
            return names
    return None


def python_value(value: Value):
    """The Python object behind a constant value (for descriptions), or a marker."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, Seq):
        items = [python_value(i) for i in value.items]
        return tuple(items) if value.kind is SeqKind.TUPLE else items
    if isinstance(value, DictV):
        return {python_value(k): python_value(v) for k, v in zip(value.keys, value.values)}
    return _Unknown()


class _Unknown:
    def __repr__(self) -> str:
        return "?"


def series_of(frame: Data, name: str, nodes: Iterable = ()) -> Data:
    column = frame.schema.get(name)
    reads = column.lineage if column is not None else frozenset((name,))
    return Data(DataKind.SERIES, tuple(nodes) or frame.nodes, Schema.of_sources([name]).project([name])
                if column is None else Schema((column,), False), frame.prov, name, reads, False, frame.stats)


def is_true(value: Value | None) -> bool:
    return isinstance(value, Const) and value.value is True


def arg(args: list[Value], kwargs: dict[str, Value], index: int, name: str) -> Value | None:
    if name in kwargs:
        return kwargs[name]
    return args[index] if index < len(args) else None


__all__ = ["parents_of", "columns_of", "lineage_of", "stats_of", "const_str", "const_strings", "python_value",
           "series_of", "is_true", "arg", "TOP"]

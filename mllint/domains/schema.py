"""Schema domain: ordered known columns, an "open" flag, and per-column lineage.

A schema is *closed* when we know every column (e.g. read from the CSV header)
and *open* when there may be more than the ones listed.  Rules must never rest
a finding on a column being absent from an open schema.  Lineage is the set of
source column names a column was computed from; it is what lets fairness and
target-leakage rules see that ``sex_M`` came from ``sex`` or that ``churned``
came from the label ``churn``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .bounds import MAX_COLUMNS


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    lineage: frozenset[str]

    @staticmethod
    def source(name: str) -> "Column":
        return Column(name, frozenset((name,)))


@dataclass(frozen=True, slots=True)
class Schema:
    columns: tuple[Column, ...] = ()
    open: bool = True

    def __post_init__(self) -> None:
        # bounded by construction: past MAX_COLUMNS the schema keeps the first ones and opens
        # (an open schema never supports a finding that rests on a column being absent)
        if len(self.columns) > MAX_COLUMNS:
            object.__setattr__(self, "columns", self.columns[:MAX_COLUMNS])
            object.__setattr__(self, "open", True)

    # -- queries -------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def get(self, name: str) -> Column | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None

    def lineage_of(self, names: Iterable[str]) -> frozenset[str]:
        """Source columns behind ``names``; an unknown name stands for itself."""
        result: set[str] = set()
        for name in names:
            column = self.get(name)
            result |= column.lineage if column is not None else {name}
        return frozenset(result)

    @property
    def lineage(self) -> frozenset[str]:
        result: set[str] = set()
        for column in self.columns:
            result |= column.lineage
        return frozenset(result)

    # -- constructors and transfer functions ---------------------------------
    @staticmethod
    def of_sources(names: Iterable[str], open: bool = False) -> "Schema":
        return Schema(tuple(Column.source(n) for n in names), open)

    def project(self, names: Iterable[str]) -> "Schema":
        """Keep ``names`` in the given order (columns we did not know are added)."""
        return Schema(tuple(self.get(n) or Column.source(n) for n in names), open=False)

    def with_column(self, name: str, lineage: frozenset[str]) -> "Schema":
        """Add or overwrite ``name`` (pandas keeps an overwritten column's position)."""
        new = Column(name, lineage)
        if self.get(name) is not None:
            return Schema(tuple(new if c.name == name else c for c in self.columns), self.open)
        return Schema(self.columns + (new,), self.open)

    def without(self, names: Iterable[str]) -> "Schema":
        dropped = set(names)
        return Schema(tuple(c for c in self.columns if c.name not in dropped), self.open)

    def renamed(self, mapping: dict[str, str]) -> "Schema":
        return Schema(tuple(Column(mapping.get(c.name, c.name), c.lineage) for c in self.columns), self.open)

    def widened(self) -> "Schema":
        return Schema(self.columns, True)

    def join(self, other: "Schema") -> "Schema":
        """Least upper bound for control-flow merges: common prefix-known, open if unsure."""
        if self == other:
            return self
        if self.names == other.names:
            return Schema(tuple(Column(a.name, a.lineage | b.lineage) for a, b in zip(self.columns, other.columns)),
                          self.open or other.open)
        common = [c for c in self.columns if other.get(c.name) is not None]
        return Schema(tuple(Column(c.name, c.lineage | other.get(c.name).lineage) for c in common), True)


UNKNOWN_SCHEMA = Schema((), open=True)


def merge_schemas(left: Schema, right: Schema, left_keys: list[str], right_keys: list[str],
                  suffixes: tuple[str, str] = ("_x", "_y")) -> Schema:
    """Columns of ``left.merge(right, ...)`` in pandas' order, with suffixes on clashes.

    A key column shared by name appears once; other overlapping columns get the
    suffixes and keep their own lineage.
    """
    shared_keys = {l for l, r in zip(left_keys, right_keys) if l == r}
    right_names = set(right.names)
    left_names = set(left.names)
    columns: list[Column] = []
    for column in left.columns:
        if column.name in right_names and column.name not in shared_keys:
            columns.append(Column(column.name + suffixes[0], column.lineage))
        else:
            columns.append(column)
    for column in right.columns:
        if column.name in shared_keys:
            continue
        if column.name in left_names:
            columns.append(Column(column.name + suffixes[1], column.lineage))
        else:
            columns.append(column)
    return Schema(tuple(columns), left.open or right.open)


def concat_schemas(schemas: list[Schema]) -> Schema:
    """Row-wise concat: the union of columns in order of first appearance."""
    columns: list[Column] = []
    seen: dict[str, int] = {}
    for schema in schemas:
        for column in schema.columns:
            if column.name in seen:
                i = seen[column.name]
                columns[i] = Column(column.name, columns[i].lineage | column.lineage)
            else:
                seen[column.name] = len(columns)
                columns.append(column)
    return Schema(tuple(columns), any(s.open for s in schemas))

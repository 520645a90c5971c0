"""The data model of the pandas-stubs table: result kinds, key shapes, member facts.

Kept apart from the resolver so that the query API (:mod:`.pandas_stubs`) and
the disk cache can load a table without importing the resolver and its parser.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Mapping


class ResultKind(enum.Enum):
    """What a pandas call returns, coarsened to what the analyzer distinguishes."""

    DATAFRAME = "DataFrame"
    SERIES = "Series"
    GROUPBY_FRAME = "DataFrameGroupBy"
    GROUPBY_SERIES = "SeriesGroupBy"
    NDARRAY = "ndarray"
    INDEX = "Index"
    SCALAR = "scalar"
    NONE = "None"
    OTHER = "other"  # a known type that is none of the above (tuple, Styler, TextFileReader, ...)
    UNKNOWN = "unknown"  # Any, an unbound TypeVar, a missing annotation


class KeyKind(enum.Enum):
    """The shape of a subscript key, for ``__getitem__`` (``df[key]``)."""

    LABEL = "label"  # a single label: df["a"], s[0]
    LIST = "list"  # a list of labels or booleans: df[["a", "b"]]
    SERIES = "Series"  # a Series, typically a boolean mask: df[df.a > 0]
    INDEX = "Index"  # an Index: df[df.columns[:3]]
    ARRAY = "ndarray"  # a numpy array of positions or booleans
    SLICE = "slice"  # df[1:3]
    CALLABLE = "callable"  # s[lambda s: s > 0]


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """What the stubs say about one method, property or top-level function.

    ``kinds`` is the union over all overloads that a call *without*
    ``inplace=True`` can pick; the overloads with ``inplace: Literal[True]`` are
    kept apart in ``inplace_kinds`` because they usually return ``None`` and
    mutate the receiver.  ``getitem`` maps key shapes to the kinds of the first
    ``__getitem__`` overload accepting them (overload resolution is ordered).
    """

    kinds: frozenset[ResultKind]
    inplace_kinds: frozenset[ResultKind] = frozenset()
    is_property: bool = False
    getitem: tuple[tuple[KeyKind, frozenset[ResultKind]], ...] = ()

    @property
    def has_inplace(self) -> bool:
        return ResultKind.NONE in self.inplace_kinds

    def getitem_kinds(self, key: KeyKind) -> frozenset[ResultKind] | None:
        for kind, result in self.getitem:
            if kind is key:
                return result
        return None

    def to_json(self) -> list[Any]:
        return [
            sorted(k.name for k in self.kinds),
            sorted(k.name for k in self.inplace_kinds),
            self.is_property,
            [[key.name, sorted(k.name for k in kinds)] for key, kinds in self.getitem],
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> "MemberInfo":
        kinds, inplace, is_property, getitem = data
        return cls(
            frozenset(ResultKind[k] for k in kinds),
            frozenset(ResultKind[k] for k in inplace),
            bool(is_property),
            tuple((KeyKind[key], frozenset(ResultKind[k] for k in ks)) for key, ks in getitem),
        )


@dataclass(frozen=True, slots=True)
class StubsTable:
    """The whole derived table: owner name -> member name -> :class:`MemberInfo`."""

    version: str | None
    owners: Mapping[str, Mapping[str, MemberInfo]] = field(default_factory=dict)

    def lookup(self, owner: str, member: str) -> MemberInfo | None:
        members = self.owners.get(owner)
        return None if members is None else members.get(member)

"""Row provenance domain: which rows of which sources a value holds.

An :class:`Origin` is "the rows of data source S, narrowed by a path of splits":
each path step is ``(split_node_id, side)`` with side ``train`` or ``test`` (or
``fold`` for rows that cross-validation splits internally).  Nested splits
compose by extending the path.  A :class:`Provenance` is a set of origins (a
value built by concat / merge draws rows from several).  ``None`` as a
provenance means "unknown": rules stay silent about it.

Leakage rules are questions in this domain: *did the rows a statistic saw
include rows that a later split put on the test side?*  That is: some origin
of the fit is a prefix of (or equal to) the path of the evaluation rows'
origin, while the evaluation path continues with a ``test`` step.
"""
from __future__ import annotations

from dataclasses import dataclass

from .bounds import MAX_ORIGINS, MAX_PATH


@dataclass(frozen=True, slots=True)
class Origin:
    source: int                              # plan node id of the data source
    path: tuple[tuple[int, str], ...] = ()   # (split node id, 'train' | 'test' | 'fold')

    def split(self, split_id: int, side: str) -> "Origin":
        return Origin(self.source, self.path + ((split_id, side),))

    def covers(self, other: "Origin") -> bool:
        """True when every row of ``other`` is also a row of ``self`` (self is a prefix)."""
        return self.source == other.source and other.path[:len(self.path)] == self.path

    @property
    def side(self) -> str | None:
        return self.path[-1][1] if self.path else None


@dataclass(frozen=True, slots=True)
class Provenance:
    origins: frozenset[Origin]

    @staticmethod
    def of_source(node_id: int) -> "Provenance":
        return Provenance(frozenset((Origin(node_id),)))

    def split(self, split_id: int, side: str) -> "Provenance | None":
        """Rows kept by one side of a split; unknown past :data:`MAX_PATH` nested splits."""
        if any(len(o.path) >= MAX_PATH for o in self.origins):
            return None
        return Provenance(frozenset(o.split(split_id, side) for o in self.origins))

    def union(self, other: "Provenance | None") -> "Provenance | None":
        """Rows drawn from both; unknown when either is, or past :data:`MAX_ORIGINS` origins."""
        if other is None:
            return None
        return bounded(self.origins | other.origins)

    def covers_any(self, other: "Provenance") -> bool:
        """Some rows of ``other`` are rows of ``self``."""
        return any(mine.covers(theirs) or theirs.covers(mine) for mine in self.origins for theirs in other.origins)

    @property
    def sides(self) -> frozenset[str | None]:
        return frozenset(o.side for o in self.origins)

    def describe(self, label_of_node) -> str:
        parts = []
        for origin in sorted(self.origins, key=lambda o: (o.source, o.path)):
            text = label_of_node(origin.source)
            for step_id, side in origin.path:
                text += f" -> rows kept by #{step_id}" if side == "rows" else f" -> {side} of split #{step_id}"
            parts.append(text)
        return " + ".join(parts)


def bounded(origins: frozenset[Origin]) -> Provenance | None:
    """A provenance of these origins, or unknown (None) when there are too many to track."""
    return Provenance(origins) if len(origins) <= MAX_ORIGINS else None


def join_provenance(a: Provenance | None, b: Provenance | None) -> Provenance | None:
    """Control-flow join: the rows may come from either branch."""
    if a is None or b is None:
        return None
    return a if a == b else bounded(a.origins | b.origins)

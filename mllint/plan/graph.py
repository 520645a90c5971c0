"""The plan graph: plan nodes and the DAG that links them.

A node is created once, with its operator's typed record (``records``); the graph
is a ``networkx.DiGraph`` whose nodes carry the ``PlanNode`` (attribute ``node``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import networkx as nx

from .operators import Operator
from .records import INFO_TYPES, SHOWN, NodeInfo, View
from .site import Site
from .span import Span, SpanThunk


@dataclass(slots=True, eq=False)
class PlanNode:
    """One operation of the logical plan.

    ``schema`` and ``provenance`` are the abstract output of the operation;
    ``info`` is the operator's typed record (``records.INFO_TYPES``); ``site`` is
    where it happens; ``view`` how mlinspect shows it.  ``names`` (variables that
    held the output) and ``compared_at`` (a score compared with others) are
    learnt after the node is built, as the walk goes on.
    """

    id: int
    operator: Operator
    description: str | None
    schema: Any = None
    provenance: Any = None
    info: "NodeInfo | None" = None
    site: "Site | None" = None
    view: "View | None" = None
    in_loop: bool = False
    #: made in a loop the engine unrolled: how many passes those loops make together (0: a loop whose
    #: passes are not known one by one, or no loop)
    loop_passes: int = 0
    names: list[str] = field(default_factory=list)
    compared_at: "Site | None" = None
    _span: Span | None = None
    _span_thunk: SpanThunk | None = None

    def __post_init__(self) -> None:
        expected = INFO_TYPES[self.operator]
        if self.info is None:
            self.info = expected()
        elif type(self.info) is not expected:
            raise TypeError(f"{self.operator.name} node needs a {expected.__name__}, not {type(self.info).__name__}")
        if self.view is None:
            self.view = SHOWN

    @property
    def span(self) -> Span | None:
        if self._span is None and self._span_thunk is not None:
            thunk, self._span_thunk = self._span_thunk, None
            self._span = thunk()
        return self._span

    @property
    def call_site(self) -> "Site | None":
        """The call that ran the operation (a ``.fit(...)``), else where the node is placed."""
        return self.info.call_site or self.site

    @property
    def columns(self) -> list[str] | None:
        """Output column names as far as they are known (None: not a table)."""
        cols = self.view.columns
        if cols is not None:
            return list(cols)
        schema = self.schema
        if schema is None:
            return None
        return list(schema.names)


class Plan:
    """A DAG of :class:`PlanNode` kept in a ``networkx.DiGraph`` (node attr ``node``)."""

    def __init__(self) -> None:
        self.graph: nx.DiGraph = nx.DiGraph()
        self._nodes: dict[int, PlanNode] = {}   # our own index: networkx's cached views would make cycles
        self._next_id = 0

    def add(self, node_factory: Callable[[int], PlanNode], parents: "list[PlanNode] | tuple[PlanNode, ...]" = ()) -> PlanNode:
        node = node_factory(self._next_id)
        self._next_id += 1
        self._nodes[node.id] = node
        self.graph.add_node(node.id, node=node)
        for parent in parents:
            if parent is not None and parent.id != node.id:
                self.graph.add_edge(parent.id, node.id)
        return node

    def add_edge(self, source: PlanNode, target: PlanNode) -> None:
        if source.id != target.id:
            self.graph.add_edge(source.id, target.id)

    @property
    def next_id(self) -> int:
        """The id the next node will get (the sides of one split name the first one)."""
        return self._next_id

    def node(self, node_id: int) -> PlanNode:
        return self._nodes[node_id]

    def nodes(self) -> Iterator[PlanNode]:
        for node_id in sorted(self._nodes):
            yield self._nodes[node_id]

    def parents(self, node: PlanNode) -> list[PlanNode]:
        return [self.node(p) for p in sorted(self.graph.predecessors(node.id))]

    def children(self, node: PlanNode) -> list[PlanNode]:
        return [self.node(c) for c in sorted(self.graph.successors(node.id))]

    def edges(self) -> Iterator[tuple[PlanNode, PlanNode]]:
        for source, target in sorted(self.graph.edges):
            yield self.node(source), self.node(target)

    def __len__(self) -> int:
        return len(self._nodes)

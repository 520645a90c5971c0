"""The plan graph: plan nodes and the DAG that links them.

A node is created once, with its operator's typed record (``records``); the edges are
kept in two insertion-ordered adjacency maps.  networkx is not imported to build or walk a
plan (it costs ~75 ms at start-up, more than a small file's analysis): :attr:`Plan.graph`
builds a ``networkx.DiGraph`` on demand for whoever wants its algorithms.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

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
    """A DAG of :class:`PlanNode`: nodes by id, and each node's parents and children in insertion order."""

    def __init__(self) -> None:
        self._nodes: dict[int, PlanNode] = {}
        self._parents: dict[int, dict[int, None]] = {}    # dicts as ordered sets: the first parent is first
        self._children: dict[int, dict[int, None]] = {}
        self._next_id = 0

    def add(self, node_factory: Callable[[int], PlanNode], parents: "list[PlanNode] | tuple[PlanNode, ...]" = ()) -> PlanNode:
        node = node_factory(self._next_id)
        self._next_id += 1
        self._nodes[node.id] = node
        self._parents[node.id] = {}
        self._children[node.id] = {}
        for parent in parents:
            if parent is not None and parent.id != node.id:
                self._link(parent.id, node.id)
        return node

    def add_edge(self, source: PlanNode, target: PlanNode) -> None:
        if source.id != target.id:
            self._link(source.id, target.id)

    def _link(self, source: int, target: int) -> None:
        self._children[source][target] = None
        self._parents[target][source] = None

    @property
    def next_id(self) -> int:
        """The id the next node will get (the sides of one split name the first one)."""
        return self._next_id

    def node(self, node_id: int) -> PlanNode:
        return self._nodes[node_id]

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._nodes

    def nodes(self) -> Iterator[PlanNode]:
        for node_id in sorted(self._nodes):
            yield self._nodes[node_id]

    def parent_ids(self, node_id: int) -> list[int]:
        """Ids of the node's parents, in the order the edges were added."""
        return list(self._parents[node_id])

    def child_ids(self, node_id: int) -> list[int]:
        return list(self._children[node_id])

    def out_degree(self, node_id: int) -> int:
        return len(self._children[node_id])

    def parents(self, node: PlanNode) -> list[PlanNode]:
        return [self.node(p) for p in sorted(self._parents[node.id])]

    def children(self, node: PlanNode) -> list[PlanNode]:
        return [self.node(c) for c in sorted(self._children[node.id])]

    def edges(self) -> Iterator[tuple[PlanNode, PlanNode]]:
        for source, target in sorted((s, t) for s, children in self._children.items() for t in children):
            yield self.node(source), self.node(target)

    def descendant_ids(self, node_id: int) -> set[int]:
        return _reach(node_id, self._children)

    def ancestor_ids(self, node_id: int) -> set[int]:
        return _reach(node_id, self._parents)

    def topological_ids(self) -> list[int]:
        """Every node id, parents before children (Kahn's algorithm, smallest id first among the ready)."""
        import heapq

        waiting = {node_id: len(parents) for node_id, parents in self._parents.items()}
        ready = [node_id for node_id, count in waiting.items() if count == 0]
        heapq.heapify(ready)
        order: list[int] = []
        while ready:
            current = heapq.heappop(ready)
            order.append(current)
            for child in self._children[current]:
                waiting[child] -= 1
                if waiting[child] == 0:
                    heapq.heappush(ready, child)
        return order

    @property
    def graph(self):
        """The plan as a ``networkx.DiGraph`` (node attribute ``node``), built on demand: for tools and
        tests that want networkx's algorithms; the engine, the rules and the renderers never ask for it."""
        import networkx as nx

        graph = nx.DiGraph()
        for node_id in sorted(self._nodes):
            graph.add_node(node_id, node=self._nodes[node_id])
        for source, children in self._children.items():
            for target in children:
                graph.add_edge(source, target)
        return graph

    def __len__(self) -> int:
        return len(self._nodes)


def _reach(start: int, links: dict[int, dict[int, None]]) -> set[int]:
    """Every id reachable from ``start`` along ``links`` (children: descendants; parents: ancestors)."""
    found: set[int] = set()
    pending = [start]
    while pending:
        for other in links[pending.pop()]:
            if other not in found:
                found.add(other)
                pending.append(other)
    return found

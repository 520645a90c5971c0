"""The logical plan: operators, spans, plan nodes and the plan graph.

Operator names follow mlinspect's ``OperatorType`` so that a statically extracted
plan can be diffed against mlinspect's runtime DAGs (``mllint explain --format
mlinspect``).  PREDICT and UNKNOWN are ours: a prediction is not an mlinspect
operator, and UNKNOWN marks an operation we do not model (the edge is kept, the
value is widened to Top, nothing is guessed).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import networkx as nx


class Operator(enum.Enum):
    DATA_SOURCE = "Data Source"
    SELECTION = "Selection"
    PROJECTION = "Projection"
    PROJECTION_MODIFY = "Projection (Modify)"
    JOIN = "Join"
    CONCATENATION = "Concatenation"
    GROUP_BY_AGG = "Groupby and Aggregate"
    TRAIN_TEST_SPLIT = "Train Test Split"
    TRANSFORMER = "Transformer"
    ESTIMATOR = "Estimator"
    SCORE = "Score"
    TRAIN_DATA = "Train Data"
    TRAIN_LABELS = "Train Labels"
    TEST_DATA = "Test Data"
    TEST_LABELS = "Test Labels"
    PREDICT = "Predict"
    UNKNOWN = "Unknown"


@dataclass(frozen=True, slots=True)
class Span:
    """A source range: 1-based lines, 0-based columns counted in code points."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.start_line, self.start_col, self.end_line, self.end_col)


#: A span that is computed only when somebody looks at it (positions cost time).
SpanThunk = Callable[[], "Span | None"]


@dataclass(slots=True, eq=False)
class PlanNode:
    """One operation of the logical plan.

    ``schema`` and ``provenance`` are the abstract output of the operation;
    ``details`` holds operator-specific facts (estimator class, fit/transform
    phase, split side, the columns a selection reads, ...) that rules query.
    """

    id: int
    operator: Operator
    description: str | None
    schema: Any = None
    provenance: Any = None
    details: dict[str, Any] = field(default_factory=dict)
    in_loop: bool = False
    _span: Span | None = None
    _span_thunk: SpanThunk | None = None

    @property
    def span(self) -> Span | None:
        if self._span is None and self._span_thunk is not None:
            thunk, self._span_thunk = self._span_thunk, None
            self._span = thunk()
        return self._span

    @property
    def columns(self) -> list[str] | None:
        """Output column names as far as they are known (None: not a table)."""
        cols = self.details.get("columns")
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

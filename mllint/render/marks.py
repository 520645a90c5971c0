"""Which plan nodes the findings point at, and where an operation happens, for the plan pictures.

A finding points at a statement (its first line is where ``# noqa`` goes); a picture marks the
node of the operation that statement runs.  A node's own span is where mlinspect places it
(an estimator: its constructor, ``LogisticRegression()`` inside a ``Pipeline([...])``), so a
picture shows instead the line of the call that ran the operation (the ``.fit`` /
``fit_transform`` / ``predict``), which is also the line the finding names.  When a statement
runs several operations, the most telling one carries the mark (a fit before its inputs).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from ..engine.analysis import Analysis
from ..findings import Finding
from ..plan import Operator, Plan, PlanNode, Span
from .common import dangling_projection

#: Which node of a statement a finding is about: the first operator of this order found on it.
_RANK = (
    (Operator.ESTIMATOR,),
    (Operator.TRANSFORMER,),
    (Operator.SCORE, Operator.PREDICT),
    (Operator.TRAIN_TEST_SPLIT,),
    (Operator.JOIN, Operator.CONCATENATION, Operator.GROUP_BY_AGG, Operator.PROJECTION_MODIFY),
    (Operator.SELECTION, Operator.PROJECTION, Operator.DATA_SOURCE),
    (Operator.TRAIN_DATA, Operator.TRAIN_LABELS, Operator.TEST_DATA, Operator.TEST_LABELS, Operator.UNKNOWN),
)
_RANK_OF = {operator: rank for rank, group in enumerate(_RANK) for operator in group}


@dataclass(frozen=True, slots=True)
class MarkedFinding:
    """A finding as the explain views show it: where (``15:1`` or ``cell 2:4:1``) and the nodes it marks."""

    finding: Finding
    where: str
    nodes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Marks:
    """The findings of one analysis and the codes each plan node is marked with."""

    findings: tuple[MarkedFinding, ...] = ()
    #: node id -> the codes of the findings pointing at it (in the order of the findings)
    codes: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def codes_of(self, node_id: int) -> tuple[str, ...]:
        return self.codes.get(node_id, ())


NO_MARKS = Marks()


#: What a model was given is placed at the model's constructor; it is given by the fit / score call.
_MODEL_INPUTS = frozenset({Operator.TRAIN_DATA, Operator.TRAIN_LABELS, Operator.TEST_DATA, Operator.TEST_LABELS})


def operation_span(analysis: Analysis, node: PlanNode) -> Span | None:
    """Where the operation runs: the call that ran it (``model.fit(...)``), else the node's own span.

    A model's input (train data, test labels) runs where the fit or evaluation it feeds runs."""
    span = _call_span(analysis, node)
    if span is None and node.operator in _MODEL_INPUTS:
        for child in analysis.plan.children(node):
            span = _call_span(analysis, child)
            if span is not None:
                break
    return span if span is not None else node.span


def _call_span(analysis: Analysis, node: PlanNode) -> Span | None:
    site = node.info.call_site
    positions = analysis.positions
    if site is None or positions is None or site.stmt is None:
        return None
    try:
        return positions.span(site.node, site.stmt, site.ast_stmt)
    except Exception:   # a position we cannot compute: the node's own place then
        return None


def place(analysis: Analysis, line: int, column: int | None = None) -> str:
    """``15`` / ``15:1``, or ``cell 2:4`` / ``cell 2:4:1`` in a notebook (``cell N`` counts code cells)."""
    source = analysis.source
    cell = source.code_cell_position(line) if source is not None else None
    if cell is not None:
        text = f"cell {cell[0]}:{cell[1]}"
        return text if column is None else f"{text}:{source.cell_column(line, column) + 1}"
    return str(line) if column is None else f"{line}:{column + 1}"


def line_label(analysis: Analysis, node: PlanNode) -> str | None:
    """``line 15`` or ``cell 2:4``: where a picture says the node's operation is."""
    span = operation_span(analysis, node)
    if span is None:
        return None
    where = place(analysis, span.start_line)
    return where if where.startswith("cell ") else f"line {where}"


def mark(analysis: Analysis, findings: list[Finding] | tuple[Finding, ...]) -> Marks:
    """Attach each finding to the shown node(s) of the most telling operation on its statement."""
    plan: Plan = analysis.plan
    shown = [n for n in plan.nodes() if not dangling_projection(plan, n)]
    lines = {n.id: (span.start_line if (span := operation_span(analysis, n)) is not None else None) for n in shown}
    codes: dict[int, list[str]] = {}
    marked: list[MarkedFinding] = []
    for finding in sorted(findings, key=lambda f: (f.span.start_line, f.span.start_col, f.code)):
        first, last = finding.span.start_line, max(finding.span.end_line, finding.span.start_line)
        candidates = [n for n in shown if lines[n.id] is not None and first <= lines[n.id] <= last]
        best = min((_RANK_OF.get(n.operator, len(_RANK)) for n in candidates), default=None)
        chosen = tuple(n.id for n in candidates if _RANK_OF.get(n.operator, len(_RANK)) == best)
        for node_id in chosen:
            if finding.code not in codes.setdefault(node_id, []):
                codes[node_id].append(finding.code)
        marked.append(MarkedFinding(finding, place(analysis, finding.span.start_line, finding.span.start_col),
                                    chosen))
    return Marks(tuple(marked), MappingProxyType({node_id: tuple(found) for node_id, found in sorted(codes.items())}))


def printable(text: str) -> str:
    """Messages quote the checked code: control characters are shown as escapes, not sent to the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def findings_lines(analysis: Analysis, marks: Marks) -> list[str]:
    """The findings listed under the plan: ``15:1 ML101 message (node #4)``, related places under it."""
    if not marks.findings:
        return ["findings: none"]
    out = [f"findings: {len(marks.findings)}"]
    for item in marks.findings:
        nodes = f" (node {', '.join(f'#{n}' for n in item.nodes)})" if item.nodes else ""
        out.append(f"  {item.where} {item.finding.code} {printable(item.finding.message)}{nodes}")
        for related in item.finding.related:
            where = place(analysis, related.span.start_line, related.span.start_col)
            out.append(f"      {where} {printable(related.message)}")
    return out

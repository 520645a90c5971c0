"""Facts the rules query: model fits, evaluations, held-out rows, statement spans.

Rules never walk the syntax tree; they read the plan through these helpers
(the ruff model: one semantic model, rules are functions over it).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterable

import libcst as cst

from .engine.analysis import Analysis
from .domains.provenance import Origin, Provenance
from .domains.values import Estimator, Statistic
from .plan import Site
from .plan import (EvaluationInfo, EvaluationKind, FitInfo, Operator, PlanNode, RowFilter, SelectionInfo, Span,
                   SplitInfo)
from .engine.positions import code_of


#: operators that consume a model's training input / its evaluation input
_FIT_SINKS = frozenset({Operator.TRAIN_DATA, Operator.TRAIN_LABELS, Operator.ESTIMATOR})
_EVALUATION_SINKS = frozenset({Operator.TEST_DATA, Operator.TEST_LABELS, Operator.SCORE, Operator.PREDICT})


@dataclass(frozen=True, slots=True)
class ModelFit:
    """A predictor's fit: the ESTIMATOR node and what its features / labels were."""

    node: PlanNode
    estimator: Estimator
    rows: Provenance | None
    feature_stats: tuple[Statistic, ...]
    features: Any                      # closed or open Schema when fit on a DataFrame, else None
    feature_lineage: frozenset[str]
    label_lineage: frozenset[str]
    site: Site | None                  # the .fit(...) call


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A model scored or applied (a METRIC joined with the PREDICT it compares)."""

    node: PlanNode
    kind: EvaluationKind
    estimator: Estimator | None
    rows: Provenance | None
    feature_stats: tuple[Statistic, ...]
    features: Any
    site: Site | None
    inputs: tuple[PlanNode, ...] = ()      # the nodes of the evaluated features (for naming them)

    @property
    def in_loop(self) -> bool:
        return self.node.in_loop


#: Row selections that, paired with a sibling selection of the same rows, make a manual split.
_SPLIT_LIKE_FILTERS = frozenset({RowFilter.MASK, RowFilter.SLICE, RowFilter.QUERY, RowFilter.SAMPLE, RowFilter.DROP,
                                 RowFilter.HEAD, RowFilter.TAIL})


class PlanFacts:
    """Derived, cached views of one analysis for the rules."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.plan = analysis.plan
        self._texts: dict[cst.CSTNode, str] = {}   # CST node (hashed by identity) -> its code on one line

    # -- model fits and evaluations ------------------------------------------------
    @cached_property
    def fits(self) -> list[ModelFit]:
        out = []
        for node in self.plan.nodes():
            info = node.info
            if isinstance(info, FitInfo):
                f = info.features
                out.append(ModelFit(node, info.estimator, f.rows, f.statistics, f.schema, f.lineage,
                                    info.label_lineage, info.call))
        return out

    def fits_of(self, estimator: Estimator | None) -> list[ModelFit]:
        return [f for f in self.fits if estimator is not None and f.estimator is estimator]

    def fit_before(self, evaluation: Evaluation) -> ModelFit | None:
        """The latest fit of the evaluated model that happened before the evaluation."""
        fits = [f for f in self.fits_of(evaluation.estimator) if f.node.id < evaluation.node.id]
        return fits[-1] if fits else None

    @cached_property
    def evaluations(self) -> list[Evaluation]:
        out = []
        for node in self.plan.nodes():
            info = node.info
            if not isinstance(info, EvaluationInfo):
                continue
            if info.kind is EvaluationKind.METRIC:
                for predict in self.plan.parents(node):
                    p = predict.info
                    if predict.operator is Operator.PREDICT and isinstance(p, EvaluationInfo):
                        out.append(Evaluation(node, info.kind, p.estimator, p.features.rows, p.features.statistics,
                                              p.features.schema, node.site, p.inputs))
            elif info.kind is not EvaluationKind.SCORE or info.estimator is not None:
                f = info.features
                out.append(Evaluation(node, info.kind, info.estimator, f.rows, f.statistics, f.schema, node.site,
                                      info.inputs))
        return out

    # -- rows ---------------------------------------------------------------------------
    def held_out(self, rows: Provenance | None, fit: ModelFit | None) -> list[Origin]:
        """Evaluation origins that are held-out test rows (a test side, or a split-like selection)
        disjoint from the model's own training rows (not inside them, and not a superset of them:
        predicting all of ``X_train`` with a model fit on ``X_train[:1000]`` evaluates nothing)."""
        if rows is None:
            return []
        trained = fit.rows.origins if fit is not None and fit.rows is not None else ()
        out = []
        for origin in rows.origins:
            if not self.test_like(origin):
                continue
            if any(t.covers(origin) and not self._has_extra_test_step(origin, t) for t in trained):
                continue
            if any(origin.covers(t) and origin != t for t in trained):
                continue
            out.append(origin)
        return out

    def unseen(self, rows: Provenance | None, fit: ModelFit | None) -> list[Origin]:
        """Evaluation origins the model did not train on: its held-out rows, a test file, new data
        (disjoint from the training rows: a superset of them is not unseen)."""
        if rows is None:
            return []
        trained = fit.rows.origins if fit is not None and fit.rows is not None else ()
        return [o for o in rows.origins if not any(t.covers(o) or o.covers(t) for t in trained)]

    def in_cv_fold(self, origin: Origin) -> bool:
        """Rows picked by cross-validation fold indices (``X[test_idx]`` in a ``kf.split`` loop)."""
        return any(self._cross_validation_split(self.plan.node(step)) for step, _ in origin.path
                   if step in self.plan)

    @staticmethod
    def _cross_validation_split(node: PlanNode) -> bool:
        info = node.info
        return (isinstance(info, SplitInfo) and info.cross_validation) or \
            (isinstance(info, EvaluationInfo) and info.kind is EvaluationKind.CROSS_VALIDATION)

    def test_like(self, origin: Origin) -> bool:
        return any(side == "test" or (side == "rows" and self.split_like_selection(step))
                   for step, side in origin.path)

    def _has_extra_test_step(self, origin: Origin, prefix: Origin) -> bool:
        return any(side == "test" or (side == "rows" and self.split_like_selection(step))
                   for step, side in origin.path[len(prefix.path):])

    def test_steps_beyond(self, origin: Origin, prefix: Origin) -> list[int]:
        return [step for step, side in origin.path[len(prefix.path):]
                if side == "test" or (side == "rows" and self.split_like_selection(step))]

    def split_like_selection(self, node_id: int) -> bool:
        """A row selection with a sibling selection of the same rows: ``df[:800]`` / ``df[800:]``,
        ``df[df.year < 2022]`` / ``df[df.year >= 2022]`` — the other half of a manual split, when one
        of them feeds a model's fit and another an evaluation (``df.head()`` beside a plotting
        selection splits nothing)."""
        return node_id in self._split_like

    @cached_property
    def _split_like(self) -> set[int]:
        by_parent: dict[tuple[int, ...], list[PlanNode]] = {}
        for node in self.plan.nodes():
            if isinstance(node.info, SelectionInfo) and node.info.filter in _SPLIT_LIKE_FILTERS:
                parents = tuple(p.id for p in self.plan.parents(node))
                by_parent.setdefault(parents, []).append(node)
        result: set[int] = set()
        fitting, evaluating = self._reaching(_FIT_SINKS), self._reaching(_EVALUATION_SINKS)
        for siblings in by_parent.values():
            spans = {n.site.node for n in siblings if n.site is not None}
            if len(spans) < 2:   # two different selections of the same rows
                continue
            fit_sides = {n.id for n in siblings if n.id in fitting}
            eval_sides = {n.id for n in siblings if n.id in evaluating}
            if fit_sides and eval_sides and (len(fit_sides | eval_sides) > 1):
                result.update(n.id for n in siblings)
        return result

    def _reaching(self, sinks: frozenset[Operator]) -> set[int]:
        """Nodes whose output reaches a node of one of these operators."""
        reached: set[int] = set()
        for node_id in reversed(self.plan.topological_ids()):
            node = self.plan.node(node_id)
            if node.operator in sinks or any(child in reached for child in self.plan.child_ids(node_id)):
                reached.add(node_id)
        return reached

    def feeds_a_model(self, node: PlanNode) -> bool:
        """Whether the node's output reaches a model fit or evaluation (train / test data, scores)."""
        return node.id in self._feeding

    @cached_property
    def _feeding(self) -> set[int]:
        return self._reaching(_FIT_SINKS | _EVALUATION_SINKS)

    # -- places and names -------------------------------------------------------------
    def statement_span(self, site: Site | None) -> Span | None:
        """Where a person writes ``# noqa``: the start of the statement holding ``site``."""
        if site is None or site.ast_stmt is None:
            return self.site_span(site)
        stmt = site.ast_stmt
        positions = self.analysis_positions
        if positions is not None:
            return positions.statement_span(stmt)
        end_line = getattr(stmt, "end_lineno", None) or stmt.lineno
        end_col = getattr(stmt, "end_col_offset", None) or 0
        if isinstance(getattr(stmt, "body", None), list):   # compound: just the header line
            end_line, end_col = stmt.lineno, 0
        return Span(stmt.lineno, stmt.col_offset, end_line, end_col)

    def site_span(self, site: Site | None) -> Span | None:
        positions = self.analysis_positions
        if site is None or positions is None or site.stmt is None:
            return None
        return positions.span(site.node, site.stmt, site.ast_stmt)

    @property
    def analysis_positions(self):
        return self.analysis.positions

    def node_span(self, node: PlanNode) -> Span | None:
        return self.statement_span(node.site)

    def code(self, site: Site | None, limit: int = 60) -> str:
        """The code of ``site`` on one line, cut at ``limit``.  Rules build messages for every
        candidate finding (one per statement survives), and printing a node with LibCST costs
        more than the rule itself: each node is printed once per analysis."""
        if site is None:
            return "?"
        text = self._texts.get(site.node)
        if text is None:
            text = self._texts[site.node] = " ".join(code_of(site.node).split())
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def name_of(self, nodes: Iterable[PlanNode], fallback: str = "the held-out rows") -> str:
        """The variable that held a value (``X_test``), else a snippet of code."""
        for node in nodes:
            if node.names:
                return f"`{node.names[0]}`"
        for node in nodes:
            site = node.call_site
            if site is not None:
                return f"`{self.code(site, 40)}`"
        return fallback

    @staticmethod
    def estimator_name(estimator: Estimator | None) -> str:
        if estimator is None:
            return "the model"
        return f"`{estimator.names[0]}`" if estimator.names else f"the {estimator.class_name}"

    def line(self, site: Site | None) -> int | None:
        span = self.statement_span(site)
        return span.start_line if span is not None else None

    def at(self, site: Site | None) -> str:
        """``line 11``, or ``cell 2, line 3`` in a notebook: how messages point at another place."""
        line = self.line(site)
        if line is None:
            return "another line"
        source = self.analysis.source
        place = source.code_cell_position(line) if source is not None else None
        return f"cell {place[0]}, line {place[1]}" if place is not None else f"line {line}"

    def stat_site(self, stat: Statistic) -> Site | None:
        """Where a statistic does its harm: where it is computed, or, inside a helper of the code,
        the top-level call of that helper (``fill(test)``: the harm is that call, not the body
        every call shares)."""
        origin = self.stat_origin(stat)
        return (origin.caller or origin) if origin is not None else None

    def stat_origin(self, stat: Statistic) -> Site | None:
        """The expression that computed the statistic."""
        origin = stat.origin
        if isinstance(origin, PlanNode):
            origin = origin.call_site
        return origin if isinstance(origin, Site) else None

    def stat_helper_notes(self, stat: Statistic) -> list[tuple[Site, str]]:
        """Related place of a statistic computed inside a helper: the line in its body."""
        origin = self.stat_origin(stat)
        return [(origin, "computed here, in the helper")] if origin is not None and origin.caller is not None else []

    def stat_text(self, stat: Statistic, width: int = 50) -> str:
        """How a message names a statistic: its code, and the helper call it was computed in."""
        origin = self.stat_origin(stat)
        if origin is None:
            return "a statistic"
        text = f"`{self.code(origin, width)}`"
        if origin.caller is not None:
            text += f" (in `{self.code(origin.caller, 40)}`)"
        return text

    def descendants(self, node: PlanNode, stop: frozenset[Operator] = frozenset()) -> list[PlanNode]:
        """Nodes downstream of ``node``; with ``stop``, not past nodes of those operators."""
        if not stop:
            return [self.plan.node(i) for i in sorted(self.plan.descendant_ids(node.id))]
        found: set[int] = set()
        pending = [node.id]
        while pending:
            for child in self.plan.child_ids(pending.pop()):
                if child not in found:
                    found.add(child)
                    if self.plan.node(child).operator not in stop:
                        pending.append(child)
        return [self.plan.node(i) for i in sorted(found)]

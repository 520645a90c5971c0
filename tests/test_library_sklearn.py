"""The scikit-learn API models in ``mllint.library``: coverage of the knowledge tables, and independence
from the library a class comes from (a scikit-learn-style class of another package needs only table rows)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mllint.domains.provenance import Provenance
from mllint.domains.values import Data, DataKind, Estimator, Statistic
from mllint.knowledge.estimator_methods import CONSTRUCTORS, ESTIMATOR_METHODS, PROTOCOL_METHODS, constructor_effect
from mllint.knowledge.sklearn_api import FUNCTION_KINDS, EstimatorInfo
from mllint.library.context import CallContext
from mllint.library.registration import Family
from mllint.library.registry import handler_for, registered
from mllint.plan import FitInfo, Operator


def test_every_estimator_effect_has_a_handler():
    effects = {e for table in PROTOCOL_METHODS.values() for e in table.values()} | set(CONSTRUCTORS.values()) \
        | {"construct"}
    missing = sorted(e for e in effects if handler_for(Family.ESTIMATOR, e) is None)
    assert not missing
    assert {e for f, e in registered() if f is Family.ESTIMATOR} == effects


def test_function_handlers_are_keyed_by_the_tables_function_kinds():
    kinds = {e for f, e in registered() if f is Family.SKLEARN}
    assert kinds <= FUNCTION_KINDS
    assert {"split", "cross_validation", "metric", "pipeline_factory"} <= kinds


@dataclass
class _Node:
    id: int
    operator: Operator
    info: Any
    parents: list
    provenance: Any = None


@dataclass
class _Host:
    """Just enough of ``ContextHost`` to record what the handlers emit."""

    emitted: list = field(default_factory=list)

    def emit_node(self, op, description, parents, site, info, visible, columns, schema, rows):
        node = _Node(len(self.emitted), op, info, list(parents))
        self.emitted.append(node)
        return node

    def next_node_id(self) -> int:
        return len(self.emitted)


def _info(name: str, modules: tuple[str, ...], kinds: set[str]) -> EstimatorInfo:
    return EstimatorInfo(name=name, modules=modules, kinds=frozenset(kinds), learns_statistics=True,
                         category_only=False, uses_y=True, uses_groups=False,
                         methods=frozenset({"fit", "predict", "predict_proba", "score"}),
                         conditional_methods=frozenset(), fit_params=("X", "y"), split_params=(),
                         params=("n_estimators",), estimator_params=())


def _call(host: _Host, family: Family, effect: str, name: str, receiver, *args):
    return handler_for(family, effect)(CallContext(name, None, host), receiver, list(args), {})


def test_a_classifier_of_another_package_is_modelled_from_its_kinds():
    host = _Host()
    source = host.emit_node(Operator.DATA_SOURCE, "x.csv", [], None, None, True, None, None, None)
    X = Data(DataKind.FRAME, (source,), prov=Provenance.of_source(source.id))
    y = Data(DataKind.SERIES, (source,), prov=Provenance.of_source(source.id))
    info = _info("BoostedClassifier", ("otherlib", "otherlib.sklearn"), {"classifier"})
    model = _call(host, Family.ESTIMATOR, constructor_effect(info.name), "otherlib.BoostedClassifier", info)
    assert isinstance(model, Estimator) and model.class_name == "BoostedClassifier"

    assert _call(host, Family.ESTIMATOR, ESTIMATOR_METHODS["fit"], "fit", model, X, y) is model
    assert [n.operator for n in host.emitted[1:]] == [Operator.TRAIN_DATA, Operator.TRAIN_LABELS, Operator.ESTIMATOR]
    assert isinstance(model.estimator_node.info, FitInfo) and model.fitted

    proba = _call(host, Family.ESTIMATOR, ESTIMATOR_METHODS["predict_proba"], "predict_proba", model, X)
    assert host.emitted[-1].operator is Operator.PREDICT and proba.nodes == (host.emitted[-1],)
    score = _call(host, Family.ESTIMATOR, ESTIMATOR_METHODS["score"], "score", model, X, y)
    assert isinstance(score, Statistic) and host.emitted[-1].operator is Operator.SCORE

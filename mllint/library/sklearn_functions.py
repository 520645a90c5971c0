"""Models of scikit-learn / imbalanced-learn module functions, one handler per function kind.

The generated table (``knowledge.sklearn_api``) gives every public function a
kind (``FUNCTION_KINDS``: split, cross_validation, metric, preprocessing...);
the handlers here are registered for those kinds, receive the function's
:class:`FunctionInfo` as receiver (its name, modules, whether it learns
statistics over the rows) and ``ctx.name`` the dotted path it was called by.
A kind with no handler here (``feature_score``, ``inspection``...) is an
unknown call.
"""
from __future__ import annotations

from dataclasses import replace

from ..domains.data_ops import arg, columns_of, lineage_of, parents_of, python_value
from ..domains.provenance import Provenance
from ..domains.schema import UNKNOWN_SCHEMA
from ..domains.values import TOP, Const, Data, DataKind, Estimator, Seq, SeqKind, Statistic, Value
from ..knowledge.datasets import XY_GENERATORS
from ..knowledge.sklearn_api import FunctionInfo, lookup_class
from ..plan import (EvaluationInfo, EvaluationKind, Operator, Phase, RowFilter, SelectionInfo, SplitInfo, SplitSide,
                    TransformInfo)
from . import sklearn_composites as composites
from .context import CallContext
from .registration import Family, HandlerTable
from .sklearn_steps import features

handlers = HandlerTable()
_register = handlers.register


@_register(Family.SKLEARN, "split")
def split(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``train_test_split(X, y)``: a train and a test side of every array, one split id for all."""
    outputs: list[Value] = []
    split_id: int | None = None
    for index, value in enumerate(args):
        if not isinstance(value, Data):
            outputs.extend([TOP, TOP])
            continue
        visible = index == 0 and value.kind is DataKind.FRAME
        split_id = ctx.next_node_id if split_id is None else split_id   # the first train side's id
        for side, split_side, description in (("train", SplitSide.TRAIN, "(Train Data)"),
                                              ("test", SplitSide.TEST, "(Test Data)")):
            prov = value.prov.split(split_id, side) if value.prov is not None else None
            node = ctx.emit(Operator.TRAIN_TEST_SPLIT, description, parents_of(value),
                            SplitInfo(side=split_side, split_of=split_id), visible=visible,
                            columns=columns_of(value), schema=value.schema, rows=prov)
            outputs.append(replace(value, nodes=(node,), prov=prov))
    return Seq(tuple(outputs), SeqKind.LIST)


@_register(Family.SKLEARN, "cross_validation")
def cross_validation(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``cross_val_score(model, X, y)``: an evaluation whose folds are internal to the call."""
    estimator = arg(args, kwargs, 0, "estimator")
    X = arg(args, kwargs, 1, "X")
    y = arg(args, kwargs, 2, "y")
    node = ctx.emit(Operator.SCORE, function.name, parents_of(X, y),
                    EvaluationInfo(kind=EvaluationKind.CROSS_VALIDATION,
                                   estimator=estimator if isinstance(estimator, Estimator) else None,
                                   features=features(X), inputs=tuple(parents_of(X))), visible=False)
    # cross-validation fits clones of the estimator: the estimator itself stays unfitted
    if function.name == "cross_val_predict" and isinstance(X, Data):
        return Data(DataKind.ARRAY, (node,), UNKNOWN_SCHEMA, prov=X.prov)
    return Statistic(function.name, X.prov if isinstance(X, Data) else None, frozenset(), node)


@_register(Family.SKLEARN, "preprocessing")
def preprocessing(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``scale(X)``, ``normalize(X)``: a transformer's fit_transform in one call (``label_binarize`` recodes)."""
    data = args[0] if args else kwargs.get("X", kwargs.get("y"))
    if not isinstance(data, Data):
        return TOP
    if function.name == "label_binarize":
        classes = kwargs.get("classes")
        description = f"label_binarize, classes: {python_value(classes)!r}" if classes is not None \
            else "label_binarize"
        node = ctx.emit(Operator.PROJECTION_MODIFY, description, parents_of(data), visible=classes is not None,
                        columns=["array"])
        return replace(data, kind=DataKind.ARRAY, nodes=(node,), schema=UNKNOWN_SCHEMA, name=None,
                       reads=lineage_of(data), is_mask=False)
    node = ctx.emit(Operator.TRANSFORMER, function.name, parents_of(data),
                    TransformInfo(phase=Phase.FIT_TRANSFORM, learns=function.learns_statistics),
                    visible=False, columns=["array"])
    stats = data.stats
    if function.learns_statistics:
        stats = stats + (Statistic(function.name, data.prov, lineage_of(data), node),)
    return replace(data, kind=DataKind.ARRAY, nodes=(node,), schema=UNKNOWN_SCHEMA, name=None,
                   reads=lineage_of(data), is_mask=False, stats=stats)


@_register(Family.SKLEARN, "metric")
def metric(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``accuracy_score(y_true, y_pred)``: an evaluation on the rows of ``y_true``."""
    y_true = args[0] if args else None
    y_pred = args[1] if len(args) > 1 else None
    truth = y_true.prov if isinstance(y_true, Data) else None
    node = ctx.emit(Operator.SCORE, function.name, parents_of(y_true, y_pred),
                    EvaluationInfo(kind=EvaluationKind.METRIC, truth=truth), visible=False)
    return Statistic(function.name, truth, frozenset(), node, None, False)


@_register(Family.SKLEARN, "resample", "shuffle")
def resample(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``resample(X, y)`` / ``shuffle(X, y)``: rows drawn from the inputs' rows (with replacement: duplicates)."""
    with_replacement = kwargs.get("replace", Const(True) if function.name == "resample" else Const(False))
    outputs = []
    for value in args:
        if isinstance(value, Data):
            node = ctx.emit(Operator.SELECTION, function.name, parents_of(value),
                            SelectionInfo(filter=RowFilter.RESAMPLE,
                                          replace=isinstance(with_replacement, Const)
                                          and with_replacement.value is True),
                            visible=False)
            outputs.append(replace(value, nodes=(node,), is_mask=False))
        else:
            outputs.append(TOP)
    return outputs[0] if len(outputs) == 1 else Seq(tuple(outputs), SeqKind.LIST)


@_register(Family.SKLEARN, "dataset")
def dataset(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``load_iris(return_X_y=True)``: a data source of unknown schema (as X and y when asked so);
    the ``make_*`` generators of ``knowledge.datasets`` always return ``(X, y)``."""
    node = ctx.emit(Operator.DATA_SOURCE, function.name, [], visible=False)
    data = Data(DataKind.FRAME if _truthy(kwargs.get("as_frame")) else DataKind.ARRAY, (node,), UNKNOWN_SCHEMA,
                prov=Provenance.of_source(node.id))
    flags = XY_GENERATORS.get(function.name)
    if flags is not None and any(flag in kwargs and not _false(kwargs[flag]) for flag in flags):
        return TOP   # a flag that may add outputs: (X, y, coef)
    if flags is not None or _truthy(kwargs.get("return_X_y")):
        target = Data(DataKind.ARRAY, (node,), UNKNOWN_SCHEMA, prov=Provenance.of_source(node.id))
        return Seq((data, target), SeqKind.TUPLE)
    return TOP


@_register(Family.SKLEARN, "clone")
def clone(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return composites.clone(args[0]) if args and isinstance(args[0], Estimator) else TOP


@_register(Family.SKLEARN, "column_selector")
def column_selector(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``make_column_selector(dtype_include=...)``: the columns it picks are not known statically."""
    return TOP


@_register(Family.SKLEARN, "pipeline_factory")
def pipeline_factory(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``make_pipeline(a, b)``, ``make_union(...)``, ``make_column_transformer((t, cols), ...)``."""
    name = function.name
    if name in ("make_pipeline", "make_union"):
        cls = "Pipeline" if name == "make_pipeline" else "FeatureUnion"
        module = "imblearn.pipeline" if function.modules[0].startswith("imblearn") else "sklearn.pipeline"
        info = lookup_class(f"{module}.{cls}") or lookup_class(f"sklearn.pipeline.{cls}")
        estimator = Estimator(f"{module}.{cls}", info, dict(kwargs), ctx.site)
        estimator.steps = [(composites.step_name(step, index), step) for index, step in enumerate(args)]
        return estimator
    if name == "make_column_transformer":
        info = lookup_class("sklearn.compose.ColumnTransformer")
        estimator = Estimator("sklearn.compose.ColumnTransformer", info, dict(kwargs), ctx.site)
        estimator.branches = [(composites.step_name(part.items[0], index), part.items[0], part.items[1])
                              for index, part in enumerate(args) if isinstance(part, Seq) and len(part.items) >= 2]
        estimator.remainder = kwargs.get("remainder", Const("drop"))
        return estimator
    return TOP


def _truthy(value: Value | None) -> bool:
    return isinstance(value, Const) and bool(value.value)


def _false(value: Value) -> bool:
    return isinstance(value, Const) and not value.value

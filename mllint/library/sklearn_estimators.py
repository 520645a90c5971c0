"""Models of estimator classes and their methods: ``StandardScaler()``, ``model.fit(X, y)``, ``pipe[-1]``.

Calling a class known to the estimator table (``knowledge.sklearn_api``)
builds an :class:`Estimator` value; its methods are looked up by name in
``knowledge.estimator_methods.ESTIMATOR_METHODS`` and handled here by effect
(fit, transform, predict, score...).  What a method does then depends on the
class's *kinds* (a predictor's fit trains a model, a transformer's learns
statistics, a splitter's ``split`` makes folds) and on its parts (composites,
``sklearn_composites``), never on the library the class comes from.
"""
from __future__ import annotations

from ..domains.data_ops import arg, parents_of
from ..domains.values import TOP, Const, Data, DictV, Estimator, Folds, Seq, SeqKind, Statistic, StatisticKind, Value
from ..knowledge.sklearn_api import EstimatorInfo
from ..plan import Operator, SplitInfo, SplitSide
from . import sklearn_composites as composites
from .context import CallContext
from .model_libraries import unwrap
from .registration import Family, HandlerTable
from .sklearn_steps import learns, predict as predict_node, resample
from .sklearn_steps import score as score_node

handlers = HandlerTable()
_register = handlers.register


# -- constructors (the receiver is the class's table entry; ``ctx.name`` its dotted path) ----------------------
def _constructed(ctx: CallContext, info: EstimatorInfo, args: list[Value], kwargs: dict[str, Value]) -> Estimator:
    params = dict(zip(info.params, args))
    params.update(kwargs)
    return Estimator(ctx.name, info, params, ctx.site)


@_register(Family.ESTIMATOR, "construct")
def construct(ctx: CallContext, info: EstimatorInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return _constructed(ctx, info, args, kwargs)


@_register(Family.ESTIMATOR, "construct_pipeline")
def construct_pipeline(ctx: CallContext, info: EstimatorInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    estimator = _constructed(ctx, info, args, kwargs)
    estimator.steps = composites.named_parts(estimator.params.get("steps"))
    return estimator


@_register(Family.ESTIMATOR, "construct_union")
def construct_union(ctx: CallContext, info: EstimatorInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    estimator = _constructed(ctx, info, args, kwargs)
    estimator.steps = composites.named_parts(estimator.params.get("transformer_list"))
    return estimator


@_register(Family.ESTIMATOR, "construct_column_transformer")
def construct_column_transformer(ctx: CallContext, info: EstimatorInfo, args: list[Value],
                                 kwargs: dict[str, Value]) -> Value:
    estimator = _constructed(ctx, info, args, kwargs)
    estimator.branches = composites.branches(estimator.params.get("transformers"))
    estimator.remainder = estimator.params.get("remainder", Const("drop"))
    return estimator


# -- methods ------------------------------------------------------------------------------------------------------
def _X(args: list[Value], kwargs: dict[str, Value]) -> Value | None:
    """The features; a data container (``catboost.Pool``) stands for the features it wraps."""
    return unwrap(arg(args, kwargs, 0, "X"), None)[0]


def _y(args: list[Value], kwargs: dict[str, Value]) -> Value | None:
    """The label, or the label a data container passed as X wraps (``model.fit(Pool(X, y))``)."""
    return unwrap(arg(args, kwargs, 0, "X"), arg(args, kwargs, 1, "y"))[1]


@_register(Family.ESTIMATOR, "fit")
def fit(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``fit`` / ``partial_fit``: returns the estimator itself, now fitted."""
    composites.fit(ctx, estimator, _X(args, kwargs), _y(args, kwargs))
    return estimator


@_register(Family.ESTIMATOR, "fit_transform")
def fit_transform(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return composites.fit_transform(ctx, estimator, _X(args, kwargs), _y(args, kwargs))


@_register(Family.ESTIMATOR, "transform")
def transform(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return composites.transform(ctx, estimator, _X(args, kwargs))


@_register(Family.ESTIMATOR, "predict")
def predict(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``predict``, ``predict_proba``, ``decision_function``...: X through the steps, then the model."""
    X = _X(args, kwargs)
    final, features = composites.transform_to_final(ctx, estimator, X)
    return predict_node(ctx, final, X, features)


@_register(Family.ESTIMATOR, "score")
def score(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    X = _X(args, kwargs)
    final, features = composites.transform_to_final(ctx, estimator, X)
    return score_node(ctx, final, X, features, _y(args, kwargs))


@_register(Family.ESTIMATOR, "fit_predict")
def fit_predict(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    fit(ctx, estimator, args, kwargs)
    return predict(ctx, estimator, args, kwargs)


@_register(Family.ESTIMATOR, "fit_resample")
def fit_resample(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return resample(ctx, estimator, _X(args, kwargs), _y(args, kwargs))


@_register(Family.ESTIMATOR, "split")
def split(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """A splitter's folds: indexing with their indices narrows the rows to one side (``for tr, te in ...``)."""
    if "splitter" not in estimator.kinds:
        return TOP
    node = ctx.emit(Operator.TRAIN_TEST_SPLIT, f"{estimator.class_name}.split", parents_of(_X(args, kwargs)),
                    SplitInfo(side=SplitSide.FOLDS, cross_validation=True), visible=False)
    return Folds(node.id)


@_register(Family.ESTIMATOR, "same")
def same(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``set_params`` / ``set_output``: the estimator itself."""
    return estimator


@_register(Family.ESTIMATOR, "inverse_transform")
def inverse_transform(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    X = _X(args, kwargs)
    return X if isinstance(X, Data) else TOP


@_register(Family.ESTIMATOR, "selected_features")
def selected_features(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``selector.get_support()`` (or ``support_``): the columns a fitted feature selector kept.

    Which columns those are depends on the rows it was fit on (and their labels): a frame
    narrowed to them (``X.loc[:, support]``, ``df[X.columns[support]]``) carries the selection
    as a statistic, so a selection fit before the split is seen as the leak it is (ML101)."""
    if "transformer" not in estimator.kinds or not estimator.fits:
        return TOP
    prov, node = estimator.fits[-1]
    if prov is None:
        return TOP
    return Statistic(f"{estimator.class_name}.{ctx.name}", prov, frozenset(), node, estimator,
                     learns(estimator), StatisticKind.SELECTION)


# -- attributes and subscripts -------------------------------------------------------------------------------------
def attribute(ctx: CallContext, estimator: Estimator, attr: str) -> Value:
    """``pipe.named_steps``, ``pipe.steps``, ``search.best_estimator_``, a selector's ``support_``;
    other attributes are unknown."""
    if attr == "support_":
        return selected_features(ctx, estimator, [], {})
    if attr == "named_steps":
        return DictV(tuple(Const(n) for n, _ in estimator.steps), tuple(s for _, s in estimator.steps))
    if attr == "steps":
        return Seq(tuple(Seq((Const(n), s), SeqKind.TUPLE) for n, s in estimator.steps))
    if attr in ("best_estimator_", "estimator_"):
        if estimator.fitted_inner is not None:
            return estimator.fitted_inner
        inner = estimator.params.get("estimator", estimator.params.get("base_estimator"))
        return inner if isinstance(inner, Estimator) else TOP
    return TOP


def getitem(ctx: CallContext, estimator: Estimator, key: Value) -> Value:
    """``pipe[0]``, ``pipe["model"]``: that step."""
    if isinstance(key, Const) and estimator.steps:
        if isinstance(key.value, int):
            try:
                return estimator.steps[key.value][1]
            except IndexError:
                return TOP
        for name, step in estimator.steps:
            if name == key.value:
                return step
    return TOP

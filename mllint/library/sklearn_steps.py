"""What one estimator (a leaf: no parts of its own) does to the plan when it is fit or applied.

These are the building blocks the composites (``sklearn_composites``) and the
method handlers (``sklearn_estimators``) share.  They follow mlinspect's
conventions: transformer and model nodes sit at the estimator's *constructor*
(``at=estimator.site``), while the call that ran them is kept in the record
(``call=ctx.site``) and test nodes sit at the ``.score(...)`` call.  Every
fit is remembered on the estimator (``fits``: the rows it saw and its plan
node), which is what the leakage rules later ask about.
"""
from __future__ import annotations

from dataclasses import replace

from ..domains.data_ops import columns_of, lineage_of, parents_of, stats_of
from ..domains.schema import UNKNOWN_SCHEMA, Schema
from ..domains.values import TOP, Const, Data, DataKind, Estimator, Seq, SeqKind, Statistic, Value
from ..knowledge.display_names import MLINSPECT_COLUMN_PRESERVING, display_name, mlinspect_name
from ..knowledge.estimator_methods import COLUMN_WISE_TRANSFORMERS, PREDICTOR_KINDS, composite_kind
from ..plan import (NO_FEATURES, EvaluationInfo, EvaluationKind, Features, FitInfo, ModelInputInfo, Operator, Phase,
                    PlanNode, TransformInfo)
from .context import CallContext


# -- what the knowledge says about an estimator ----------------------------------------------------
def is_predictor(estimator: Estimator) -> bool:
    """Its ``fit`` trains a model (classifier, regressor, clusterer...)."""
    return bool(estimator.kinds & PREDICTOR_KINDS)


def learns(estimator: Estimator) -> bool:
    return bool(estimator.info.learns_statistics) if estimator.info is not None else False


def wrapped(estimator: Estimator, fitted: bool = True) -> Value | None:
    """The sub-estimator a meta-estimator (search, wrapper) fits, when it holds a known one: its fitted
    copy once the wrapper was fit (``fitted``), else the one it was given."""
    if fitted and estimator.fitted_inner is not None:
        return estimator.fitted_inner
    if estimator.info is None or "meta" not in estimator.info.kinds or composite_kind(estimator.class_name):
        return None
    for param in estimator.info.estimator_params or ("estimator",):
        value = estimator.params.get(param)
        if isinstance(value, Estimator):
            return value
    return None


def features(X: Value | None) -> Features:
    """What the rules need to know about the features a model is fit or evaluated on."""
    if not isinstance(X, Data):
        return NO_FEATURES
    return Features(rows=X.prov, schema=X.schema if X.kind is DataKind.FRAME else None, statistics=X.stats,
                    lineage=lineage_of(X))


def record_fit(estimator: Estimator, X: Value | None, node: PlanNode | None = None) -> None:
    """The estimator saw the rows of ``X`` (and, for a frame, its columns: ML304 compares them)."""
    prov = X.prov if isinstance(X, Data) else None
    estimator.fits.append((prov, node))
    if isinstance(X, Data) and X.kind is DataKind.FRAME:
        estimator.fit_schema = X.schema


# -- fit side ----------------------------------------------------------------------------------------
def fit_model(ctx: CallContext, estimator: Estimator, X: Value | None, y: Value | None) -> None:
    """TRAIN_DATA + TRAIN_LABELS -> ESTIMATOR, all at the estimator's constructor."""
    name = estimator.class_name
    visible = mlinspect_name(name) is not None
    site = estimator.site
    train = ctx.emit(Operator.TRAIN_DATA, None, parents_of(X), ModelInputInfo(estimator=estimator),
                     visible=visible, at=site, columns=["array"])
    parents = [train]
    if y is not None:
        labels = ctx.emit(Operator.TRAIN_LABELS, None, parents_of(y), ModelInputInfo(estimator=estimator),
                          visible=visible, at=site, columns=["array"])
        parents.append(labels)
    fitted = ctx.emit(Operator.ESTIMATOR, display_name(name), parents,
                      FitInfo(estimator=estimator, features=features(X), call=ctx.site,
                              label_lineage=lineage_of(y) if y is not None else frozenset()),
                      visible=visible, at=site, columns=[])
    estimator.estimator_node = fitted
    record_fit(estimator, X, fitted)


def fit_transformer(ctx: CallContext, estimator: Estimator, X: Value | None) -> None:
    """``scaler.fit(X)``: the transformer learns from X; nothing is transformed yet."""
    node = ctx.emit(Operator.TRANSFORMER, f"{display_name(estimator.class_name)}: fit", parents_of(X),
                    TransformInfo(phase=Phase.FIT, learns=learns(estimator), estimator=estimator, call=ctx.site),
                    visible=False, at=estimator.site)
    record_fit(estimator, X, node)


def resample(ctx: CallContext, estimator: Estimator, X: Value | None, y: Value | None) -> Value:
    """``sampler.fit_resample(X, y)``: new rows from X's rows; oversamplers duplicate some (ML102)."""
    modules = estimator.info.modules if estimator.info is not None else ()
    oversampling = any(m.startswith(("imblearn.over_sampling", "imblearn.combine")) for m in modules)
    node = ctx.emit(Operator.TRANSFORMER, f"{display_name(estimator.class_name)}: fit_resample", parents_of(X, y),
                    TransformInfo(phase=Phase.FIT_RESAMPLE, estimator=estimator, resampler=True,
                                  duplicates_rows=oversampling, call=ctx.site),
                    visible=False, at=estimator.site)
    estimator.fits.append((X.prov if isinstance(X, Data) else None, node))
    outputs = [replace(value, nodes=(node,), reads=lineage_of(value), is_mask=False) if isinstance(value, Data)
               else TOP for value in (X, y)]
    return Seq(tuple(outputs), SeqKind.TUPLE)


# -- transform side ------------------------------------------------------------------------------------
def transform_leaf(ctx: CallContext, estimator: Estimator, X: Value | None, phase: str) -> Value:
    """``transform`` / ``fit_transform`` of one transformer: an array carrying the transformer's mark.

    Every transformer leaves a statistic on its output (ML301 compares the marks of
    train and test features); only those that learn from the values (not just the
    category set) can leak (ML101).
    """
    name = estimator.class_name
    visible = mlinspect_name(name) is not None
    if isinstance(X, Data) and X.kind is DataKind.FRAME and name in MLINSPECT_COLUMN_PRESERVING:
        columns = list(X.schema.names)
    else:
        columns = ["array"]
    learned = learns(estimator)
    node = ctx.emit(Operator.TRANSFORMER, f"{display_name(name)}: {phase}", parents_of(X),
                    TransformInfo(phase=Phase(phase), learns=learned, estimator=estimator, call=ctx.site),
                    visible=visible, at=estimator.site, columns=columns)
    if phase != "transform":
        record_fit(estimator, X, node)
    stats = stats_of(X) if X is not None else ()
    seen = estimator.fits[-1][0] if estimator.fits else None
    fit_node = estimator.fits[-1][1] if estimator.fits else node
    category_only = bool(estimator.info is not None and estimator.info.category_only)
    stats = stats + (Statistic(f"{name}.{phase}", seen if learned else None,
                               lineage_of(X) if X is not None else frozenset(), fit_node, estimator,
                               learned and not category_only and bool(estimator.fits),
                               categories=learned and category_only and bool(estimator.fits)),)
    return Data(DataKind.ARRAY, (node,), column_wise_schema(estimator, X), prov=X.prov if isinstance(X, Data) else None,
                reads=lineage_of(X) if X is not None else frozenset(), stats=stats)


def column_wise_schema(estimator: Estimator, X: Value | None) -> Schema:
    """The output's columns, position by position, when each comes from the same input column
    (``COLUMN_WISE_TRANSFORMERS``) and the input's columns are all known; else unknown."""
    if not isinstance(X, Data) or X.schema.open or not X.schema.columns \
            or estimator.class_name not in COLUMN_WISE_TRANSFORMERS:
        return UNKNOWN_SCHEMA
    condition = COLUMN_WISE_TRANSFORMERS[estimator.class_name]
    if condition is not None:
        param, allowed = condition
        value = estimator.params.get(param)
        if value is not None and not (isinstance(value, Const) and str(value.value) in allowed):
            return UNKNOWN_SCHEMA
        if value is None and param == "encode":   # KBinsDiscretizer's default is one-hot
            return UNKNOWN_SCHEMA
    return Schema(X.schema.columns, open=False)


# -- predictions and scores ------------------------------------------------------------------------------
def predict(ctx: CallContext, final: Estimator, X: Value | None, features_in: Value | None) -> Value:
    """``model.predict(X)`` once X went through the steps before ``final``: a PREDICT node (hidden)."""
    parents = parents_of(features_in) + ([final.estimator_node] if final.estimator_node is not None else [])
    node = ctx.emit(Operator.PREDICT, f"{display_name(final.class_name)}: {ctx.name}", parents,
                    EvaluationInfo(kind=EvaluationKind.PREDICT, estimator=final, method=ctx.name,
                                   features=features(features_in), inputs=tuple(parents_of(X))), visible=False)
    prov = features_in.prov if isinstance(features_in, Data) else None
    return Data(DataKind.ARRAY, (node,), UNKNOWN_SCHEMA, prov=prov)


def score(ctx: CallContext, final: Estimator, X: Value | None, features_in: Value | None,
          y: Value | None) -> Value:
    """``model.score(X, y)``: TEST_DATA + TEST_LABELS -> SCORE at the call, as mlinspect draws it."""
    visible = mlinspect_name(final.class_name) is not None
    test = ctx.emit(Operator.TEST_DATA, None, parents_of(features_in), ModelInputInfo(estimator=final),
                    visible=visible, columns=columns_of(features_in) if features_in is not None else ["array"])
    labels = ctx.emit(Operator.TEST_LABELS, None, parents_of(y), ModelInputInfo(estimator=final),
                      visible=visible, columns=columns_of(y) if y is not None else ["array"])
    parents = ([final.estimator_node] if final.estimator_node is not None else []) + [test, labels]
    node = ctx.emit(Operator.SCORE, display_name(final.class_name), parents,
                    EvaluationInfo(kind=EvaluationKind.SCORE, estimator=final, features=features(features_in),
                                   inputs=tuple(parents_of(X))),
                    visible=visible, columns=[])
    return Statistic("score", features_in.prov if isinstance(features_in, Data) else None, frozenset(), node,
                     None, False)

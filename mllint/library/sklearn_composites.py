"""Estimators made of estimators: Pipeline, FeatureUnion, ColumnTransformer, searches and wrappers.

A composite is an :class:`Estimator` value holding its parts (``steps`` of a
Pipeline or FeatureUnion, ``branches`` of a ColumnTransformer, the
sub-estimator a search or wrapper holds in its parameters).  Fitting or
applying one expands, recursively, into the per-part plan nodes of
``sklearn_steps`` -- a Pipeline's fit is its steps' ``fit_transform`` then the
final step's fit -- so the plan looks like mlinspect's DAG and the rules see
each part's rows.  ColumnTransformer projections and its concatenation sit at
its constructor.  Which class is which composite comes from
``knowledge.estimator_methods.COMPOSITES``.
"""
from __future__ import annotations

from dataclasses import replace

from ..domains.data_ops import const_str, const_strings, lineage_of, parents_of, stats_of
from ..domains.schema import UNKNOWN_SCHEMA
from ..domains.values import TOP, Const, Data, DataKind, Estimator, Seq, Value
from ..knowledge.estimator_methods import composite_kind
from ..plan import EvaluationInfo, EvaluationKind, Operator
from .context import CallContext
from .sklearn_steps import (features, fit_model, fit_transformer, is_predictor, record_fit, resample,
                            transform_leaf, wrapped)


# -- construction ----------------------------------------------------------------------------------------
def named_parts(value: Value | None) -> list[tuple[str, Value]]:
    """``[("scale", StandardScaler()), ...]`` -> the named steps (unnamed ones get ``step<i>``)."""
    parts = []
    if isinstance(value, Seq):
        for index, item in enumerate(value.items):
            if isinstance(item, Seq) and len(item.items) >= 2:
                parts.append((const_str(item.items[0]) or f"step{index}", item.items[1]))
    return parts


def branches(value: Value | None) -> list[tuple[str, Value, Value]]:
    """ColumnTransformer's ``transformers``: ``(name, transformer, columns)`` triples."""
    found = []
    if isinstance(value, Seq):
        for index, item in enumerate(value.items):
            if isinstance(item, Seq) and len(item.items) >= 3:
                found.append((const_str(item.items[0]) or f"branch{index}", item.items[1], item.items[2]))
    return found


def step_name(step: Value, index: int) -> str:
    """The name ``make_pipeline`` gives a step: its class name in lower case."""
    return step.class_name.lower() if isinstance(step, Estimator) else f"step{index}"


def clone(value: Value) -> Value:
    """``sklearn.clone``: a fresh, unfitted copy, nested steps included."""
    if not isinstance(value, Estimator):
        return value
    return Estimator(value.qualname, value.info, dict(value.params), value.site,
                     [(name, clone(step)) for name, step in value.steps],
                     [(name, clone(part), columns) for name, part, columns in value.branches],
                     clone(value.remainder) if value.remainder is not None else None)


# -- fit side ----------------------------------------------------------------------------------------------
def fit(ctx: CallContext, estimator: Estimator, X: Value | None, y: Value | None) -> None:
    """``estimator.fit(X, y)``, whatever the estimator is made of."""
    kind = composite_kind(estimator.class_name)
    if kind == "pipeline":
        current = X
        steps = [s for s in estimator.steps if isinstance(s[1], Estimator)]
        for _, step in steps[:-1]:
            if "resampler" in step.kinds:   # imblearn pipelines resample X and y while fitting
                resampled = resample(ctx, step, current, y)
                current, y = resampled.items[0], (resampled.items[1] if y is not None else None)
                continue
            current = apply_transform(ctx, step, current, "fit_transform", y)
        if steps:
            final = steps[-1][1]
            if is_predictor(final):
                fit_model(ctx, final, current, y)
            elif "transformer" in final.kinds or final.info is None:
                apply_transform(ctx, final, current, "fit_transform", y)
        record_fit(estimator, X)
        return
    if kind in ("column_transformer", "union"):
        apply_transform(ctx, estimator, X, "fit_transform", y)
        return
    inner = wrapped(estimator, fitted=False)
    if "search" in estimator.kinds or inner is not None:
        if isinstance(inner, Estimator):
            # the refit of the best candidate (a clone of the wrapped model) on all of X
            inner = clone(inner)
            inner.names.extend(estimator.names)
            estimator.fitted_inner = inner
            fit(ctx, inner, X, y)
            if cross_validates(estimator):
                # the candidates were scored by an internal cross-validation over the rows of X
                ctx.emit(Operator.SCORE, f"{estimator.class_name} (internal cross-validation)", parents_of(X, y),
                         EvaluationInfo(kind=EvaluationKind.CROSS_VALIDATION, estimator=inner, features=features(X),
                                        inputs=tuple(parents_of(X))), visible=False)
        if "transformer" in estimator.kinds and "search" not in estimator.kinds:
            fit_transformer(ctx, estimator, X)   # RFE, SelectFromModel: the selection learns from X (and y)
        else:
            record_fit(estimator, X)
        return
    if is_predictor(estimator):
        fit_model(ctx, estimator, X, y)
        return
    if "transformer" in estimator.kinds:
        fit_transformer(ctx, estimator, X)
        return
    record_fit(estimator, X)


def cross_validates(estimator: Estimator) -> bool:
    """Whether fitting splits the rows into folds to score candidates: hyper-parameter searches and
    the ``*CV`` wrappers with a ``cv`` parameter (``RFECV``, ``CalibratedClassifierCV``).  Other
    meta-estimators (``BaggingClassifier``, ``RFE``, ``OneVsRestClassifier``) hold a model but do
    not split."""
    info = estimator.info
    if "search" in estimator.kinds:
        return True
    return info is not None and info.name.endswith("CV") and "cv" in info.params


def fit_transform(ctx: CallContext, estimator: Estimator, X: Value | None, y: Value | None) -> Value:
    """``estimator.fit_transform(X, y)``: each step fit on, and applied to, the previous step's output."""
    if composite_kind(estimator.class_name) == "pipeline" or "search" in estimator.kinds:
        current = X
        for step in [s for _, s in estimator.steps if isinstance(s, Estimator)]:
            current = apply_transform(ctx, step, current, "fit_transform", y)
        record_fit(estimator, X)
        return current
    return apply_transform(ctx, estimator, X, "fit_transform", y)


# -- transform side ------------------------------------------------------------------------------------------
def transform(ctx: CallContext, estimator: Estimator, X: Value | None) -> Value:
    """``estimator.transform(X)`` with what earlier fits learned."""
    if composite_kind(estimator.class_name) == "pipeline":
        current = X
        for _, step in estimator.steps:
            if isinstance(step, Estimator):
                current = apply_transform(ctx, step, current, "transform", None)
        return current
    return apply_transform(ctx, estimator, X, "transform", None)


def apply_transform(ctx: CallContext, estimator: Value, X: Value | None, phase: str, y: Value | None) -> Value:
    """Run one (possibly composite) transformer on X, emitting its per-step nodes."""
    if not isinstance(estimator, Estimator):
        if isinstance(estimator, Const) and estimator.value == "passthrough":
            return X if X is not None else TOP
        return ctx.unknown("unknown transformer", [X or TOP]) if isinstance(X, Data) else TOP
    kind = composite_kind(estimator.class_name)
    if kind == "pipeline":
        current = X
        for _, step in estimator.steps:
            current = apply_transform(ctx, step, current, phase, y)
        if phase != "transform":
            record_fit(estimator, X)
        return current
    if kind == "column_transformer":
        return _column_transformer(ctx, estimator, X, phase, y)
    if kind == "union":
        outputs = [apply_transform(ctx, step, X, phase, y) for _, step in estimator.steps]
        datas = [o for o in outputs if isinstance(o, Data)]
        concat = ctx.emit(Operator.CONCATENATION, "FeatureUnion", parents_of(*datas), visible=False,
                          at=estimator.site, columns=["array"])
        return _concatenated(concat, X, datas)
    if "resampler" in estimator.kinds and phase == "transform":
        return X if X is not None else TOP   # samplers only act while fitting
    return transform_leaf(ctx, estimator, X, phase)


def _column_transformer(ctx: CallContext, estimator: Estimator, X: Value | None, phase: str,
                        y: Value | None) -> Value:
    """Each branch on its columns (a PROJECTION at the constructor), the remainder on the rest, concatenated."""
    outputs: list[Value] = []
    used: list[str] = []
    for _, part, columns in estimator.branches:
        if isinstance(part, Const) and part.value == "drop":
            continue
        names = const_strings(columns)
        if names is not None and isinstance(X, Data) and X.kind is DataKind.FRAME:
            used.extend(names)
            projection = ctx.emit(Operator.PROJECTION, f"to {names}", parents_of(X), at=estimator.site,
                                  columns=names)
            branch_input: Value = replace(X, nodes=(projection,), schema=X.schema.project(names), name=None,
                                          reads=X.schema.lineage_of(names), is_mask=False)
        elif isinstance(X, Data):
            branch_input = replace(X, kind=DataKind.FRAME, schema=UNKNOWN_SCHEMA, name=None, reads=lineage_of(X),
                                   is_mask=False)
        else:
            branch_input = TOP
        outputs.append(apply_transform(ctx, part, branch_input, phase, y))
    remainder = estimator.remainder
    if isinstance(X, Data) and remainder is not None and not (isinstance(remainder, Const)
                                                              and remainder.value == "drop"):
        rest = [n for n in X.schema.names if n not in used]
        rest_input = replace(X, kind=DataKind.FRAME,
                             schema=X.schema.project(rest) if not X.schema.open else UNKNOWN_SCHEMA, name=None,
                             reads=X.schema.lineage_of(rest) if not X.schema.open else lineage_of(X),
                             is_mask=False)
        outputs.append(apply_transform(ctx, remainder, rest_input, phase, y))
    datas = [o for o in outputs if isinstance(o, Data)]
    concat = ctx.emit(Operator.CONCATENATION, None, parents_of(*datas), at=estimator.site, columns=["array"])
    if phase != "transform":
        record_fit(estimator, X)
    return _concatenated(concat, X, datas)


def _concatenated(concat, X: Value | None, datas: list[Data]) -> Data:
    """The array of parts side by side: X's rows, every part's lineage and statistics."""
    return Data(DataKind.ARRAY, (concat,), UNKNOWN_SCHEMA, prov=X.prov if isinstance(X, Data) else None,
                reads=frozenset().union(*(lineage_of(d) for d in datas)) if datas else frozenset(),
                stats=stats_of(*datas))


# -- predictions and scores ------------------------------------------------------------------------------------
def transform_to_final(ctx: CallContext, estimator: Estimator, X: Value | None) -> tuple[Estimator, Value | None]:
    """The model that predicts, and X as it reaches it (through a Pipeline's steps, into a wrapper)."""
    if composite_kind(estimator.class_name) == "pipeline":
        steps = [s for _, s in estimator.steps if isinstance(s, Estimator)]
        current = X
        for step in steps[:-1]:
            current = apply_transform(ctx, step, current, "transform", None)
        return (steps[-1] if steps else estimator), current
    inner = wrapped(estimator)
    if isinstance(inner, Estimator):
        return transform_to_final(ctx, inner, X)
    return estimator, X

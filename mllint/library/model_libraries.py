"""Models of libraries whose models are not called like scikit-learn's: keras, statsmodels, native boosting.

The classes and functions are rows of ``knowledge.native_models`` (and the
keras wrappers of ``knowledge.extra_estimators``); a class's ``protocol`` picks
its method table (``knowledge.estimator_methods.PROTOCOL_METHODS``) and the
handlers here model the effects those tables name.  They reuse the plan
building blocks of ``sklearn_steps`` (TRAIN_DATA / TRAIN_LABELS -> ESTIMATOR,
PREDICT, SCORE), so every rule sees a keras model, a statsmodels fit or a
Booster exactly as it sees a scikit-learn classifier.  Where the code does
something these models cannot read (a formula with transformed terms, a data
container of unknown origin), the features are unknown and no rule can fire.
"""
from __future__ import annotations

from dataclasses import replace

from ..domains.data_ops import arg, const_str, lineage_of, parents_of
from ..domains.schema import UNKNOWN_SCHEMA, Column, Schema
from ..domains.values import TOP, Const, Data, DataKind, DataMatrix, Estimator, Seq, SeqKind, Statistic, Value
from ..knowledge.estimator_methods import PROTOCOL_INPUTS
from ..knowledge.native_models import FORMULA_MODELS
from ..knowledge.sklearn_api import FunctionInfo, booster_info, lookup_class, results_info
from ..plan import EvaluationInfo, EvaluationKind, Operator
from . import sklearn_composites as composites
from .context import CallContext
from .indexing import data_getitem
from .registration import Family, HandlerTable
from .sklearn_steps import features, fit_model
from .sklearn_steps import predict as predict_node
from .sklearn_steps import score as score_node

handlers = HandlerTable()
_register = handlers.register


def unwrap(X: Value | None, y: Value | None) -> tuple[Value | None, Value | None]:
    """A data container stands for its features, and for its label when no label is passed beside it."""
    if isinstance(X, DataMatrix):
        return X.features, (X.label if y is None else y)
    return X, y


def _inputs(estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> tuple[Value | None, Value | None]:
    """Features and label of a method call, by the argument names of the estimator's protocol."""
    protocol = estimator.info.protocol if estimator.info is not None else "sklearn"
    x_name, y_name = PROTOCOL_INPUTS.get(protocol, PROTOCOL_INPUTS["sklearn"])
    return unwrap(arg(args, kwargs, 0, x_name), arg(args, kwargs, 1, y_name))


# -- estimator methods ----------------------------------------------------------------------------------------
@_register(Family.ESTIMATOR, "fit_in_place")
def fit_in_place(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """keras ``model.fit(x, y, ...)``: the model is trained in place; the call returns a History (unknown)."""
    X, y = _inputs(estimator, args, kwargs)
    if _reconstructs(X, y):   # an autoencoder: its "label" is its input, not a target the features could leak
        y = None
    composites.fit(ctx, estimator, X, y)
    return TOP


def _reconstructs(X: Value | None, y: Value | None) -> bool:
    """``fit(X, X)``, ``fit(x[:n], x[:n])``: the target is the features themselves (the same source columns;
    each spelling of a row slice is a selection of its own, so rows are not compared).  When the label's
    source columns are exactly the features', lineage cannot tell a target leak from a reconstruction:
    precision first, the fit gets no label."""
    if X is y and X is not None:
        return True
    return (isinstance(X, Data) and isinstance(y, Data) and bool(lineage_of(X))
            and lineage_of(X) == lineage_of(y))


@_register(Family.ESTIMATOR, "fit_stored")
def fit_stored(ctx: CallContext, model: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """statsmodels ``sm.OLS(y, X).fit()``: fit on the constructor's data, label first; returns the results."""
    if model.info is None:
        return TOP
    results = Estimator(model.qualname, results_info(model.info), dict(model.params), model.site)
    X, y = unwrap(model.params.get("exog"), model.params.get("endog"))
    fit_model(ctx, results, X, y)
    return results


@_register(Family.ESTIMATOR, "predict_input")
def predict_input(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``model.predict(x)``, ``results.predict(exog)``, ``booster.predict(dtest)``: a prediction on x's rows."""
    X, _ = _inputs(estimator, args, kwargs)
    if "formula" in estimator.params:   # a formula model reads its columns from whatever frame it is given
        X = _formula_features(ctx, estimator.params["formula"], X)
    final, features_in = composites.transform_to_final(ctx, estimator, X)
    return predict_node(ctx, final, X, features_in)


@_register(Family.ESTIMATOR, "evaluate")
def evaluate(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """keras ``model.evaluate(x, y)`` (and a keras wrapper's ``score``): a score with the truth ``y``."""
    X, y = _inputs(estimator, args, kwargs)
    final, features_in = composites.transform_to_final(ctx, estimator, X)
    return score_node(ctx, final, X, features_in, y)


@_register(Family.ESTIMATOR, "nothing")
def nothing(ctx: CallContext, estimator: Estimator, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``compile``, ``add(layer)``, ``summary()``: no data flows, the call returns None."""
    return Const(None)


# -- module functions -------------------------------------------------------------------------------------------
@_register(Family.SKLEARN, "data_matrix")
def data_matrix(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``lgb.Dataset(X, label=y)``, ``xgb.DMatrix(X, y)``, ``Pool(X, y)``: the two, wrapped."""
    data = arg(args, kwargs, 0, "data")
    return DataMatrix(data if data is not None else TOP, arg(args, kwargs, 1, "label"))


def _train_set(function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> tuple[Value | None,
                                                                                                Value | None]:
    return unwrap(arg(args, kwargs, 1, function.params[1]), None)


@_register(Family.SKLEARN, "train_booster")
def train_booster(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``lgb.train(params, dtrain, ...)`` / ``xgb.train(params, dtrain, ...)``: a Booster fitted on dtrain."""
    library = function.modules[0]
    info = booster_info(library)
    if info is None:
        return TOP
    booster = Estimator(f"{library}.Booster", info, {}, ctx.site)
    X, y = _train_set(function, args, kwargs)
    fit_model(ctx, booster, X, y)
    return booster


@_register(Family.SKLEARN, "booster_cv")
def booster_cv(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``lgb.cv(params, dtrain)`` / ``xgb.cv(params, dtrain)``: an evaluation whose folds are internal."""
    X, y = _train_set(function, args, kwargs)
    node = ctx.emit(Operator.SCORE, f"{function.modules[0]}.cv", parents_of(X, y),
                    EvaluationInfo(kind=EvaluationKind.CROSS_VALIDATION, features=features(X),
                                   inputs=tuple(parents_of(X))), visible=False)
    return Statistic(function.name, X.prov if isinstance(X, Data) else None, frozenset(), node)


@_register(Family.SKLEARN, "add_constant")
def add_constant(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``sm.add_constant(X)``: the same rows, one more column ``const`` (first unless ``prepend=False``)."""
    data = arg(args, kwargs, 0, "data")
    if not isinstance(data, Data):
        return TOP
    prepend = arg(args, kwargs, 1, "prepend")
    first = not (isinstance(prepend, Const) and prepend.value is False)
    const = Column("const", frozenset())
    if data.kind is DataKind.ARRAY:
        kind, schema = DataKind.ARRAY, UNKNOWN_SCHEMA
    elif data.kind is DataKind.SERIES:
        if data.name is None:
            return TOP
        column = Column(data.name, data.reads)
        kind, schema = DataKind.FRAME, Schema((const, column) if first else (column, const), False)
    elif data.schema.get("const") is not None:   # has_constant='skip'
        return data
    else:
        columns = data.schema.columns
        kind, schema = DataKind.FRAME, Schema((const, *columns) if first else (*columns, const), data.schema.open)
    node = ctx.emit(Operator.PROJECTION_MODIFY, "add_constant", parents_of(data), visible=False,
                    columns=list(schema.names) if kind is DataKind.FRAME else ["array"], schema=schema)
    return replace(data, kind=kind, nodes=(node,), schema=schema, name=None, is_mask=False)


def formula_terms(formula: str) -> tuple[str | None, tuple[str, ...] | None]:
    """``"y ~ a + b"`` -> ``("y", ("a", "b"))``: the label when the left side is a plain name, the feature
    columns when every term of the right side is one (None where a side is anything else)."""
    left, tilde, right = formula.partition("~")
    if not tilde:
        return None, None
    label = left.strip()
    terms = tuple(term.strip() for term in right.split("+"))
    plain = bool(terms) and all(term.isidentifier() for term in terms)
    return (label if label.isidentifier() else None), (terms if plain else None)


@_register(Family.SKLEARN, "formula_model")
def formula_model(ctx: CallContext, function: FunctionInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``smf.ols("y ~ a + b", data=df)``: the model class built on df's rows, label and features from the formula."""
    class_name = FORMULA_MODELS.get(function.name)
    info = lookup_class(f"statsmodels.api.{class_name}") if class_name is not None else None
    if info is None:
        return TOP
    formula = const_str(arg(args, kwargs, 0, "formula"))
    data = arg(args, kwargs, 1, "data")
    label = formula_terms(formula)[0] if formula is not None else None
    y: Value = TOP
    if isinstance(data, Data) and data.kind is DataKind.FRAME and label is not None:
        y = data_getitem(ctx, data, [Const(label)])
    formula_value = Const(formula) if formula is not None else TOP
    X = _formula_features(ctx, formula_value, data)
    return Estimator(f"statsmodels.api.{class_name}", info, {"endog": y, "exog": X, "formula": formula_value},
                     ctx.site)


def _formula_features(ctx: CallContext, formula: Value, data: Value | None) -> Value:
    """The columns a formula's right side names, taken from ``data``; unknown columns of data's rows when
    any term is more than a plain name (or the formula is not a literal)."""
    if not (isinstance(data, Data) and data.kind is DataKind.FRAME):
        return TOP
    text = const_str(formula)
    terms = formula_terms(text)[1] if text is not None else None
    if terms is not None:
        return data_getitem(ctx, data, [Seq(tuple(Const(t) for t in terms), SeqKind.LIST)])
    return replace(data, schema=UNKNOWN_SCHEMA, name=None, reads=frozenset(), is_mask=False)

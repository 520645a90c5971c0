"""Models whose API is not scikit-learn's: keras models, statsmodels, the boosting libraries' native API.

Reviewed by hand, like ``extra_estimators`` (these packages are not installed
at development time and are never imported): class rows in the estimator
table's JSON shape with a ``protocol`` naming their method table
(``estimator_methods.PROTOCOL_METHODS``), and function rows in the function
table's shape whose ``kind`` names a handler of ``mllint.library.model_libraries``.
The review note above each group gives the signatures the rows rest on.
Every entry has a test in ``tests/test_model_libraries.py``.
"""
from __future__ import annotations

from typing import Any


def _model(name: str, modules: list[str], protocol: str, methods: list[str], params: list[str],
           fit_params: list[str]) -> dict[str, Any]:
    """A predictor of unknown task (kind ``model``): its fit learns from the rows and uses the label."""
    return {
        "name": name, "modules": modules, "kinds": ["model"], "protocol": protocol,
        "learns_statistics": True, "category_only": False, "uses_y": True, "uses_groups": False,
        "methods": methods, "conditional_methods": [], "fit_params": fit_params,
        "split_params": [], "params": params, "estimator_params": [],
    }


def _function(name: str, modules: list[str], kind: str, params: list[str]) -> dict[str, Any]:
    return {"name": name, "modules": modules, "kind": kind, "learns_statistics": False, "params": params}


# -- keras 2.x / 3.x and tf.keras: Sequential(layers=None, name=None); Model(inputs, outputs, name=None) (the
#    functional API); compile(optimizer, loss, metrics, ...) -> None; fit(x=None, y=None, batch_size=None,
#    epochs=1, verbose, callbacks, validation_split=0.0, validation_data=None, shuffle, class_weight,
#    sample_weight, initial_epoch, steps_per_epoch, ...) trains in place and returns a History;
#    predict(x, ...); evaluate(x=None, y=None, ...) -> loss / metrics.  Layers are opaque calls (no row).
#    ``keras.models.load_model`` has no row: a loaded model is unknown.
_KERAS_METHODS = ["add", "compile", "fit", "predict", "evaluate", "summary", "save"]
_KERAS_FIT = ["x", "y", "batch_size", "epochs", "verbose", "callbacks", "validation_split", "validation_data"]
_KERAS_SEQUENTIAL = ["keras", "keras.models", "tensorflow.keras", "tensorflow.keras.models",
                     "tensorflow.python.keras.models"]
_KERAS_MODEL = ["keras", "keras.models", "tensorflow.keras", "tensorflow.keras.models",
                "tensorflow.python.keras.models"]

# -- statsmodels 0.9 - 0.14: model classes take the data at construction, label first:
#    OLS(endog, exog=None, missing='none', hasconst=None, **kwargs); WLS / GLS likewise; Logit(endog, exog),
#    Probit, MNLogit, Poisson, NegativeBinomial (statsmodels.discrete.discrete_model); GLM(endog, exog,
#    family=None, ...); QuantReg(endog, exog); RLM(endog, exog, M=None).  ``fit()`` returns a results object
#    whose ``predict(exog=None, ...)`` applies the fitted model (protocol ``statsmodels_results``).
_SM_PARAMS = ["endog", "exog"]
_SM_API = "statsmodels.api"
_STATSMODELS = [
    ("OLS", "statsmodels.regression.linear_model"), ("WLS", "statsmodels.regression.linear_model"),
    ("GLS", "statsmodels.regression.linear_model"), ("Logit", "statsmodels.discrete.discrete_model"),
    ("Probit", "statsmodels.discrete.discrete_model"), ("MNLogit", "statsmodels.discrete.discrete_model"),
    ("Poisson", "statsmodels.discrete.discrete_model"),
    ("NegativeBinomial", "statsmodels.discrete.discrete_model"),
    ("GLM", "statsmodels.genmod.generalized_linear_model"),
    ("QuantReg", "statsmodels.regression.quantile_regression"),
    ("RLM", "statsmodels.robust.robust_linear_model"),
]

#: Model classes of other protocols than scikit-learn's, in the estimator table's JSON shape.
NATIVE_CLASSES: list[dict[str, Any]] = [
    _model("Sequential", _KERAS_SEQUENTIAL, "keras", _KERAS_METHODS, ["layers", "name"], _KERAS_FIT),
    _model("Model", _KERAS_MODEL, "keras", _KERAS_METHODS, ["inputs", "outputs", "name"], _KERAS_FIT),
    *(_model(name, [_SM_API, module], "statsmodels_model", ["fit", "fit_regularized"], _SM_PARAMS, [])
      for name, module in _STATSMODELS),
]

#: What a fitted statsmodels model is: ``model.fit()`` returns one (not a table entry: never constructed).
STATSMODELS_RESULTS_PROTOCOL = "statsmodels_results"

# -- lightgbm: Booster is what lightgbm.train(params, train_set, num_boost_round=100, valid_sets=None,
#    valid_names=None, ...) returns, Booster.predict(data, ...) applies it; xgboost.train(params, dtrain,
#    num_boost_round=10, *, evals=None, ...) -> Booster, Booster.predict(data: DMatrix, ...).  The Booster
#    classes have no row: a Booster constructed from a model file is unknown, like a loaded model.
#: Booster rows by library (the estimator made by a ``train_booster`` call).
BOOSTERS: dict[str, dict[str, Any]] = {
    library: _model("Booster", [library, f"{library}.{module}"], "booster", ["predict"], [], [])
    for library, module in (("lightgbm", "basic"), ("xgboost", "core"))
}

# -- data containers, features first and label second: lightgbm.Dataset(data, label=None, reference=None,
#    weight=None, group=None, ...); xgboost.DMatrix(data, label=None, *, weight=None, ...);
#    catboost.Pool(data, label=None, cat_features=None, ...).  Cross-validation over one: lightgbm.cv(params,
#    train_set, num_boost_round=100, folds=None, nfold=5, ...); xgboost.cv(params, dtrain, num_boost_round=10,
#    nfold=3, ...).
# -- statsmodels.tools.add_constant(data, prepend=True, has_constant='skip'): the rows of data plus a column
#    ``const``.  The formula API (statsmodels.formula.api): ols(formula, data, subset=None, drop_cols=None, ...)
#    and the same for the names of ``FORMULA_MODELS``: the model class's from_formula.
_FORMULA = ["formula", "data", "subset", "drop_cols"]

#: Model class built by each function of statsmodels' formula API.
FORMULA_MODELS: dict[str, str] = {
    "ols": "OLS", "wls": "WLS", "gls": "GLS", "logit": "Logit", "probit": "Probit", "mnlogit": "MNLogit",
    "poisson": "Poisson", "negativebinomial": "NegativeBinomial", "glm": "GLM", "quantreg": "QuantReg",
    "rlm": "RLM",
}

NATIVE_FUNCTIONS: list[dict[str, Any]] = [
    _function("Dataset", ["lightgbm", "lightgbm.basic"], "data_matrix", ["data", "label"]),
    _function("DMatrix", ["xgboost", "xgboost.core"], "data_matrix", ["data", "label"]),
    _function("Pool", ["catboost", "catboost.core"], "data_matrix", ["data", "label"]),
    _function("train", ["lightgbm", "lightgbm.engine"], "train_booster",
              ["params", "train_set", "num_boost_round", "valid_sets"]),
    _function("train", ["xgboost", "xgboost.training"], "train_booster",
              ["params", "dtrain", "num_boost_round", "evals"]),
    _function("cv", ["lightgbm", "lightgbm.engine"], "booster_cv", ["params", "train_set", "num_boost_round"]),
    _function("cv", ["xgboost", "xgboost.training"], "booster_cv", ["params", "dtrain", "num_boost_round"]),
    _function("add_constant", ["statsmodels.api", "statsmodels.tools", "statsmodels.tools.tools"],
              "add_constant", ["data", "prepend", "has_constant"]),
    *(_function(name, ["statsmodels.formula.api", "statsmodels.api.formula"], "formula_model", _FORMULA)
      for name in FORMULA_MODELS),
]

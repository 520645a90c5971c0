"""Estimators of other libraries with a scikit-learn-style API, reviewed by hand.

The generated table (``sklearn_estimators.json``) comes from scikit-learn and
imbalanced-learn themselves; these rows describe classes of packages mllint does
not install at development time, in the same shape (see
``sklearn_api.EstimatorInfo`` for the meaning of each field).  Each row was
checked against the library's API reference (the review note above it says
which signature); ``params`` is empty where the constructor takes keyword
arguments only.  A row here is all it takes for the estimator to be fitted,
scored and predicted with like a scikit-learn one: the handlers go by kinds
and by ``protocol`` (``estimator_methods.PROTOCOL_METHODS``), never by library.

Every row has a test in ``tests/test_model_libraries.py`` (fitted and applied
like a scikit-learn classifier/regressor) and golden cases in
``tests/golden/model_libraries.test``.
"""
from __future__ import annotations

from typing import Any


def _row(name: str, modules: list[str], kind: str, methods: list[str], fit_params: list[str],
         protocol: str = "sklearn") -> dict[str, Any]:
    """A supervised predictor: fit learns from the rows' values and uses ``y``."""
    row: dict[str, Any] = {
        "name": name, "modules": modules, "kinds": [kind],
        "learns_statistics": True, "category_only": False, "uses_y": True, "uses_groups": False,
        "methods": methods, "conditional_methods": [], "fit_params": fit_params,
        "split_params": [], "params": [], "estimator_params": [],
    }
    if protocol != "sklearn":
        row["protocol"] = protocol
    return row


# -- xgboost >= 1.6 (xgboost.sklearn): XGBClassifier(*, n_estimators=..., ...); fit(X, y, *, sample_weight,
#    base_margin, eval_set, verbose, xgb_model, sample_weight_eval_set, base_margin_eval_set, feature_weights)
_XGB_FIT = ["X", "y", "sample_weight", "base_margin", "eval_set", "verbose", "xgb_model",
            "sample_weight_eval_set", "base_margin_eval_set", "feature_weights"]
_XGB_METHODS = ["fit", "predict", "score", "apply", "evals_result", "get_booster", "get_params", "set_params",
                "save_model", "load_model"]
_XGB = ["xgboost", "xgboost.sklearn"]
#    XGBRanker.fit(X, y, *, group=None, qid=None, sample_weight=None, base_margin=None, eval_set=None,
#    eval_group=None, eval_qid=None, ...): relevance scores, kind "model".
_XGB_RANKER_FIT = ["X", "y", "group", "qid", "sample_weight", "base_margin", "eval_set", "eval_group", "eval_qid",
                   "verbose", "xgb_model", "sample_weight_eval_set", "base_margin_eval_set", "feature_weights"]

# -- lightgbm 3.x / 4.x (lightgbm.sklearn, ``__all__`` re-exported by lightgbm): LGBMModel(*, boosting_type,
#    num_leaves, ..., **kwargs); fit(X, y, sample_weight, init_score, eval_set, eval_names, eval_sample_weight,
#    eval_class_weight, eval_init_score, eval_metric, feature_name, categorical_feature, callbacks, init_model)
#    (3.x also early_stopping_rounds, verbose).  LGBMRanker.fit adds group / eval_group / eval_at and has no
#    score (no scikit-learn mixin): a predictor of relevance scores, kind "model".
_LGBM_FIT = ["X", "y", "sample_weight", "init_score", "eval_set", "eval_names", "eval_sample_weight",
             "eval_class_weight", "eval_init_score", "eval_metric", "feature_name", "categorical_feature",
             "callbacks", "init_model"]
_LGBM_RANKER_FIT = ["X", "y", "sample_weight", "init_score", "group", "eval_set", "eval_names",
                    "eval_sample_weight", "eval_init_score", "eval_group", "eval_metric", "eval_at", "feature_name",
                    "categorical_feature", "callbacks", "init_model"]
_LGBM_METHODS = ["fit", "predict", "score", "get_params", "set_params"]
_LGBM = ["lightgbm", "lightgbm.sklearn"]

# -- catboost 1.x (catboost.core, re-exported by catboost): CatBoostClassifier(iterations=None, learning_rate=None,
#    ..., cat_features=None, ...) -- all keyword in practice; fit(X, y=None, cat_features=None, text_features=None,
#    embedding_features=None, sample_weight=None, baseline=None, use_best_model=None, eval_set=None, verbose=None,
#    logging_level=None, plot=False, ...).  X may be a catboost.Pool (``model_libraries`` unwraps it).
_CATBOOST_FIT = ["X", "y", "cat_features", "text_features", "embedding_features", "sample_weight", "baseline",
                 "use_best_model", "eval_set", "verbose", "logging_level", "plot", "plot_file",
                 "column_description", "verbose_eval", "metric_period", "silent", "early_stopping_rounds",
                 "save_snapshot", "snapshot_file", "snapshot_interval", "init_model"]
_CATBOOST_METHODS = ["fit", "predict", "score", "get_params", "set_params", "save_model", "load_model",
                     "get_feature_importance"]
_CATBOOST = ["catboost", "catboost.core"]
#    CatBoost(params=None) (the base class, loss in params) and CatBoostRanker: fit(X, y=None, group_id=None,
#    ..., eval_set=None, ...): kind "model" (the task is in the parameters).
_CATBOOST_RANKER_FIT = ["X", "y", "group_id", "group_weight", "subgroup_id", "pairs", "pairs_weight",
                        "sample_weight", "baseline", "use_best_model", "eval_set", "verbose"]

# -- scikeras 0.x (scikeras.wrappers): KerasClassifier(model=None, *, build_fn=None, ..., **kwargs);
#    fit(X, y, sample_weight=None, **kwargs) returns self (scikit-learn conformant).
_SCIKERAS_FIT = ["X", "y", "sample_weight", "**kwargs"]

# -- keras / tf.keras <= 2.11 (keras.wrappers.scikit_learn): KerasClassifier(build_fn=None, **sk_params);
#    fit(x, y, **kwargs) returns the History of Sequential.fit, not the wrapper (protocol "keras_wrapper");
#    predict(x), predict_proba(x), score(x, y).
_KERAS_WRAPPER_FIT = ["x", "y", "**kwargs"]
_KERAS_WRAPPERS = ["keras.wrappers.scikit_learn", "tensorflow.keras.wrappers.scikit_learn",
                   "tensorflow.python.keras.wrappers.scikit_learn"]

# -- skorch (skorch.classifier / skorch.regressor, re-exported by skorch): NeuralNetClassifier(module, *args,
#    criterion=..., train_split=ValidSplit(5), **kwargs) subclasses NeuralNet and scikit-learn's ClassifierMixin
#    (NeuralNetRegressor: RegressorMixin); fit(X, y, **fit_params) returns self; partial_fit, predict,
#    predict_proba, score.
_SKORCH_FIT = ["X", "y", "**fit_params"]
_SKORCH_METHODS = ["fit", "partial_fit", "predict", "predict_proba", "score", "get_params", "set_params"]

#: One entry per class, in the table's JSON shape.
EXTRA_CLASSES: list[dict[str, Any]] = [
    _row("XGBClassifier", _XGB, "classifier", _XGB_METHODS + ["predict_proba"], _XGB_FIT),
    _row("XGBRegressor", _XGB, "regressor", _XGB_METHODS, _XGB_FIT),
    _row("XGBRFClassifier", _XGB, "classifier", _XGB_METHODS + ["predict_proba"], _XGB_FIT),
    _row("XGBRFRegressor", _XGB, "regressor", _XGB_METHODS, _XGB_FIT),
    _row("XGBRanker", _XGB, "model", ["fit", "predict", "apply", "get_booster", "get_params", "set_params"],
         _XGB_RANKER_FIT),
    _row("LGBMClassifier", _LGBM, "classifier", _LGBM_METHODS + ["predict_proba"], _LGBM_FIT),
    _row("LGBMRegressor", _LGBM, "regressor", _LGBM_METHODS, _LGBM_FIT),
    _row("LGBMRanker", _LGBM, "model", ["fit", "predict", "get_params", "set_params"], _LGBM_RANKER_FIT),
    _row("CatBoostClassifier", _CATBOOST, "classifier", _CATBOOST_METHODS + ["predict_proba"], _CATBOOST_FIT),
    _row("CatBoostRegressor", _CATBOOST, "regressor", _CATBOOST_METHODS, _CATBOOST_FIT),
    _row("CatBoost", _CATBOOST, "model", _CATBOOST_METHODS, _CATBOOST_FIT),
    _row("CatBoostRanker", _CATBOOST, "model", _CATBOOST_METHODS, _CATBOOST_RANKER_FIT),
    _row("KerasClassifier", ["scikeras.wrappers"], "classifier",
         ["fit", "partial_fit", "predict", "predict_proba", "score"], _SCIKERAS_FIT),
    _row("KerasRegressor", ["scikeras.wrappers"], "regressor", ["fit", "partial_fit", "predict", "score"],
         _SCIKERAS_FIT),
    _row("KerasClassifier", _KERAS_WRAPPERS, "classifier", ["fit", "predict", "predict_proba", "score"],
         _KERAS_WRAPPER_FIT, protocol="keras_wrapper"),
    _row("KerasRegressor", _KERAS_WRAPPERS, "regressor", ["fit", "predict", "score"], _KERAS_WRAPPER_FIT,
         protocol="keras_wrapper"),
    _row("NeuralNetClassifier", ["skorch", "skorch.classifier"], "classifier", _SKORCH_METHODS, _SKORCH_FIT),
    _row("NeuralNetBinaryClassifier", ["skorch", "skorch.classifier"], "classifier", _SKORCH_METHODS,
         _SKORCH_FIT),
    _row("NeuralNetRegressor", ["skorch", "skorch.regressor"], "regressor",
         [m for m in _SKORCH_METHODS if m != "predict_proba"], _SKORCH_FIT),
]

"""Estimators of other libraries with a scikit-learn-style API, reviewed by hand.

The generated table (``sklearn_estimators.json``) comes from scikit-learn and
imbalanced-learn themselves; these rows describe classes of packages mllint does
not install at development time, in the same shape (see
``sklearn_api.EstimatorInfo`` for the meaning of each field).  Checked against
each library's API reference; ``params`` is empty where the constructor takes
keyword arguments only.  A row here is all it takes for the estimator to be
fitted, scored and predicted with like a scikit-learn one.
"""
from __future__ import annotations

from typing import Any

_XGB_FIT = ("X", "y", "sample_weight", "base_margin", "eval_set", "verbose", "xgb_model",
            "sample_weight_eval_set", "base_margin_eval_set", "feature_weights")
_XGB_METHODS = ["fit", "predict", "score", "apply", "evals_result", "get_booster", "get_params", "set_params",
                "save_model", "load_model"]

#: One entry per class, in the table's JSON shape.
EXTRA_CLASSES: list[dict[str, Any]] = [
    {   # xgboost >= 1.6: XGBClassifier(*, n_estimators=..., ...) ; fit(X, y, *, eval_set=..., ...)
        "name": "XGBClassifier", "modules": ["xgboost", "xgboost.sklearn"], "kinds": ["classifier"],
        "learns_statistics": True, "category_only": False, "uses_y": True, "uses_groups": False,
        "methods": _XGB_METHODS + ["predict_proba"], "conditional_methods": [], "fit_params": list(_XGB_FIT),
        "split_params": [], "params": [], "estimator_params": [],
    },
    {
        "name": "XGBRegressor", "modules": ["xgboost", "xgboost.sklearn"], "kinds": ["regressor"],
        "learns_statistics": True, "category_only": False, "uses_y": True, "uses_groups": False,
        "methods": _XGB_METHODS, "conditional_methods": [], "fit_params": list(_XGB_FIT),
        "split_params": [], "params": [], "estimator_params": [],
    },
]

"""What calling a scikit-learn-style estimator does, by method name and by class kind: our own table.

The generated table (``sklearn_api``) says what a class *is* (its kinds:
transformer, classifier, splitter, search...); this module says what its
*methods* mean for the plan, one row per method name naming the effect whose
handler (``mllint.library.sklearn_estimators``) models it.  The handlers are
found through these rows and the class's kinds, never through the module a
class comes from, so any library following scikit-learn's estimator API (a
classifier with ``fit`` / ``predict`` / ``score``) needs only rows in the class
table.  A method not listed evaluates to unknown, with no plan node.
"""
from __future__ import annotations

from .aliases import legacy_constructor
from .extra_estimators import EXTRA_CLASSES

#: Top-level packages whose dotted names are looked up in the estimator table (``sklearn_api``: classes
#: and functions); a name under any other package is an unknown call without the table being read.
#: The generated table's packages, and those of the reviewed rows of ``extra_estimators``.
ESTIMATOR_PACKAGES = frozenset({"sklearn", "imblearn"}) | frozenset(
    module.split(".", 1)[0] for row in EXTRA_CLASSES for module in row["modules"])

#: Effects of estimator methods (``model.fit(X, y)``, ``scaler.transform(X)``).
ESTIMATOR_METHODS: dict[str, str] = {
    "fit": "fit", "partial_fit": "fit",
    "fit_transform": "fit_transform",
    "transform": "transform",
    **{name: "predict" for name in ("predict", "predict_proba", "predict_log_proba", "decision_function",
                                    "score_samples")},
    "score": "score",
    "fit_predict": "fit_predict",
    "fit_resample": "fit_resample", "fit_sample": "fit_resample",   # imbalanced-learn < 0.4 called it fit_sample
    "split": "split",
    "set_params": "same", "set_output": "same",
    "inverse_transform": "inverse_transform",
}

#: Composite estimators, by class name -> how they hold their parts and run them.  Any other class
#: is constructed as a plain estimator and run as what its kinds say it is.
COMPOSITES: dict[str, str] = {
    "Pipeline": "pipeline",                    # steps run one after the other
    "FeatureUnion": "union",                   # parts run side by side on the same input
    "ColumnTransformer": "column_transformer",  # branches run on column subsets
}

#: Effect of calling a class (its constructor), by composite kind or old signature (``aliases``);
#: a plain class is ``construct``.
CONSTRUCTORS: dict[str, str] = {
    "pipeline": "construct_pipeline",
    "union": "construct_union",
    "column_transformer": "construct_column_transformer",
    "legacy": "construct_legacy",                  # old positional parameters (Imputer's axis)
    "iterable_folds": "construct_iterable_folds",  # sklearn.cross_validation.KFold(n, n_folds=5)
}

#: Kinds whose ``fit`` trains a model (TRAIN_DATA / TRAIN_LABELS -> ESTIMATOR nodes).
PREDICTOR_KINDS = frozenset({"classifier", "regressor", "clusterer", "outlier_detector", "density"})


def composite_kind(class_name: str) -> str | None:
    """``pipeline`` / ``union`` / ``column_transformer`` for a composite class, else None."""
    return COMPOSITES.get(class_name)


def constructor_effect(class_name: str, qualified_name: str | None = None) -> str:
    """The effect of calling the class ``class_name``, imported as ``qualified_name``."""
    kind = COMPOSITES.get(class_name) or (legacy_constructor(qualified_name) if qualified_name else None)
    return CONSTRUCTORS[kind] if kind is not None else "construct"

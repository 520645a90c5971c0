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
from .native_models import NATIVE_CLASSES, NATIVE_FUNCTIONS

#: Top-level packages whose dotted names are looked up in the estimator table (``sklearn_api``: classes
#: and functions); a name under any other package is an unknown call without the table being read.
#: The generated table's packages, and those of the reviewed rows of ``extra_estimators`` / ``native_models``.
ESTIMATOR_PACKAGES = frozenset({"sklearn", "imblearn"}) | frozenset(
    module.split(".", 1)[0] for row in EXTRA_CLASSES + NATIVE_CLASSES + NATIVE_FUNCTIONS
    for module in row["modules"])

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
    "get_support": "selected_features",
}

_KERAS_PREDICT = ("predict", "predict_proba", "predict_classes", "predict_on_batch")

#: Method tables by ``EstimatorInfo.protocol``: libraries whose models are not called like scikit-learn's.
#: ``fit_in_place`` trains the receiver and returns something else (a History); ``fit_stored`` fits on the
#: data given to the constructor and returns a results object; ``predict_input`` / ``evaluate`` read the
#: protocol's own argument names (:data:`PROTOCOL_INPUTS`); ``nothing`` changes no data (returns None).
PROTOCOL_METHODS: dict[str, dict[str, str]] = {
    "sklearn": ESTIMATOR_METHODS,
    # keras.wrappers.scikit_learn: fit(x, y) returns the History of the model it builds
    "keras_wrapper": {**ESTIMATOR_METHODS, "fit": "fit_in_place",
                      **{name: "predict_input" for name in ("predict", "predict_proba")}, "score": "evaluate"},
    "keras": {
        **{name: "fit_in_place" for name in ("fit", "fit_generator", "train_on_batch")},
        **{name: "predict_input" for name in _KERAS_PREDICT},
        **{name: "evaluate" for name in ("evaluate", "evaluate_generator", "test_on_batch")},
        **{name: "nothing" for name in ("add", "pop", "compile", "summary", "save", "save_weights",
                                        "load_weights", "build")},
    },
    "statsmodels_model": {"fit": "fit_stored", "fit_regularized": "fit_stored"},
    "statsmodels_results": {"predict": "predict_input"},
    "booster": {"predict": "predict_input"},
}

#: Argument names of the features and of the label, by protocol (position 0 and 1 otherwise).
PROTOCOL_INPUTS: dict[str, tuple[str, str]] = {
    "sklearn": ("X", "y"),
    "keras_wrapper": ("x", "y"),
    "keras": ("x", "y"),
    "statsmodels_results": ("exog", "endog"),
    "booster": ("data", "label"),
}


def method_effect(protocol: str, method: str) -> str | None:
    """The effect of calling ``method`` on an estimator of this protocol (None: not modelled)."""
    table = PROTOCOL_METHODS.get(protocol)
    return table.get(method) if table is not None else None


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

#: Transformers whose output column i is computed from input column i alone (reviewed against the
#: scikit-learn reference: per-feature scalers, encoders and imputers), so a frame's column lineage
#: survives them position by position: ``df[cols] = OrdinalEncoder().fit_transform(df[cols])``
#: keeps each column's own lineage.  Values: the constructor parameter and the values of it under
#: which that holds (None: always).  Not here: ``Normalizer`` (row-wise), ``KNNImputer`` /
#: ``IterativeImputer`` (other columns fill a column), ``OneHotEncoder`` (expands columns).
COLUMN_WISE_TRANSFORMERS: dict[str, tuple[str, frozenset[str]] | None] = {
    "StandardScaler": None, "MinMaxScaler": None, "MaxAbsScaler": None, "RobustScaler": None,
    "PowerTransformer": None, "QuantileTransformer": None, "OrdinalEncoder": None, "Binarizer": None,
    "SimpleImputer": ("add_indicator", frozenset({"False"})),
    "KBinsDiscretizer": ("encode", frozenset({"ordinal"})),
}

#: Kinds whose ``fit`` trains a model (TRAIN_DATA / TRAIN_LABELS -> ESTIMATOR nodes).
PREDICTOR_KINDS = frozenset({"classifier", "regressor", "clusterer", "outlier_detector", "density", "model"})


def composite_kind(class_name: str) -> str | None:
    """``pipeline`` / ``union`` / ``column_transformer`` for a composite class, else None."""
    return COMPOSITES.get(class_name)


def constructor_effect(class_name: str, qualified_name: str | None = None) -> str:
    """The effect of calling the class ``class_name``, imported as ``qualified_name``."""
    kind = COMPOSITES.get(class_name) or (legacy_constructor(qualified_name) if qualified_name else None)
    return CONSTRUCTORS[kind] if kind is not None else "construct"

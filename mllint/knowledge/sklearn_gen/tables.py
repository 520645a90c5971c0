"""The generator's fixed vocabulary and its hand-written, commented corrections.

Keys of the corrections are "public.module.ClassName"; :class:`_Used` records
which were looked up so that a key matching nothing fails the run.
"""
from __future__ import annotations

from typing import Any, Iterable

FORMAT_VERSION = 1
ROOT_PACKAGES = ("sklearn", "imblearn")

#: The methods whose presence is recorded, in this (stable) order.
METHODS = (
    "fit",
    "partial_fit",
    "transform",
    "fit_transform",
    "inverse_transform",
    "predict",
    "predict_proba",
    "predict_log_proba",
    "decision_function",
    "score",
    "score_samples",
    "fit_predict",
    "fit_resample",
    "split",
)

KINDS = (
    "transformer",
    "classifier",
    "regressor",
    "clusterer",
    "outlier_detector",
    "density",
    "splitter",
    "search",
    "resampler",
    "meta",
)

#: Constructor parameters that hold sub-estimators (steps of a composite).
SUBESTIMATOR_PARAMS = frozenset(
    {
        "estimator",
        "estimators",
        "base_estimator",
        "final_estimator",
        "steps",
        "transformers",
        "transformer_list",
        "regressor",
        "transformer",
    }
)

# ---------------------------------------------------------------------------
# Hand-written corrections.  Keys are "public.module.ClassName" (the first
# public path of the class).  The generator fails if a key matches nothing, so
# a renamed or moved class cannot silently drop its correction.
# ---------------------------------------------------------------------------

#: ``learns_statistics`` where the ``requires_fit`` tag does not answer the
#: question "does fit learn something from the *values* of the rows?".
LEARNS_STATISTICS_OVERRIDES: dict[str, bool] = {
    # requires_fit=False only because it can predict from the GP prior; fit
    # learns from the data like any regressor.
    "sklearn.gaussian_process.GaussianProcessRegressor": True,
    # fit records only n_features_in_ and the output powers: stateless per row.
    "sklearn.preprocessing.PolynomialFeatures": False,
    # Random projections: the matrix depends only on the shape of X (and on
    # n_samples for n_components="auto"), never on the values.
    "sklearn.random_projection.GaussianRandomProjection": False,
    "sklearn.random_projection.SparseRandomProjection": False,
    # Random feature maps drawn independently of the data (RBFSampler: with the
    # default numeric gamma; gamma="scale" would read X.var()).
    "sklearn.kernel_approximation.RBFSampler": False,
    "sklearn.kernel_approximation.SkewedChi2Sampler": False,
    "sklearn.kernel_approximation.PolynomialCountSketch": False,
    # fit is a no-op: the wrapped estimator was fitted elsewhere.
    "sklearn.frozen.FrozenEstimator": False,
}

#: ``uses_y`` where tags and signatures do not tell.
USES_Y_OVERRIDES: dict[str, bool] = {
    # target_tags.required is False only because a custom score_func may be
    # unsupervised; the default score_func (f_classif) needs y.
    "sklearn.feature_selection.SelectKBest": True,
    "sklearn.feature_selection.SelectPercentile": True,
    "sklearn.feature_selection.GenericUnivariateSelect": True,
    # Selectors that pass y to a (normally supervised) estimator and keep the
    # features it ranks: the selection depends on y.
    "sklearn.feature_selection.SelectFromModel": True,
    "sklearn.feature_selection.SequentialFeatureSelector": True,
    # Not a supervised estimator, but split(X, y=None, groups) stratifies on y.
    "sklearn.model_selection.StratifiedGroupKFold": True,
    # fit does nothing.
    "sklearn.frozen.FrozenEstimator": False,
}

#: Encoders whose fit learns only the set of categories (no row statistics):
#: learning them before a split cannot leak values of evaluation rows into
#: training features, beyond the existence of a category.
CATEGORY_ONLY = frozenset(
    {
        "sklearn.preprocessing.OneHotEncoder",
        "sklearn.preprocessing.OrdinalEncoder",
        "sklearn.preprocessing.LabelEncoder",
        "sklearn.preprocessing.LabelBinarizer",
        "sklearn.preprocessing.MultiLabelBinarizer",
        # Learns the feature names: dict keys, and "key=value" for string
        # values (a one-hot encoding of categories).
        "sklearn.feature_extraction.DictVectorizer",
    }
)

#: Kinds that neither mixins, tags nor methods reveal.
EXTRA_KINDS: dict[str, tuple[str, ...]] = {
    # A density estimator without DensityMixin (estimator_type is None).
    "sklearn.neighbors.KernelDensity": ("density",),
}

#: Classes whose sub-estimator parameters make them composites although they
#: use neither MetaEstimatorMixin nor _BaseComposition.
EXTRA_META = frozenset(
    {
        "sklearn.compose.TransformedTargetRegressor",
        # Delegates predict/transform/... to the wrapped (already fitted)
        # estimator through __getattr__: what it is depends on that estimator.
        "sklearn.frozen.FrozenEstimator",
    }
)


# ---------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------

#: Explicit function kinds: public module -> function name -> kind.
FUNCTION_KINDS: dict[str, dict[str, str]] = {
    "sklearn.model_selection": {
        "train_test_split": "split",
        "cross_val_score": "cross_validation",
        "cross_validate": "cross_validation",
        "cross_val_predict": "cross_validation",
        "learning_curve": "cross_validation",
        "validation_curve": "cross_validation",
        "permutation_test_score": "cross_validation",
        "check_cv": "splitter_factory",
    },
    "sklearn.pipeline": {"make_pipeline": "pipeline_factory", "make_union": "pipeline_factory"},
    "sklearn.compose": {
        "make_column_transformer": "pipeline_factory",
        # A class, but called like a function to build a column selector.
        "make_column_selector": "column_selector",
    },
    "imblearn.pipeline": {"make_pipeline": "pipeline_factory"},
    "sklearn.utils": {"resample": "resample", "shuffle": "shuffle"},
    # Undersamples to a requested imbalance: rows are dropped.
    "imblearn.datasets": {"make_imbalance": "resample", "fetch_datasets": "dataset"},
    "sklearn.base": {"clone": "clone"},
    "sklearn.inspection": {
        "permutation_importance": "inspection",
        "partial_dependence": "inspection",
    },
}

#: Modules all of whose public functions get one kind.
FUNCTION_MODULE_KINDS: dict[str, str] = {
    "sklearn.preprocessing": "preprocessing",
    "sklearn.metrics": "metric",
    "sklearn.metrics.cluster": "metric",
    "sklearn.metrics.pairwise": "metric",
    "imblearn.metrics": "metric",
    "imblearn.metrics.pairwise": "metric",
    # Per-feature statistics computed over the rows (most of them with y).
    "sklearn.feature_selection": "feature_score",
}

#: sklearn.datasets: functions by prefix.
DATASET_PREFIXES = ("load_", "fetch_", "make_")

#: Preprocessing functions whose output depends on statistics computed over
#: all rows (the functional twins of StandardScaler, MinMaxScaler, ...).
#: The others (normalize, binarize, add_dummy_feature, label_binarize) work
#: row by row or from given classes.
ROW_STATISTIC_FUNCTIONS = frozenset(
    {
        "sklearn.preprocessing.scale",
        "sklearn.preprocessing.minmax_scale",
        "sklearn.preprocessing.maxabs_scale",
        "sklearn.preprocessing.robust_scale",
        "sklearn.preprocessing.quantile_transform",
        "sklearn.preprocessing.power_transform",
    }
)


class _Used:
    """Tracks which override keys were looked up, to catch stale ones."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def get(self, table: dict[str, Any], key: str, default: Any = None) -> Any:
        if key in table:
            self.keys.add(key)
            return table[key]
        return default

    def has(self, table: Iterable[str], key: str) -> bool:
        if key in table:
            self.keys.add(key)
            return True
        return False

"""scikit-learn / imbalanced-learn knowledge, read from the committed table.

The rules need to know what a call like ``StandardScaler().fit(X)`` means: is
it a transformer, does its ``fit`` learn statistics from the rows (leakage when
those rows include evaluation rows), does it consume ``y``?  Importing
scikit-learn to find out is not an option (it may be absent, it is slow, and
its version must not change the findings), so the facts were extracted at
development time by ``generate_sklearn_table.py`` into
``sklearn_estimators.json``; this module only reads that file.

The table is loaded lazily, once per process (flake8 ``-j`` forks workers:
nothing is read at import time), through ``importlib.resources`` so that it
works from a wheel as well as from a source checkout.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from .aliases import canonical
from .extra_estimators import EXTRA_CLASSES
from .native_models import BOOSTERS, NATIVE_CLASSES, NATIVE_FUNCTIONS, STATSMODELS_RESULTS_PROTOCOL

TABLE_FILE = "sklearn_estimators.json"

#: Estimator kinds used in the table (``EstimatorInfo.kinds``).
KINDS = frozenset(
    {
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
        "model",  # a predictor whose class does not say its task: keras models, statsmodels, boosters, rankers
    }
)

#: Function kinds used in the table (``FunctionInfo.kind``).
FUNCTION_KINDS = frozenset(
    {
        "split",  # train_test_split
        "cross_validation",  # cross_val_score, cross_validate, learning_curve, ...
        "splitter_factory",  # check_cv
        "preprocessing",  # scale, minmax_scale, normalize, ...
        "pipeline_factory",  # make_pipeline, make_union, make_column_transformer
        "column_selector",  # make_column_selector (a class called like a function)
        "metric",  # every public function of sklearn.metrics / imblearn.metrics
        "feature_score",  # chi2, f_classif, mutual_info_classif, ...
        "resample",  # sklearn.utils.resample, imblearn.datasets.make_imbalance
        "shuffle",  # sklearn.utils.shuffle
        "dataset",  # load_*, fetch_*, make_*
        "inspection",  # permutation_importance, partial_dependence
        "clone",  # sklearn.clone
        # other libraries (``native_models``)
        "data_matrix",  # lightgbm.Dataset, xgboost.DMatrix, catboost.Pool: features and label together
        "train_booster",  # lightgbm.train, xgboost.train: a fitted Booster
        "booster_cv",  # lightgbm.cv, xgboost.cv
        "add_constant",  # statsmodels.api.add_constant
        "formula_model",  # statsmodels.formula.api.ols(formula, data) and the like
    }
)


@dataclass(frozen=True, slots=True)
class EstimatorInfo:
    """What mllint knows about one scikit-learn / imbalanced-learn class.

    Attributes:
        name: the class name (``StandardScaler``).
        modules: every module it can be imported from; the public ones (from
            the packages' ``__all__``) first, then the defining module, which
            may be private (``sklearn.preprocessing._data``).
        kinds: a subset of :data:`KINDS`.  ``transformer`` also covers classes
            that are transformers only by their methods (``TfidfVectorizer``,
            ``Pipeline``).
        learns_statistics: ``fit`` learns something from the values of the
            rows (means, vocabularies, categories, model weights...).  False
            for stateless transforms (``FunctionTransformer``, ``Normalizer``,
            ``PolynomialFeatures``) and splitters.  For ``meta`` classes it
            describes the wrapper only: resolve the sub-estimators held in
            ``estimator_params`` to know what fitting them learns.
        category_only: an encoder whose ``fit`` learns only the set of
            categories (``OneHotEncoder``, ``LabelEncoder``, ...).
        uses_y: ``fit`` uses the target (supervised estimators, ``SelectKBest``,
            ``TargetEncoder``, samplers); for splitters, ``split`` needs ``y``
            (stratification).  For ``meta`` classes: see ``learns_statistics``.
        uses_groups: a splitter whose ``split`` needs ``groups``.
        methods: the methods the class has (among ``fit``, ``transform``,
            ``fit_transform``, ``predict``, ``split``, ``fit_resample``...).
        conditional_methods: those of ``methods`` that exist only when a
            sub-estimator or a parameter provides them (``Pipeline.transform``
            needs a final transformer).
        fit_params: parameter names of ``fit`` (``*``/``**`` kept), used to
            read positional arguments (``LabelEncoder.fit(y)`` takes ``y`` only).
        split_params: parameter names of ``split`` (splitters only).
        params: constructor parameter names, in order.
        estimator_params: for ``meta`` classes, the constructor parameters
            holding sub-estimators (``steps``, ``transformers``, ``estimator``).
        protocol: which method table applies (``estimator_methods.PROTOCOL_METHODS``):
            ``sklearn`` for every generated row; keras models, statsmodels and
            boosters call their methods otherwise (``native_models``).
    """

    name: str
    modules: tuple[str, ...]
    kinds: frozenset[str]
    learns_statistics: bool
    category_only: bool
    uses_y: bool
    uses_groups: bool
    methods: frozenset[str]
    conditional_methods: frozenset[str]
    fit_params: tuple[str, ...]
    split_params: tuple[str, ...]
    params: tuple[str, ...]
    estimator_params: tuple[str, ...]
    protocol: str = "sklearn"

    @property
    def qualified_name(self) -> str:
        """The preferred public dotted path (``sklearn.preprocessing.StandardScaler``)."""
        return f"{self.modules[0]}.{self.name}"

    def is_a(self, kind: str) -> bool:
        """True if ``kind`` (one of :data:`KINDS`) is among the class's kinds."""
        return kind in self.kinds

    def has_method(self, method: str) -> bool:
        return method in self.methods


@dataclass(frozen=True, slots=True)
class FunctionInfo:
    """What mllint knows about one module-level function.

    Attributes:
        name: the function name (``train_test_split``).
        modules: modules it can be imported from, public ones first.
        kind: one of :data:`FUNCTION_KINDS`.
        learns_statistics: the result depends on statistics computed over
            all rows (``scale``, ``quantile_transform``, feature scores), so
            calling it before a split leaks, like fitting a scaler would.
        params: parameter names in order (``*arrays`` keeps its star).  For
            metrics the first two tell the input: ``(y_true, y_pred)``,
            ``(y_true, y_score)``, ``(labels_true, labels_pred)``, ``(X, Y)``...
    """

    name: str
    modules: tuple[str, ...]
    kind: str
    learns_statistics: bool
    params: tuple[str, ...]

    @property
    def qualified_name(self) -> str:
        return f"{self.modules[0]}.{self.name}"


@dataclass(frozen=True, slots=True)
class TableVersions:
    """Library versions the table was generated from (shown by ``--version``)."""

    sklearn: str
    imblearn: str | None


@dataclass(frozen=True, slots=True)
class _Table:
    versions: TableVersions
    classes: dict[str, EstimatorInfo]
    functions: dict[str, FunctionInfo]


def _estimator(entry: dict[str, Any]) -> EstimatorInfo:
    return EstimatorInfo(
        name=entry["name"],
        modules=tuple(entry["modules"]),
        kinds=frozenset(entry["kinds"]),
        learns_statistics=entry["learns_statistics"],
        category_only=entry["category_only"],
        uses_y=entry["uses_y"],
        uses_groups=entry["uses_groups"],
        methods=frozenset(entry["methods"]),
        conditional_methods=frozenset(entry["conditional_methods"]),
        fit_params=tuple(entry["fit_params"]),
        split_params=tuple(entry["split_params"]),
        params=tuple(entry["params"]),
        estimator_params=tuple(entry["estimator_params"]),
        protocol=entry.get("protocol", "sklearn"),
    )


def _function(entry: dict[str, Any]) -> FunctionInfo:
    return FunctionInfo(
        name=entry["name"],
        modules=tuple(entry["modules"]),
        kind=entry["kind"],
        learns_statistics=entry["learns_statistics"],
        params=tuple(entry["params"]),
    )


def _index(infos: list[Any]) -> dict[str, Any]:
    """Every ``module.name`` path of every entry -> the entry."""
    index: dict[str, Any] = {}
    for info in infos:
        for module in info.modules:
            index[f"{module}.{info.name}"] = info
    return index


@cache
def _table() -> _Table:
    text = resources.files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    header = data["header"]
    return _Table(
        versions=TableVersions(sklearn=header["sklearn"], imblearn=header.get("imblearn")),
        classes=_index([_estimator(e) for e in data["classes"] + EXTRA_CLASSES + NATIVE_CLASSES]),
        functions=_index([_function(e) for e in data["functions"] + NATIVE_FUNCTIONS]),
    )


def lookup_class(qualified_name: str) -> EstimatorInfo | None:
    """The class at a dotted import path, public or defining module.

    ``sklearn.preprocessing.StandardScaler`` and
    ``sklearn.preprocessing._data.StandardScaler`` give the same entry;
    ``imblearn.over_sampling.SMOTE`` works too.  None for anything else: an
    unknown callable must stay unknown (no finding rests on a guess).
    """
    return _table().classes.get(canonical(qualified_name))


def lookup_function(qualified_name: str) -> FunctionInfo | None:
    """The module-level function at a dotted import path (``sklearn.model_selection.train_test_split``)."""
    return _table().functions.get(canonical(qualified_name))


@cache
def booster_info(library: str) -> EstimatorInfo | None:
    """The Booster a ``lightgbm.train`` / ``xgboost.train`` call returns (not constructible: no class entry)."""
    entry = BOOSTERS.get(library)
    return _estimator(entry) if entry is not None else None


def results_info(model: EstimatorInfo) -> EstimatorInfo:
    """What a statsmodels model's ``fit()`` returns: the same class, applied through its results' methods."""
    return replace(model, protocol=STATSMODELS_RESULTS_PROTOCOL)


def table_versions() -> TableVersions:
    """The scikit-learn / imbalanced-learn versions the table describes."""
    return _table().versions

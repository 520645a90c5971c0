"""Generate ``sklearn_estimators.json``, mllint's committed scikit-learn knowledge table.

Why this script exists
----------------------
mllint must never import scikit-learn while it analyses code: the analysed
project may not have it installed, importing it costs about a second per
process (flake8 ``-j`` forks many), and whatever version happens to be
installed must not change the findings.  Yet the rules need facts that only
scikit-learn itself knows reliably: which classes are transformers,
classifiers, splitters or searches, whether ``fit`` learns statistics from the
rows it sees (the root of preprocessing leakage), whether it consumes ``y``,
and the constructor parameter order (to read positional arguments).

So the facts are extracted once, at development time, from scikit-learn and
imbalanced-learn themselves, and committed as data next to this script.
``sklearn_api.py`` reads the JSON; nothing at analysis time imports sklearn.

How to run it
-------------
Use a scratch virtualenv, never mllint's own environment::

    python3 -m venv /work/sk-venv
    /work/sk-venv/bin/pip install scikit-learn imbalanced-learn
    /work/sk-venv/bin/python mllint/knowledge/generate_sklearn_table.py

The script imports nothing from mllint, so it runs from any directory.  It
rewrites ``sklearn_estimators.json`` beside itself (``--output`` to write
elsewhere, ``--check`` to only report whether the committed file is current).
The output is deterministic for given library versions: regenerate after a
scikit-learn / imbalanced-learn upgrade and review the diff.

How the facts are derived
-------------------------
* Estimators: ``sklearn.utils.discovery.all_estimators()`` (after enabling the
  experimental ``IterativeImputer`` and halving searches) plus imbalanced-learn's
  ``all_estimators()``.  Kinds come from the mixins (``TransformerMixin``,
  ``ClassifierMixin``, ...), from the estimator tags, and from method presence:
  ``TfidfVectorizer`` and ``Pipeline`` are transformers only because they have
  ``transform`` / ``fit_transform``.  ``fit_resample`` makes a resampler.
* ``learns_statistics`` comes from the tags (``requires_fit`` in the
  ``__sklearn_tags__`` API of scikit-learn >= 1.6, ``requires_fit`` /
  ``stateless`` in the older ``_get_tags()`` API), corrected by the short,
  commented override table below where the tags say something else than
  "fit learns something from the values of the rows".
* ``uses_y`` comes from the tags (``target_tags.required`` / ``requires_y``),
  the estimator kind and ``inspect.signature(cls.fit)``, plus overrides.
* Public import paths come from scanning ``__all__`` of every public
  (underscore-free) module of ``sklearn`` and ``imblearn``; the defining module
  (often private, e.g. ``sklearn.preprocessing._data``) is added as well,
  because user code imports from there too.
* Splitters are the concrete classes with a ``split`` method exported by
  ``sklearn.model_selection`` / ``imblearn.model_selection``.
* Functions: a curated set of modules whose functions matter to an ML
  pipeline (model selection, preprocessing, pipeline factories, metrics,
  feature scores, resampling, dataset loaders), each with a ``kind``.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import json
import pkgutil
import platform
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable, Iterator

FORMAT_VERSION = 1
OUTPUT = Path(__file__).with_name("sklearn_estimators.json")
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


def _required_arg_examples() -> dict[str, Any]:
    """Values for required constructor arguments, used only to build an
    instance whose tags can be read when sklearn's own test generator fails."""
    from sklearn.linear_model import LogisticRegression

    return {
        "estimator": LogisticRegression(),
        "steps": [("clf", LogisticRegression())],
        "categorical_features": [0],
    }


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


# ---------------------------------------------------------------------------
# Module scan
# ---------------------------------------------------------------------------


def _is_public_module(name: str) -> bool:
    parts = name.split(".")
    # sklearn.externals vendors third-party code (array_api_compat, ...).
    return not any(p.startswith("_") or p in ("tests", "conftest", "externals") for p in parts)


def _iter_public_modules(root: str) -> Iterator[ModuleType]:
    """Import every public module below ``root`` (private packages are not entered)."""
    todo = [root]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # optional dependencies (imblearn.keras, ...)
            print(f"note: skipping {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        yield module
        path = getattr(module, "__path__", None)
        if path is None:
            continue
        for info in pkgutil.iter_modules(path, prefix=name + "."):
            if _is_public_module(info.name):
                todo.append(info.name)


class PublicNames:
    """Where each object is exported: id(obj) -> set of public module names."""

    def __init__(self, roots: Iterable[str]) -> None:
        self.modules: dict[str, ModuleType] = {}
        self._where: dict[int, set[str]] = {}
        self._keep: list[Any] = []  # keep objects alive so ids stay unique
        for root in roots:
            for module in _iter_public_modules(root):
                self.modules[module.__name__] = module
        for name in sorted(self.modules):
            module = self.modules[name]
            for attr in getattr(module, "__all__", ()):
                obj = getattr(module, attr, None)
                if obj is None or isinstance(obj, ModuleType):
                    continue
                self._keep.append(obj)
                self._where.setdefault(id(obj), set()).add(name)

    def import_paths(self, obj: Any) -> list[str]:
        """Public ``__all__`` modules first (sorted), then the defining module."""
        paths = sorted(self._where.get(id(obj), ()))
        home = getattr(obj, "__module__", None)
        if home and home not in paths and not _is_test_module(home):
            paths.append(home)
        return paths

    def exported(self, module_name: str) -> list[tuple[str, Any]]:
        """The module's ``__all__``; without one (``sklearn.base``,
        ``sklearn.metrics.pairwise``), the public names it defines itself."""
        module = self.modules.get(module_name)
        if module is None:
            return []
        if hasattr(module, "__all__"):
            return [(n, getattr(module, n)) for n in sorted(set(module.__all__)) if hasattr(module, n)]
        return [
            (n, obj) for n, obj in sorted(vars(module).items())
            if not n.startswith("_") and getattr(obj, "__module__", None) == module_name
        ]


def _is_test_module(name: str) -> bool:
    return any(p in ("tests", "conftest") for p in name.split("."))


def _qualname(paths: list[str], name: str) -> str:
    return f"{paths[0]}.{name}"


# ---------------------------------------------------------------------------
# Signatures, methods, tags
# ---------------------------------------------------------------------------


def _param_names(func: Callable[..., Any] | None, *, drop_self: bool) -> list[str]:
    """Parameter names in order; ``*args`` / ``**kwargs`` keep their stars."""
    if func is None:
        return []
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    names = []
    for i, p in enumerate(sig.parameters.values()):
        if drop_self and i == 0 and p.name == "self":
            continue
        if p.kind is p.VAR_POSITIONAL:
            names.append("*" + p.name)
        elif p.kind is p.VAR_KEYWORD:
            names.append("**" + p.name)
        else:
            names.append(p.name)
    return names


def _required(func: Callable[..., Any] | None, param: str) -> bool:
    if func is None:
        return False
    try:
        p = inspect.signature(func).parameters.get(param)
    except (TypeError, ValueError):
        return False
    return p is not None and p.default is inspect.Parameter.empty and p.kind not in (
        p.VAR_POSITIONAL,
        p.VAR_KEYWORD,
    )


def _conditional_method_type() -> type | None:
    try:
        from sklearn.utils._available_if import _AvailableIfDescriptor
    except ImportError:  # pragma: no cover - very old sklearn
        return None
    return _AvailableIfDescriptor


def _methods(cls: type) -> tuple[list[str], list[str]]:
    """(methods present, those of them gated by ``available_if``)."""
    gated_type = _conditional_method_type()
    present, gated = [], []
    for m in METHODS:
        if not hasattr(cls, m):
            continue
        present.append(m)
        static = inspect.getattr_static(cls, m, None)
        if gated_type is not None and isinstance(static, gated_type):
            gated.append(m)
    return present, gated


def _candidate_instances(cls: type) -> Iterator[Any]:
    """Instances to read tags from: default-constructed, sklearn's own test
    instances, then required arguments filled from ``_required_arg_examples``."""
    try:
        yield cls()
    except Exception:
        pass
    try:
        from sklearn.utils._test_common.instance_generator import _construct_instances

        yield from _construct_instances(cls)
    except Exception:
        pass
    examples = _required_arg_examples()
    kwargs = {}
    for p in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if p.name in examples and (p.default is inspect.Parameter.empty or p.default is None):
            kwargs[p.name] = examples[p.name]
        elif p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            return
    try:
        yield cls(**kwargs)
    except Exception:
        pass


class TagFacts:
    """The few tag facts we use, from either tag API."""

    def __init__(self, requires_fit: bool, requires_y: bool, estimator_type: str | None) -> None:
        self.requires_fit = requires_fit
        self.requires_y = requires_y
        self.estimator_type = estimator_type


def _tag_facts(instance: Any) -> TagFacts | None:
    try:
        from sklearn.utils import get_tags  # scikit-learn >= 1.6
    except ImportError:
        get_tags = None
    if get_tags is not None:
        try:
            tags = get_tags(instance)
        except Exception:
            return None
        return TagFacts(bool(tags.requires_fit), bool(tags.target_tags.required), tags.estimator_type)
    try:  # scikit-learn < 1.6: dictionary tags
        tags = instance._get_tags()
    except Exception:
        return None
    return TagFacts(
        bool(tags.get("requires_fit", True)) and not tags.get("stateless", False),
        bool(tags.get("requires_y", False)),
        getattr(instance, "_estimator_type", None),
    )


# ---------------------------------------------------------------------------
# Classes
# ---------------------------------------------------------------------------


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


def _estimator_entry(cls: type, names: PublicNames, used: _Used) -> dict[str, Any]:
    from sklearn import base

    paths = names.import_paths(cls)
    qual = _qualname(paths, cls.__name__)
    methods, gated = _methods(cls)
    params = _param_names(cls.__init__, drop_self=True)
    fit = getattr(cls, "fit", None)
    fit_params = _param_names(fit, drop_self=True)

    facts = next(filter(None, map(_tag_facts, _candidate_instances(cls))), None)
    if facts is None:
        print(f"warning: no tags for {qual}; using conservative defaults", file=sys.stderr)
        facts = TagFacts(True, False, None)

    def sub(mixin_name: str) -> bool:
        mixin = getattr(base, mixin_name, None)
        return mixin is not None and issubclass(cls, mixin)

    kinds: set[str] = set()
    estimator_params = [p for p in params if p in SUBESTIMATOR_PARAMS]
    composite = False
    try:
        from sklearn.utils.metaestimators import _BaseComposition

        composite = issubclass(cls, _BaseComposition)
    except ImportError:  # pragma: no cover
        pass
    is_meta = bool(estimator_params) and (
        sub("MetaEstimatorMixin") or composite or used.has(EXTRA_META, qual)
    )
    if is_meta:
        kinds.add("meta")
    try:
        from sklearn.model_selection._search import BaseSearchCV

        if issubclass(cls, BaseSearchCV):
            kinds.update(("search", "meta"))
    except ImportError:  # pragma: no cover
        pass

    if sub("TransformerMixin") or "transform" in methods or "fit_transform" in methods:
        kinds.add("transformer")
    # For composites the estimator_type tag reflects whatever sub-estimator the
    # test instance wraps, so only the mixins count there.
    etype = None if is_meta else facts.estimator_type
    if sub("ClassifierMixin") or etype == "classifier":
        kinds.add("classifier")
    if sub("RegressorMixin") or etype == "regressor":
        kinds.add("regressor")
    if sub("ClusterMixin") or sub("BiclusterMixin") or etype == "clusterer":
        kinds.add("clusterer")
    if sub("OutlierMixin") or etype == "outlier_detector":
        kinds.add("outlier_detector")
    if sub("DensityMixin") or etype == "density_estimator":
        kinds.add("density")
    # A resampler must resample unconditionally: imblearn's Pipeline only has
    # fit_resample when its last step is a sampler (see conditional_methods).
    if "fit_resample" in methods and "fit_resample" not in gated:
        kinds.add("resampler")
    kinds.update(used.get(EXTRA_KINDS, qual, ()))

    learns = used.get(LEARNS_STATISTICS_OVERRIDES, qual)
    if learns is None:
        learns = facts.requires_fit

    uses_y = used.get(USES_Y_OVERRIDES, qual)
    if uses_y is None:
        first = fit_params[0] if fit_params else None
        y_in_sig = first not in ("y", "Y") and any(_required(fit, n) for n in ("y", "Y"))
        uses_y = facts.requires_y or bool(kinds & {"classifier", "regressor"}) or y_in_sig

    return {
        "name": cls.__name__,
        "modules": paths,
        "kinds": sorted(kinds, key=KINDS.index),
        "learns_statistics": bool(learns),
        "category_only": used.has(CATEGORY_ONLY, qual),
        "uses_y": bool(uses_y),
        "uses_groups": False,
        "methods": methods,
        "conditional_methods": gated,
        "fit_params": fit_params,
        "split_params": [],
        "params": params,
        "estimator_params": estimator_params if is_meta else [],
    }


def _splitter_entry(cls: type, names: PublicNames, used: _Used) -> dict[str, Any]:
    paths = names.import_paths(cls)
    qual = _qualname(paths, cls.__name__)
    split = cls.split
    uses_groups = False
    try:
        from sklearn.model_selection._split import GroupsConsumerMixin

        uses_groups = issubclass(cls, GroupsConsumerMixin)
    except ImportError:  # pragma: no cover
        uses_groups = _required(split, "groups")
    uses_y = used.get(USES_Y_OVERRIDES, qual)
    if uses_y is None:
        uses_y = _required(split, "y")
    methods, gated = _methods(cls)
    return {
        "name": cls.__name__,
        "modules": paths,
        "kinds": ["splitter"],
        "learns_statistics": False,
        "category_only": False,
        "uses_y": bool(uses_y),
        "uses_groups": uses_groups,
        "methods": methods,
        "conditional_methods": gated,
        "fit_params": [],
        "split_params": _param_names(split, drop_self=True),
        "params": _param_names(cls.__init__, drop_self=True),
        "estimator_params": [],
    }


def _all_estimators() -> list[type]:
    from sklearn.utils.discovery import all_estimators

    classes = [cls for _, cls in all_estimators()]
    try:
        from imblearn.utils.testing import all_estimators as imblearn_all_estimators

        classes += [cls for _, cls in imblearn_all_estimators()]
    except ImportError:  # pragma: no cover
        print("warning: imbalanced-learn not found; no resamplers", file=sys.stderr)
    unique = {id(c): c for c in classes}
    return list(unique.values())


def _splitters(names: PublicNames) -> list[type]:
    found = {}
    for module in ("sklearn.model_selection", "imblearn.model_selection"):
        for attr, obj in names.exported(module):
            if (
                inspect.isclass(obj)
                and callable(getattr(obj, "split", None))
                and not inspect.isabstract(obj)
                and not attr.startswith("Base")
            ):
                found[id(obj)] = obj
    return list(found.values())


def build_classes(names: PublicNames) -> tuple[list[dict[str, Any]], _Used]:
    used = _Used()
    entries = {}
    for cls in _all_estimators():
        entry = _estimator_entry(cls, names, used)
        entries[_qualname(entry["modules"], entry["name"])] = entry
    for cls in _splitters(names):
        entry = _splitter_entry(cls, names, used)
        key = _qualname(entry["modules"], entry["name"])
        if key in entries:  # e.g. a CV splitter that is also an estimator
            entries[key]["kinds"] = sorted(set(entries[key]["kinds"]) | {"splitter"}, key=KINDS.index)
            entries[key]["split_params"] = entry["split_params"]
            entries[key]["uses_groups"] = entry["uses_groups"]
        else:
            entries[key] = entry
    return [entries[k] for k in sorted(entries)], used


# ---------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------


def _function_entry(
    name: str, func: Any, kind: str, names: PublicNames, used: _Used
) -> dict[str, Any]:
    paths = names.import_paths(func)
    qual = _qualname(paths, name)
    if kind == "preprocessing":
        learns = used.has(ROW_STATISTIC_FUNCTIONS, qual)
    else:
        # Feature scores are statistics over all rows; the rest either are
        # not fits (metrics score given predictions) or are described by kind.
        learns = kind == "feature_score"
    target = func.__init__ if inspect.isclass(func) else func
    return {
        "name": name,
        "modules": paths,
        "kind": kind,
        "learns_statistics": learns,
        "params": _param_names(target, drop_self=inspect.isclass(func)),
    }


def build_functions(names: PublicNames) -> tuple[list[dict[str, Any]], _Used]:
    used = _Used()
    entries: dict[str, dict[str, Any]] = {}

    def add(name: str, obj: Any, kind: str) -> None:
        entry = _function_entry(name, obj, kind, names, used)
        key = _qualname(entry["modules"], name)
        if key in entries and entries[key]["kind"] != kind:
            raise SystemExit(f"conflicting kinds for {key}: {entries[key]['kind']} / {kind}")
        entries[key] = entry

    for module, table in FUNCTION_KINDS.items():
        exported = dict(names.exported(module))
        for name, kind in table.items():
            obj = exported.get(name)
            if obj is None:
                print(f"warning: {module}.{name} not found", file=sys.stderr)
                continue
            add(name, obj, kind)
    for module, kind in FUNCTION_MODULE_KINDS.items():
        if module not in names.modules:
            print(f"warning: module {module} not found", file=sys.stderr)
            continue
        for name, obj in names.exported(module):
            if inspect.isfunction(obj):
                add(name, obj, kind)
    for name, obj in names.exported("sklearn.datasets"):
        if inspect.isfunction(obj) and name.startswith(DATASET_PREFIXES):
            add(name, obj, "dataset")
    return [entries[k] for k in sorted(entries)], used


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def _dump(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def render(header: dict[str, Any], classes: list[dict[str, Any]], functions: list[dict[str, Any]]) -> str:
    """A JSON document with one entry per line: compact, yet diffable."""
    lines = ["{", f'"header":{_dump(header)},', '"classes":[']
    lines += [_dump(e) + ("," if i < len(classes) - 1 else "") for i, e in enumerate(classes)]
    lines += ["],", '"functions":[']
    lines += [_dump(e) + ("," if i < len(functions) - 1 else "") for i, e in enumerate(functions)]
    lines += ["]", "}"]
    return "\n".join(lines) + "\n"


def generate() -> str:
    warnings.simplefilter("ignore")  # deprecations from importing every module
    # Experimental estimators become importable (and discoverable) only once enabled.
    from sklearn.experimental import enable_halving_search_cv, enable_iterative_imputer  # noqa: F401
    import sklearn

    try:
        import imblearn

        imblearn_version: str | None = imblearn.__version__
    except ImportError:  # pragma: no cover
        imblearn_version = None

    names = PublicNames(ROOT_PACKAGES)
    classes, used_c = build_classes(names)
    functions, used_f = build_functions(names)

    declared = (
        set(LEARNS_STATISTICS_OVERRIDES) | set(USES_Y_OVERRIDES) | CATEGORY_ONLY
        | set(EXTRA_KINDS) | EXTRA_META | ROW_STATISTIC_FUNCTIONS
    )
    stale = declared - used_c.keys - used_f.keys
    if stale:
        raise SystemExit(f"override keys that match no class or function: {sorted(stale)}")

    header = {
        "format": FORMAT_VERSION,
        "generator": "mllint/knowledge/generate_sklearn_table.py",
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "imblearn": imblearn_version,
        "kinds": list(KINDS),
        "methods": list(METHODS),
    }
    return render(header, classes, functions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is not current")
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text.encode())} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Table entries for estimators and splitters."""
from __future__ import annotations

import inspect
import sys
from typing import Any

from .introspect import TagFacts, _candidate_instances, _methods, _param_names, _required, _tag_facts
from .scan import PublicNames, _qualname
from .tables import (
    CATEGORY_ONLY, EXTRA_KINDS, EXTRA_META, KINDS, LEARNS_STATISTICS_OVERRIDES, SUBESTIMATOR_PARAMS,
    USES_Y_OVERRIDES, _Used,
)


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

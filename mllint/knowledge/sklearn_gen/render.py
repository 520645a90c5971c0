"""The whole table: run the extraction, check the corrections, write the JSON document."""
from __future__ import annotations

import json
import platform
import warnings
from typing import Any

from .classes import build_classes
from .functions import build_functions
from .scan import PublicNames
from .tables import (
    CATEGORY_ONLY, EXTRA_KINDS, EXTRA_META, FORMAT_VERSION, KINDS, LEARNS_STATISTICS_OVERRIDES, METHODS,
    ROOT_PACKAGES, ROW_STATISTIC_FUNCTIONS, USES_Y_OVERRIDES,
)


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

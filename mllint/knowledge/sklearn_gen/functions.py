"""Table entries for the functions that matter to an ML pipeline."""
from __future__ import annotations

import inspect
import sys
from typing import Any

from .introspect import _param_names
from .scan import PublicNames, _qualname
from .tables import DATASET_PREFIXES, FUNCTION_KINDS, FUNCTION_MODULE_KINDS, ROW_STATISTIC_FUNCTIONS, _Used


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

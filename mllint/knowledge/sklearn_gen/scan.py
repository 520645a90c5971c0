"""Where each public scikit-learn / imbalanced-learn object can be imported from."""
from __future__ import annotations

import importlib
import pkgutil
import sys
from types import ModuleType
from typing import Any, Iterable, Iterator


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

"""Import binding, pyflakes-style: map local names to fully qualified names.

We resolve ``import pandas as pd``, ``from sklearn.preprocessing import
StandardScaler as SS``, ``import sklearn.svm as svm`` and ``from sklearn import
preprocessing`` ourselves instead of using LibCST's QualifiedNameProvider (which
costs about nine parses).  Only names are bound; nothing is imported.
"""
from __future__ import annotations

import libcst as cst

from ..domains.values import Ref


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def bind_import(stmt: cst.Import) -> list[tuple[str, Ref]]:
    """``import a.b as c`` binds c -> a.b; ``import a.b`` binds a -> a."""
    bindings = []
    for alias in stmt.names:
        full = dotted_name(alias.name)
        if full is None:
            continue
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            bindings.append((alias.asname.name.value, Ref(full)))
        else:
            top = full.split(".", 1)[0]
            bindings.append((top, Ref(top)))
    return bindings


def bind_import_from(stmt: cst.ImportFrom, package: str | None = None) -> list[tuple[str, Ref]]:
    """``from m import x as y`` binds y -> m.x; relative imports bind to unknown modules."""
    if isinstance(stmt.names, cst.ImportStar):
        return []
    if stmt.relative:
        base = "." * len(stmt.relative) + (dotted_name(stmt.module) or "" if stmt.module else "")
    else:
        base = dotted_name(stmt.module) if stmt.module is not None else None
        if base is None:
            return []
    bindings = []
    for alias in stmt.names:
        name = dotted_name(alias.name)
        if name is None:
            continue
        local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) \
            else name
        bindings.append((local, Ref(f"{base}.{name}")))
    return bindings

"""Result types of pandas methods, derived from the installed pandas-stubs.

The interpreter has to know what ``df.dropna()`` or ``pd.read_csv(...)`` returns
(a DataFrame? a Series? ``None`` because of ``inplace=True``?) without running
pandas.  Hand-written tables rot with every pandas release, so the answer is read
from pandas-stubs, the typing project that tracks pandas' API closely.

Why this module looks the way it does:

* **No import of pandas or of the stubs.**  pandas is not a dependency (the code
  under analysis may not even be importable), and ``.pyi`` files cannot be
  imported anyway: :mod:`.stubs_parse` reads them with the stdlib :mod:`ast`
  and :mod:`.stubs_resolver` resolves names lazily (its docstring has the why).
* **Types are reduced to a handful of kinds** (:class:`ResultKind`).  The
  analyzer needs "a table", "a column", "a groupby", "an array", not the full
  type; all overloads are kept as a *set* of kinds so that disagreement
  (``Series.apply`` -> Series or DataFrame) stays visible.
* **Cached twice.**  The table is stored as JSON in the user cache directory,
  keyed by the pandas-stubs version, the Python version (``sys.version_info``
  branches in the stubs are evaluated for the running interpreter) and a
  fingerprint of the sources of every module that derives it
  (:mod:`.stubs_cache`); and kept in memory per process.
* **Small query API.**  This module only answers queries and picks the table's
  source (memory, disk, build); the data model is :mod:`.stubs_kinds`, the fixed
  name tables :mod:`.stubs_names`.

If pandas-stubs is not installed every query answers ``None`` / ``False`` and
callers treat results as unknown.
"""
from __future__ import annotations

import functools
import sys
from importlib import metadata

from . import stubs_cache, stubs_kinds, stubs_names, stubs_parse, stubs_resolver
from .stubs_cache import _cache_file, _read_cache, _write_cache
from .stubs_kinds import KeyKind, MemberInfo, ResultKind, StubsTable
from .stubs_parse import _DIST_NAME
from .stubs_resolver import OWNER_CLASSES, TOP_LEVEL
from .stubs_resolver import _build_table

__all__ = [
    "OWNER_CLASSES", "TOP_LEVEL", "KeyKind", "MemberInfo", "ResultKind", "StubsTable",
    "build_table", "getitem_kinds", "has_inplace", "member_info", "result_kinds", "stubs_version", "table",
]

#: Every module the table is derived or encoded by: their sources key the disk cache.
_DERIVATION = (stubs_kinds, stubs_names, stubs_parse, stubs_resolver, stubs_cache, sys.modules[__name__])


# --------------------------------------------------------------------------- public API


@functools.cache
def table() -> StubsTable:
    """The table for the installed pandas-stubs, from memory, disk cache or a fresh build."""
    dist = _distribution()
    if dist is None:
        return StubsTable(None, {})
    version = dist.version
    path = _cache_file(version, _DERIVATION)
    if path is not None:
        cached = _read_cache(path, version)
        if cached is not None:
            return cached
    built = _build_table(dist)
    if path is not None:
        _write_cache(path, built)
    return built


def result_kinds(owner: str, method: str) -> frozenset[ResultKind] | None:
    """Possible result kinds of ``owner.method(...)`` called without ``inplace=True``.

    ``owner`` is one of :data:`OWNER_CLASSES` or ``"pandas"`` (top-level functions
    and classes; a class gives the kind of its instances).  ``None`` means the
    stubs do not know the member (or are not installed): treat the result as unknown.
    """
    info = table().lookup(owner, method)
    return None if info is None else info.kinds


def has_inplace(owner: str, method: str) -> bool:
    """True if the stubs have an ``inplace: Literal[True]`` overload returning None."""
    info = table().lookup(owner, method)
    return info is not None and info.has_inplace


def getitem_kinds(owner: str, key: KeyKind) -> frozenset[ResultKind] | None:
    """Result kinds of ``obj[key]`` for an ``owner`` instance and a key of shape ``key``."""
    info = table().lookup(owner, "__getitem__")
    return None if info is None else info.getitem_kinds(key)


def member_info(owner: str, name: str) -> MemberInfo | None:
    """Everything recorded for ``owner.name`` (kinds, inplace kinds, property flag, keys)."""
    return table().lookup(owner, name)


def stubs_version() -> str | None:
    """Version of the installed pandas-stubs, None when it is not installed."""
    return table().version


def build_table() -> StubsTable:
    """Build the table from the stubs, bypassing both caches (tests, benchmarks)."""
    dist = _distribution()
    return StubsTable(None, {}) if dist is None else _build_table(dist)


def _distribution() -> metadata.Distribution | None:
    try:
        return metadata.distribution(_DIST_NAME)
    except metadata.PackageNotFoundError:
        return None

"""All handlers, found by (family, effect): the one place the walker looks an API model up.

Each library module keeps its own :class:`~.registration.HandlerTable`; this
module merges them (a key registered twice is an error at import time) and
answers :func:`handler_for`.  A new API model is a row in a ``knowledge`` table
(name -> effect) plus, when the effect is new, one handler in the module of its
receiver family, listed in :data:`MODULES` below.
"""
from __future__ import annotations

from functools import cache

from . import (builtins, combine, files, frame_methods, groupby, literals, model_libraries, numpy_functions,
               pandas_io, sklearn_estimators, sklearn_functions, sklearn_legacy)
from .registration import Family, Handler, HandlerTable

#: The library modules, one per receiver family.
MODULES = (builtins, literals, files, pandas_io, frame_methods, combine, groupby, numpy_functions, sklearn_estimators,
           sklearn_functions, sklearn_legacy, model_libraries)


#: Effects a knowledge table names on purpose without a model: their calls are unknown
#: (data edges kept, value unknown), and why.
DELIBERATELY_UNKNOWN: dict[tuple[Family, str], str] = {
    (Family.SKLEARN, "splitter_factory"): "check_cv returns a splitter whose kind depends on its arguments",
    (Family.SKLEARN, "feature_score"): "chi2 / f_classif scores are read by selectors, not by rules",
    (Family.SKLEARN, "inspection"): "permutation_importance and partial_dependence neither fit nor score",
}


@cache
def _table() -> dict[tuple[Family, str], Handler]:
    merged: dict[tuple[Family, str], Handler] = {}
    for module in MODULES:
        table: HandlerTable = module.handlers
        for key, handler in table.entries.items():
            if key in merged:
                raise ValueError(f"{module.__name__}: {key[0].value} effect {key[1]!r} already has a handler")
            merged[key] = handler
    return merged


def handler_for(family: Family, effect: str) -> Handler | None:
    return _table().get((family, effect))


def registered() -> frozenset[tuple[Family, str]]:
    """Every (family, effect) with a handler (the coverage test compares this with the knowledge tables)."""
    return frozenset(_table())

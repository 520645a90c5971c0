"""How a library module declares its handlers: a table per module, merged by ``registry``.

A handler is registered for the *effects* of a receiver family: the effect names
come from the knowledge tables (``mllint.knowledge.pandas_ops`` maps
``dropna`` to ``filter_rows``; the scikit-learn table gives an estimator's kinds
and a function's kind), so one handler serves every API name with that effect.
"""
from __future__ import annotations

import enum
from typing import Any, Callable

from .context import CallContext, Outcome
from ..domains.values import Value


class Family(enum.Enum):
    """What a handler is called on: a receiver kind, or a module of functions."""

    PANDAS = "pandas function"
    NUMPY = "numpy function"
    FRAME = "DataFrame method"
    SERIES = "Series method"
    ARRAY = "ndarray method"
    GROUPBY = "groupby method"
    ACCESSOR = "accessor method"
    SKLEARN = "scikit-learn function"
    ESTIMATOR = "estimator method"
    BUILTIN = "builtin function"
    LIST = "list / tuple / set method"
    DICT = "dict method"
    STR = "str method"
    FILE = "file function / path method"


Handler = Callable[[CallContext, Any, list[Value], dict[str, Value]], "Value | Outcome"]


class HandlerTable:
    """The handlers of one library module, keyed by (family, effect)."""

    def __init__(self) -> None:
        self.entries: dict[tuple[Family, str], Handler] = {}

    def register(self, family: Family, *effects: str) -> Callable[[Handler], Handler]:
        def decorate(function: Handler) -> Handler:
            for effect in effects:
                key = (family, effect)
                if key in self.entries:
                    raise ValueError(f"two handlers for {family.value} effect {effect!r}")
                self.entries[key] = function
            return function
        return decorate

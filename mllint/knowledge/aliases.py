"""Old and moved API names, mapped to the names the knowledge tables describe.

Real notebooks still import from modules scikit-learn removed years ago
(``sklearn.cross_validation`` became ``sklearn.model_selection`` in 0.18 and was
removed in 0.20).  The code means the same functions, so the lookups of the
knowledge tables resolve the old name to the current one; one row per move.
"""
from __future__ import annotations

#: Old module -> the module that took over its public names.
MODULE_ALIASES: dict[str, str] = {
    "sklearn.cross_validation": "sklearn.model_selection",
    "sklearn.grid_search": "sklearn.model_selection",
    "sklearn.learning_curve": "sklearn.model_selection",
}


def canonical(qualified_name: str) -> str:
    """The current dotted name of ``qualified_name`` (itself when it did not move)."""
    module, _, name = qualified_name.rpartition(".")
    moved = MODULE_ALIASES.get(module)
    return f"{moved}.{name}" if moved is not None else qualified_name

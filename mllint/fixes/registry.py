"""Which rule codes have a fix, and the module computing it (rules themselves never see the CST)."""
from __future__ import annotations

from typing import Callable

from ..findings import Finding
from .context import FixContext, Rewrite

Fixer = Callable[[FixContext, Finding], "Rewrite | None"]


def fixers() -> dict[str, Fixer]:
    from . import ml101_pipeline, ml104_label_column, ml302_transform_only

    return {"ML101": ml101_pipeline.fix, "ML104": ml104_label_column.fix, "ML302": ml302_transform_only.fix}


FIXABLE_CODES = frozenset({"ML101", "ML104", "ML302"})

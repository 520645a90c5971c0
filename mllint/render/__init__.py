"""Views of a plan: text listing, node-link JSON, DOT, Mermaid, and mlinspect's DAG format."""
from __future__ import annotations

from typing import Callable

from ..engine.analysis import Analysis
from . import dot, json_view, mermaid, mlinspect, text
from .marks import Marks

RENDERERS: dict[str, Callable[[Analysis], str]] = {
    "text": text.render,
    "json": json_view.render,
    "dot": dot.render,
    "mermaid": mermaid.render,
    "mlinspect": mlinspect.render,
}
#: Views that show findings (text lists them under the plan, pictures mark their nodes); json and
#: mlinspect stay the plan alone (tools compare them).
MARKED: dict[str, Callable[[Analysis, Marks], str]] = {
    "text": text.render,
    "dot": dot.render,
    "mermaid": mermaid.render,
}


def render_view(kind: str, analysis: Analysis, marks: Marks | None = None) -> str:
    """``kind`` of the plan, with the findings of ``marks`` when that view shows findings."""
    if marks is not None and kind in MARKED:
        return MARKED[kind](analysis, marks)
    return RENDERERS[kind](analysis)

"""Views of a plan: text listing, node-link JSON, DOT, Mermaid, and mlinspect's DAG format."""
from __future__ import annotations

from typing import Callable

from ..engine.analysis import Analysis
from . import dot, json_view, mermaid, mlinspect, text

RENDERERS: dict[str, Callable[[Analysis], str]] = {
    "text": text.render,
    "json": json_view.render,
    "dot": dot.render,
    "mermaid": mermaid.render,
    "mlinspect": mlinspect.render,
}

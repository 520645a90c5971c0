"""The ML101 Pipeline fix as a whole rewritten module (kept for callers of the old API).

The fix itself lives in :mod:`mllint.fixes.ml101_pipeline`; the editor's quick fixes come from
:func:`mllint.fixes.editor.editor_fixes`, like ``mllint check --fix``.
"""
from __future__ import annotations

from mllint.fixes.apply import fixes_for_text
from mllint.settings import Settings


def pipeline_fix(source: str, path: str | None, finding_line: int, settings: Settings) -> str | None:
    """The rewritten module, or None when the shape is not recognised or the rewrite is not leak-free."""
    for finding, fix in fixes_for_text(source, path, settings):
        if finding.code == "ML101" and fix.line == finding_line:
            return fix.apply(source)
    return None

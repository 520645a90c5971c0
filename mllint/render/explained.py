"""The findings an explain view shows: the rules run on the analysis with the file's settings.

The same findings ``mllint check`` reports for the file (its configuration, ``# noqa`` comments),
so that a picture marks exactly what the check and the editor report.
"""
from __future__ import annotations

from ..engine.analysis import Analysis
from ..findings import Finding
from ..settings import Settings
from .marks import Marks, mark


def kept_findings(analysis: Analysis, settings: Settings) -> list[Finding]:
    """The findings of ``analysis`` under ``settings`` that no ``# noqa`` silences (none for a failed analysis)."""
    from ..checker import check_analysis
    from ..noqa import kept

    if analysis.error is not None or analysis.source is None:
        return []
    return list(kept(check_analysis(analysis, settings), analysis.source.text))


def explained(analysis: Analysis, settings: Settings) -> Marks:
    """The findings and the plan nodes they mark."""
    return mark(analysis, kept_findings(analysis, settings))

"""Everything a fix module may look at for one finding: the analysed text, its CST, the plan's facts."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from ..engine.analysis import Analysis
from ..facts import PlanFacts
from ..findings import Finding
from ..settings import Settings
from .cst_tools import Located
from .model import Applicability


@dataclass(frozen=True)
class Rewrite:
    """What a fix module proposes: the whole rewritten module, a title, and how far to trust it."""

    module: cst.Module
    title: str
    applicability: Applicability


@dataclass
class FixContext:
    """One analysed module (never a notebook: its text is not the file's)."""

    analysis: Analysis
    settings: Settings
    findings: list[Finding]

    @property
    def module(self) -> cst.Module:
        assert self.analysis.module is not None
        return self.analysis.module

    @property
    def text(self) -> str:
        """The analysed text, which is the module's code (``apply.fixable_analysis`` checks it)."""
        return self.analysis.source.text if self.analysis.source is not None else self.module.code

    @property
    def path(self) -> str | None:
        return self.analysis.source.path if self.analysis.source is not None else None

    @cached_property
    def located(self) -> Located:
        return Located(self.module, self.analysis.source.text if self.analysis.source is not None else None)

    @cached_property
    def facts(self) -> PlanFacts:
        return PlanFacts(self.analysis)

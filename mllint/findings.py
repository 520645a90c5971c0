"""Findings: what a rule reports, where, and the rest of the story."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .plan import Span


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Related:
    """Another place of the story (the source, the fit, the split, the evaluation)."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One harm: ``span`` starts where a person writes ``# noqa`` (the statement's first line)."""

    code: str
    message: str
    span: Span
    severity: Severity = Severity.WARNING
    related: tuple[Related, ...] = field(default=())
    columns: tuple[str, ...] = ()          # the columns involved, for tools that want them structured

    @property
    def line(self) -> int:
        return self.span.start_line

    @property
    def col(self) -> int:
        return self.span.start_col

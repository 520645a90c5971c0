"""Run the enabled rules over one analysis."""
from __future__ import annotations

import fnmatch
import os

from .engine.analysis import Analysis

from .engine.analysis import analyze
from .facts import PlanFacts
from .findings import Finding
from .rule import RuleContext, unique
from .settings import Settings


def all_rules():
    from .rules import all_rules as discover
    return discover()


def check_analysis(analysis: Analysis, settings: Settings, *, every_rule: bool = False) -> list[Finding]:
    """Findings of the enabled rules (all rules with ``every_rule``), sorted, one per harm."""
    if not analysis.ok or not len(analysis.plan):
        return []
    context = RuleContext(PlanFacts(analysis), settings)
    findings: list[Finding] = []
    for rule in all_rules():
        if every_rule or settings.enabled(rule):
            findings.extend(unique(rule.check(context)))
    path = analysis.source.path if analysis.source is not None else None
    ignored = per_file_ignored(path, settings)
    findings = [f for f in findings if not any(f.code.startswith(p) for p in ignored)]
    return sorted(findings, key=lambda f: (f.span.start_line, f.span.start_col, f.code))


def check_source(source, path: str | None, settings: Settings) -> tuple[Analysis, list[Finding]]:
    analysis = analyze(source, path=path, config=settings.engine_config())
    return analysis, check_analysis(analysis, settings)


def per_file_ignored(path: str | None, settings: Settings) -> tuple[str, ...]:
    if not path or not settings.per_file_ignores:
        return ()
    root = settings.project_root or os.getcwd()   # patterns are relative to where the configuration is
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, root)
    codes: list[str] = []
    for pattern, ignored in settings.per_file_ignores:   # an absolute pattern (from a flag) is anchored already
        target = absolute if os.path.isabs(pattern) else relative
        if fnmatch.fnmatch(target, pattern) or fnmatch.fnmatch(os.path.basename(path), pattern):
            codes.extend(ignored)
    return tuple(codes)

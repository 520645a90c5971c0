"""Computing, checking and applying fixes for one module's text.

Every fix is verified before anyone sees it: the rewritten text must parse and analyse, the
finding it fixes must be gone and no other finding may appear.  Fixes are applied one at a
time, each on a fresh analysis of the text the previous one produced (as ruff iterates), so
two fixes never edit stale positions.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable

from ..checker import check_analysis
from ..engine.analysis import Analysis, analyze
from ..findings import Finding
from ..noqa import kept
from ..settings import Settings
from .context import FixContext
from .model import Fix, minimal_edits
from .registry import FIXABLE_CODES, fixers

#: At most this many fixes per file and run (each costs two analyses).
MAX_FIXES_PER_FILE = 25


def reported_findings(analysis: Analysis, settings: Settings) -> list[Finding]:
    """The findings ``mllint check`` reports for an analysis (line and file ``# noqa`` comments applied)."""
    findings = check_analysis(analysis, settings)
    return findings if analysis.source is None else kept(findings, analysis.source.text)


def fixable_analysis(analysis: Analysis, kind: str = "python") -> bool:
    """Fixes rewrite code whose parsed text is the analysed text (for notebooks: the joined code cells,
    which :mod:`mllint.fixes.notebook` maps back to the cells)."""
    source = analysis.source
    if not (analysis.ok and analysis.module is not None and source is not None and source.kind == kind):
        return False
    # the one rewrite of the text before parsing is expandtabs(8) (a tab/space mix LibCST rejects): without a
    # tab the module is the text, and the whole module is not generated again to prove it
    return "\t" not in source.text or analysis.module.code == source.text


def _analyse(data: str | bytes, path: str | None, settings: Settings) -> Analysis:
    return analyze(data, path=path, config=settings.engine_config())


def compute_fix(context: FixContext, finding: Finding,
                realise: Callable[[str], "str | bytes | None"] | None = None) -> Fix | None:
    """The verified fix of one finding, or None (no fixer, shape not recognised, or the rewrite fails).

    ``realise`` turns the rewritten text into what is analysed to verify it (a notebook's JSON),
    or None when it cannot be put back; by default the text itself.
    """
    fixer = fixers().get(finding.code)
    if fixer is None:
        return None
    try:
        rewrite = fixer(context, finding)
    except Exception:   # a shape the fixer did not foresee is no fix, never a failed check
        return None
    if rewrite is None:
        return None
    new_text = rewrite.module.code
    if new_text == context.text:
        return None
    data = realise(new_text) if realise is not None else new_text
    if data is None:
        return None
    after = _analyse(data, context.path, context.settings)
    if not after.ok or any("budget" in note for note in after.notes):   # a partial analysis proves nothing
        return None
    before = Counter(f.code for f in context.findings)
    remaining = Counter(f.code for f in reported_findings(after, context.settings))
    if remaining[finding.code] >= before[finding.code]:
        return None
    if any(count > before[code] for code, count in remaining.items()):
        return None
    return Fix(finding.code, finding.span.start_line, rewrite.title, rewrite.applicability,
               minimal_edits(context.text, new_text))


def fixes_for_text(text: str, path: str | None, settings: Settings) -> list[tuple[Finding, Fix]]:
    """Each reported finding of ``text`` that has a verified fix, with it (for ``[*]`` marks and editors)."""
    return fixes_for_analysis(_analyse(text, path, settings), settings)


def fixes_for_analysis(analysis: Analysis, settings: Settings,
                       findings: list[Finding] | None = None) -> list[tuple[Finding, Fix]]:
    """:func:`fixes_for_text` for a module already analysed (``mllint check``'s worker has the analysis
    and, as ``findings``, its reported findings: the rules are not run again)."""
    if not fixable_analysis(analysis):
        return []
    if findings is None:
        findings = reported_findings(analysis, settings)
    context = FixContext(analysis, settings, findings)
    out = []
    for finding in findings:
        if finding.code in FIXABLE_CODES:
            fix = compute_fix(context, finding)
            if fix is not None:
                out.append((finding, fix))
    return out


@dataclass(frozen=True)
class FixedText:
    """The outcome of fixing one module: its new text and the fixes applied, in order."""

    text: str
    applied: tuple[Fix, ...]

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def fix_text(text: str, path: str | None, settings: Settings, *, unsafe: bool) -> FixedText:
    """Apply every allowed fix (SAFE ones; UNSAFE ones too with ``unsafe``), one per fresh analysis."""
    applied: list[Fix] = []
    declined: set[tuple[str, int]] = set()
    while len(applied) < MAX_FIXES_PER_FILE:
        analysis = _analyse(text, path, settings)
        if not fixable_analysis(analysis):
            break
        findings = reported_findings(analysis, settings)
        context = FixContext(analysis, settings, findings)
        chosen = None
        for finding in findings:
            key = (finding.code, finding.span.start_line)
            if finding.code not in FIXABLE_CODES or key in declined:
                continue
            fix = compute_fix(context, finding)
            if fix is not None and fix.allowed(unsafe):
                chosen = fix
                break
            declined.add(key)
        if chosen is None:
            break
        text = chosen.apply(text)
        applied.append(chosen)
        declined.clear()   # lines moved: look at every finding again
    return FixedText(text, tuple(applied))

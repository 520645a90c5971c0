"""The rule base class: one rule per module, with its documentation and examples.

Like Fixit 2 and ruff: a rule declares its code, a short name, a one-line
summary, documentation in fixed sections (what it finds, why it matters, an
example and what to write instead) and its own VALID / INVALID examples.  The
examples run as tests and are printed as documentation.  In an INVALID example
the line where the finding is expected ends with ``# error``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Iterable, Iterator

from .facts import PlanFacts
from .findings import Finding, Related, Severity
from .plan import Site, Span

if TYPE_CHECKING:   # settings sits below the rules: it must never need them back
    from .settings import Settings

DOCS_URL = "https://github.com/mllint-plan/mllint/blob/main/docs/rules/{code}.md"


@dataclass
class RuleContext:
    facts: PlanFacts
    settings: Settings


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    default_enabled: ClassVar[bool] = True
    what: ClassVar[str]
    why: ClassVar[str]
    example: ClassVar[str]
    use_instead: ClassVar[str]
    valid: ClassVar[tuple[str, ...]] = ()
    invalid: ClassVar[tuple[str, ...]] = ()

    def check(self, ctx: RuleContext) -> Iterable[Finding]:   # pragma: no cover - abstract
        raise NotImplementedError

    # helpers for subclasses ----------------------------------------------------------
    def finding(self, ctx: RuleContext, span: Span | None, message: str,
                related: Iterable[tuple[Site | None, str]] = (), columns: Iterable[str] = ()) -> Finding | None:
        if span is None:
            return None
        extra = []
        primary = (span.start_line, span.start_col)
        seen: set[tuple[int, int, str]] = set()   # each note once, and none at the primary place itself
        for site, text in related:
            where = ctx.facts.statement_span(site) if isinstance(site, Site) else None
            if where is None:
                continue
            key = (where.start_line, where.start_col, text)
            if key not in seen and (key[0], key[1]) != primary:
                seen.add(key)
                extra.append(Related(where, text))
        return Finding(self.code, message, span, self.severity, tuple(extra), tuple(columns))

    @classmethod
    def url(cls) -> str:
        return DOCS_URL.format(code=cls.code)

    @classmethod
    def documentation(cls) -> str:
        """The rule's page, in ruff's fixed sections (Markdown)."""
        status = "on by default" if cls.default_enabled else "off by default: select it to enable"
        return (f"# {cls.code} {cls.name}\n\n{cls.summary}\n\n_Status: {status}._\n\n"
                f"## What it does\n\n{cls.what.strip()}\n\n## Why is this bad?\n\n{cls.why.strip()}\n\n"
                f"## Example\n\n```python\n{cls.example.strip()}\n```\n\n"
                f"## Use instead\n\n```python\n{cls.use_instead.strip()}\n```\n")


def expected_lines(example: str) -> list[int]:
    """Lines of an INVALID example that end with the ``# error`` marker."""
    return [number for number, line in enumerate(example.splitlines(), 1) if line.rstrip().endswith("# error")]


def unique(findings: Iterable[Finding | None]) -> Iterator[Finding]:
    """One finding per harm: drop repeats of the same code on the same statement."""
    seen: set[tuple[str, int]] = set()
    for finding in findings:
        if finding is None:
            continue
        key = (finding.code, finding.span.start_line)
        if key not in seen:
            seen.add(key)
            yield finding

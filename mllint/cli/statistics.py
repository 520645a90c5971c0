"""``--statistics``: how many findings of each rule, like ``ruff check --statistics``.

Text: one row per code, most frequent first (ties by code), tab-separated and padded like
ruff's: count, code, rule name, and the rule's documentation page; then the usual summary.  With ``--output-format json``, a
JSON list of ``{"code", "name", "count", "url"}`` objects in the same order.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from .error_findings import IO_ERROR, SYNTAX_ERROR
from .file_report import FileReport

#: Names of the pseudo-codes (ruff's names for the same failures).
PSEUDO_NAMES = {IO_ERROR: "io-error", SYNTAX_ERROR: "syntax-error"}


@dataclass(frozen=True)
class CodeCount:
    code: str
    name: str
    count: int
    url: str | None


def count_codes(reports: Iterable[FileReport]) -> list[CodeCount]:
    from ..rules import rule_by_code

    counts = Counter(finding.code for report in reports for finding in report.findings)
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = rule_by_code(code)
        rows.append(CodeCount(code, rule.name if rule else PSEUDO_NAMES.get(code, ""), count,
                              rule.url() if rule else None))
    return rows


def statistics_text(rows: list[CodeCount]) -> list[str]:
    if not rows:
        return []
    count_width = max(len(str(r.count)) for r in rows)
    code_width = max(len(r.code) for r in rows)
    name_width = max(len(r.name) for r in rows)
    return [f"{r.count:>{count_width}}\t{r.code:<{code_width}}\t{r.name:<{name_width}}\t{r.url or ''}".rstrip()
            for r in rows]


def statistics_json(rows: list[CodeCount]) -> str:
    return json.dumps([{"code": r.code, "name": r.name, "count": r.count, "url": r.url} for r in rows], indent=2)

"""``# noqa`` comments, with flake8's semantics, for the surfaces that are not flake8 (CLI, editors)."""
from __future__ import annotations

import re

NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z][0-9A-Z]*(?:[,\s]+[A-Z][0-9A-Z]*)*))?", re.IGNORECASE)
FILE_NOQA = re.compile(r"#\s*mllint:\s*noqa\b", re.IGNORECASE)


def noqa_codes(line: str) -> list[str] | None:
    """None: no noqa; []: a bare ``# noqa``; else the listed codes / prefixes (upper case)."""
    match = NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    return [c for c in re.split(r"[,\s]+", codes.upper()) if c] if codes else []


def suppressed(line: str, code: str) -> bool:
    codes = noqa_codes(line)
    if codes is None:
        return False
    return not codes or any(code.startswith(c) for c in codes)


def file_suppressed(lines: list[str]) -> bool:
    return any(FILE_NOQA.search(line) for line in lines)


def kept(findings, text: str):
    """The findings that no ``# noqa`` on their line (and no file-level ``# mllint: noqa``) silences."""
    lines = text.split("\n")
    if file_suppressed(lines):
        return []
    return [f for f in findings
            if not (0 < f.span.start_line <= len(lines) and suppressed(lines[f.span.start_line - 1], f.code))]

"""Fixes as an editor wants them: plain data (they cross from the request worker) in line/column terms."""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..settings import Settings
from .apply import fixes_for_text


@dataclass(frozen=True)
class EditorEdit:
    """Replace from (start_line, start_col) to (end_line, end_col): 0-based lines, code-point columns."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int
    new_text: str


@dataclass(frozen=True)
class EditorFix:
    code: str
    line: int            # 1-based line of the finding
    title: str
    safe: bool
    edits: tuple[EditorEdit, ...]


def editor_fixes(text: str, path: str | None, settings: Settings) -> list[EditorFix]:
    """The verified fixes of the findings of ``text`` (none for text with ``\\r``: offsets would not match)."""
    if "\r" in text:
        return []
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def place(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, offset) - 1
        return line, offset - starts[line]

    out = []
    for finding, fix in fixes_for_text(text, path, settings):
        edits = tuple(EditorEdit(*place(e.start), *place(e.end), e.new_text) for e in fix.edits)
        out.append(EditorFix(fix.code, fix.line, fix.title, fix.applicability.value == "safe", edits))
    return out

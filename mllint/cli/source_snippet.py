"""``--show-source`` / ``--output-format full``: the reported line under each finding, ruff-style.

::

    leak.py:4:1: ML101 `df["x"].mean()` is computed on all rows ...
      |
    4 | df["x"] = (df["x"] - df["x"].mean()) / df["x"].std()
      | ^^^^^^^ ML101
      |
      = docs: https://.../ML101.md

The line is the first line of the primary span (for notebooks, the line in its cell, numbered
as in the cell); the carets run from the reported column to the end column, or to the end of
the line when the span goes on.  The text is the repository's, so controls are escaped -- and
the carets are placed under the escaped text, so that they still point at the right characters.
"""
from __future__ import annotations

from typing import Callable

from .file_report import FindingReport

Escape = Callable[[str], str]


def snippet_lines(finding: FindingReport, url: str | None, escape: Escape, colour: dict[str, str]) -> list[str]:
    """The lines printed under ``finding`` (none when its line is unknown, e.g. an unreadable file)."""
    location = finding.location
    text = finding.line_text.rstrip("\r\n")
    out: list[str] = []
    number = location.cell_line if location.cell_line is not None else location.line
    gutter = " " * len(str(number))
    bar = f"{colour['dim']}{gutter} |{colour['reset']}"
    if text.strip():
        start = min(max(location.column - 1, 0), len(text))
        end = location.end_column - 1 if location.end_line == location.line else len(text)
        end = min(max(end, start), len(text))
        shown = escape(text)
        pad = len(escape(text[:start]))
        width = max(1, len(escape(text[start:end])))
        out += [bar,
                f"{colour['dim']}{number} |{colour['reset']} {shown}",
                f"{bar} {' ' * pad}{colour['code']}{'^' * width} {escape(finding.code)}{colour['reset']}",
                bar]
    if url:
        out.append(f"{gutter} = docs: {url}")
    return out

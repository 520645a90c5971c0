"""Files that cannot be analysed, reported like findings so that editors and CI see them.

ruff reports an unreadable or missing path as ``E902`` at 1:1 and a syntax error at its
position; problem matchers (VS Code tasks, GitHub Actions) only pick up ``path:line:col:``
lines.  So ``mllint check`` turns those two failures into findings with pseudo-codes:

* ``E902`` -- the file cannot be read (``No such file or directory (os error 2)``);
* ``E999`` -- the file is not valid Python (``SyntaxError: '(' was never closed``).

They travel every output format like findings (text line, json item, sarif result, github
``::error``), count in the summary and make the exit status 1.  Other failures (time-outs,
internal errors, code too deeply nested to analyse) stay ``path: error: ...`` lines on stderr.
"""
from __future__ import annotations

import re

from .file_report import FindingReport
from .file_report import Location

IO_ERROR = "E902"
SYNTAX_ERROR = "E999"
PSEUDO_CODES = (IO_ERROR, SYNTAX_ERROR)
_SYNTAX = re.compile(r"syntax error at line (?P<line>\d+), column (?P<column>\d+): (?P<message>.*)", re.DOTALL)


def io_error_finding(exc: OSError) -> FindingReport:
    """``E902 No such file or directory (os error 2)`` at 1:1, like ruff."""
    reason = exc.strerror or str(exc)
    if exc.errno is not None:
        reason += f" (os error {exc.errno})"
    return FindingReport(IO_ERROR, reason, "error", Location(1, 1, 1, 1))


def syntax_error_finding(error: str, source=None) -> FindingReport | None:
    """The ``E999`` finding for an analysis error that is a syntax error (None for other errors);
    ``source`` (the parsed SourceText, when there is one) places it in its notebook cell."""
    match = _SYNTAX.fullmatch(error)
    if match is None:
        return None
    line, column = int(match["line"]), int(match["column"])
    location = Location(line, column, line, column)
    lines = source.text.split("\n") if source is not None else []
    place = source.code_cell_position(line) if source is not None else None
    if place is not None:
        location.cell, location.cell_line = place
        location.column = location.end_column = source.cell_column(line, column - 1) + 1
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return FindingReport(SYNTAX_ERROR, f"SyntaxError: {match['message']}", "error", location, line_text=text)

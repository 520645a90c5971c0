"""``# noqa`` comments for the surfaces that are not flake8 (CLI, editors).

Line comments have flake8's meaning: ``# noqa`` silences the line, ``# noqa: ML1, E501`` the
listed codes and prefixes on it.  File-level comments follow the tool that owns them:

* ``# flake8: noqa`` skips the file (as in flake8); ``# flake8: noqa: CODES`` does *nothing*,
  because flake8 ignores it (with a warning) -- a file-wide skip hidden behind a code list would
  surprise anyone who reads it the flake8 way;
* ``# ruff: noqa`` and ``# mllint: noqa`` skip the file; ``# ruff: noqa: CODES`` and
  ``# mllint: noqa: CODES`` ignore those codes in the whole file (ruff's meaning).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Collection, Iterable

_CODES = r"[A-Z][0-9A-Z]*(?:[,\s]+[A-Z][0-9A-Z]*)*"
NOQA = re.compile(rf"#\s*noqa(?::\s*(?P<codes>{_CODES}))?", re.IGNORECASE)
FILE_NOQA = re.compile(rf"#\s*(?P<tool>mllint|ruff|flake8)[:=]\s*noqa\b(?:\s*:\s*(?P<codes>{_CODES}))?",
                       re.IGNORECASE)
#: ML codes belong to us: one that names no rule (nor a prefix of one) in a noqa comment is a typo.
OWN_PREFIX = "ML"


def _split(codes: str | None) -> list[str]:
    return [c for c in re.split(r"[,\s]+", codes.upper()) if c] if codes else []


def noqa_codes(line: str) -> list[str] | None:
    """None: no noqa; []: a bare ``# noqa``; else the listed codes / prefixes (upper case)."""
    match = NOQA.search(line)
    if match is None:
        return None
    return _split(match.group("codes"))


def suppressed(line: str, code: str) -> bool:
    codes = noqa_codes(line)
    if codes is None:
        return False
    return not codes or any(code.startswith(c) for c in codes)


@dataclass(frozen=True)
class FileComment:
    """One file-level ``# <tool>: noqa[: CODES]`` comment (line 1-based, column 0-based)."""

    tool: str                  # "mllint", "ruff" or "flake8" (lower case)
    codes: tuple[str, ...]     # empty: the whole file
    line: int
    column: int

    @property
    def ignored_by_its_tool(self) -> bool:
        """flake8 does not support codes after ``# flake8: noqa``: such a comment does nothing."""
        return self.tool == "flake8" and bool(self.codes)


@dataclass(frozen=True)
class FileNoqa:
    """What a file's file-level comments say."""

    comments: tuple[FileComment, ...] = ()

    @property
    def skips_file(self) -> bool:
        return any(not c.codes for c in self.comments)

    @property
    def skipping_comment(self) -> FileComment | None:
        return next((c for c in self.comments if not c.codes), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for c in self.comments if not c.ignored_by_its_tool for code in c.codes)

    def ignores(self, code: str) -> bool:
        return self.skips_file or any(code.startswith(c) for c in self.codes)


def file_noqa(lines: Iterable[str]) -> FileNoqa:
    comments = []
    for number, line in enumerate(lines, 1):
        for match in FILE_NOQA.finditer(line):
            comments.append(FileComment(match.group("tool").lower(), tuple(_split(match.group("codes"))),
                                        number, match.start()))
    return FileNoqa(tuple(comments))


def file_suppressed(lines: list[str]) -> bool:
    """Whether a file-level comment skips the whole file."""
    return file_noqa(lines).skips_file


@dataclass(frozen=True)
class NoqaWarning:
    """A noqa comment worth a warning (line 1-based, column 0-based at its ``#``)."""

    line: int
    column: int
    message: str


def noqa_warnings(lines: Iterable[str], known_codes: Collection[str]) -> list[NoqaWarning]:
    """One warning per comment naming ML codes that are no rule code or prefix (other tools' codes
    are theirs), and per ``# flake8: noqa: CODES`` (which flake8 ignores)."""
    out = []
    for number, line in enumerate(lines, 1):
        if "noqa" not in line.lower():
            continue
        for match in FILE_NOQA.finditer(line):
            tool, codes = match.group("tool").lower(), _split(match.group("codes"))
            if tool == "flake8" and codes:
                out.append(NoqaWarning(number, match.start(),
                                       "`# flake8: noqa` with codes is ignored (as flake8 ignores it); "
                                       "use `# ruff: noqa: CODES` or `# mllint: noqa: CODES` for a file-wide "
                                       "ignore of some codes"))
            else:
                out.extend(_unknown(number, match.start(), codes, known_codes))
        match = NOQA.search(line)
        if match is not None and not any(m.start() <= match.start() < m.end() for m in FILE_NOQA.finditer(line)):
            out.extend(_unknown(number, match.start(), _split(match.group("codes")), known_codes))
    return out


def _unknown(line: int, column: int, codes: list[str], known: Collection[str]) -> list[NoqaWarning]:
    unknown = [c for c in codes if c.startswith(OWN_PREFIX) and not any(k.startswith(c) for k in known)]
    if not unknown:
        return []
    plural = "s" if len(unknown) > 1 else ""
    return [NoqaWarning(line, column, f"unknown rule code{plural} {', '.join(unknown)} in noqa comment")]


def kept(findings, text: str):
    """The findings that no ``# noqa`` on their line and no file-level comment silences."""
    lines = text.split("\n")
    file_level = file_noqa(lines)
    if file_level.skips_file:
        return []
    return [f for f in findings
            if not file_level.ignores(f.code)
            and not (0 < f.span.start_line <= len(lines) and suppressed(lines[f.span.start_line - 1], f.code))]

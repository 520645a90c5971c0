"""Reading and rewriting golden ``.test`` files (the mypyc-style data files of ``tests/golden/``).

Kept apart from the tests themselves so that the format has one owner: the parser and the
rewriter must agree byte for byte, or ``--update-golden`` would churn files it did not mean
to change.  The format (also in ``tests/golden/README.md``)::

    -- free comment lines before the first case (lines starting with "--")
    [case some_name]
    import pandas as pd            <- the program, written to case.py (line 1 = first line)
    [file data/train.csv]          <- optional, repeatable: a file written next to case.py
    id,age,label
    [out]
    <`mllint explain case.py --format text`>
    [findings]                     <- optional: `mllint check` findings, sorted
    4:1 ML101 message
        9:1 related message        <- a finding's related places, indented under it

A section runs until the next line that is exactly a section header.  Trailing whitespace at
the end of lines and blank lines at the end of a section are not significant (they are
ignored when comparing, and kept when rewriting a section that is already right).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADER = re.compile(r"^\[(case|file) ([^\]\s]+)\]$|^\[(out|findings)\]$")
EXPECTED = ("out", "findings")


class GoldenFormatError(ValueError):
    """A ``.test`` file that does not follow the format (reported with its line)."""


@dataclass(frozen=True)
class Section:
    """One ``[kind arg]`` section: its header line and its raw body lines (newlines kept)."""

    kind: str
    arg: str
    header: str
    body: tuple[str, ...]

    @property
    def lines(self) -> list[str]:
        """The significant lines: right-stripped, trailing blank lines dropped."""
        return normalize("".join(self.body))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Case:
    """A ``[case]`` block: its name, its 1-based header line, the program and its sections."""

    name: str
    line: int
    header: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def source(self) -> str:
        """The program as written to ``case.py`` (ends with one newline)."""
        return self.sections[0].text + "\n"

    @property
    def files(self) -> dict[str, str]:
        return {s.arg: s.text + "\n" for s in self.sections if s.kind == "file"}

    def expected(self, kind: str) -> str | None:
        """The expected text of ``[out]`` / ``[findings]`` (None: the case has no such section)."""
        for section in self.sections:
            if section.kind == kind:
                return section.text
        return None


@dataclass(frozen=True)
class GoldenFile:
    """A parsed ``.test`` file: the preamble (comments) and the cases, in file order."""

    preamble: tuple[str, ...]
    cases: tuple[Case, ...]

    def render(self) -> str:
        out = list(self.preamble)
        for case in self.cases:
            out.append(case.header)
            for section in case.sections:   # the program's section has no header line of its own
                out.append(section.header)
                out.extend(section.body)
        return "".join(out)


def normalize(text: str) -> list[str]:
    """Lines without trailing whitespace and without trailing blank lines: what is compared."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def parse(text: str, where: str = "<golden>") -> GoldenFile:
    """Split a ``.test`` file into cases; every line belongs to exactly one place, so that
    :meth:`GoldenFile.render` gives the same bytes back."""
    lines = text.splitlines(keepends=True)
    preamble: list[str] = []
    cases: list[Case] = []
    current: dict | None = None
    names: set[str] = set()

    def close() -> None:
        if current is None:
            return
        sections = tuple(Section(k, a, h, tuple(b)) for k, a, h, b in current["sections"])
        kinds = [s.kind for s in sections]
        if "out" not in kinds:
            raise GoldenFormatError(f"{where}:{current['line']}: case {current['name']!r} has no [out] section")
        order = [k for k in kinds if k in EXPECTED]
        if order not in (["out"], ["out", "findings"]) or kinds[-len(order):] != order:
            raise GoldenFormatError(f"{where}:{current['line']}: case {current['name']!r}: sections must be "
                                    "the program, [file ...] sections, [out], then optionally [findings]")
        cases.append(Case(current["name"], current["line"], current["header"], sections))

    for number, line in enumerate(lines, 1):
        match = HEADER.match(line.rstrip("\r\n").rstrip())
        if match and match.group(1) == "case":
            close()
            name = match.group(2)
            if name in names:
                raise GoldenFormatError(f"{where}:{number}: duplicate case name {name!r}")
            names.add(name)
            current = {"name": name, "line": number, "header": line, "sections": [["source", "", "", []]]}
        elif current is None:
            if line.strip() and not line.startswith("--"):
                raise GoldenFormatError(f"{where}:{number}: only '--' comments may come before the first [case]")
            preamble.append(line)
        elif match:
            kind = match.group(1) or match.group(3)
            current["sections"].append([kind, match.group(2) or "", line, []])
        else:
            current["sections"][-1][3].append(line)
    close()
    return GoldenFile(tuple(preamble), tuple(cases))


def _body(new: str, old: tuple[str, ...]) -> tuple[str, ...]:
    """The body lines for ``new``; the old body is kept when it already says the same thing
    (so that a rewrite never touches right cases), and its trailing blank lines are kept."""
    if normalize("".join(old)) == normalize(new):
        return old
    trailing = 0
    for line in reversed(old):
        if line.strip():
            break
        trailing += 1
    content = [line + "\n" for line in normalize(new)]
    return tuple(content + ["\n"] * trailing)


def rewrite(golden: GoldenFile, actual: dict[str, dict[str, str]]) -> GoldenFile:
    """``golden`` with the ``[out]`` / ``[findings]`` bodies of the cases in ``actual`` replaced
    (``actual[case][kind]``); a kind the case has no section for is ignored."""
    cases = []
    for case in golden.cases:
        updates = actual.get(case.name)
        if not updates:
            cases.append(case)
            continue
        sections = []
        for section in case.sections:
            if section.kind in updates:
                section = Section(section.kind, section.arg, section.header, _body(updates[section.kind], section.body))
            sections.append(section)
        cases.append(Case(case.name, case.line, case.header, tuple(sections)))
    return GoldenFile(golden.preamble, tuple(cases))

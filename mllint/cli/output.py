"""Output formats of ``mllint check``: text, json, sarif (2.1.0), github workflow commands.

text and github are line formats: :class:`OutputWriter` prints each file's lines as soon as
its report arrives (a killed or timed-out run still shows what it found); json and sarif are
documents, written whole at the end.  Everything a checked repository controls (file names,
column names inside messages, notes) goes through :func:`escape_controls` before it reaches a
terminal, so that it cannot move the cursor, recolour, or reorder what is shown.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from typing import IO, Iterable

from .. import __version__
from .file_report import FileReport
from .file_report import FindingReport
from .file_report import Location
from .source_snippet import snippet_lines
from .statistics import count_codes, statistics_json, statistics_text

INFORMATION_URI = "https://pypi.org/project/mllint-plan/"
_COLOURS = {"path": "\033[1m", "code": "\033[31m", "dim": "\033[2m", "reset": "\033[0m"}


#: C0 controls (tab and newline included), DEL, C1 controls, the Unicode bidirectional controls and
#: line separators, which reorder or break what a terminal or a log viewer shows, and lone surrogates
#: (undecodable file names), which no terminal encoding can print.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                       "\ud800-\udfff]")
_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape_one(match: re.Match) -> str:
    char = match.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(value: str) -> str:
    """``value`` with every control character written as its escape (``\\x1b``, ``\\u202e``), like ``repr``."""
    return _CONTROLS.sub(_escape_one, value)


def _where(path: str, location: Location) -> str:
    if location.cell is not None:
        return f"{path}:cell {location.cell}:{location.cell_line}:{location.column}"
    return f"{path}:{location.line}:{location.column}"


def text_lines(report: FileReport, colour: bool = False, show_source: bool = False) -> list[str]:
    """ruff-like: ``path:line:col: CODE message``, related places indented under it; controls escaped.

    ``show_source`` (``--show-source``, ``--output-format full``): the reported line with carets
    under the span and the rule's documentation link after each finding, then a blank line.
    """
    c = _COLOURS if colour else {k: "" for k in _COLOURS}
    path = escape_controls(report.path)
    out: list[str] = []
    for finding in report.findings:
        out.append(f"{c['path']}{_where(path, finding.location)}{c['reset']}: "
                   f"{c['code']}{escape_controls(finding.code)}{c['reset']} {'[*] ' if finding.fixable else ''}"
                   f"{escape_controls(finding.message)}")
        if show_source:
            out.extend(snippet_lines(finding, _rule_url(finding.code), escape_controls, c))
        for related in finding.related:
            out.append(f"    {c['dim']}{_where(path, related.location)}: {escape_controls(related.message)}"
                       f"{c['reset']}")
        if show_source:
            out.append("")
    return out


def _rule_url(code: str) -> str | None:
    from ..rules import rule_by_code

    rule = rule_by_code(code)
    return rule.url() if rule else None


#: ruff prints this on a clean run (text formats, standard output).
ALL_PASSED = "All checks passed!"


def text_summary(count: int) -> str | None:
    return f"Found {count} finding{'s' if count != 1 else ''}." if count else None


def text(reports: list[FileReport], colour: bool = False, show_source: bool = False) -> str:
    out = [line for report in reports for line in text_lines(report, colour, show_source)]
    summary = text_summary(sum(len(r.findings) for r in reports))
    return "\n".join(out + ([summary] if summary else []))


#: A note that is a positioned warning (a noqa comment naming an unknown code): ``LINE:COL: warning: ...``.
_POSITIONED_WARNING = re.compile(r"(?:cell \d+:)?\d+:\d+: warning: ")


def diagnostics(report: FileReport) -> list[str]:
    """The lines about a file that go to standard error: its error, and notes a person must see."""
    path = escape_controls(report.path)
    out = [f"{path}: error: {escape_controls(report.error)}"] if report.error else []
    for note in report.notes:
        if _POSITIONED_WARNING.match(note):
            out.append(f"{path}:{escape_controls(note)}")
        elif "budget" in note or "internal error" in note or "too deeply" in note:
            out.append(f"{path}: note: {escape_controls(note)}")
    return out


def json_findings(reports: list[FileReport]) -> str:
    from ..rules import rule_by_code

    items = []
    for report in reports:
        for finding in report.findings:
            rule = rule_by_code(finding.code)
            items.append({
                "code": finding.code,
                "message": finding.message,
                "severity": finding.severity,
                "path": report.path,
                "start_line": finding.location.line,
                "start_column": finding.location.column,
                "end_line": finding.location.end_line,
                "end_column": finding.location.end_column,
                "cell": finding.location.cell,
                "cell_line": finding.location.cell_line,
                **_file_position(finding.location),
                "related": [{"path": report.path, "start_line": r.location.line,
                             "start_column": r.location.column, "end_line": r.location.end_line,
                             "end_column": r.location.end_column, "cell": r.location.cell,
                             "cell_line": r.location.cell_line, **_file_position(r.location),
                             "message": r.message} for r in finding.related],
                "columns": finding.columns,
                "rule": rule.name if rule else None,
                "url": rule.url() if rule else None,
                # as ruff's JSON: null, or the fix's applicability ("safe": --fix applies it; "unsafe": --unsafe-fixes)
                "fix": {"applicability": finding.fix} if finding.fix is not None else None,
            })
    return json.dumps(items, indent=2)


def _file_position(location: Location) -> dict:
    """Where the finding is in the file as stored (a notebook: its JSON text; a .py file: its lines)."""
    line, column, end_line, end_column = location.in_file()
    return {"file_line": line, "file_column": column, "file_end_line": end_line, "file_end_column": end_column}


def _in_cell(location: Location, message: str) -> str:
    """A notebook finding's message names its place in the notebook (``cell N`` counts code cells, as nbqa)."""
    return message if location.cell is None else f"cell {location.cell}, line {location.cell_line}: {message}"


def _escape_data(value: str) -> str:
    return escape_controls(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_lines(report: FileReport) -> list[str]:
    """GitHub Actions workflow commands: annotations on the pull request."""
    out = []
    for finding in report.findings:
        loc = finding.location
        level = "error" if finding.severity == "error" else "warning"
        message = _in_cell(loc, finding.message)
        line, column, end_line, end_column = loc.in_file()
        out.append(f"::{level} file={_escape_property(report.path)},line={line},col={column},"
                   f"endLine={end_line},endColumn={end_column},"
                   f"title={_escape_property(finding.code)}::{_escape_data(finding.code + ' ' + message)}")
    return out


def github(reports: list[FileReport]) -> str:
    return "\n".join(line for report in reports for line in github_lines(report))


def _sarif_level(severity: str) -> str:
    return {"error": "error", "warning": "warning"}.get(severity, "note")


def _region(location: Location) -> dict:
    """The region in the file as stored: a notebook finding points at the line of its JSON text that
    holds the code (the cell and its line are in the message)."""
    line, column, end_line, end_column = location.in_file()
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _uri(path: str, root: str) -> str:
    relative = os.path.relpath(os.path.abspath(path), root)
    return relative.replace(os.sep, "/")


def _line_key(finding: FindingReport) -> str:
    """The primary line as fingerprints read it: whitespace-normalised, so re-indenting keeps it."""
    return " ".join(finding.line_text.split())


def _fingerprint(code: str, uri: str, finding: FindingReport, occurrence: int) -> str:
    """Stable across edits elsewhere in the file: rule, file, the line's text, and its occurrence."""
    digest = hashlib.sha256(f"{code}\0{uri}\0{_line_key(finding)}".encode()).hexdigest()[:16]
    return f"{digest}:{occurrence}"


def sarif(reports: list[FileReport], root: str) -> str:
    """SARIF 2.1.0 for GitHub code scanning: repo-relative URIs against %SRCROOT%, fingerprints."""
    from ..rules import all_rules

    rules = list(all_rules())
    index = {rule.code: i for i, rule in enumerate(rules)}
    descriptors = [{
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(rule.what.split())},
        "help": {"text": " ".join(rule.why.split()), "markdown": rule.documentation()},
        "helpUri": rule.url(),
        "defaultConfiguration": {"level": _sarif_level(rule.severity.value), "enabled": rule.default_enabled},
        "properties": {"tags": ["machine-learning", rule.code[:3].lower() + "x"]},
    } for rule in rules]
    results = []
    for report in reports:
        uri = _uri(report.path, root)
        seen: dict[str, int] = {}
        for finding in report.findings:
            key = f"{finding.code}{_line_key(finding)}"
            seen[key] = seen.get(key, 0) + 1
            message = _in_cell(finding.location, finding.message)
            result = {
                "ruleId": finding.code,
                "level": _sarif_level(finding.severity),
                "message": {"text": message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                    "region": _region(finding.location)}}],
                "partialFingerprints": {"primaryLocationLineHash": _fingerprint(finding.code, uri, finding,
                                                                                seen[key])},
            }
            if finding.code in index:
                result["ruleIndex"] = index[finding.code]
            if finding.related:
                result["relatedLocations"] = [{
                    "id": number,
                    "physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                                         "region": _region(related.location)},
                    "message": {"text": _in_cell(related.location, related.message)}}
                    for number, related in enumerate(finding.related, 1)]
            results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "mllint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI, "rules": descriptors}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": _root_uri(root)}},
            "results": results,
        }],
    }
    return json.dumps(document, indent=2)


def _root_uri(root: str) -> str:
    path = os.path.abspath(root).replace(os.sep, "/")
    return "file://" + (path if path.startswith("/") else "/" + path) + ("/" if not path.endswith("/") else "")


FORMATS = ("text", "full", "json", "sarif", "github")


def render(kind: str, reports: Iterable[FileReport], *, root: str, colour: bool) -> str:
    reports = list(reports)
    if kind == "json":
        return json_findings(reports)
    if kind == "sarif":
        return sarif(reports, root)
    if kind == "github":
        return github(reports)
    return text(reports, colour, show_source=kind == "full")


class OutputWriter:
    """Writes ``mllint check``'s results: line formats file by file as reports arrive, documents at the end.

    ``show_source``: the text format shows each reported line (``full`` implies it);
    ``statistics``: only a count per rule at the end (text table, or JSON for ``json``);
    ``quiet``: findings only, no summary; ``silent``: nothing on standard output at all.
    """

    def __init__(self, kind: str, *, root: str, colour: bool, out: IO[str], err: IO[str],
                 show_source: bool = False, statistics: bool = False, quiet: bool = False,
                 silent: bool = False) -> None:
        self.kind, self.root, self.colour, self.out, self.err = kind, root, colour, out, err
        self.show_source = show_source or kind == "full"
        self.statistics, self.quiet, self.silent = statistics, quiet, silent
        self.reports: list[FileReport] = []
        self.count = 0
        self.failed = False    # a file could not be analysed: the checks did not all pass

    @property
    def _streams_lines(self) -> bool:
        return self.kind in ("text", "full", "github") and not self.statistics and not self.silent

    def pending_lines(self, report: FileReport) -> bool:
        """Whether :meth:`add` will print something now (so that a progress bar can step aside)."""
        return bool(diagnostics(report)) or (self._streams_lines and bool(report.findings))

    def add(self, report: FileReport) -> None:
        self.count += len(report.findings)
        self.failed = self.failed or report.error is not None
        if not self.silent:
            for line in diagnostics(report):
                print(line, file=self.err)
        if not self._streams_lines:
            if not self.silent:
                self.reports.append(report)
            return
        if self.kind == "github":
            lines = github_lines(report)
        else:
            lines = text_lines(report, self.colour, self.show_source)
        if lines:
            self.out.write("\n".join(lines) + "\n")
            self.out.flush()

    def finish(self, summary: list[str] | None = None, *, all_passed: bool = True) -> None:
        """``summary``: closing lines replacing "Found N findings." in text output (fix counts);
        ``all_passed``: a clean run may say so (not under ``--diff``, whose standard output is the diff alone)."""
        if self.silent:
            return
        lines = summary if summary is not None else [line for line in [text_summary(self.count)] if line]
        if self.statistics:
            rows = count_codes(self.reports)
            if self.kind == "json":
                print(statistics_json(rows), file=self.out)
            else:
                for line in statistics_text(rows):
                    print(line, file=self.out)
                for line in lines if not self.quiet else ():
                    print(line, file=self.out)
        elif self.kind in ("text", "full"):
            if not self.quiet:
                for line in lines:
                    print(line, file=self.out)
            if not (lines or self.count or self.quiet or self.failed) and all_passed:
                print(ALL_PASSED, file=self.out)
        elif self.kind in ("json", "sarif"):
            print(render(self.kind, self.reports, root=self.root, colour=False), file=self.out)
        self.out.flush()

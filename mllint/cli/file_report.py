"""What ``mllint check`` knows about one file: plain data that crosses process boundaries and lives in the cache.

Why a strict reader: a cache entry is read back from a folder inside the checked repository,
which is untrusted input.  Even an authenticated entry is checked field by field against the
exact shape written here (no unknown or missing keys, no ``bool`` where an ``int`` belongs), so
a damaged or stale entry is rejected and recomputed instead of crashing the run or hiding
findings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Types a data-file state may hold (``data_headers`` records each looked-up path as a tuple of them).
JSON_SCALARS = (str, int, float, bool, type(None))


class ReportFormatError(ValueError):
    """A serialised report does not have the exact shape :meth:`FileReport.to_json` writes."""


@dataclass
class Location:
    line: int          # 1-based, in the file (for notebooks: in the joined code cells)
    column: int        # 1-based (for notebooks: in the cell, whose indent IPython removes)
    end_line: int
    end_column: int
    cell: int | None = None          # notebooks: 1-based code-cell number (nbqa's "cell N")
    cell_line: int | None = None     # notebooks: 1-based line inside that cell
    #: notebooks: the 1-based line and column in the .ipynb file's JSON text of the string holding the code
    #: (what GitHub annotations and SARIF point at); None for .py files and when the JSON was not mapped
    file_line: int | None = None
    file_column: int | None = None
    file_end_line: int | None = None
    file_end_column: int | None = None

    def to_json(self) -> dict:
        return {"line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column, "cell": self.cell, "cell_line": self.cell_line,
                "file_line": self.file_line, "file_column": self.file_column,
                "file_end_line": self.file_end_line, "file_end_column": self.file_end_column}

    @staticmethod
    def from_json(data: Any) -> "Location":
        _keys(data, _LOCATION_KEYS, "location")
        return Location(_int(data["line"]), _int(data["column"]), _int(data["end_line"]), _int(data["end_column"]),
                        _optional_int(data["cell"]), _optional_int(data["cell_line"]),
                        _optional_int(data["file_line"]), _optional_int(data["file_column"]),
                        _optional_int(data["file_end_line"]), _optional_int(data["file_end_column"]))

    def in_file(self) -> tuple[int, int, int, int]:
        """(line, column, end line, end column) in the file as stored: for a notebook, its JSON text."""
        if self.file_line is not None and self.file_column is not None:
            end_line = self.file_end_line if self.file_end_line is not None else self.file_line
            end_column = self.file_end_column if self.file_end_column is not None else self.file_column
            return self.file_line, self.file_column, end_line, end_column
        return self.line, self.column, self.end_line, self.end_column


@dataclass
class RelatedReport:
    location: Location
    message: str


@dataclass
class FindingReport:
    code: str
    message: str
    severity: str
    location: Location
    related: list[RelatedReport] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    line_text: str = ""      # the primary line, for stable fingerprints
    #: the applicability ("safe" / "unsafe") of the verified fix of this finding, None without one;
    #: computed in the worker with the analysis (so cached), read by ``--fix``'s marks and summary
    fix: str | None = None
    fixable: bool = False    # a fix --fix would apply with this run's options (set after the run, never cached)


@dataclass
class FileReport:
    path: str                       # as given / found (relative when found under a relative folder)
    findings: list[FindingReport] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    notebook: bool = False
    #: every literal data path the analysis looked up -> its state then (data_headers.unchanged re-checks it)
    data_files: dict[str, list] = field(default_factory=dict)
    #: the result says nothing about the content (unreadable, internal error, timed out): never cached
    transient: bool = False

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "findings": [{"code": f.code, "message": f.message, "severity": f.severity,
                          "location": f.location.to_json(),
                          "related": [{"location": r.location.to_json(), "message": r.message} for r in f.related],
                          "columns": list(f.columns), "line_text": f.line_text, "fix": f.fix} for f in self.findings],
            "error": self.error,
            "notes": list(self.notes),
            "notebook": self.notebook,
            "data_files": {k: list(v) for k, v in self.data_files.items()},
        }

    @staticmethod
    def from_json(data: Any) -> "FileReport":
        """The report :meth:`to_json` wrote, or :class:`ReportFormatError` for anything else."""
        _keys(data, _REPORT_KEYS, "report")
        findings = [_finding(item) for item in _list(data["findings"], "findings")]
        data_files = data["data_files"]
        if not isinstance(data_files, dict):
            raise ReportFormatError("data_files: expected an object")
        files: dict[str, list] = {}
        for name, state in data_files.items():
            if not isinstance(state, list) or not all(isinstance(v, JSON_SCALARS) for v in state):
                raise ReportFormatError("data_files: expected lists of scalars")
            files[name] = list(state)
        error = data["error"]
        if error is not None and not isinstance(error, str):
            raise ReportFormatError("error: expected a string or null")
        notebook = data["notebook"]
        if not isinstance(notebook, bool):
            raise ReportFormatError("notebook: expected a boolean")
        return FileReport(_str(data["path"]), findings, error, _strings(data["notes"], "notes"), notebook, files)


_LOCATION_KEYS = frozenset({"line", "column", "end_line", "end_column", "cell", "cell_line", "file_line",
                            "file_column", "file_end_line", "file_end_column"})
_FINDING_KEYS = frozenset({"code", "message", "severity", "location", "related", "columns", "line_text", "fix"})
_RELATED_KEYS = frozenset({"location", "message"})
_REPORT_KEYS = frozenset({"path", "findings", "error", "notes", "notebook", "data_files"})


def _finding(data: Any) -> FindingReport:
    _keys(data, _FINDING_KEYS, "finding")
    related = []
    for item in _list(data["related"], "related"):
        _keys(item, _RELATED_KEYS, "related")
        related.append(RelatedReport(Location.from_json(item["location"]), _str(item["message"])))
    return FindingReport(_str(data["code"]), _str(data["message"]), _str(data["severity"]),
                         Location.from_json(data["location"]), related, _strings(data["columns"], "columns"),
                         _str(data["line_text"]), _fix(data["fix"]))


def _fix(value: Any) -> str | None:
    if value not in (None, "safe", "unsafe"):
        raise ReportFormatError("fix: expected \"safe\", \"unsafe\" or null")
    return value


def _keys(data: Any, expected: frozenset[str], what: str) -> None:
    if not isinstance(data, dict) or data.keys() != expected:
        raise ReportFormatError(f"{what}: expected an object with keys {sorted(expected)}")


def _list(value: Any, what: str) -> list:
    if not isinstance(value, list):
        raise ReportFormatError(f"{what}: expected a list")
    return value


def _strings(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ReportFormatError(f"{what}: expected a list of strings")
    return list(value)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ReportFormatError("expected a string")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:     # bool is an int subclass: not a line number
        raise ReportFormatError("expected an integer")
    return value


def _optional_int(value: Any) -> int | None:
    return None if value is None else _int(value)

"""Where a notebook cell's code sits in the ``.ipynb`` file's own text (its JSON lines).

GitHub annotations and SARIF results point into the file as it is stored, and a notebook is
stored as JSON: a cell's ``source`` is a list of strings (usually one per line) or a single
string.  This module scans the file's text with a small JSON tokenizer (a regular expression
over whole tokens, so a notebook of many megabytes of outputs is scanned at C speed), records
the line and column of every string of every code cell's ``source``, and maps a (cell, line,
column) of the code back to a (line, column) of the file.

Line breaks of the file are ``\\r\\n``, ``\\r`` and ``\\n`` (as :mod:`mllint.engine.source`
counts them); JSON strings cannot hold a raw line break, so a string lies on one line of the
file.  Columns are 1-based code points, as for ``.py`` files; they are exact when the code's line
starts inside one string of the array (``"x = 1\\n"``), and the column of the string's first
character otherwise.  A notebook that is not valid JSON gives no map (``None``).
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass

__all__ = ["FileString", "NotebookLines", "notebook_lines"]

_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|(\r\n|\r|\n)|[ \t]+', re.S)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ESCAPE = re.compile(r'\\(?:u[0-9a-fA-F]{4}|.)', re.S)


@dataclass(frozen=True, slots=True)
class FileString:
    """One JSON string of a cell's source: its text and where its opening quote is in the file."""

    value: str
    raw: str       # the token as written, quotes included
    line: int      # 1-based line of the file
    column: int    # 0-based code-point column of the opening quote

    def file_column(self, offset: int) -> int:
        """1-based file column of the character at decoded ``offset`` of this string."""
        raw_index, decoded = 1, 0
        body = self.raw
        while decoded < offset and raw_index < len(body) - 1:
            match = _ESCAPE.match(body, raw_index)
            if match is not None:
                text = match.group()
                if text.startswith("\\u") and 0xD800 <= int(text[2:], 16) < 0xDC00 and \
                        _ESCAPE.match(body, match.end()) is not None:   # a surrogate pair: one character
                    raw_index = _ESCAPE.match(body, match.end()).end()
                else:
                    raw_index = match.end()
            else:
                raw_index += 1
            decoded += 1
        return self.column + raw_index + 1


@dataclass(frozen=True, slots=True)
class _CellSource:
    strings: tuple[FileString, ...]
    starts: tuple[int, ...]          # decoded offset of each string in the joined source
    line_starts: tuple[int, ...]     # decoded offset where each line of the joined source begins
    key_line: int                    # line of the "source" key (an empty source points there)


class NotebookLines:
    """Code cell positions -> positions in the notebook file's text."""

    def __init__(self, cells: dict[int, _CellSource]) -> None:
        self._cells = cells

    def position(self, cell: int, line: int, column: int) -> tuple[int, int] | None:
        """1-based (line, column) in the file of 1-based ``line`` and 0-based ``column`` of the cell
        with 0-based index ``cell`` in the notebook's cell list; None when the cell is unknown."""
        source = self._cells.get(cell)
        if source is None:
            return None
        if not source.strings:
            return source.key_line, 1
        line_index = min(max(line - 1, 0), len(source.line_starts) - 1)
        offset = source.line_starts[line_index]
        index = max(bisect.bisect_right(source.starts, offset) - 1, 0)
        string = source.strings[index]
        within = offset - source.starts[index]
        if within >= len(string.value):     # an empty last line after the final "\n"
            return string.line, string.file_column(len(string.value))
        line_end = _LINE_BREAK.search(string.value, within)
        room = (line_end.start() if line_end is not None else len(string.value)) - within
        if column <= room:                   # the code's column lies in this string: exact
            return string.line, string.file_column(within + column)
        return string.line, string.file_column(within)


def notebook_lines(data: bytes | str) -> NotebookLines | None:
    """The map of a notebook file's content, or None when it is not valid JSON of a notebook."""
    if isinstance(data, bytes):
        try:
            text = data.decode(json.detect_encoding(data))
        except (UnicodeDecodeError, LookupError):
            return None
    else:
        text = data
    text = text.lstrip("\ufeff")
    try:
        tree = _Parser(text).document()
    except (_Malformed, RecursionError):
        return None
    return NotebookLines(_code_cells(tree))


# -- a JSON parser that keeps where strings are -----------------------------------------------------
class _Malformed(ValueError):
    pass


class _Parser:
    """Recursive descent over the token stream; strings become :class:`FileString`."""

    def __init__(self, text: str) -> None:
        self.tokens = self._tokens(text)
        self.position = 0

    @staticmethod
    def _tokens(text: str) -> list[tuple[str, int, int]]:
        tokens: list[tuple[str, int, int]] = []
        line, line_start = 1, 0
        end = 0
        for match in _TOKEN.finditer(text):
            if match.start() != end:
                raise _Malformed("unexpected character")
            end = match.end()
            if match.group(1) is not None:
                line, line_start = line + 1, match.end()
            elif not match.group().isspace():
                tokens.append((match.group(), line, match.start() - line_start))
        if end != len(text):
            raise _Malformed("unexpected character")
        return tokens

    def next(self) -> tuple[str, int, int]:
        if self.position >= len(self.tokens):
            raise _Malformed("unexpected end")
        token = self.tokens[self.position]
        self.position += 1
        return token

    def document(self):
        value = self.value()
        if self.position != len(self.tokens):
            raise _Malformed("extra data")
        return value

    def value(self):
        token, line, column = self.next()
        if token == "{":
            return self._object(line)
        if token == "[":
            return self._array()
        if token.startswith('"'):
            try:
                return FileString(json.loads(token), token, line, column)
            except ValueError:
                raise _Malformed("bad string") from None
        return token      # numbers, true, false, null: not needed, kept as text

    def _object(self, line: int) -> "_Object":
        members: dict[str, object] = {}
        key_lines: dict[str, int] = {}
        token, _, _ = self.tokens[self.position] if self.position < len(self.tokens) else ("", 0, 0)
        if token == "}":
            self.position += 1
            return _Object(members, key_lines)
        while True:
            key = self.value()
            if not isinstance(key, FileString):
                raise _Malformed("object key is not a string")
            if self.next()[0] != ":":
                raise _Malformed("expected ':'")
            members[key.value] = self.value()
            key_lines[key.value] = key.line
            separator = self.next()[0]
            if separator == "}":
                return _Object(members, key_lines)
            if separator != ",":
                raise _Malformed("expected ',' or '}'")

    def _array(self) -> list:
        items: list = []
        if self.position < len(self.tokens) and self.tokens[self.position][0] == "]":
            self.position += 1
            return items
        while True:
            items.append(self.value())
            separator = self.next()[0]
            if separator == "]":
                return items
            if separator != ",":
                raise _Malformed("expected ',' or ']'")


@dataclass(frozen=True, slots=True)
class _Object:
    members: dict[str, object]
    key_lines: dict[str, int]


def _all_cells(tree: object) -> list[object]:
    """nbformat 4 ``cells``, or nbformat 3 ``worksheets[*].cells`` (as ``notebook_to_source`` reads them)."""
    if not isinstance(tree, _Object):
        return []
    cells = tree.members.get("cells")
    if isinstance(cells, list):
        return cells
    found: list[object] = []
    worksheets = tree.members.get("worksheets")
    for worksheet in worksheets if isinstance(worksheets, list) else ():
        if isinstance(worksheet, _Object) and isinstance(worksheet.members.get("cells"), list):
            found.extend(worksheet.members["cells"])
    return found


def _code_cells(tree: object) -> dict[int, _CellSource]:
    mapped: dict[int, _CellSource] = {}
    for index, cell in enumerate(_all_cells(tree)):
        if not isinstance(cell, _Object):
            continue
        kind = cell.members.get("cell_type")
        if not isinstance(kind, FileString) or kind.value != "code":
            continue
        key = "source" if "source" in cell.members else "input"
        source = cell.members.get(key)
        strings = [source] if isinstance(source, FileString) else \
            [s for s in source if isinstance(s, FileString)] if isinstance(source, list) else []
        mapped[index] = _cell_source([s for s in strings if s.value], cell.key_lines.get(key, 1))
    return mapped


def _cell_source(strings: list[FileString], key_line: int) -> _CellSource:
    starts, offset = [], 0
    for string in strings:
        starts.append(offset)
        offset += len(string.value)
    joined = "".join(s.value for s in strings)
    line_starts = [0] + [match.end() for match in _LINE_BREAK.finditer(joined)]
    return _CellSource(tuple(strings), tuple(starts), tuple(line_starts), key_line)

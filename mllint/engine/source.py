"""Loading what we analyse: Python files (bytes or text) and Jupyter notebooks.

Everything downstream works on one ``str`` of Python code with ``\\n`` line
endings, so this module is the only place that knows about encodings, line
endings and notebook JSON.  The one rule it never breaks is *line numbers do
not move*: a ``.py`` file keeps its line count, and every notebook cell keeps
its own line count, so a diagnostic at line N of :attr:`SourceText.text` maps
back to the exact line the user wrote.  Columns move only in cells IPython
dedents (first line indented); :meth:`SourceText.cell_column` maps them back.

Only ``\\r\\n``, ``\\r`` and ``\\n`` are line breaks (as for Python's
tokenizer).  Do not split :attr:`SourceText.text` with ``str.splitlines``: it
also breaks on form feeds, ``\\x1c``-``\\x1e``, ``\\x85`` and ``\\u2028``, which
can appear inside Python code and would shift every line after them.
"""
from __future__ import annotations

import bisect
import codecs
import json
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "PYTHON_BODY_CELL_MAGICS",
    "CellMap",
    "SourceError",
    "SourceText",
    "cell_to_python",
    "decode_python_bytes",
    "load_source",
    "notebook_to_source",
]


class SourceError(ValueError):
    """The input cannot be turned into Python source; the message is one line."""


@dataclass(frozen=True, slots=True)
class CellMap:
    """Where one code cell of a notebook sits in :attr:`SourceText.text`.

    ``cell`` is the 0-based position in the notebook's full cell list (markdown
    and raw cells included; for nbformat 3 the worksheets are concatenated), so
    it indexes ``nb["cells"]`` directly.  ``code_cell`` is the 1-based count
    among code cells only, which is what :meth:`SourceText.cell_label` shows.
    """

    cell: int
    code_cell: int
    first_line: int  # 1-based line of ``text`` holding the cell's first line
    line_count: int  # lines the cell occupies (a trailing "\n" adds an empty line)
    indent: int = 0  # characters removed from the start of the cell's lines (IPython's dedent)
    undented: tuple[int, ...] = ()  # 0-based lines of the cell that did not start with that indent


@dataclass(frozen=True, slots=True)
class SourceText:
    """Python code ready for parsing, plus the way back to notebook cells.

    For notebooks, code cells are laid out in order with exactly one empty
    separator line between two cells.  The separator makes sure no two cells touch: a
    cell ending in a backslash continuation becomes a syntax error instead of
    silently swallowing the next cell's first line.  (A cell with an unclosed
    bracket or string is broken in Jupyter too and stays broken here.)
    """

    text: str
    path: str | None
    kind: Literal["python", "notebook"]
    cells: tuple[CellMap, ...] = field(default=())

    def _cell_at(self, line: int) -> CellMap | None:
        index = bisect.bisect_right(self.cells, line, key=lambda c: c.first_line) - 1
        if index < 0:
            return None
        cell = self.cells[index]
        return cell if line < cell.first_line + cell.line_count else None

    def to_notebook_position(self, line: int) -> tuple[int, int] | None:
        """``(cell, line_in_cell)`` for a 1-based line of :attr:`text`.

        ``cell`` is the 0-based index in the notebook's cell list and
        ``line_in_cell`` is 1-based.  None for plain Python files, separator
        lines and out-of-range lines.
        """
        cell = self._cell_at(line)
        if cell is None:
            return None
        return cell.cell, line - cell.first_line + 1

    def code_cell_position(self, line: int) -> tuple[int, int] | None:
        """``(N, line_in_cell)`` with N the 1-based code-cell number of :meth:`cell_label`;
        both 1-based.  None for plain Python files and lines between cells."""
        cell = self._cell_at(line)
        return None if cell is None else (cell.code_cell, line - cell.first_line + 1)

    def cell_column(self, line: int, column: int) -> int:
        """The 0-based column in the notebook cell of ``column`` on 1-based ``line`` of :attr:`text`.

        Cells whose first line is indented were dedented as IPython does, so their columns
        move right again by the removed indent; any other column is returned as it is.
        """
        cell = self._cell_at(line)
        if cell is None or not cell.indent or line - cell.first_line in cell.undented:
            return column
        return column + cell.indent

    def cell_label(self, line: int) -> str | None:
        """``"cell N"`` with N the 1-based count of *code* cells, as nbqa does.

        Counting code cells keeps the label stable when markdown cells are
        added or removed.  Note that ruff's ``cell N`` counts all cells
        (markdown included); use :attr:`CellMap.cell` for that numbering.
        """
        cell = self._cell_at(line)
        return None if cell is None else f"cell {cell.code_cell}"


# --------------------------------------------------------------------------- Python files

_UTF8_BOM = b"\xef\xbb\xbf"
# PEP 263, as in CPython's tokenizer.  Matched on bytes: ``tokenize.detect_encoding``
# first decodes lines 1-2 as UTF-8 and so rejects files CPython accepts (a
# latin-1 byte on the shebang or on the cookie line itself).
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:#|$)")
_FIRST_TWO_LINES = re.compile(rb"([^\r\n]*)(?:\r\n?|\n)?([^\r\n]*)")
_LINE_BREAK = re.compile(rb"\r\n?|\n")


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _coding_cookie(data: bytes) -> str | None:
    """The encoding named on line 1 or 2 (line 2 only after a blank/comment line 1)."""
    head = _FIRST_TWO_LINES.match(data)  # always matches: both groups may be empty
    for line in head.groups() if head else ():
        match = _COOKIE.match(line)
        if match:
            return match.group(1).decode("ascii")
        if not _BLANK_OR_COMMENT.match(line):
            return None
    return None


def decode_python_bytes(data: bytes) -> str:
    """Decode a ``.py`` file like CPython does and normalise its line endings.

    A UTF-8 BOM is stripped (and conflicts with a non-UTF-8 cookie), a PEP 263
    cookie on line 1 or 2 picks the codec, UTF-8 is the default.  A NUL byte
    means binary input (CPython refuses it too).  Raises :class:`SourceError`.
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise SourceError(f"binary file (NUL byte at offset {nul})")
    bom = data.startswith(_UTF8_BOM)
    body = data[len(_UTF8_BOM):] if bom else data
    cookie = _coding_cookie(body)
    encoding = cookie or "utf-8"
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise SourceError(f"unknown encoding in coding cookie: {encoding!r}") from None
    if bom and codec.name != "utf-8":
        raise SourceError(f"UTF-8 BOM conflicts with coding cookie {cookie!r}")
    # The cookie was read as ASCII, so the codec must read ASCII the same way:
    # this rejects utf-16/32 and bytes-to-bytes codecs such as rot13.
    try:
        usable = b"# coding".decode(encoding) == "# coding"
    except (LookupError, ValueError):
        usable = False
    if not usable:
        raise SourceError(f"coding cookie names an encoding unusable for Python source: {encoding!r}")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(_UTF8_BOM) if bom else 0)
        line = len(_LINE_BREAK.findall(data, 0, offset)) + 1
        raise SourceError(
            f"cannot decode as {encoding} (byte 0x{data[offset]:02x} at offset {offset}, line {line})"
        ) from None
    return _normalise_newlines(text)


# --------------------------------------------------------------------------- IPython syntax

#: Cell magics that run their body as Python in the kernel's namespace; the
#: body is kept.  Any other cell magic (bash, writefile, html, sql, R, python3
#: in a subprocess, ...) may hold anything, so the whole cell is blanked.
_PYTHON_BODY_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
PYTHON_BODY_CELL_MAGICS = _PYTHON_BODY_CELL_MAGICS
#: Characters that start an IPython escape at the start of a statement: magics,
#: shell, help and the autocall forms ``,f a`` ``;f a`` ``/f a``.  None of them
#: can start a Python statement, so blanking such a line never hides code.
_ESCAPES = ("%", "!", "?", ",", ";", "/")
_ASSIGN_NEIGHBOURS = "=!<>:+-*/%&|^@"  # a '=' next to these is not a plain assignment
#: Line magics and shell aliases IPython runs without ``%`` (automagic is on by default):
#: ``pip install x``, ``cd ../input``, ``ls data``.
_AUTOMAGICS = frozenset("""
    alias autoreload bookmark cat cd clear colors conda config cp debug dhist dirs env gui hist history
    ldir less lf lk ll load load_ext loadpy ls lsmagic lx macro magic matplotlib mkdir more mv page pdb
    pinfo pip popd precision prun psearch pushd pwd pycat pylab recall rehashx reload_ext rerun reset
    rm rmdir run save set_env store sx system tb time timeit unalias unload_ext who whos xdel xmode
""".split())
_AUTOMAGIC = re.compile(r"[ \t]*([A-Za-z_]\w*)[ \t]+\S")


@dataclass(slots=True)
class _Scan:
    """Tokenizer-lite state across the physical lines of one cell.

    IPython only recognises its syntax at the start of a logical line, so we
    track brackets, strings and backslash continuations to tell a ``%`` that
    starts a statement from one that continues ``a\\n  % b`` or sits in a
    triple-quoted string.
    """

    depth: int = 0
    quote: str | None = None  # delimiter of the open string
    continued: bool = False  # the previous line ended with a backslash
    last: str = ""  # last code character of the logical line
    seen_assign: bool = False  # the logical line's first plain '=' was already seen

    @property
    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued

    def feed(self, line: str) -> bool:
        """Scan one line; True if it turns out to be ``target = %magic`` / ``= !cmd``.

        Scanning stops at that point: the rest is shell or magic text with its
        own quoting rules.
        """
        self.continued = False
        i, n = 0, len(line)
        while i < n:
            ch = line[i]
            if self.quote is not None:
                if ch == "\\":
                    if i == n - 1:
                        return False  # escaped newline: the string goes on
                    i += 2
                elif line.startswith(self.quote, i):
                    i += len(self.quote)
                    self.quote = None
                else:
                    i += 1
                continue
            if ch == "#":
                break
            if ch in "\"'":
                triple = line[i:i + 3]
                self.quote = triple if triple in ('"""', "'''") else ch
                self.last = ch
                i += len(self.quote)
                continue
            if ch == "\\" and i == n - 1:
                self.continued = True
                break
            if ch in "([{":
                self.depth += 1
            elif ch in ")]}":
                self.depth = max(0, self.depth - 1)
            elif ch == "=" and self.depth == 0 and not self.seen_assign:
                before = line[i - 1] if i else ""
                after = line[i + 1] if i + 1 < n else ""
                if after != "=" and (not before or before not in _ASSIGN_NEIGHBOURS):
                    self.seen_assign = True
                    if line[i + 1:].lstrip().startswith(("%", "!")):
                        return True
            if not ch.isspace():
                self.last = ch
            i += 1
        if self.quote in ("'", '"'):
            self.quote = None  # unterminated one-line string: recover like the tokenizer
        return False

    def next_logical_line(self) -> None:
        self.depth, self.quote, self.continued, self.last, self.seen_assign = 0, None, False, "", False


def _is_automagic(line: str) -> bool:
    """``pip install x`` at a statement start: a magic name, an argument, and no Python.

    Only a complete line that does not compile is taken (``ls -la`` and ``run = 3`` are
    Python and stay; a shadowing assignment would make IPython run them as Python too).
    """
    match = _AUTOMAGIC.match(line)
    if match is None or match.group(1) not in _AUTOMAGICS:
        return False
    scan = _Scan()
    scan.feed(line)
    if not scan.at_statement_start:
        return False   # an open bracket or string continues on the next line: Python
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(line.strip(), "<cell>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return True
    return False


def _backslash_end(lines: list[str], start: int) -> int:
    """Last line of a magic/shell line continued with trailing backslashes (as IPython does)."""
    end = start
    while lines[end].endswith("\\") and end + 1 < len(lines):
        end += 1
    return end


def _blank(lines: list[str], start: int, end: int) -> None:
    """Blank ``lines[start:end + 1]`` without moving anything.

    An indented statement becomes ``pass`` at the same indentation, because an
    empty line would leave ``for x in xs:`` with an empty body; at column 0 an
    empty line is always safe.
    """
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip(" \t\f"))]
    lines[start] = indent + "pass" if indent else ""
    for index in range(start + 1, end + 1):
        lines[index] = ""


def _python_body_start(lines: list[str]) -> int | None:
    """Blank leading cell-magic lines; None if the body is not Python.

    A cell magic is the first non-blank line of a cell (IPython strips leading
    blank lines and indentation first).  ``%%capture`` runs its body as a cell
    again, so ``%%capture`` + ``%%time`` chains are followed.
    """
    start = 0
    while True:
        head = next((i for i in range(start, len(lines)) if lines[i].strip()), None)
        if head is None or not lines[head].lstrip().startswith("%%"):
            return start
        words = lines[head].lstrip()[2:].split(maxsplit=1)
        if not words or words[0] not in _PYTHON_BODY_CELL_MAGICS:
            return None
        lines[head] = ""
        start = head + 1


def _blank_ipython_syntax(lines: list[str]) -> list[str]:
    """Replace IPython-only lines of one cell; the result has the same line count."""
    out = list(lines)
    start = _python_body_start(out)
    if start is None:
        return [""] * len(out)
    scan = _Scan()
    logical_start = start
    index = start
    while index < len(out):
        line = out[index]
        if scan.at_statement_start:
            logical_start = index
            scan.next_logical_line()
            if line.lstrip().startswith(_ESCAPES) or _is_automagic(line):
                end = _backslash_end(out, index)
                _blank(out, index, end)
                index = end + 1
                continue
        if scan.feed(line):  # x = !ls / x = %time f()
            end = _backslash_end(out, index)
            _blank(out, logical_start, end)
            scan.next_logical_line()
            index = end + 1
            continue
        if scan.at_statement_start and scan.last == "?":  # df? / df.head??
            _blank(out, logical_start, index)
        index += 1
    return out


def cell_to_python(cell: str) -> tuple[list[str], int, tuple[int, ...]]:
    """One cell's text as Python lines, the way :func:`notebook_to_source` prepares a code cell.

    Used for cells that reach us inside a string (``get_ipython().run_cell_magic('time', '',
    "...")`` in converted notebooks).  Returns the lines (as many as the cell has), the indent
    IPython's dedent removed and the non-blank lines it left alone (see :class:`CellMap`); a
    body that is not Python (a nested ``%%bash``) comes back as empty lines.
    """
    lines, indent, undented = _dedent_cell(_normalise_newlines(cell).split("\n"))
    return _blank_ipython_syntax(lines), indent, undented


# --------------------------------------------------------------------------- notebooks

_LEADING_INDENT = re.compile(r"[ \t]+")


def _dedent_cell(lines: list[str]) -> tuple[list[str], int, tuple[int, ...]]:
    """Remove the first non-blank line's indentation from every line that starts with it.

    This is IPython's ``leading_empty_lines`` + ``leading_indent`` clean-up (it runs before
    magics are recognised), except that blank lines are kept so the cell keeps its line
    count.  Returns the lines, the width removed and the non-blank lines left as they were.
    """
    first = next((line for line in lines if line.strip()), None)
    match = _LEADING_INDENT.match(first) if first is not None else None
    if match is None:
        return lines, 0, ()
    indent = match.group(0)
    width = len(indent)
    out, undented = [], []
    for number, line in enumerate(lines):
        if line.startswith(indent):
            out.append(line[width:])
        else:
            out.append(line)
            if line.strip():
                undented.append(number)
    return out, width, tuple(undented)


def _invalid(message: str) -> SourceError:
    return SourceError(f"invalid notebook JSON: {message}")


def _is_python(language: str) -> bool:
    return language.strip().lower().startswith(("python", "ipython", "pyspark"))


def _check_language(metadata: Any) -> None:
    """Refuse notebooks whose kernel declares another language (R, Julia, ...).

    A notebook without language metadata is taken to be Python (old or
    hand-written notebooks often have none).
    """
    if not isinstance(metadata, dict):
        return
    kernelspec = metadata.get("kernelspec")
    language_info = metadata.get("language_info")
    declared = []
    if isinstance(language_info, dict):
        if language_info.get("file_extension") == ".py":
            return
        declared.append(language_info.get("name"))
    if isinstance(kernelspec, dict):
        declared.append(kernelspec.get("language"))
    languages = [lang for lang in declared if isinstance(lang, str) and lang.strip()]
    if languages and not any(_is_python(lang) for lang in languages):
        raise SourceError(f"not a Python notebook (kernel language {languages[0]!r})")


def _notebook_cells(notebook: dict[str, Any]) -> list[Any]:
    """All cells in order: nbformat 4 ``cells``, or nbformat 3 ``worksheets[*].cells``."""
    if "cells" in notebook:
        cells = notebook["cells"]
        if not isinstance(cells, list):
            raise _invalid("'cells' is not a list")
        return cells
    worksheets = notebook.get("worksheets")
    if worksheets is None:
        raise _invalid("missing 'cells'")
    if not isinstance(worksheets, list):
        raise _invalid("'worksheets' is not a list")
    cells = []
    for number, worksheet in enumerate(worksheets):
        if not isinstance(worksheet, dict) or not isinstance(worksheet.get("cells"), list):
            raise _invalid(f"worksheet {number} has no 'cells' list")
        cells.extend(worksheet["cells"])
    return cells


def _cell_source(cell: dict[str, Any], index: int) -> str:
    """A code cell's text; nbformat 3 calls it ``input``, lists are joined with ''."""
    source = cell["source"] if "source" in cell else cell.get("input")
    if source is None:
        raise _invalid(f"code cell {index} has no 'source'")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        source = "".join(source)
    if not isinstance(source, str):
        raise _invalid(f"cell {index} 'source' is not a string or a list of strings")
    return _normalise_newlines(source)


def notebook_to_source(data: str | bytes, path: str | None) -> SourceText:
    """Concatenate a notebook's code cells into analysable Python.

    A cell whose first non-blank line is indented is dedented as IPython does
    (:meth:`SourceText.cell_column` maps columns back).  IPython syntax (magics,
    shell and help lines, ``x = !cmd``) is blanked line by line and non-Python
    cell magics blank their whole cell, so every cell keeps its line count and
    :meth:`SourceText.to_notebook_position` is exact.  Not handled (IPython
    accepts them, we leave a syntax error): automagic lines that are
    valid Python (``ls -la``) and pasted ``>>>`` / ``In [1]:`` prompts;
    automagic lines that are not Python (``pip install x``) are blanked.
    Raises :class:`SourceError` for broken JSON, a bad structure or a
    non-Python kernel.
    """
    try:
        if isinstance(data, str):
            notebook = json.loads(data.lstrip("\ufeff"))
        else:
            notebook = json.loads(data)  # detects UTF-8 (with or without BOM), UTF-16, UTF-32
    except json.JSONDecodeError as exc:
        raise _invalid(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise _invalid(" ".join(str(exc).split()) or type(exc).__name__) from None
    if not isinstance(notebook, dict):
        raise _invalid("top level is not an object")
    _check_language(notebook.get("metadata"))

    chunks: list[str] = []
    maps: list[CellMap] = []
    next_line = 1
    for index, cell in enumerate(_notebook_cells(notebook)):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise _invalid(f"cell {index} has no 'cell_type'")
        if cell["cell_type"] != "code":
            continue
        lines, indent, undented = _dedent_cell(_cell_source(cell, index).split("\n"))
        lines = _blank_ipython_syntax(lines)
        maps.append(CellMap(cell=index, code_cell=len(maps) + 1, first_line=next_line, line_count=len(lines),
                            indent=indent, undented=undented))
        chunks.append("\n".join(lines))
        next_line += len(lines) + 1  # + the separator line
    text = "\n\n".join(chunks) + "\n" if chunks else ""
    return SourceText(text=text, path=path, kind="notebook", cells=tuple(maps))


def load_source(data: str | bytes, path: str | None) -> SourceText:
    """Load a ``.py`` file or (by the ``.ipynb`` suffix) a notebook.

    ``str`` input for Python is taken as already decoded and only gets its
    line endings normalised; ``bytes`` go through :func:`decode_python_bytes`.
    """
    if path is not None and path.lower().endswith(".ipynb"):
        return notebook_to_source(data, path)
    text = decode_python_bytes(data) if isinstance(data, bytes) else _normalise_newlines(data)
    return SourceText(text=text, path=path, kind="python")

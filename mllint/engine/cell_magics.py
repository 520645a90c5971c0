"""Notebook cells hidden in strings: ``get_ipython().run_cell_magic('time', '', "<cell>")``.

nbconvert's script export turns a ``%%time`` (``%%capture``, ``%%timeit``...) cell into one
call whose last argument is the whole cell as a string literal, and a ``%time stmt`` line
into ``get_ipython().run_line_magic('time', 'stmt')``.  IPython runs that text as Python in
the notebook's namespace, so it is analysed as if it were written in place of the call.

This module finds those calls in the stdlib ``ast`` tree (only when the text mentions
them), prepares each string as :func:`~.source.cell_to_python` prepares a notebook cell,
parses it with :func:`~.parsing.parse_code` once per analysis, and registers its statements
with the file's :class:`~.positions.PositionIndex` together with a map from positions in
the string's value back to the characters of the literal that produced them: findings
point at the right line and column of the file (all of a one-line literal's cell on its
line).  When the literal cannot be mapped character by character (the value read back does
not match), every position is the call's.  Magics whose body is not Python (``writefile``,
``bash``, ``html``...) are never analysed.

The string is untrusted input: nesting is bounded (:data:`MAX_DEPTH`), so is the number of
cells (:data:`MAX_CELLS`), and each parse is charged to the file's budget before it starts.
"""
from __future__ import annotations

import ast
import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

import libcst as cst

from ..interpreter.budget import Budget, parse_cost
from .parsing import parse_code
from .positions import Embedded, PositionIndex
from .source import PYTHON_BODY_CELL_MAGICS, cell_to_python

__all__ = ["HiddenCell", "HiddenCells", "LINE_MAGICS", "MAX_CELLS", "MAX_DEPTH", "find_hidden_cells"]

#: Line magics whose argument is one Python statement run in the user's namespace.
LINE_MAGICS = frozenset({"time", "timeit", "prun"})
#: A hidden cell inside a hidden cell is followed this deep (the file itself is depth 0).
MAX_DEPTH = 2
#: Hidden cells analysed per file; the rest stay unknown calls.
MAX_CELLS = 2_000
_MENTION = re.compile(r"\brun_(?:cell|line)_magic\b")


#: Magics that run their code inside a function IPython generates: assignments stay local.
_OWN_NAMESPACE = frozenset({"timeit"})


@dataclass(frozen=True, slots=True)
class HiddenCell:
    """The code of one hidden cell, ready for the interpreter (aligned CST and ``ast`` trees)."""

    magic: str
    module: cst.Module
    tree: ast.Module

    @property
    def own_namespace(self) -> bool:
        """``%%timeit`` runs the cell in a function: its names do not outlive it (objects it changes do)."""
        return self.magic in _OWN_NAMESPACE


@dataclass(slots=True)
class HiddenCells:
    """Every hidden cell of a file, by the ``id`` of the ``ast.Expr`` statement that holds it."""

    cells: dict[int, HiddenCell] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    _keep: list[ast.stmt] = field(default_factory=list)   # the keys' statements stay alive (ids stay unique)

    def get(self, statement: ast.stmt | None) -> HiddenCell | None:
        return self.cells.get(id(statement)) if statement is not None and self.cells else None


def find_hidden_cells(code: str, tree: ast.Module, positions: PositionIndex, budget: Budget) -> HiddenCells:
    """Parse the hidden cells of ``code`` (whose ``ast`` is ``tree``) and register their positions."""
    found = HiddenCells()
    if _MENTION.search(code) is not None:
        _collect(tree, positions, positions, None, budget, found, depth=1)
    return found


def _collect(tree: ast.Module, positions: PositionIndex, top: PositionIndex,
             to_file: Callable[[int, int], tuple[int, int]] | None, budget: Budget, found: HiddenCells,
             depth: int) -> None:
    """Cells in ``tree``, whose positions are those of ``positions``; ``to_file`` maps them to the
    file's (None: they are the file's).  Every cell is registered with the file's index ``top``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Expr):
            continue
        magic = _magic_call(node)
        if magic is None:
            continue
        if len(found.cells) >= MAX_CELLS:
            found.notes.append(f"more than {MAX_CELLS} hidden notebook cells (run_cell_magic): the rest are "
                               f"treated as unknown")
            return
        name, literal = magic
        cost = parse_cost(literal.value)
        if cost * 2 >= budget.remaining:
            found.notes.append("analysis budget exceeded: hidden notebook cells (run_cell_magic) from line "
                               f"{node.lineno} on are treated as unknown")
            return
        budget.charge_parse(cost)
        lines, indent, undented = cell_to_python(literal.value)
        parsed = parse_code("\n".join(lines))
        if parsed.module is None or parsed.tree is None:
            continue   # a cell that does not parse stays an unknown call, as it was
        to_outer = _mapper(literal, positions, literal.value, indent, undented) or _fixed(node, positions)
        if to_file is not None:
            to_outer = _composed(to_outer, to_file)
        inner = PositionIndex(parsed.code.split("\n"), parsed.module.default_indent)
        top.embed(parsed.tree, Embedded(inner, to_outer))
        found.cells[id(node)] = HiddenCell(name, parsed.module, parsed.tree)
        found._keep.append(node)
        if depth < MAX_DEPTH:
            _collect(parsed.tree, inner, top, to_outer, budget, found, depth + 1)


def _composed(inner: Callable[[int, int], tuple[int, int]],
              outer: Callable[[int, int], tuple[int, int]]) -> Callable[[int, int], tuple[int, int]]:
    return lambda line, column: outer(*inner(line, column))


def _magic_call(node: ast.Expr) -> tuple[str, ast.Constant] | None:
    """``(magic, body literal)`` of ``get_ipython().run_cell_magic(magic, line, body)`` (or a line magic)."""
    call = node.value
    if not isinstance(call, ast.Call) or call.keywords or not isinstance(call.func, ast.Attribute):
        return None
    owner = call.func.value
    if not (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "get_ipython"
            and not owner.args and not owner.keywords):
        return None
    kind, args = call.func.attr, call.args
    if not args or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
        return None
    name = args[0].value
    if kind == "run_cell_magic" and len(args) == 3 and name in PYTHON_BODY_CELL_MAGICS:
        return name, args[2]
    if kind == "run_line_magic" and len(args) == 2 and name in LINE_MAGICS and not args[1].value.lstrip().startswith("-"):
        return name, args[1]   # ``%timeit -n 3 f()``: options are not Python; left unknown
    return None


# --------------------------------------------------------------------------- the way back to the file

def _fixed(node: ast.stmt, positions: PositionIndex) -> Callable[[int, int], tuple[int, int]]:
    """Every position is the call's: used when the literal cannot be mapped character by character."""
    place = (node.lineno, positions.byte_to_char(node.lineno, node.col_offset))
    return lambda line, column: place


_SIMPLE_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
                   "t": "\t", "v": "\v"}
_NUMERIC_ESCAPE = re.compile(r"[0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}\n]{1,100}\}")
_PREFIX = re.compile(r"[A-Za-z]{0,2}")


class _Runs:
    """Character index of a decoded string -> (line, column) of the source character it came from.

    Stored as runs of consecutive characters on one line, so a one-line literal with ``\\n``
    escapes costs a run per escape, not a tuple per character.
    """

    __slots__ = ("starts", "places")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.places: list[tuple[int, int]] = []

    def add(self, index: int, line: int, column: int) -> None:
        if self.starts:
            last_line, last_column = self.places[-1]
            if line == last_line and column == last_column + (index - self.starts[-1]):
                return
        self.starts.append(index)
        self.places.append((line, column))

    def at(self, index: int) -> tuple[int, int]:
        run = max(bisect.bisect_right(self.starts, index) - 1, 0)
        line, column = self.places[run]
        return line, column + (index - self.starts[run])


def _decode(text: str, at: Callable[[int], tuple[int, int]]) -> tuple[str, _Runs] | None:
    """Read the string literal(s) of ``text`` (implicitly concatenated, comments between) as Python does."""
    runs, out = _Runs(), []
    size, i, n = 0, 0, len(text)

    def put(value: str, offset: int) -> None:
        nonlocal size
        line, column = at(offset)
        for char in value:   # every character of an escape comes from its backslash
            runs.add(size, line, column)
            out.append(char)
            size += 1

    while i < n:
        char = text[i]
        if char in " \t\f\n()":
            i += 1
            continue
        if text.startswith("\\\n", i):
            i += 2
            continue
        if char == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        prefix = _PREFIX.match(text, i).group().lower()
        if set(prefix) - {"r", "u"}:
            return None   # bytes or f-strings: not a constant text we can read back
        i += len(prefix)
        quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else text[i:i + 1]
        if quote not in ('"', "'", '"""', "'''"):
            return None
        i += len(quote)
        raw = "r" in prefix
        while i < n and not text.startswith(quote, i):
            char = text[i]
            if char != "\\" or i + 1 >= n:
                put(char, i)
                i += 1
                continue
            following = text[i + 1]
            if raw:
                put("\\", i)
                put(following, i + 1)
                i += 2
            elif following == "\n":
                i += 2
            elif following in _SIMPLE_ESCAPES:
                put(_SIMPLE_ESCAPES[following], i)
                i += 2
            else:
                match = _NUMERIC_ESCAPE.match(text, i + 1)
                if match is None:   # an unknown escape keeps its backslash
                    put("\\", i)
                    put(following, i + 1)
                    i += 2
                    continue
                value = _numeric(match.group())
                if value is None:
                    return None
                put(value, i)
                i = match.end()
        i += len(quote)
    line, column = at(min(max(n - 1, 0), n))
    runs.add(size, line, column + (1 if n else 0))   # just past the literal: where the last span ends
    return "".join(out), runs


def _numeric(escape: str) -> str | None:
    try:
        if escape[0] == "N":
            return unicodedata.lookup(escape[2:-1])
        if escape[0] in "xuU":
            return chr(int(escape[1:], 16))
        return chr(int(escape, 8))
    except (KeyError, ValueError, OverflowError):
        return None


def _mapper(literal: ast.Constant, positions: PositionIndex, value: str, indent: int,
            undented: tuple[int, ...]) -> Callable[[int, int], tuple[int, int]] | None:
    """(line, column) in the prepared cell -> (line, column) in the text around the literal, or None."""
    lines = positions.lines
    first, last = literal.lineno, literal.end_lineno or literal.lineno
    if not (0 < first <= last <= len(lines)) or literal.end_col_offset is None:
        return None
    start = positions.byte_to_char(first, literal.col_offset)
    end = positions.byte_to_char(last, literal.end_col_offset)
    if first == last:
        text = lines[first - 1][start:end]
    else:
        text = "\n".join([lines[first - 1][start:], *lines[first:last - 1], lines[last - 1][:end]])
    breaks = [k for k, char in enumerate(text) if char == "\n"]

    def at(offset: int) -> tuple[int, int]:
        row = bisect.bisect_left(breaks, offset)   # breaks before ``offset``
        if row == 0:
            return first, start + offset
        return first + row, offset - breaks[row - 1] - 1

    decoded = _decode(text, at)
    if decoded is None or decoded[0] != value:
        return None
    runs = decoded[1]
    cell_lines = value.split("\n")
    line_starts = [0]
    for line in cell_lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)

    def to_outer(line: int, column: int) -> tuple[int, int]:
        row = min(max(line - 1, 0), len(cell_lines) - 1)
        text = cell_lines[row]
        if indent and row not in undented and text[:indent].isspace() and len(text) >= indent:
            column += indent   # IPython's dedent removed it (source.cell_to_python)
        return runs.at(line_starts[row] + min(max(column, 0), len(cell_lines[row])))

    return to_outer

"""Source positions of CST nodes, computed only when somebody looks at them.

LibCST's PositionProvider costs about 3x the parse because it regenerates the
whole module.  We only need positions for the plan nodes and findings that are
shown, so positions are lazy: the interpreter keeps, for every statement it
runs, the aligned stdlib-``ast`` statement (``ast.parse`` is ~10x cheaper than
LibCST and gives every statement's start), and a span request regenerates just
that one statement with LibCST's position-tracking codegen state.  Relative
positions inside the statement plus the statement's absolute start give the
node's absolute position.

Code parsed from a string of the file (a notebook cell that a converted notebook hides in
``get_ipython().run_cell_magic(...)``) has its own index; :meth:`PositionIndex.embed`
registers its statements here with the way back from its positions to the file's, so
whoever asks this index for a span gets a position in the file.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst
from libcst.metadata.position_provider import PositionProvidingCodegenState

from ..plan import Span


class _Collector:
    """Stands in for a metadata provider: the codegen state writes into ``_computed``."""

    __slots__ = ("_computed",)

    def __init__(self) -> None:
        self._computed: dict[cst.CSTNode, Any] = {}


@dataclass(frozen=True, slots=True)
class Embedded:
    """Code parsed from a string literal of the text: its own positions, and the way out.

    ``to_outer`` maps a (1-based line, 0-based column) of the embedded code to the position
    in the surrounding text of the character it came from.
    """

    index: "PositionIndex"
    to_outer: Callable[[int, int], tuple[int, int]]

    def outer_span(self, span: Span | None) -> Span | None:
        if span is None:
            return None
        start, end = self.to_outer(span.start_line, span.start_col), self.to_outer(span.end_line, span.end_col)
        return Span(start[0], start[1], end[0], end[1])


class PositionIndex:
    """Maps CST nodes to absolute spans, one statement at a time, with a cache."""

    def __init__(self, lines: list[str], default_indent: str = "    ") -> None:
        self.lines = lines
        self.default_indent = default_indent
        self._cache: dict[int, tuple[cst.CSTNode, dict[cst.CSTNode, Any]]] = {}
        self._embedded: dict[int, tuple[ast.stmt, Embedded]] = {}

    def embed(self, tree: ast.Module, embedded: Embedded) -> None:
        """Spans of nodes in the statements of ``tree`` come from ``embedded``, mapped out to this text."""
        for node in ast.walk(tree):
            if isinstance(node, ast.stmt):
                self._embedded[id(node)] = (node, embedded)

    def _embedding(self, ast_stmt: ast.stmt) -> Embedded | None:
        found = self._embedded.get(id(ast_stmt)) if self._embedded else None
        return found[1] if found is not None and found[0] is ast_stmt else None

    def statement_span(self, stmt: ast.stmt) -> Span:
        """Where a person writes ``# noqa``: the statement (a compound one: its header line)."""
        embedded = self._embedding(stmt)
        if embedded is not None:
            return embedded.outer_span(embedded.index.statement_span(stmt))
        col = self.byte_to_char(stmt.lineno, stmt.col_offset)
        end_line = getattr(stmt, "end_lineno", None) or stmt.lineno
        end_col = self.byte_to_char(end_line, getattr(stmt, "end_col_offset", None) or 0)
        if isinstance(getattr(stmt, "body", None), list):   # compound: just the header line
            end_line = stmt.lineno
            end_col = len(self.lines[end_line - 1]) if 0 < end_line <= len(self.lines) else 0
        return Span(stmt.lineno, col, end_line, end_col)

    def span(self, node: cst.CSTNode, stmt: cst.CSTNode, ast_stmt: ast.stmt | None) -> Span | None:
        """Absolute span of ``node``, which lies inside the CST statement ``stmt``."""
        if ast_stmt is None:
            return None
        embedded = self._embedding(ast_stmt)
        if embedded is not None:
            return embedded.outer_span(embedded.index.span(node, stmt, ast_stmt))
        try:
            computed = self._positions(stmt, ast_stmt)
        except Exception:  # codegen of a strange tree: no position rather than a crash
            return None
        rng = computed.get(node)
        base = computed.get(stmt)
        if rng is None or base is None:
            return None
        line0, col0 = base.start.line, base.start.column
        abs_line = ast_stmt.lineno
        abs_col = self.byte_to_char(abs_line, ast_stmt.col_offset)

        def absolute(pos) -> tuple[int, int]:
            line = abs_line + (pos.line - line0)
            col = abs_col + (pos.column - col0) if pos.line == line0 else pos.column
            return line, col

        start, end = absolute(rng.start), absolute(rng.end)
        return Span(start[0], start[1], end[0], end[1])

    def _positions(self, stmt: cst.CSTNode, ast_stmt: ast.stmt) -> dict[cst.CSTNode, Any]:
        cached = self._cache.get(id(stmt))
        if cached is not None and cached[0] is stmt:
            return cached[1]
        collector = _Collector()
        state = PositionProvidingCodegenState(default_indent=self.default_indent, default_newline="\n",
                                              provider=collector)
        line = self.lines[ast_stmt.lineno - 1] if 0 < ast_stmt.lineno <= len(self.lines) else ""
        indent = line[: len(line) - len(line.lstrip(" \t\f"))]
        state.indent_tokens = [indent] if indent else []
        stmt._codegen(state)
        self._cache[id(stmt)] = (stmt, collector._computed)
        return collector._computed

    # -- column conversions: ast counts UTF-8 bytes, we count code points ------
    def byte_to_char(self, line: int, byte_col: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def char_to_byte(self, line: int, char_col: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return char_col
        return len(text[:char_col].encode("utf-8"))


def code_of(node: cst.CSTNode) -> str:
    """Source text of a node as LibCST prints it (exact for unmodified trees)."""
    return cst.Module(body=[]).code_for_node(node)

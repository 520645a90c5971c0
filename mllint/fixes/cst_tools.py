"""Finding the statement a finding points at, and rewriting just that statement."""
from __future__ import annotations

import ast
import dataclasses
from functools import lru_cache
from typing import TypeVar

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider


N = TypeVar("N", bound=cst.CSTNode)


class Located:
    """A module with the positions and parents of the nodes of the statements a fix looks at.

    LibCST's PositionProvider regenerates the whole module (about 3x the parse): here the
    top-level statements are found by line with stdlib ``ast`` (ten times cheaper, aligned
    one to one with the module's body), and positions and parents are resolved only for the
    top-level statement that holds the line asked about, once per statement.
    """

    def __init__(self, module: cst.Module, text: str | None = None) -> None:
        self.module = module
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self._starts: dict[cst.CSTNode, int] = {}          # node -> absolute start line
        self._resolved: set[int] = set()
        self._ranges = _top_level_ranges(module, text if text is not None else module.code)
        if self._ranges is None:   # ast and LibCST disagree: resolve the whole module once
            self._resolve_module()

    @staticmethod
    def of(module: cst.Module) -> "Located":
        return Located(module)

    def _resolve_module(self) -> None:
        wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
        resolved = wrapper.resolve_many([PositionProvider, ParentNodeProvider])
        self._starts.update({node: where.start.line for node, where in resolved[PositionProvider].items()})
        self.parents.update(resolved[ParentNodeProvider])

    def _resolve(self, index: int) -> None:
        if index in self._resolved:
            return
        self._resolved.add(index)
        statement = self.module.body[index]
        alone = cst.Module(body=[statement], default_indent=self.module.default_indent,
                           default_newline=self.module.default_newline)
        resolved = MetadataWrapper(alone, unsafe_skip_copy=True).resolve_many([PositionProvider, ParentNodeProvider])
        positions = resolved[PositionProvider]
        shift = self._ranges[index][0] - positions[statement].start.line
        for node, where in positions.items():
            if node is not alone:
                self._starts[node] = where.start.line + shift
        for node, parent in resolved[ParentNodeProvider].items():
            self.parents[node] = self.module if parent is alone else parent

    def _statements_at(self, line: int) -> None:
        if self._ranges is None:
            return
        for index, (start, end) in enumerate(self._ranges):
            if start <= line <= end:
                self._resolve(index)

    def line_of(self, node: cst.CSTNode) -> int:
        return self._starts[node]

    def small_statement_at(self, line: int) -> cst.BaseSmallStatement | None:
        """The simple statement (assignment, expression) that starts on ``line``, if exactly one does."""
        self._statements_at(line)
        found = [node for node, start in self._starts.items()
                 if isinstance(node, cst.BaseSmallStatement) and start == line]
        return found[0] if len(found) == 1 else None

    def enclosing_block(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The module or indented block holding the statement line of ``node``."""
        current = node
        while current in self.parents:
            current = self.parents[current]
            if isinstance(current, (cst.Module, cst.IndentedBlock)):
                return current
        return None

    def statement_line(self, node: cst.CSTNode) -> cst.BaseStatement | None:
        current = node
        while current in self.parents:
            parent = self.parents[current]
            if isinstance(parent, (cst.Module, cst.IndentedBlock)):
                return current if isinstance(current, cst.BaseStatement) else None
            current = parent
        return None


def _top_level_ranges(module: cst.Module, text: str) -> list[tuple[int, int]] | None:
    """(first line, last line) of each top-level statement, from stdlib ``ast``; None when its statements
    do not line up with the module's body (then positions come from LibCST for the whole module)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if len(tree.body) != len(module.body):
        return None
    ranges = []
    for stmt in tree.body:
        first = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", ())])
        ranges.append((first, stmt.end_lineno or stmt.lineno))
    return ranges


def calls_in(node: cst.CSTNode) -> list[cst.Call]:
    return nodes_of(node, cst.Call)


def names_in(node: cst.CSTNode) -> list[str]:
    """Every ``Name`` in ``node``, in source order."""
    return [name.value for name in nodes_of(node, cst.Name)]


def nodes_of(node: cst.CSTNode, kind: type[N]) -> list[N]:
    """Every node of ``kind`` in ``node`` (itself included), in source order: a walk over the dataclass
    fields (a LibCST visitor would rebuild every node it passes, and fixers ask this of every statement)."""
    found: list[N] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, kind):
            found.append(current)
        stack.extend(reversed(_children(current)))
    return found


def _children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """A node's child nodes read off its dataclass fields (LibCST's ``children`` runs a visitor)."""
    out: list[cst.CSTNode] = []
    for name in _field_names(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            out.append(value)
        elif isinstance(value, (list, tuple)):
            out.extend(item for item in value if isinstance(item, cst.CSTNode))
    return out


@lru_cache(maxsize=None)
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def method_call(call: cst.Call, *methods: str) -> cst.BaseExpression | None:
    """The receiver of ``receiver.method(...)`` when the method is one of ``methods``."""
    if isinstance(call.func, cst.Attribute) and call.func.attr.value in methods:
        return call.func.value
    return None


def string_value(node: cst.BaseExpression) -> str | None:
    """The value of a plain string literal (no f-string, no concatenation)."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None

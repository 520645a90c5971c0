"""Finding the statement a finding points at, and rewriting just that statement."""
from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider


@dataclass(frozen=True)
class Located:
    """A module with the positions and parents of its nodes (computed once per fix attempt)."""

    module: cst.Module
    positions: object
    parents: object

    @staticmethod
    def of(module: cst.Module) -> "Located":
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        resolved = wrapper.resolve_many([PositionProvider, ParentNodeProvider])
        return Located(module, resolved[PositionProvider], resolved[ParentNodeProvider])

    def line_of(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def small_statement_at(self, line: int) -> cst.BaseSmallStatement | None:
        """The simple statement (assignment, expression) that starts on ``line``, if exactly one does."""
        found = [node for node, where in self.positions.items()
                 if isinstance(node, cst.BaseSmallStatement) and where.start.line == line]
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


def calls_in(node: cst.CSTNode) -> list[cst.Call]:
    found: list[cst.Call] = []

    class Collector(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            found.append(call)

    node.visit(Collector())
    return found


def names_in(node: cst.CSTNode) -> list[str]:
    found: list[str] = []

    class Collector(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name.value)

    node.visit(Collector())
    return found


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

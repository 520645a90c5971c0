"""Lexical scopes of the abstract interpreter."""
from __future__ import annotations

from ..domains.values import TOP, Value, join


class Scope:
    """Variables of one module or function activation, chained to the defining scope."""

    __slots__ = ("vars", "parent", "global_names")

    def __init__(self, parent: "Scope | None" = None) -> None:
        self.vars: dict[str, Value] = {}
        self.parent = parent
        self.global_names: set[str] = set()

    @property
    def module(self) -> "Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def lookup(self, name: str) -> Value | None:
        scope: Scope | None = self
        while scope is not None:
            value = scope.vars.get(name)
            if value is not None:
                return value
            scope = scope.parent
        return None

    def bind(self, name: str, value: Value) -> None:
        if name in self.global_names:
            self.module.vars[name] = value
        else:
            self.vars[name] = value

    def snapshot(self) -> dict[str, Value]:
        return dict(self.vars)

    def restore(self, variables: dict[str, Value]) -> None:
        self.vars = variables


def join_vars(a: dict[str, Value], b: dict[str, Value]) -> dict[str, Value]:
    """Join two branch environments.

    A name bound on one path only keeps that path's value: on the other path
    Python would raise NameError at its use, so the value is the only one seen.
    """
    out: dict[str, Value] = dict(a)
    for name, right in b.items():
        left = a.get(name)
        out[name] = right if left is None else join(left, right)
    return out


__all__ = ["Scope", "join_vars", "TOP"]

"""Lexical scopes of the abstract interpreter."""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..domains.values import TOP, Data, Seq, Value, join


@dataclass(frozen=True)
class Holder:
    """Another binding of the same pandas object: variable ``name`` of ``scope``, or item
    ``index`` of the list bound to it (``combine = [train, test]``)."""
    scope: "Scope"
    name: str
    index: int | None = None


class Scope:
    """Variables of one module or function activation, chained to the defining scope."""

    __slots__ = ("vars", "parent", "global_names", "aliases")

    def __init__(self, parent: "Scope | None" = None) -> None:
        self.vars: dict[str, Value] = {}
        self.parent = parent
        self.global_names: set[str] = set()
        #: loop variables and parameters bound to a frame another name also holds
        #: (``for df in [train, test]``, ``fill(train)``): an in-place change reaches those too
        self.aliases: dict[str, tuple[Holder, ...]] = {}

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

    def alias(self, name: str, value: Value, within: "Scope") -> None:
        """``name`` (of this scope) now holds ``value``, the very object other bindings of
        ``within`` and its parents hold: remember them, so a mutation through ``name`` is seen
        through them.  Only data values: lists and dicts are modelled as immutable values."""
        if not isinstance(value, Data):
            self.aliases.pop(name, None)
            return
        holders: list[Holder] = []
        scope: Scope | None = within
        while scope is not None:
            for other, held in scope.vars.items():
                if held is value and not (scope is self and other == name):
                    holders.append(Holder(scope, other))
                elif isinstance(held, Seq):
                    holders.extend(Holder(scope, other, i) for i, item in enumerate(held.items) if item is value)
            scope = scope.parent
        if holders:
            self.aliases[name] = tuple(holders)
        else:
            self.aliases.pop(name, None)

    def forget_alias(self, name: str) -> None:
        """``name`` is re-bound to another object: changes through it no longer reach the others."""
        if self.aliases:
            self.aliases.pop(name, None)

    def mutate(self, name: str, value: Value) -> None:
        """The object ``name`` holds changed in place: every binding of it sees ``value``."""
        old = self.lookup(name)
        self.bind(name, value)
        pending = list(self.aliases.get(name, ()))
        seen: set[tuple[int, str, int | None]] = set()
        while pending:
            holder = pending.pop()
            key = (id(holder.scope), holder.name, holder.index)
            if key in seen:
                continue
            seen.add(key)
            held = holder.scope.vars.get(holder.name)
            if holder.index is None:
                if held is old:
                    holder.scope.vars[holder.name] = value
                    pending.extend(holder.scope.aliases.get(holder.name, ()))
            elif isinstance(held, Seq) and holder.index < len(held.items) and held.items[holder.index] is old:
                items = held.items[:holder.index] + (value,) + held.items[holder.index + 1:]
                holder.scope.vars[holder.name] = replace(held, items=items)

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


__all__ = ["Holder", "Scope", "join_vars", "TOP"]

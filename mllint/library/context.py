"""What an API model may see and do: the :class:`CallContext`, and the outcomes it may return.

An API model (a *handler*) is a plain function ``(ctx, receiver, args, kwargs) ->
Value | Outcome``.  It gets the abstract values of the receiver and of the
arguments, and this small context -- never the interpreter, never a syntax
node -- so that a line in a handler can only emit typed plan nodes, read a data
file's header through the project fence, record discovered columns, call a
callable value, or ask where it is.  Everything else is the walker's business
(``mllint.interpreter``), which is what keeps ``mllint.library`` free of LibCST.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Sequence

from ..domains.values import Value

if TYPE_CHECKING:  # pragma: no cover
    from ..domains.values import Data
    from ..plan import NodeInfo, Operator, PlanNode, Site


class _Inherit:
    """``rows=`` default of :meth:`CallContext.emit`: the union of the data parents' rows."""

    def __repr__(self) -> str:
        return "INHERIT"


INHERIT: Any = _Inherit()


class ContextHost(Protocol):
    """What the walker provides behind every :class:`CallContext` (``interpreter.dispatch``)."""

    def emit_node(self, op: "Operator", description: str | None, parents: Sequence["PlanNode"], site: "Site | None",
                  info: "NodeInfo | None", visible: bool, columns: Sequence[str] | None, schema: Any,
                  rows: Any) -> "PlanNode": ...

    def unknown_operation(self, description: str, inputs: Sequence[Value], site: "Site | None") -> Value: ...

    def call_value(self, func: Value, args: list[Value], kwargs: dict[str, Value]) -> Value: ...

    def call_method(self, receiver: Value, name: str, args: list[Value], kwargs: dict[str, Value]) -> Value: ...

    def iterate(self, value: Value) -> list[Value] | None: ...

    def header_of(self, path: str, sep: str) -> list[str] | None: ...

    def known_columns(self, source_key: str) -> frozenset[str]: ...

    def discover(self, data: "Data", names: list[str]) -> None: ...

    def plan_node(self, node_id: int) -> "PlanNode": ...

    def next_node_id(self) -> int: ...

    def source_text(self, site: "Site") -> str: ...

    def in_loop(self) -> bool: ...

    def statement_site(self) -> "Site | None": ...

    def compared(self, values: list[Value], site: "Site | None") -> None: ...

    def captured_statistics(self, func: Value) -> list[Any]: ...


@dataclass(frozen=True, slots=True)
class CallContext:
    """One call (or subscript, attribute, operator) being modelled.

    ``name`` is the API name looked up (``dropna``, ``train_test_split``); ``site``
    where the operation is written; :attr:`code` its source text.
    """

    name: str
    site: "Site | None"
    host: ContextHost

    def renamed(self, name: str) -> "CallContext":
        """The same place, modelled as another API name (``fit_predict`` = ``fit`` then ``predict``)."""
        return CallContext(name, self.site, self.host)

    @property
    def code(self) -> str | None:
        """The operation's source text (descriptions, the key of a source's discovered columns).

        Computed on demand: rendering syntax back to text costs more than most handlers."""
        return self.host.source_text(self.site) if self.site is not None else None

    # -- the plan ---------------------------------------------------------------------
    def emit(self, op: "Operator", description: str | None, parents: Sequence["PlanNode"],
             info: "NodeInfo | None" = None, *, visible: bool = True, columns: Sequence[str] | None = None,
             at: "Site | None" = None, schema: Any = None, rows: Any = INHERIT) -> "PlanNode":
        """A plan node at this call (or ``at`` another site: an estimator's constructor)."""
        return self.host.emit_node(op, description, parents, self.site if at is None else at, info, visible,
                                   columns, schema, rows)

    def unknown(self, description: str, inputs: Sequence[Value]) -> Value:
        """An operation not modelled: the edges are kept, the value is unknown."""
        return self.host.unknown_operation(description, inputs, self.site)

    def node(self, node_id: int) -> "PlanNode":
        return self.host.plan_node(node_id)

    @property
    def next_node_id(self) -> int:
        return self.host.next_node_id()

    # -- values --------------------------------------------------------------------------
    def call(self, func: Value, args: list[Value], kwargs: dict[str, Value]) -> Value:
        """Call a callable value (a user function, a lambda, an API name) with these arguments."""
        return self.host.call_value(func, args, kwargs)

    def call_method(self, receiver: Value, name: str, args: list[Value], kwargs: dict[str, Value]) -> Value:
        """Call a method on a value as the code would (``max(df)`` is ``df.max()``)."""
        return self.host.call_method(receiver, name, args, kwargs)

    def iterate(self, value: Value) -> list[Value] | None:
        """The elements a ``for`` loop would see, when known."""
        return self.host.iterate(value)

    def captured_statistics(self, func: Value) -> list[Any]:
        """Statistics a lambda or function refers to from its defining scope (what applying it applies)."""
        return self.host.captured_statistics(func)

    def compared(self, values: list[Value]) -> None:
        """Scores compared here (``max(scores)``): candidates are being chosen."""
        self.host.compared(values, self.site)

    # -- data files and columns -------------------------------------------------------------
    def read_header(self, path: str, sep: str = ",") -> list[str] | None:
        """A CSV file's column names, read through the project fence (None: not allowed or no header)."""
        return self.host.header_of(path, sep)

    def known_columns(self, source_key: str) -> frozenset[str]:
        """Columns the code was seen to read from this source (the second pass, or the editor's last run)."""
        return self.host.known_columns(source_key)

    def discover(self, data: "Data", names: list[str]) -> None:
        """Reading these columns proves the data's source has them."""
        self.host.discover(data, names)

    # -- where ----------------------------------------------------------------------------------
    @property
    def in_loop(self) -> bool:
        return self.host.in_loop()

    @property
    def statement_site(self) -> "Site | None":
        return self.host.statement_site()


@dataclass(frozen=True, slots=True)
class Rebind:
    """Outcome: the call changed its receiver in place (``inplace=True``, ``pop``, ``list.append``).

    The walker binds the receiver expression to ``receiver`` and the call evaluates to ``result``.
    """

    receiver: Value
    result: Value


Outcome = Rebind

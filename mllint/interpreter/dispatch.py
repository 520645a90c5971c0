"""The seam between the walk and the API models: from receiver kind + name to a handler.

The walker (``core``, ``calls``) evaluates the receiver and the arguments, finds
the handler of the API name through ``mllint.library.registry`` (keyed by the
effect the knowledge tables give the name), builds a :class:`CallContext` for
the call and applies what the handler returns: a value, or a :class:`Rebind`
asking for the receiver expression to be rebound (``inplace=True``).

:class:`Host` is the only object a handler can reach through its context; it
turns the context's requests into interpreter operations.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import libcst as cst

from ..engine.data_headers import read_header
from ..domains.data_ops import parents_of
from ..domains.provenance import Provenance
from ..domains.values import TOP, Data, Lambda, Statistic, UserFunction, Value
from ..library.context import INHERIT, CallContext, Rebind
from ..library.registration import Family, Handler
from ..library.registry import handler_for
from ..plan import NodeInfo, Operator, PlanNode, Site, SourceInfo, View
from ..engine.positions import code_of

if TYPE_CHECKING:  # pragma: no cover
    from .core import Interpreter
    from .scope import Scope


class Host:
    """The interpreter as a handler may see it (``library.context.ContextHost``)."""

    def __init__(self, interpreter: "Interpreter") -> None:
        self.it = interpreter

    def emit_node(self, op: Operator, description: str | None, parents: Sequence[PlanNode], site: Site | None,
                  info: NodeInfo | None, visible: bool, columns: Sequence[str] | None, schema: Any,
                  rows: Any) -> PlanNode:
        if rows is INHERIT:
            rows = inherited_provenance(parents)
        view = View(visible, tuple(columns) if columns is not None else None)
        created = self.it.emit(op, description, parents, site, schema=schema, prov=rows, info=info, view=view)
        if op is Operator.DATA_SOURCE and created.provenance is None:
            created.provenance = Provenance.of_source(created.id)
        return created

    def unknown_operation(self, description: str, inputs: Sequence[Value], site: Site | None) -> Value:
        parents = parents_of(*inputs)
        if parents:
            self.emit_node(Operator.UNKNOWN, description, parents, site, None, False, None, None, INHERIT)
        return TOP

    def call_value(self, func: Value, args: list[Value], kwargs: dict[str, Value]) -> Value:
        return self.it.calls.call(func, args, kwargs, self._call_node, self._scope)

    def call_method(self, receiver: Value, name: str, args: list[Value], kwargs: dict[str, Value]) -> Value:
        return self.it.calls.call_method(receiver, name, args, kwargs, self._call_node, self._scope)

    def iterate(self, value: Value) -> list[Value] | None:
        return self.it.calls.iterate(value)

    def header_of(self, path: str, sep: str) -> list[str] | None:
        it = self.it
        return read_header(path, it.path, it.config, sep, it.data_files)

    def known_columns(self, source_key: str) -> frozenset[str]:
        return frozenset(self.it.known_columns.get(source_key, ()))

    def discover(self, data: Data, names: list[str]) -> None:
        """Recorded per data-source call when the rows come from one source only; ``analyze``
        runs a second pass in which those sources start with these columns (still open)."""
        if not data.schema.open or data.prov is None:
            return
        missing = [n for n in names if data.schema.get(n) is None]
        sources = {o.source for o in data.prov.origins}
        if not missing or len(sources) != 1:
            return
        if self._combined(data):
            return   # after a merge the columns may come from the other side, whoever owns the rows
        source = self.it.plan.node(next(iter(sources)))
        key = source.info.source_key if isinstance(source.info, SourceInfo) else None
        if key is not None:
            self.it.discovered.setdefault(key, set()).update(missing)

    def _combined(self, data: Data) -> bool:
        """Whether a join lies between ``data`` and its source (first parents,
        bounded walk)."""
        current = data.nodes[-1].id if data.nodes and data.nodes[-1] is not None else None
        for _ in range(64):
            if current is None:
                return False
            node = self.it.plan.node(current)
            if node.operator is Operator.JOIN:
                return True
            parents = self.it.plan.parent_ids(current)
            current = parents[0] if parents else None
        return True

    def plan_node(self, node_id: int) -> PlanNode:
        return self.it.plan.node(node_id)

    def next_node_id(self) -> int:
        return self.it.plan.next_id

    def source_text(self, site: Site) -> str:
        return code_of(site.node)

    def in_loop(self) -> bool:
        return self.it.loop_depth > 0

    def statement_site(self) -> Site | None:
        return self.it.site(self.it.stmt) if self.it.stmt is not None else None

    def captured_statistics(self, func: Value) -> list[Statistic]:
        """Statistics a lambda or a function of the code refers to by name from its defining scope
        (``s.apply(lambda x: x if x < 170 else mean_high)``): applying it applies them."""
        if isinstance(func, Lambda):
            body, params, scope = func.node.body, func.node.params, func.scope
        elif isinstance(func, UserFunction):
            body, params, scope = func.node.body, func.node.params, func.scope
        else:
            return []
        if scope is None:
            return []
        bound = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        found: list[Statistic] = []
        pending: list[cst.CSTNode] = [body]
        seen = 0
        while pending and seen < _MAX_CAPTURE_NODES:
            node = pending.pop()
            seen += 1
            if isinstance(node, cst.Name):
                if node.value not in bound:
                    value = scope.lookup(node.value)
                    if isinstance(value, Statistic) and value not in found:
                        found.append(value)
                continue
            pending.extend(node.children)
        return found

    def compared(self, values: list[Value], site: Site | None) -> None:
        self.it.calls.compared_scores_at(values, site)

    # the call being modelled (set by :func:`invoke`): callables called back need its scope
    _call_node: cst.CSTNode | None = None
    _scope: "Scope | None" = None


#: nodes of a function body looked through for the statistics it refers to (bounded: bodies are untrusted)
_MAX_CAPTURE_NODES = 2_000


def context(host: Host, name: str, node: cst.CSTNode | None) -> CallContext:
    site = host.it.site(node) if node is not None else None
    return CallContext(name, site, host)


def invoke(host: Host, handler: Handler, name: str, receiver: Any, args: list[Value], kwargs: dict[str, Value],
           node: cst.CSTNode, scope: "Scope") -> Value:
    """Run a handler for the call ``node`` and apply its outcome."""
    saved = host._call_node, host._scope
    host._call_node, host._scope = node, scope
    try:
        result = handler(context(host, name, node), receiver, args, kwargs)
    finally:
        host._call_node, host._scope = saved
    if isinstance(result, Rebind):
        target = receiver_expression(node)
        if target is not None:
            host.it.rebind(target, result.receiver, scope)
        return result.result
    return result


def lookup(family: Family, effect: str | None) -> Handler | None:
    return handler_for(family, effect) if effect is not None else None


def receiver_expression(node: cst.CSTNode) -> cst.BaseExpression | None:
    """``df`` in ``df.fillna(...)``: what an in-place method changes."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return node.func.value
    return None


def inherited_provenance(parents: Sequence[PlanNode | None]):
    """Rows of a node built from its inputs: the union of its data parents' rows (unknown if any is)."""
    prov = None
    for parent in parents:
        if parent is None or parent.operator in (Operator.ESTIMATOR,):
            continue
        if parent.provenance is None:
            return None
        prov = parent.provenance if prov is None else prov.union(parent.provenance)
    return prov

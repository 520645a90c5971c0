"""Expressions: the abstract value of each kind of LibCST expression node.

One plain function per node type, found through :data:`EVALUATORS` by
``Interpreter.eval`` (which also charges the budget and turns a literal past its
size bound into unknown).  Calls, attributes, subscripts and operators go to
``calls.CallEvaluator``, which dispatches to the API models in ``mllint.library``.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any, Callable

import libcst as cst

from ..domains.folding import const_or_top, fold_binary, fold_str_method
from ..domains.data_ops import lineage_of, stats_of
from ..domains.schema import UNKNOWN_SCHEMA
from ..domains.values import (TOP, Const, Data, DataKind, DictV, Lambda, Ref, Seq, SeqKind, Value, join)
from .scope import Scope

if TYPE_CHECKING:  # pragma: no cover
    from .core import Interpreter

#: Elements of a comprehension over a known sequence that are evaluated one by one.
MAX_COMPREHENSION = 256


def _name(it: "Interpreter", node: cst.Name, scope: Scope) -> Value:
    value = scope.lookup(node.value)
    if value is not None:
        return value
    if node.value in ("True", "False", "None"):
        return Const({"True": True, "False": False, "None": None}[node.value])
    return Ref(f"builtins.{node.value}")


def _attribute(it: "Interpreter", node: cst.Attribute, scope: Scope) -> Value:
    return it.calls.attribute(it.eval(node.value, scope), node.attr.value, node)


def _call(it: "Interpreter", node: cst.Call, scope: Scope) -> Value:
    it.budget.tick()
    args, kwargs = it.eval_args(node.args, scope)
    func = node.func
    if isinstance(func, cst.Attribute):
        receiver = it.eval(func.value, scope)
        return it.calls.call_method(receiver, func.attr.value, args, kwargs, node, scope)
    return it.calls.call(it.eval(func, scope), args, kwargs, node, scope)


def _subscript(it: "Interpreter", node: cst.Subscript, scope: Scope) -> Value:
    base = it.eval(node.value, scope)
    keys = [it.slice_value(element.slice, scope) for element in node.slice]
    return it.calls.getitem(base, keys, node)


def _string(it: "Interpreter", node: cst.SimpleString, scope: Scope) -> Value:
    raw = node.raw_value
    prefix = node.prefix.lower()
    if prefix in ("", "r", "u") and ("\\" not in raw or prefix == "r"):
        return Const(raw)   # the common case, without literal_eval's compile
    try:
        return Const(node.evaluated_value)
    except Exception:
        return TOP


def _concat_string(it: "Interpreter", node: cst.ConcatenatedString, scope: Scope) -> Value:
    left, right = it.eval(node.left, scope), it.eval(node.right, scope)
    if isinstance(left, Const) and isinstance(right, Const) and type(left.value) is type(right.value):
        return fold_binary("Add", left.value, right.value)
    return TOP


def _fstring(it: "Interpreter", node: cst.FormattedString, scope: Scope) -> Value:
    """Folded when every replacement field is a constant (``f"{DATA}/train.csv"``), else unknown."""
    raw = "r" in node.prefix.lower()
    pieces: list[str] | None = []
    for part in node.parts:
        if isinstance(part, cst.FormattedStringExpression):
            value = it.eval(part.expression, scope)
            if pieces is not None:
                pieces = _field(part, value, pieces)
        elif pieces is not None:
            text = part.value
            if "\\" in text and not raw:
                pieces = None   # escapes: the text is not the value (rare in paths and names)
            else:
                pieces.append(text.replace("{{", "{").replace("}}", "}"))
    return const_or_top("".join(pieces)) if pieces is not None else TOP


def _field(part: cst.FormattedStringExpression, value: Value, pieces: list[str]) -> list[str] | None:
    """``pieces`` with one replacement field's text appended, or None when it cannot be folded."""
    if not isinstance(value, Const) or part.equal is not None:
        return None
    spec = ""
    for item in part.format_spec or ():
        if not isinstance(item, cst.FormattedStringText):
            return None   # a nested field: the spec is known only at run time
        spec += item.value
    template = "{" + (f"!{part.conversion}" if part.conversion else "") + (f":{spec}" if spec else "") + "}"
    text = fold_str_method(template, "format", [value.value])
    if not isinstance(text, str):
        return None
    pieces.append(text)
    return pieces


def _number(it: "Interpreter", node, scope: Scope) -> Value:
    text = node.value
    try:
        if text.isdigit():
            return Const(int(text))
        if isinstance(node, cst.Float) and "_" not in text:
            return Const(float(text))
        return Const(ast.literal_eval(text))
    except Exception:
        return TOP


def _sequence(it: "Interpreter", node, scope: Scope) -> Value:
    kind = {cst.List: SeqKind.LIST, cst.Tuple: SeqKind.TUPLE, cst.Set: SeqKind.SET}[type(node)]
    items: list[Value] = []
    for element in node.elements:
        value = it.eval(element.value, scope)
        if isinstance(element, cst.StarredElement):
            spread = it.calls.iterate(value)
            if spread is None:
                return TOP
            items.extend(spread)
        else:
            items.append(value)
    return Seq(tuple(items), kind)


def _dict(it: "Interpreter", node: cst.Dict, scope: Scope) -> Value:
    keys, values = [], []
    for element in node.elements:
        if isinstance(element, cst.DictElement):
            keys.append(it.eval(element.key, scope))
            values.append(it.eval(element.value, scope))
        else:
            spread = it.eval(element.value, scope)
            if not isinstance(spread, DictV):
                return TOP
            keys.extend(spread.keys)
            values.extend(spread.values)
    return DictV(tuple(keys), tuple(values))


def _binary(it: "Interpreter", node: cst.BinaryOperation, scope: Scope) -> Value:
    left = it.eval(node.left, scope)
    right = it.eval(node.right, scope)
    return it.calls.binary(left, type(node.operator).__name__, right, node)


def _unary(it: "Interpreter", node: cst.UnaryOperation, scope: Scope) -> Value:
    return it.calls.unary(type(node.operator).__name__, it.eval(node.expression, scope))


def _boolean(it: "Interpreter", node: cst.BooleanOperation, scope: Scope) -> Value:
    left = it.eval(node.left, scope)
    right = it.eval(node.right, scope)
    if isinstance(left, Const):
        if isinstance(node.operator, cst.And):
            return right if left.value else left
        return left if left.value else right
    return join(left, right) if isinstance(left, Data) or isinstance(right, Data) else TOP


def _compare(it: "Interpreter", node: cst.Comparison, scope: Scope) -> Value:
    left = it.eval(node.left, scope)
    result: Value = TOP
    for target in node.comparisons:
        right = it.eval(target.comparator, scope)
        result = it.calls.compare(left, type(target.operator).__name__, right, node)
        left = right
    return result


def _ifexp(it: "Interpreter", node: cst.IfExp, scope: Scope) -> Value:
    test = it.eval(node.test, scope)
    if isinstance(test, Const):
        return it.eval(node.body if test.value else node.orelse, scope)
    return join(it.eval(node.body, scope), it.eval(node.orelse, scope))


def _lambda(it: "Interpreter", node: cst.Lambda, scope: Scope) -> Value:
    return Lambda(node, scope)


def _list_comp(it: "Interpreter", node, scope: Scope) -> Value:
    """Comprehensions over a small known sequence are evaluated; others are unknown."""
    if node.for_in.inner_for_in is not None or node.for_in.asynchronous is not None:
        return TOP
    iterated = it.eval(node.for_in.iter, scope)
    items = it.calls.iterate(iterated)
    # a series or array (or df[key] with a key we cannot read, most often one column): values per row
    if items is None and isinstance(iterated, Data) and not node.for_in.ifs and isinstance(node, cst.ListComp) \
            and (iterated.kind is not DataKind.FRAME or not iterated.schema.columns):
        return _per_row_list(it, node, scope, iterated)
    if items is None or len(items) > MAX_COMPREHENSION:
        return TOP
    inner = Scope(scope)
    out: list[Value] = []
    for item in items:
        it.budget.tick()
        it.assign(node.for_in.target, item, inner, node)
        keep = True
        for condition in node.for_in.ifs:
            test = it.eval(condition.test, inner)
            if not isinstance(test, Const):
                return TOP
            keep = keep and bool(test.value)
        if keep:
            out.append(it.eval(node.elt, inner))
    return Seq(tuple(out), SeqKind.LIST if isinstance(node, cst.ListComp) else SeqKind.SET)


def _per_row_list(it: "Interpreter", node: cst.ListComp, scope: Scope, rows: Data) -> Value:
    """``[f(v) for v in df["x"]]``: one value per row of the series, so a list over the same rows.

    The element is evaluated once with the row value unknown (what it computes over that stand-in
    is per row); statistics it uses (``hist[np.searchsorted(edges, v)]``) are applied to every row."""
    inner = Scope(scope)
    it.assign(node.for_in.target, TOP, inner, node)
    element = it.eval(node.elt, inner)
    return Data(DataKind.ARRAY, rows.nodes, UNKNOWN_SCHEMA, rows.prov, None,
                lineage_of(rows) | lineage_of(element), False, rows.stats + stats_of(element))


def _dict_comp(it: "Interpreter", node, scope: Scope) -> Value:
    return TOP


def _generator(it: "Interpreter", node, scope: Scope) -> Value:
    value = _list_comp(it, node, scope)
    return Seq(value.items, SeqKind.TUPLE) if isinstance(value, Seq) else TOP


def _named_expr(it: "Interpreter", node: cst.NamedExpr, scope: Scope) -> Value:
    value = it.eval(node.value, scope)
    it.assign(node.target, value, scope, node)
    return value


def _top(it: "Interpreter", node, scope: Scope) -> Value:
    return TOP


EVALUATORS: dict[type, Callable[["Interpreter", Any, Scope], Value]] = {
    cst.Name: _name, cst.Attribute: _attribute, cst.Call: _call, cst.Subscript: _subscript,
    cst.SimpleString: _string, cst.ConcatenatedString: _concat_string, cst.FormattedString: _fstring,
    cst.Integer: _number, cst.Float: _number, cst.Imaginary: _number,
    cst.List: _sequence, cst.Tuple: _sequence, cst.Set: _sequence, cst.Dict: _dict,
    cst.BinaryOperation: _binary, cst.UnaryOperation: _unary, cst.BooleanOperation: _boolean,
    cst.Comparison: _compare, cst.IfExp: _ifexp, cst.Lambda: _lambda,
    cst.ListComp: _list_comp, cst.SetComp: _list_comp, cst.GeneratorExp: _generator,
    cst.DictComp: _dict_comp, cst.NamedExpr: _named_expr, cst.Ellipsis: _top,
}

"""ML104: take the label-carrying columns out of a literal feature list.

Two mechanical rewrites, and only where the list is a literal in the fit's statement or in the
statement that built its features:

* a column selection ``df[["a", "b", "label"]]``: the leaking names leave the list;
* a drop ``df.drop(columns=[...])`` / ``drop(columns="x")`` / ``drop([...], axis=1)``: the
  leaking names join the list.

SAFE when the list sits in the fit's own statement (only that fit sees other columns);
UNSAFE when it is in an earlier statement, whose result other code may read as well.
"""
from __future__ import annotations

import libcst as cst

from ..findings import Finding
from .context import FixContext, Rewrite
from .cst_tools import calls_in, method_call, nodes_of, string_value
from .model import Applicability

DROP_AXES = {"1", "'columns'", '"columns"'}


def fix(context: FixContext, finding: Finding) -> Rewrite | None:
    leaking = list(finding.columns)
    if not leaking:
        return None
    located = context.located
    lines = [finding.span.start_line] + [r.span.start_line for r in finding.related if r.message == "features built here"]
    edits: list[tuple[cst.CSTNode, cst.CSTNode, bool]] = []
    for number, line in enumerate(dict.fromkeys(lines)):
        statement = located.small_statement_at(line)
        if statement is None:
            continue
        edits.extend((old, new, number == 0) for old, new in _rewrites_in(statement, leaking))
    if len(edits) != 1:
        return None   # none, or several places that could be meant: not mechanical
    old, new, in_fit = edits[0]
    names = ", ".join(f"`{c}`" for c in leaking)
    return Rewrite(context.module.deep_replace(old, new), f"Remove {names} from the features",
                   Applicability.SAFE if in_fit else Applicability.UNSAFE)


def _rewrites_in(statement: cst.CSTNode, leaking: list[str]) -> list[tuple[cst.CSTNode, cst.CSTNode]]:
    found = []
    for subscript in nodes_of(statement, cst.Subscript):
        new = _without(subscript, leaking)
        if new is not None:
            found.append((subscript, new))
    for call in calls_in(statement):
        if method_call(call, "drop") is not None:
            new = _with_dropped(call, leaking)
            if new is not None:
                found.append((call, new))
    return found


def _string_list(node: cst.BaseExpression) -> list[str] | None:
    if not isinstance(node, cst.List) or not node.elements:
        return None
    values = [string_value(e.value) if isinstance(e, cst.Element) else None for e in node.elements]
    return None if any(v is None for v in values) else values


def _without(subscript: cst.Subscript, leaking: list[str]) -> cst.Subscript | None:
    """``df[[..., label, ...]]`` without the leaking names (None when none is there or nothing would be left)."""
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return None
    literal = subscript.slice[0].slice.value
    values = _string_list(literal)
    if values is None or not any(v in leaking for v in values):
        return None
    kept = [e for e, v in zip(literal.elements, values) if v not in leaking]
    if not kept:
        return None
    last_comma = literal.elements[-1].comma
    kept[-1] = kept[-1].with_changes(comma=last_comma)
    new_list = literal.with_changes(elements=kept)
    return subscript.with_deep_changes(subscript.slice[0].slice, value=new_list)


def _with_dropped(call: cst.Call, leaking: list[str]) -> cst.Call | None:
    """``drop(...)`` of columns given literally, with the leaking names added."""
    for position, arg in enumerate(call.args):
        keyword = arg.keyword.value if arg.keyword is not None else None
        positional_columns = keyword is None and position == 0 and _axis_is_columns(call)
        if keyword != "columns" and not positional_columns:
            continue
        value = arg.value
        single = string_value(value)
        if single is not None:
            value = cst.List([cst.Element(value)])
        values = _string_list(value)
        if values is None:
            return None
        missing = [c for c in leaking if c not in values]
        if not missing:
            return None
        quote = _quote_of(value.elements[0].value)
        elements = list(value.elements)
        trailing = elements[-1].comma
        elements[-1] = elements[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        for index, name in enumerate(missing):
            comma = trailing if index == len(missing) - 1 else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            elements.append(cst.Element(cst.SimpleString(_literal(name, quote)), comma=comma))
        return call.with_deep_changes(arg, value=value.with_changes(elements=elements))
    return None


def _axis_is_columns(call: cst.Call) -> bool:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "axis":
            code = cst.Module([]).code_for_node(arg.value)
            return code in DROP_AXES
    return False


def _quote_of(node: cst.BaseExpression) -> str:
    return '"' if isinstance(node, cst.SimpleString) and node.value.lstrip("rRbBuU").startswith('"') else "'"


def _literal(name: str, quote: str) -> str:
    """A Python string literal for ``name`` in the quotes the list already uses."""
    text = repr(name)
    if quote == '"' and text.startswith("'") and '"' not in name:
        return '"' + text[1:-1].replace("\\'", "'") + '"'
    return text

"""ML302: a transformer fit on the training rows is fit again on the evaluation rows -- transform only.

Recognised (the transformer is a plain name, fit earlier in the same block, not rebound since):

    scaler.fit_transform(X_test)          ->  scaler.transform(X_test)
    scaler.fit(X_test).transform(X_test)  ->  scaler.transform(X_test)
    scaler.fit(X_test)                    ->  (statement removed; a later transform uses the training fit)

SAFE when the transformer is a scaler / imputer / projection whose ``transform`` accepts any
rows of the same columns, and code after the statement only transforms with it or fits it
again (no fitted attribute, inverse or hand-off sees the changed state); UNSAFE otherwise (an encoder's ``transform`` may reject categories
only the evaluation rows have).  A refit inside a helper function is fixed there, UNSAFE: every
caller of the helper gets the change.
"""
from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..findings import Finding
from .context import FixContext, Rewrite
from .cst_tools import calls_in, method_call, names_in
from .model import Applicability

#: Transformers whose ``transform`` takes any rows with the training columns.
ANY_ROWS = frozenset({"StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "Normalizer",
                      "SimpleImputer", "KNNImputer", "PCA", "TruncatedSVD", "PolynomialFeatures",
                      "QuantileTransformer", "PowerTransformer"})


HELPER_NOTE = "computed here, in the helper"


def fix(context: FixContext, finding: Finding) -> Rewrite | None:
    """The rewrite of the refit at the finding's statement, or inside the helper it calls (then UNSAFE:
    the helper's other callers change too)."""
    rewrite = _fix_at(context, finding.span.start_line)
    if rewrite is not None:
        return rewrite
    helper_lines = [r.span.start_line for r in finding.related if r.message == HELPER_NOTE]
    rewrite = _fix_at(context, helper_lines[0]) if len(helper_lines) == 1 else None
    return replace(rewrite, applicability=Applicability.UNSAFE) if rewrite is not None else None


def _fix_at(context: FixContext, statement_line: int) -> Rewrite | None:
    located = context.located
    statement = located.small_statement_at(statement_line)
    line = located.statement_line(statement) if statement is not None else None
    block = located.enclosing_block(statement) if statement is not None else None
    if line is None or block is None:
        return None
    body = list(block.body)
    index = next((i for i, s in enumerate(body) if s is line), None)
    if index is None:
        return None
    refits = [c for c in calls_in(statement) if isinstance(method_call(c, "fit", "fit_transform"), cst.Name)]
    if len(refits) != 1:
        return None
    call = refits[0]
    name = call.func.value.value
    constructor = _fit_before(body[:index], name)
    if constructor is None:
        return None
    if call.func.attr.value == "fit_transform":
        new_call = call.with_deep_changes(call.func.attr, value="transform")
        module = context.module.deep_replace(call, new_call)
    else:
        module = _drop_fit(context, statement, line, block, call)
        if module is None:
            return None
    safe = constructor in ANY_ROWS and _only_fit_or_transform(body[index + 1:], name)
    return Rewrite(module, f"Transform with `{name}` as fit on the training rows (do not fit again)",
                   Applicability.SAFE if safe else Applicability.UNSAFE)


def _fit_before(statements: list[cst.BaseStatement], name: str) -> str | None:
    """The class name of ``name`` when it was fit in ``statements`` and not rebound after that fit ("" if unknown)."""
    fitted = False
    constructor = ""
    for statement in statements:
        rebound = _assigned_call(statement, name)
        if rebound is not None:
            fitted = False
            constructor = rebound
        for call in calls_in(statement):
            receiver = method_call(call, "fit", "fit_transform")
            if isinstance(receiver, cst.Name) and receiver.value == name:
                fitted = True
            elif isinstance(receiver, cst.Call) and rebound is not None:
                fitted = True   # name = Scaler().fit(X_train)
    return constructor if fitted else None


def _assigned_call(statement: cst.BaseStatement, name: str) -> str | None:
    """The constructor's name when ``statement`` is ``name = Cls(...)`` (or ``Cls(...).fit(...)``)."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    for small in statement.body:
        if isinstance(small, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == name
                                                 for t in small.targets):
            value = small.value
            while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
                value = value.func.value
            if isinstance(value, cst.Call):
                func = value.func
                return func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(
                    func, cst.Attribute) else ""
            return ""
    return None


def _drop_fit(context: FixContext, statement, line, block, call: cst.Call) -> cst.Module | None:
    """``n.fit(X).transform(Y)`` -> ``n.transform(Y)``; a statement that is only ``n.fit(X)`` goes."""
    parent = context.located.parents.get(call)
    if isinstance(parent, cst.Attribute) and parent.attr.value == "transform":
        return context.module.deep_replace(parent, parent.with_changes(value=call.func.value))
    if isinstance(statement, cst.Expr) and statement.value is call and isinstance(line, cst.SimpleStatementLine) \
            and len(line.body) == 1 and len(block.body) > 1:
        return context.module.deep_remove(line)
    return None


def _only_fit_or_transform(statements: list[cst.BaseStatement], name: str) -> bool:
    """Whether later code uses the transformer only to transform (now with the training fit, as meant)
    or to fit again (which no longer depends on it): no fitted attribute read, no inverse, no hand-off."""
    uses = [c for s in statements for c in calls_in(s)
            if isinstance(method_call(c, "transform", "fit", "fit_transform"), cst.Name) and c.func.value.value == name]
    return len(uses) == sum(names_in(s).count(name) for s in statements)

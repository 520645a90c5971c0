"""ML101: fit the preprocessing inside a Pipeline on the training split.

Recognised shape (top-level statements, nothing else):

    X_scaled = StandardScaler().fit_transform(X)            # or: sc = StandardScaler(); X_scaled = sc.fit_transform(X)
    X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, ...)
    model = SVR().fit(X_train, y_train)                      # or: model = SVR() ... model.fit(X_train, y_train)

becomes

    X_train, X_test, y_train, y_test = train_test_split(X, y, ...)
    model = make_pipeline(StandardScaler(), SVR()).fit(X_train, y_train)

UNSAFE: the transformer now learns from the training rows only, so every number the model
produces changes (that is the point, but it wants a review), and ``X_train`` now holds raw
features for any other code that reads it.
"""
from __future__ import annotations

import libcst as cst

from ..findings import Finding
from .context import FixContext, Rewrite
from .cst_tools import names_in
from .model import Applicability

TITLE = "Fit the preprocessing inside a Pipeline on the training split"


def _single_assign(stmt: cst.BaseStatement) -> tuple[str, cst.BaseExpression] | None:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign):
        assign = stmt.body[0]
        if len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name):
            return assign.targets[0].target.value, assign.value
    return None


def _method_call(expr: cst.BaseExpression, method: str) -> tuple[cst.BaseExpression, cst.Call] | None:
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == method:
        return expr.func.value, expr
    return None


def _top_level_index(context: FixContext, line: int) -> int | None:
    small = context.located.small_statement_at(line)
    statement = context.located.statement_line(small) if small is not None else None
    body = list(context.module.body)
    return next((i for i, s in enumerate(body) if s is statement), None)


def fix(context: FixContext, finding: Finding) -> Rewrite | None:
    module = context.module
    index = _top_level_index(context, finding.span.start_line)
    if index is None:
        return None
    new_body = pipeline_body(list(module.body), index)
    if new_body is None:
        return None
    return Rewrite(module.with_changes(body=new_body), TITLE, Applicability.UNSAFE)


def pipeline_body(body: list[cst.BaseStatement], index: int) -> list[cst.BaseStatement] | None:
    """The module body with the transformer of ``body[index]`` moved into a Pipeline, or None."""
    assigned = _single_assign(body[index])
    if assigned is None:
        return None
    scaled_name, value = assigned
    call = _method_call(value, "fit_transform")
    if call is None or len(call[1].args) != 1:
        return None
    transformer_expr, fit_call = call
    raw_input = fit_call.args[0].value
    removals = {index}
    if isinstance(transformer_expr, cst.Name):   # sc = StandardScaler(); X_s = sc.fit_transform(X)
        ctor_index = next((i for i in range(index) if (_single_assign(body[i]) or ("", None))[0]
                           == transformer_expr.value), None)
        if ctor_index is None or not isinstance(_single_assign(body[ctor_index])[1], cst.Call):
            return None
        if sum(names_in(s).count(transformer_expr.value) for s in body) != 2:
            return None   # the transformer is used elsewhere: not ours to move
        transformer = _single_assign(body[ctor_index])[1]
        removals.add(ctor_index)
    elif isinstance(transformer_expr, cst.Call):
        transformer = transformer_expr
    else:
        return None
    # the scaled data must be used exactly once, as the first argument of train_test_split
    users = [i for i, s in enumerate(body) if i != index and scaled_name in names_in(s)]
    if len(users) != 1:
        return None
    split_index = users[0]
    split_stmt = body[split_index]
    if not (isinstance(split_stmt, cst.SimpleStatementLine) and isinstance(split_stmt.body[0], cst.Assign)):
        return None
    split_call = split_stmt.body[0].value
    if not (isinstance(split_call, cst.Call) and _callee(split_call) == "train_test_split" and split_call.args
            and isinstance(split_call.args[0].value, cst.Name) and split_call.args[0].value.value == scaled_name):
        return None
    targets = split_stmt.body[0].targets[0].target
    if not isinstance(targets, (cst.Tuple, cst.List)) or len(targets.elements) < 2:
        return None
    x_train = targets.elements[0].value
    if not isinstance(x_train, cst.Name):
        return None
    new_split = split_stmt.with_deep_changes(split_stmt.body[0].value.args[0], value=raw_input)
    # the model fit on the training split: `m = Est(...).fit(X_train, ...)` or `m = Est(...)` + `m.fit(X_train, ...)`
    replaced = None
    for i in range(split_index + 1, len(body)):
        assign = _single_assign(body[i])
        if assign is not None:
            fit = _method_call(assign[1], "fit")
            if fit is not None and isinstance(fit[0], cst.Call) and _first_arg_is(fit[1], x_train.value):
                new_value = assign[1].with_changes(func=assign[1].func.with_changes(
                    value=_make_pipeline(transformer, fit[0])))
                replaced = (i, body[i].with_deep_changes(body[i].body[0], value=new_value))
                break
            if isinstance(assign[1], cst.Call) and _fit_follows(body, i, assign[0], x_train.value):
                replaced = (i, body[i].with_deep_changes(body[i].body[0],
                                                         value=_make_pipeline(transformer, assign[1])))
                break
    if replaced is None:
        return None
    new_body = []
    for i, stmt in enumerate(body):
        if i in removals:
            continue
        if i == split_index:
            stmt = new_split
        if i == replaced[0]:
            stmt = replaced[1]
        new_body.append(stmt)
    return _with_import(new_body)


def _callee(call: cst.Call) -> str | None:
    func = call.func
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


def _first_arg_is(call: cst.Call, name: str) -> bool:
    return bool(call.args) and isinstance(call.args[0].value, cst.Name) and call.args[0].value.value == name


def _fit_follows(body, index: int, model: str, x_train: str) -> bool:
    for stmt in body[index + 1:]:
        if isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Expr):
            fit = _method_call(stmt.body[0].value, "fit")
            if fit is not None and isinstance(fit[0], cst.Name) and fit[0].value == model:
                return _first_arg_is(fit[1], x_train)
    return False


def _make_pipeline(transformer: cst.BaseExpression, estimator: cst.BaseExpression) -> cst.Call:
    return cst.Call(func=cst.Name("make_pipeline"), args=[
        cst.Arg(transformer, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), cst.Arg(estimator)])


def _with_import(body: list) -> list:
    """Add ``from sklearn.pipeline import make_pipeline`` after the last top import, unless present."""
    code = cst.Module(body=body).code
    if "make_pipeline" in code.split("make_pipeline(", 1)[0]:
        return body
    statement = cst.parse_statement("from sklearn.pipeline import make_pipeline\n")
    last_import = max((i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine)
                       and isinstance(s.body[0], (cst.Import, cst.ImportFrom))), default=-1)
    return body[:last_import + 1] + [statement] + body[last_import + 1:]

"""The abstract interpreter: statements in order, one structural walk of the CST.

Each statement is executed against a :class:`Scope` of abstract values;
expressions are evaluated by ``expressions.py``, whose calls, subscripts and
operators go through ``calls.py`` / ``dispatch.py`` to the API models of
``mllint.library``, which emit plan nodes as they go.  Control flow: ``if``/``match``/``try`` run every
branch on a copy of the variables and join; loops over a small known sequence
are unrolled (as they would run), other loops run their body once and join
with the state before the loop (zero or more iterations), their nodes marked
``in_loop``.  User functions are analysed at each call site with a bounded
context depth and a recursion cut.  Nothing is ever executed.

The stdlib-``ast`` statements are walked in lockstep with the CST statements
only to give each plan node a cheap, lazily computed position.
"""
from __future__ import annotations

import ast
from typing import Any, Sequence

import libcst as cst

from ..domains.values import (SeqKind, TOP, Accessor, Const, Data, DictV, Estimator, GroupBy, Lambda, Seq,
                              Statistic, TooLarge, UserFunction, Value, join)
from ..plan import NodeInfo, Operator, Plan, PlanNode, Site, Span, View
from ..engine.data_headers import DataReads
from ..engine.positions import PositionIndex
from .budget import Budget, BudgetExceeded
from .imports import bind_import, bind_import_from
from .expressions import EVALUATORS
from .scope import Scope, join_vars

MAX_CALL_DEPTH = 3          # context depth for user functions
MAX_UNROLL = 16             # loops over known sequences run per element while the nest's product stays below


class _Return(Exception):
    pass


# CST small/compound statement class -> the stdlib ast classes it may align with
_ALIGN = {
    cst.Assign: (ast.Assign,), cst.AnnAssign: (ast.AnnAssign,), cst.AugAssign: (ast.AugAssign,),
    cst.Expr: (ast.Expr,), cst.Import: (ast.Import,), cst.ImportFrom: (ast.ImportFrom,),
    cst.Return: (ast.Return,), cst.Pass: (ast.Pass,), cst.Del: (ast.Delete,), cst.Global: (ast.Global,),
    cst.Nonlocal: (ast.Nonlocal,), cst.Raise: (ast.Raise,), cst.Assert: (ast.Assert,), cst.Break: (ast.Break,),
    cst.Continue: (ast.Continue,), cst.If: (ast.If,), cst.For: (ast.For, ast.AsyncFor),
    cst.While: (ast.While,), cst.With: (ast.With, ast.AsyncWith), cst.FunctionDef: (ast.FunctionDef, ast.AsyncFunctionDef),
    cst.ClassDef: (ast.ClassDef,), cst.Try: (ast.Try,),
}
if hasattr(cst, "TryStar") and hasattr(ast, "TryStar"):
    _ALIGN[cst.TryStar] = (ast.TryStar,)
if hasattr(cst, "Match") and hasattr(ast, "Match"):
    _ALIGN[cst.Match] = (ast.Match,)
if hasattr(cst, "TypeAlias") and hasattr(ast, "TypeAlias"):
    _ALIGN[cst.TypeAlias] = (ast.TypeAlias,)


def _block_body(block: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    if isinstance(block, cst.IndentedBlock):
        return block.body
    if isinstance(block, cst.SimpleStatementSuite):
        return [cst.SimpleStatementLine(body=block.body)]  # aligned like a line of small statements
    return ()


class Interpreter:
    """Runs one module abstractly and records the plan."""

    def __init__(self, plan: Plan, positions: PositionIndex | None, *, path: str | None,
                 config: Any, budget: Budget | None = None, known_columns: dict[str, set[str]] | None = None,
                 hidden_cells: Any = None) -> None:
        from .calls import CallEvaluator  # late import: calls depends on this module's Site

        self.plan = plan
        self.positions = positions
        self.path = path
        self.config = config
        self.budget = budget or Budget()
        self.module_scope = Scope()
        self.module_scope.vars["__name__"] = Const("__main__")
        self.stmt: cst.CSTNode | None = None
        self.ast_stmt: ast.stmt | None = None
        self.loop_depth = 0
        self.unroll_factor = 1      # product of the lengths of the unrolled loops we are inside
        self.rolled_loops = 0       # loops we are inside whose body runs once for all passes
        self.call_stack: list[UserFunction] = []
        self.caller: Site | None = None   # the top-level call statement while inside user functions
        self.called: set[UserFunction] = set()
        self.returns: list[list[Value]] = []
        self.notes: list[str] = []
        self.known_columns = known_columns or {}       # data-source call (its code) -> columns found in use
        self.discovered: dict[str, set[str]] = {}
        self.data_files: DataReads = {}   # every literal data path looked up -> its state
        self.hidden_cells = hidden_cells  # engine.cell_magics.HiddenCells: run_cell_magic calls -> their cells
        self.calls = CallEvaluator(self)

    # -- plan emission --------------------------------------------------------
    def site(self, node: cst.CSTNode) -> Site:
        return Site(node, self.stmt, self.ast_stmt, self.caller)

    def span_of(self, site: Site | None) -> Span | None:
        if site is None or self.positions is None or site.stmt is None:
            return None
        return self.positions.span(site.node, site.stmt, site.ast_stmt)

    def emit(self, operator: Operator, description: str | None, parents: Sequence[PlanNode | None],
             site: Site | None, *, schema=None, prov=None, info: NodeInfo | None = None,
             view: View | None = None) -> PlanNode:
        positions, stmt_site = self.positions, site

        def thunk() -> Span | None:
            if stmt_site is None or positions is None or stmt_site.stmt is None:
                return None
            return positions.span(stmt_site.node, stmt_site.stmt, stmt_site.ast_stmt)

        # a plan node costs its schema: transfer functions copy and scan the columns it carries
        self.budget.tick(4 + (len(schema.columns) >> 5 if schema is not None else 0))
        in_loop = self.loop_depth > 0
        passes = self.unroll_factor if in_loop and not self.rolled_loops else 0
        return self.plan.add(
            lambda node_id: PlanNode(node_id, operator, description, schema, prov, info, site, view, in_loop,
                                     passes, _span_thunk=thunk),
            [p for p in parents if p is not None])

    # -- statements -----------------------------------------------------------
    def run_module(self, module: cst.Module, ast_module: ast.Module | None) -> Scope:
        try:
            self.exec_block(module.body, ast_module.body if ast_module is not None else None, self.module_scope)
            self._run_uncalled_functions()
        except BudgetExceeded:
            self.notes.append(self.budget.note)
        except _Return:
            pass
        return self.module_scope

    def _run_uncalled_functions(self) -> None:
        """Module functions nobody calls (library-style files) run once with unknown arguments.

        Their plan nodes are real code paths; with unknown inputs they carry
        unknown schemas and rows, so rules stay silent where they would guess.
        """
        for value in list(self.module_scope.vars.values()):
            if isinstance(value, UserFunction) and value not in self.called:
                try:
                    self.call_user_function(value, [], {})
                except _Return:
                    pass

    def exec_block(self, stmts: Sequence[cst.BaseStatement], ast_stmts: list[ast.stmt] | None,
                   scope: Scope) -> None:
        ai = 0
        for stmt in stmts:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    ast_stmt, ai, ast_stmts = self._align(small, ast_stmts, ai)
                    self.exec_small(small, ast_stmt, scope)
            else:
                ast_stmt, ai, ast_stmts = self._align(stmt, ast_stmts, ai)
                self.exec_compound(stmt, ast_stmt, scope)

    @staticmethod
    def _align(stmt: cst.CSTNode, ast_stmts: list[ast.stmt] | None, index: int):
        if ast_stmts is None or index >= len(ast_stmts):
            return None, index + 1, None
        candidate = ast_stmts[index]
        expected = _ALIGN.get(type(stmt))
        if expected is not None and not isinstance(candidate, expected):
            return None, index + 1, None  # lost alignment: positions unknown from here on
        return candidate, index + 1, ast_stmts

    def exec_small(self, stmt: cst.BaseSmallStatement, ast_stmt: ast.stmt | None, scope: Scope) -> None:
        self.budget.tick()
        self.stmt, self.ast_stmt = stmt, ast_stmt
        if isinstance(stmt, cst.Assign):
            value = self.eval(stmt.value, scope)
            for target in stmt.targets:
                self.assign(target.target, value, scope, stmt.value)
        elif isinstance(stmt, cst.Expr):
            hidden = self.hidden_cells.get(ast_stmt) if self.hidden_cells is not None else None
            if hidden is not None and scope.lookup("get_ipython") is None:
                self.exec_block(hidden.module.body, hidden.tree.body,      # the cell runs in place
                                Scope(scope) if hidden.own_namespace else scope)
            else:
                self.eval(stmt.value, scope)
        elif isinstance(stmt, cst.AnnAssign):
            if stmt.value is not None:
                self.assign(stmt.target, self.eval(stmt.value, scope), scope, stmt.value)
        elif isinstance(stmt, cst.AugAssign):
            current = self.eval(stmt.target, scope)
            value = self.calls.binary(current, type(stmt.operator).__name__.replace("Assign", ""),
                                      self.eval(stmt.value, scope), stmt)
            self.assign(stmt.target, value, scope, stmt)
        elif isinstance(stmt, cst.Import):
            for name, ref in bind_import(stmt):
                scope.bind(name, ref)
        elif isinstance(stmt, cst.ImportFrom):
            for name, ref in bind_import_from(stmt):
                scope.bind(name, ref)
        elif isinstance(stmt, cst.Return):
            value = self.eval(stmt.value, scope) if stmt.value is not None else Const(None)
            if self.returns:
                self.returns[-1].append(value)
            raise _Return()
        elif isinstance(stmt, cst.Global):
            scope.global_names.update(n.name.value for n in stmt.names)
        elif isinstance(stmt, cst.Del):
            self.delete(stmt.target, scope)

    def exec_compound(self, stmt: cst.BaseCompoundStatement, ast_stmt: ast.stmt | None, scope: Scope) -> None:
        self.budget.tick()
        self.stmt, self.ast_stmt = stmt, ast_stmt
        handler = self._COMPOUND.get(type(stmt))
        if handler is not None:
            handler(self, stmt, ast_stmt, scope)

    def _run_branch(self, body: Sequence[cst.BaseStatement], ast_body, scope: Scope,
                    start: dict[str, Value]) -> tuple[dict[str, Value], bool]:
        """Run a branch from ``start``; returns its variables and whether it returned."""
        scope.restore(dict(start))
        try:
            self.exec_block(body, ast_body, scope)
        except _Return:
            return scope.snapshot(), True
        return scope.snapshot(), False

    def _join_branches(self, scope: Scope, outcomes: list[tuple[dict[str, Value], bool]]) -> None:
        live = [variables for variables, returned in outcomes if not returned]
        if not live:  # every branch returned
            scope.restore(outcomes[0][0])
            raise _Return()
        result = live[0]
        for other in live[1:]:
            result = join_vars(result, other)
        scope.restore(result)

    def _exec_if(self, stmt: cst.If, ast_stmt, scope: Scope) -> None:
        test = self.eval(stmt.test, scope)
        ast_body = ast_stmt.body if isinstance(ast_stmt, ast.If) else None
        ast_else = ast_stmt.orelse if isinstance(ast_stmt, ast.If) else None
        if isinstance(test, Const):  # statically decided (if __name__ == "__main__", if False, ...)
            if test.value:
                self.exec_block(_block_body(stmt.body), ast_body, scope)
            elif stmt.orelse is not None:
                self._exec_orelse(stmt.orelse, ast_else, scope)
            return
        start = scope.snapshot()
        outcomes = [self._run_branch(_block_body(stmt.body), ast_body, scope, start)]
        scope.restore(dict(start))
        returned = False
        if stmt.orelse is not None:
            try:
                self._exec_orelse(stmt.orelse, ast_else, scope)
            except _Return:
                returned = True
        outcomes.append((scope.snapshot(), returned))
        self._join_branches(scope, outcomes)

    def _exec_orelse(self, orelse, ast_else, scope: Scope) -> None:
        if isinstance(orelse, cst.If):
            self.stmt, self.ast_stmt = orelse, (ast_else[0] if ast_else else None)
            self._exec_if(orelse, self.ast_stmt, scope)
        else:
            self.exec_block(_block_body(orelse.body), ast_else, scope)

    def _exec_for(self, stmt: cst.For, ast_stmt, scope: Scope) -> None:
        iterated = self.eval(stmt.iter, scope)
        iterable = self.calls.iterate(iterated)
        ast_body = ast_stmt.body if isinstance(ast_stmt, (ast.For, ast.AsyncFor)) else None
        body = _block_body(stmt.body)
        if iterable is not None and len(iterable) == 1:   # one pass: straight-line code, not a loop
            try:
                self._bind_loop_item(stmt, iterable[0], scope)
                self.exec_block(body, ast_body, scope)
            finally:
                self._forget_loop_aliases(stmt.target, scope)
        elif iterable is not None and self.unroll_factor * max(len(iterable), 1) <= MAX_UNROLL:
            self.loop_depth += 1
            saved_factor, self.unroll_factor = self.unroll_factor, self.unroll_factor * max(len(iterable), 1)
            try:
                for item in iterable:   # unrolled: each element as it would run
                    self._bind_loop_item(stmt, item, scope)
                    self.exec_block(body, ast_body, scope)
            finally:
                self.loop_depth -= 1
                self.unroll_factor = saved_factor
                self._forget_loop_aliases(stmt.target, scope)
        else:
            self._exec_loop_once(stmt.target, body, ast_body, scope, stmt.iter, self.calls.element(iterated))
        if stmt.orelse is not None:
            self.exec_block(_block_body(stmt.orelse.body),
                            ast_stmt.orelse if isinstance(ast_stmt, (ast.For, ast.AsyncFor)) else None, scope)

    def _bind_loop_item(self, stmt: cst.For, item: Value, scope: Scope) -> None:
        """Bind the target to one element, as an alias of it (``for df in [train, test]`` changes train, then test)."""
        self.assign(stmt.target, item, scope, stmt.iter)
        for name in _target_names(stmt.target):
            scope.alias(name, scope.vars.get(name), scope)

    @staticmethod
    def _forget_loop_aliases(target, scope: Scope) -> None:
        for name in _target_names(target):
            scope.forget_alias(name)

    def _exec_loop_once(self, target, body, ast_body, scope: Scope, origin, element: Value = TOP) -> None:
        """Zero or more iterations: run the body once in loop mode and join with the entry state."""
        before = scope.snapshot()
        self.loop_depth += 1
        self.rolled_loops += 1
        try:
            if target is not None:
                self.assign(target, element, scope, origin)
            try:
                self.exec_block(body, ast_body, scope)
            except _Return:
                pass
        finally:
            self.loop_depth -= 1
            self.rolled_loops -= 1
        scope.restore(join_vars(before, scope.snapshot()))

    def _exec_while(self, stmt: cst.While, ast_stmt, scope: Scope) -> None:
        self.eval(stmt.test, scope)
        ast_body = ast_stmt.body if isinstance(ast_stmt, ast.While) else None
        self._exec_loop_once(None, _block_body(stmt.body), ast_body, scope, stmt.test)

    def _exec_with(self, stmt: cst.With, ast_stmt, scope: Scope) -> None:
        for item in stmt.items:
            value = self.eval(item.item, scope)
            if item.asname is not None:
                self.assign(item.asname.name, TOP if not isinstance(value, Data) else value, scope, item.item)
        ast_body = ast_stmt.body if isinstance(ast_stmt, (ast.With, ast.AsyncWith)) else None
        self.exec_block(_block_body(stmt.body), ast_body, scope)

    def _exec_try(self, stmt, ast_stmt, scope: Scope) -> None:
        is_try = isinstance(ast_stmt, (ast.Try,) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ()))
        start = scope.snapshot()
        outcomes = [self._run_branch(_block_body(stmt.body), ast_stmt.body if is_try else None, scope, start)]
        if not outcomes[0][1] and stmt.orelse is not None:
            outcomes[0] = self._run_branch(_block_body(stmt.orelse.body), ast_stmt.orelse if is_try else None,
                                           scope, outcomes[0][0])
        for index, handler in enumerate(stmt.handlers):
            ast_handler = ast_stmt.handlers[index].body if is_try and index < len(ast_stmt.handlers) else None
            entry = join_vars(start, outcomes[0][0])
            if handler.name is not None:
                entry[handler.name.name.value] = TOP
            outcomes.append(self._run_branch(_block_body(handler.body), ast_handler, scope, entry))
        self._join_branches(scope, outcomes)
        if stmt.finalbody is not None:
            self.exec_block(_block_body(stmt.finalbody.body), ast_stmt.finalbody if is_try else None, scope)

    def _exec_match(self, stmt, ast_stmt, scope: Scope) -> None:
        self.eval(stmt.subject, scope)
        start = scope.snapshot()
        outcomes = []
        for index, case in enumerate(stmt.cases):
            ast_case = ast_stmt.cases[index].body if ast_stmt is not None and index < len(ast_stmt.cases) else None
            entry = dict(start)
            for name in _pattern_names(case.pattern):
                entry[name] = TOP
            outcomes.append(self._run_branch(_block_body(case.body), ast_case, scope, entry))
        outcomes.append((dict(start), False))  # no case matched
        self._join_branches(scope, outcomes)

    def _exec_def(self, stmt: cst.FunctionDef, ast_stmt, scope: Scope) -> None:
        scope.bind(stmt.name.value, UserFunction(stmt, scope, ast_stmt))

    def _exec_class(self, stmt: cst.ClassDef, ast_stmt, scope: Scope) -> None:
        scope.bind(stmt.name.value, TOP)  # classes are not modelled

    _COMPOUND = {
        cst.If: _exec_if, cst.For: _exec_for, cst.While: _exec_while, cst.With: _exec_with,
        cst.Try: _exec_try, cst.FunctionDef: _exec_def, cst.ClassDef: _exec_class,
    }
    if hasattr(cst, "TryStar"):
        _COMPOUND[cst.TryStar] = _exec_try
    if hasattr(cst, "Match"):
        _COMPOUND[cst.Match] = _exec_match

    # -- user functions ---------------------------------------------------------
    def call_user_function(self, function: UserFunction, args: list[Value], kwargs: dict[str, Value],
                           caller: Scope | None = None) -> Value:
        """Run the body with the arguments bound; a frame passed in is the caller's object, so the
        body's in-place changes to it (``df["a"].fillna(..., inplace=True)``) are seen by the caller."""
        self.called.add(function)
        if function in self.call_stack or len(self.call_stack) >= MAX_CALL_DEPTH:
            return TOP  # recursion cut / context depth bound
        node = function.node
        local = Scope(function.scope)
        params = node.params
        positional = list(params.posonly_params) + list(params.params)
        for index, param in enumerate(positional):
            name = param.name.value
            if index < len(args):
                local.vars[name] = args[index]
            elif name in kwargs:
                local.vars[name] = kwargs[name]
            elif param.default is not None:
                local.vars[name] = self.eval(param.default, function.scope)
            else:
                local.vars[name] = TOP
        for param in params.kwonly_params:
            name = param.name.value
            local.vars[name] = kwargs.get(name) or (self.eval(param.default, function.scope)
                                                    if param.default is not None else TOP)
        if isinstance(params.star_arg, cst.Param):
            local.vars[params.star_arg.name.value] = Seq(tuple(args[len(positional):]), SeqKind.TUPLE)
        if params.star_kwarg is not None:
            local.vars[params.star_kwarg.name.value] = TOP
        if caller is not None:
            for name, value in list(local.vars.items()):
                if isinstance(value, Data):
                    local.alias(name, value, caller)
        saved = (self.stmt, self.ast_stmt, self.loop_depth, self.caller)
        if not self.call_stack and self.stmt is not None:
            self.caller = Site(self.stmt, self.stmt, self.ast_stmt)
        self.call_stack.append(function)
        self.returns.append([])
        ast_body = function.ast_node.body if isinstance(function.ast_node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
            else None
        try:
            self.exec_block(_block_body(node.body), ast_body, local)
            fell_through = True
        except _Return:
            fell_through = False
        finally:
            self.call_stack.pop()
            values = self.returns.pop()
            self.stmt, self.ast_stmt, self.loop_depth, self.caller = saved
        if fell_through:
            values.append(Const(None))
        result = values[0]
        for value in values[1:]:
            result = join(result, value)
        return result

    # -- assignment -------------------------------------------------------------
    def assign(self, target: cst.BaseExpression, value: Value, scope: Scope, origin: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            scope.forget_alias(target.value)
            scope.bind(target.value, value)
            _remember_name(value, target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            items = self.calls.iterate(value)
            if items is None and isinstance(value, Statistic):   # hist, edges = np.histogram(x): both from x's rows
                items = [value] * len(elements)
            starred = [i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)]
            if items is not None and not starred and len(items) == len(elements):
                for element, item in zip(elements, items):
                    self.assign(element.value, item, scope, origin)
            elif items is not None and len(starred) == 1 and len(items) >= len(elements) - 1:
                star = starred[0]
                tail = len(elements) - star - 1
                for element, item in zip(elements[:star], items[:star]):
                    self.assign(element.value, item, scope, origin)
                self.assign(elements[star].value, Seq(tuple(items[star:len(items) - tail])), scope, origin)
                for element, item in zip(elements[star + 1:], items[len(items) - tail:]):
                    self.assign(element.value, item, scope, origin)
            else:
                for element in elements:
                    self.assign(element.value, TOP, scope, origin)
        elif isinstance(target, cst.Subscript):
            base = self.eval(target.value, scope)
            updated = self.calls.setitem(base, target, value, scope)
            if updated is not None:
                self.rebind(target.value, updated, scope)
        elif isinstance(target, cst.Attribute):
            base = self.eval(target.value, scope)
            updated = self.calls.setattr(base, target.attr.value, value, target)
            if updated is not None:
                self.rebind(target.value, updated, scope)
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, TOP, scope, origin)

    def rebind(self, expr: cst.BaseExpression, value: Value, scope: Scope) -> None:
        """Give a mutated object's new abstract value to the name that holds it."""
        if isinstance(expr, cst.Name):
            scope.mutate(expr.value, value)
        elif isinstance(expr, cst.Attribute) and expr.attr.value in ("loc", "iloc", "at", "iat"):
            self.rebind(expr.value, value, scope)
        elif isinstance(expr, cst.Subscript):
            # df["c"].fillna(..., inplace=True), df.loc[:, "c"].clip(..., inplace=True): the column changes
            self.assign(expr, value, scope, expr)
        elif isinstance(expr, cst.Attribute):
            # df.c.fillna(..., inplace=True): the column the attribute read returned changes
            base = self.eval(expr.value, scope)
            updated = self.calls.set_column_attribute(base, expr.attr.value, value, expr, read=True)
            if updated is not None:
                self.rebind(expr.value, updated, scope)

    def delete(self, target: cst.BaseExpression, scope: Scope) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.delete(element.value, scope)
        elif isinstance(target, cst.Subscript):
            base = self.eval(target.value, scope)
            updated = self.calls.delitem(base, target, scope)
            if updated is not None:
                self.rebind(target.value, updated, scope)
        elif isinstance(target, cst.Name):
            scope.vars.pop(target.value, None)

    # -- expressions ------------------------------------------------------------
    def eval(self, node: cst.BaseExpression, scope: Scope) -> Value:
        handler = EVALUATORS.get(type(node))
        if handler is None:
            return TOP
        budget = self.budget          # Budget.tick, inlined: this is the interpreter's hottest line
        budget.work += 1
        if budget.work >= budget.next_check:
            budget.check()
        try:
            return handler(self, node, scope)
        except TooLarge:   # a literal past its size bound (domains.bounds): the value is unknown
            return TOP

    def eval_args(self, arguments: Sequence[cst.Arg], scope: Scope) -> tuple[list[Value], dict[str, Value]]:
        args: list[Value] = []
        kwargs: dict[str, Value] = {}
        for arg in arguments:
            value = self.eval(arg.value, scope)
            if arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            elif arg.star == "*":
                items = self.calls.iterate(value)
                args.extend(items if items is not None else [TOP])
            elif arg.star == "**":
                if isinstance(value, DictV):
                    for key, item in zip(value.keys, value.values):
                        if isinstance(key, Const) and isinstance(key.value, str):
                            kwargs[key.value] = item
            else:
                args.append(value)
        return args, kwargs

    def slice_value(self, element: cst.BaseSlice, scope: Scope) -> Value:
        if isinstance(element, cst.Index):
            return self.eval(element.value, scope)
        if isinstance(element, cst.Slice):
            parts = tuple(self.eval(p, scope) if p is not None else Const(None)
                          for p in (element.lower, element.upper, element.step))
            return Seq(parts, SeqKind.SLICE)
        return TOP

    def call_lambda(self, function: Lambda, args: list[Value], kwargs: dict[str, Value]) -> Value:
        """Evaluate a lambda's body with its parameters bound (``assign(c=lambda d: d.a / d.b)``)."""
        if len(self.call_stack) >= MAX_CALL_DEPTH:
            return TOP
        self.budget.tick()
        local = Scope(function.scope)
        params = function.node.params
        for index, param in enumerate(list(params.posonly_params) + list(params.params)):
            name = param.name.value
            local.vars[name] = args[index] if index < len(args) else kwargs.get(name, TOP)
        for param in params.kwonly_params:
            local.vars[param.name.value] = kwargs.get(param.name.value, TOP)
        return self.eval(function.node.body, local)



def _target_names(target: cst.BaseExpression) -> list[str]:
    """The plain names a ``for`` target binds (``df``; ``i, df``)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _target_names(element.value)]
    return []


def _remember_name(value: Value, name: str) -> None:
    """Findings name variables: remember which names held a data value or an estimator."""
    if isinstance(value, Data) and value.nodes:
        names = value.nodes[-1].names
        if name not in names:
            names.append(name)
    elif isinstance(value, Estimator) and name not in value.names:
        value.names.append(name)


def _pattern_names(pattern: Any) -> list[str]:
    """Names a ``match`` pattern binds (they become unknown)."""
    names: list[str] = []
    stack = [pattern]
    while stack:
        item = stack.pop()
        if isinstance(item, getattr(cst, "MatchAs", ())) and item.name is not None:
            names.append(item.name.value)
        if isinstance(item, getattr(cst, "MatchStar", ())) and item.name is not None:
            names.append(item.name.value)
        for attr in ("pattern", "patterns", "elements", "kwds", "value", "rest"):
            child = getattr(item, attr, None)
            if isinstance(child, (list, tuple)):
                stack.extend(child)
            elif child is not None and isinstance(child, cst.CSTNode):
                stack.append(child)
    return names


__all__ = ["Interpreter", "Site", "Budget", "BudgetExceeded", "Accessor", "GroupBy", "Estimator"]

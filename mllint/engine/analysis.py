"""``analyze``: the one core contract, text in, plan out.

It never reads the analysed file itself (flake8 and editors hand it unsaved
text) and never raises on bad input: the problem becomes ``Analysis.error``,
one clear line, and the plan is empty.
"""
from __future__ import annotations

import gc
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import libcst as cst

from .config import DEFAULT_CONFIG

from .cell_magics import find_hidden_cells
from .config import Config
from .data_headers import DataReads
from ..domains.values import UserFunction, Value
from ..interpreter.budget import Budget, parse_cost
from ..interpreter.core import Interpreter
from ..plan import Operator, Plan
from .parsing import parse_code
from .positions import PositionIndex
from .source import SourceError
from .source import SourceText
from .source import load_source

#: Files that mention none of these cannot build an ML plan: skip them before parsing.
_ML_MENTION = re.compile(r"\b(pandas|numpy|sklearn|imblearn)\b")


@dataclass
class Analysis:
    """Result of analysing one file: the plan, the final variables, and notes."""

    plan: Plan
    source: SourceText | None
    env: dict[str, Value] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    module: cst.Module | None = None
    data_files: DataReads = field(default_factory=dict)   # data paths looked up -> state (data_headers.State)
    known_columns: dict[str, set[str]] = field(default_factory=dict)       # columns found in use, per source
    positions: PositionIndex | None = None   # the plan's position index: findings reuse its per-statement cache
    work: int = 0                            # budget units spent (deterministic: same input, same count)

    @property
    def ok(self) -> bool:
        return self.error is None


def analyze(source: str | bytes | SourceText, path: str | None = None, config: Config | None = None,
            known_columns: dict[str, set[str]] | None = None) -> Analysis:
    """Build the logical plan of a script or notebook without running it.

    ``known_columns`` (data-source call code -> column names) are columns an earlier
    analysis of the same file found the code reading; the editor passes them back so
    that most edits need a single interpretation pass.

    The cyclic garbage collector is paused for the analysis: a parsed module is a heap of a
    hundred thousand LibCST nodes, and every collection the analysis's own allocations trigger
    would scan all of them again (about 45% of the time on a 4,000-line file).  The analysis
    is bounded by its budget, so what it leaves for the collector is bounded too, and the
    collector runs again, as before, once it returns.
    """
    with _collector_paused():
        return _analyze(source, path, config, known_columns)


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _analyze(source: str | bytes | SourceText, path: str | None, config: Config | None,
             known_columns: dict[str, set[str]] | None) -> Analysis:
    config = config or DEFAULT_CONFIG
    plan = Plan()
    try:
        text = source if isinstance(source, SourceText) else load_source(source, path)
    except SourceError as exc:
        return Analysis(plan, None, error=str(exc))
    if len(text.text) > config.max_bytes:
        return Analysis(plan, text, notes=[f"analysis budget exceeded: file larger than {config.max_bytes} bytes, "
                                           f"not analysed"])
    lines = text.text.count("\n") + 1
    if lines > config.max_lines:
        return Analysis(plan, text, notes=[f"analysis budget exceeded: {lines} lines (more than "
                                           f"{config.max_lines}), not analysed"])
    if not _ML_MENTION.search(text.text):
        return Analysis(plan, text)
    # one budget for the whole file: its clock starts before the parse, whose cost is charged by size
    budget = Budget(seconds=config.max_seconds)
    if not budget.charge_parse(parse_cost(text.text)):   # deterministic, decided before parsing
        return Analysis(plan, text, notes=[f"analysis budget exceeded: {lines} lines would take longer to parse "
                                           f"than the budget allows, not analysed"])
    code = text.text
    # CPython's parser first: it is ~10x cheaper, its messages are the ones people know, and
    # its nesting limits keep pathological input away from LibCST's native parser (which
    # can overflow its stack or take quadratic time on thousands of chained operations).
    parsed = parse_code(code)
    if parsed.error is not None:
        return Analysis(plan, text, error=parsed.error)
    code, module, ast_module = parsed.code, parsed.module, parsed.tree
    lines = code.split("\n")
    positions = PositionIndex(lines, module.default_indent)
    hidden = find_hidden_cells(code, ast_module, positions, budget)   # %%time cells of converted notebooks
    known = {key: set(columns) for key, columns in (known_columns or {}).items()}
    before = budget.work
    plan, interpreter, env = _interpret(module, ast_module, positions, path or text.path, config, budget, known,
                                        hidden)
    first_pass = budget.work - before
    new = {key: columns - known.get(key, set()) for key, columns in interpreter.discovered.items()}
    if any(new.values()) and _has_models(plan) and not interpreter.notes and budget.remaining > first_pass \
            and not budget.check_guard():
        # Columns the code reads from sources of unknown schema exist in those sources: run
        # again with them known, so that `X = df.drop(columns=["id"])` shows it still holds them.
        # The second pass shares the budget; it runs only when what is left fits a pass like the
        # first, and if it is cut all the same, the complete first pass is the result.
        for key, columns in interpreter.discovered.items():
            known.setdefault(key, set()).update(columns)
        second = _interpret(module, ast_module, positions, path or text.path, config, budget, known, hidden)
        if not second[1].notes:
            plan, interpreter, env = second
    for key, columns in interpreter.discovered.items():
        known.setdefault(key, set()).update(columns)
    return Analysis(plan, text, env, [*parsed.notes, *hidden.notes, *interpreter.notes], None, module,
                    dict(interpreter.data_files),
                    known, positions, budget.work)


def _interpret(module, ast_module, positions, path, config, budget, known_columns, hidden):
    plan = Plan()
    interpreter = Interpreter(plan, positions, path=path, config=config, budget=budget, known_columns=known_columns,
                              hidden_cells=hidden)
    env: dict[str, Value] = {}
    try:
        scope = interpreter.run_module(module, ast_module)
        env = dict(scope.vars)
    except RecursionError:
        interpreter.notes.append("analysis stopped: nesting too deep; the rest is treated as unknown")
    except Exception as exc:  # a bug of ours must not take flake8 or the editor down with it
        if os.environ.get("MLLINT_DEBUG"):
            raise
        interpreter.notes.append(f"internal error ({type(exc).__name__}: {exc}); the rest is treated as unknown")
    # break reference cycles (interpreter <-> evaluator, a module's functions <-> their scope) so that
    # a finished analysis is freed by reference counting, not left for the cyclic collector
    interpreter.calls = None
    for value in env.values():
        if isinstance(value, UserFunction):
            value.scope = None
    interpreter.module_scope.vars = {}
    return plan, interpreter, env


def _has_models(plan: Plan) -> bool:
    return any(node.operator is Operator.ESTIMATOR for node in plan.nodes())


__all__ = ["Analysis", "analyze", "Any"]

"""Finding and parsing the ``.pyi`` files of pandas-stubs.

``.pyi`` files cannot be imported, so the stubs are found through
``importlib.metadata`` (the ``files`` of the ``pandas-stubs`` distribution) and
parsed with the stdlib :mod:`ast`, which is several times faster than libcst
for this read-only job.  Each file is reduced to its top-level definitions
(:class:`_Module`) with ``sys.version_info`` / ``sys.platform`` /
``TYPE_CHECKING`` branches evaluated for the running interpreter.
"""
from __future__ import annotations

import ast
import operator
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator, Mapping

from .stubs_names import _TYPEVAR_FACTORIES

_DIST_NAME = "pandas-stubs"


def _stub_files(dist: metadata.Distribution) -> dict[str, Path]:
    """Module name (``pandas.core.frame``) -> ``.pyi`` path, from the distribution's file list."""
    files: dict[str, Path] = {}
    entries = dist.files
    if entries:
        paths = [
            (tuple(f.parts), Path(str(dist.locate_file(f))))
            for f in entries
            if f.parts and f.parts[0] == _DIST_NAME
        ]
    else:  # no RECORD (unusual installers): fall back to the package directory
        root = Path(str(dist.locate_file(_DIST_NAME)))
        found = sorted(root.rglob("*.pyi")) if root.is_dir() else []
        paths = [((_DIST_NAME, *p.relative_to(root).parts), p) for p in found]
    for parts, path in paths:
        if not parts[-1].endswith(".pyi"):
            continue
        rel = list(parts[1:])
        if rel[-1] == "__init__.pyi":
            rel.pop()
        else:
            rel[-1] = rel[-1][: -len(".pyi")]
            if ".".join(["pandas", *rel]) in files:  # a package __init__ wins over a same-named module
                continue
        files[".".join(["pandas", *rel])] = path
    return files


@dataclass(slots=True)
class _TypeVarDef:
    bound: ast.expr | None
    constraints: list[ast.expr]


@dataclass(slots=True)
class _Module:
    """The top-level definitions of one ``.pyi`` file (version branches already taken)."""

    name: str
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # local -> (module, attr|None)
    star_imports: list[str] = field(default_factory=list)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    functions: dict[str, list[ast.FunctionDef]] = field(default_factory=dict)
    aliases: dict[str, ast.expr] = field(default_factory=dict)
    typevars: dict[str, _TypeVarDef] = field(default_factory=dict)
    variables: dict[str, ast.expr] = field(default_factory=dict)  # name -> its type expression


@dataclass(slots=True)
class _Member:
    """A class member: overloads of a method, or an attribute with a type."""

    defs: list[ast.FunctionDef] = field(default_factory=list)
    attr_type: ast.expr | None = None
    is_property: bool = False


_COMPARE = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
    ast.GtE: operator.ge, ast.Eq: operator.eq, ast.NotEq: operator.ne,
}


def _dotted(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        base = _dotted(expr.value)
        return None if base is None else f"{base}.{expr.attr}"
    return None


def _eval_condition(test: ast.expr) -> bool | None:
    """Evaluate the conditions stubs use (``sys.version_info``, ``sys.platform``,
    ``TYPE_CHECKING``) for the running interpreter; None when not understood."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _eval_condition(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        values = [_eval_condition(v) for v in test.values]
        if isinstance(test.op, ast.And):
            return False if False in values else (None if None in values else True)
        return True if True in values else (None if None in values else False)
    name = _dotted(test)
    if name in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
        return True
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _COMPARE:
        left: Any
        if _dotted(test.left) == "sys.version_info":
            left = sys.version_info
        elif _dotted(test.left) == "sys.platform":
            left = sys.platform
        elif isinstance(test.left, ast.Subscript) and _dotted(test.left.value) == "sys.version_info":
            try:  # sys.version_info[0] or sys.version_info[:2]
                index = test.left.slice
                if isinstance(index, ast.Slice):
                    lower, upper = (None if p is None else ast.literal_eval(p) for p in (index.lower, index.upper))
                    left = sys.version_info[lower:upper]
                else:
                    left = sys.version_info[ast.literal_eval(index)]
            except (ValueError, TypeError, IndexError):
                return None
        else:
            return None
        try:
            right = ast.literal_eval(test.comparators[0])
            return bool(_COMPARE[type(test.ops[0])](left, right))
        except (ValueError, TypeError):
            return None
    return None


def _flatten(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements with ``if`` blocks replaced by the branch taken (both if unknown)."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            taken = _eval_condition(stmt.test)
            if taken is not False:
                yield from _flatten(stmt.body)
            if taken is not True:
                yield from _flatten(stmt.orelse)
        else:
            yield stmt


def _parse_module(name: str, path: Path, modules: Mapping[str, Path]) -> _Module:
    tree = ast.parse(path.read_bytes(), filename=str(path))
    mod = _Module(name)
    package = name if path.name == "__init__.pyi" else name.rpartition(".")[0]
    for stmt in _flatten(tree.body):
        if isinstance(stmt, ast.ClassDef):
            mod.classes[stmt.name] = stmt
        elif isinstance(stmt, ast.FunctionDef):
            mod.functions.setdefault(stmt.name, []).append(stmt)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    mod.imports[alias.asname] = (alias.name, None)
                else:
                    top = alias.name.split(".")[0]
                    mod.imports[top] = (top, None)
        elif isinstance(stmt, ast.ImportFrom):
            base = stmt.module or ""
            if stmt.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (stmt.level - 1)]
                base = ".".join(parts + ([stmt.module] if stmt.module else []))
            for alias in stmt.names:
                if alias.name == "*":
                    mod.star_imports.append(base)
                elif f"{base}.{alias.name}" in modules:  # a submodule, not an attribute
                    mod.imports[alias.asname or alias.name] = (f"{base}.{alias.name}", None)
                else:
                    mod.imports[alias.asname or alias.name] = (base, alias.name)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            target = stmt.target.id
            if _dotted(stmt.annotation) in ("TypeAlias", "typing.TypeAlias", "typing_extensions.TypeAlias"):
                if stmt.value is not None:
                    mod.aliases[target] = stmt.value
            elif stmt.value is not None and _typevar_def(stmt.value) is not None:
                mod.typevars[target] = _typevar_def(stmt.value)  # type: ignore[assignment]
            else:
                mod.variables[target] = stmt.annotation
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            target, value = stmt.targets[0].id, stmt.value
            tv = _typevar_def(value)
            if tv is not None:
                mod.typevars[target] = tv
            elif isinstance(value, ast.Call):
                func = (_dotted(value.func) or "").rpartition(".")[2]
                if func == "NewType" and len(value.args) == 2:
                    mod.aliases[target] = value.args[1]
                else:  # ``x = SomeClass()``: a module-level instance
                    mod.variables[target] = value.func
            else:
                mod.aliases[target] = value
        elif type(stmt).__name__ == "TypeAlias":  # ``type X = ...`` (3.12+)
            mod.aliases[stmt.name.id] = stmt.value  # type: ignore[attr-defined]
    return mod


def _typevar_def(value: ast.expr) -> _TypeVarDef | None:
    if not isinstance(value, ast.Call) or (_dotted(value.func) or "").rpartition(".")[2] not in _TYPEVAR_FACTORIES:
        return None
    bound = next((k.value for k in value.keywords if k.arg == "bound"), None)
    return _TypeVarDef(bound, list(value.args[1:]))


def _decorator_names(fn: ast.FunctionDef) -> list[str]:
    names = []
    for dec in fn.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        names.append(_dotted(target) or "")
    return names


def _positional(fn: ast.FunctionDef) -> list[ast.arg]:
    return [*fn.args.posonlyargs, *fn.args.args]


def _inplace_true(fn: ast.FunctionDef) -> bool:
    """Does the overload take ``inplace: Literal[True]``?"""
    for arg in (*_positional(fn), *fn.args.kwonlyargs):
        if arg.arg == "inplace" and isinstance(arg.annotation, ast.Subscript):
            ann = arg.annotation
            if (_dotted(ann.value) or "").endswith("Literal") and isinstance(ann.slice, ast.Constant):
                return ann.slice.value is True
    return False

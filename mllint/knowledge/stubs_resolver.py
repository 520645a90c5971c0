"""Resolving pandas-stubs into the table of result kinds.

Why the resolver works the way it does:

* **Only what is needed is parsed.**  Modules are parsed lazily while names are
  resolved (``DataFrame.drop`` lives on ``NDFrame`` in ``core/generic.pyi``,
  ``read_csv`` is re-exported through ``pandas/__init__.pyi`` -> ``io/api.pyi``
  -> ``io/parsers/__init__.pyi`` -> ``io/parsers/readers.pyi``).
* **All overloads are kept as a set of kinds** so that disagreement
  (``Series.apply`` -> Series or DataFrame) stays visible.
* **Generic classes are followed with their type arguments.**  ``GroupBy.mean``
  returns ``NDFrameT``, which is ``DataFrame`` for ``DataFrameGroupBy`` (declared
  as ``GroupBy[DataFrame]``) and ``Series`` for ``SeriesGroupBy``; overloads
  restricted by their ``self`` annotation (``self: GroupBy[Series]``) are
  dropped for owners they cannot apply to.
"""
from __future__ import annotations

import ast
import gc
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator, Mapping

from .stubs_kinds import KeyKind, MemberInfo, ResultKind, StubsTable
from .stubs_names import (
    _ALIAS_KINDS, _ALL_KEYS, _ANY_NAMES, _CALLABLE_NAMES, _CONTAINERS, _ELEMENT, _GENERIC_GROUPBY,
    _GROUPBY_OF, _HASHABLE_NAMES, _ITERABLE_NAMES, _K, _LIST_PROTOCOLS, _LITERAL_NAMES, _MAX_DEPTH,
    _NEVER_NAMES, _OPTIONAL_NAMES, _ROOT_KINDS, _SELF_NAMES, _SEQUENCE_NAMES, _UNION_NAMES,
    _UNKNOWN_SYM, _WRAPPER_NAMES, _Binding, _Ctx, _Env, _Leaf, _Sym, _external_kinds, _subscript_args,
)
from .stubs_parse import (
    _Member, _Module, _decorator_names, _flatten, _inplace_true, _parse_module, _positional, _stub_files,
)

#: Owner name used by callers -> candidate (module, class) in the stubs, first found wins.
#: ``StringMethods`` and ``DatetimeProperties`` name what ``Series.str`` / ``Series.dt``
#: return for a Series of unknown dtype: the stubs' ``StrDescriptor`` hands out
#: ``SeriesStringMethods`` and ``DtDescriptor`` ``CombinedDatetimelikeProperties``
#: (the generic base classes would leave every return type an unbound TypeVar).
#: The older class names are fallbacks for older pandas-stubs.
OWNER_CLASSES: dict[str, tuple[tuple[str, str], ...]] = {
    "DataFrame": (("pandas.core.frame", "DataFrame"),),
    "Series": (("pandas.core.series", "Series"),),
    "DataFrameGroupBy": (("pandas.core.groupby.generic", "DataFrameGroupBy"),),
    "SeriesGroupBy": (("pandas.core.groupby.generic", "SeriesGroupBy"),),
    "GroupBy": (("pandas.core.groupby.groupby", "GroupBy"),),
    "StringMethods": (
        ("pandas.core.strings.accessor", "SeriesStringMethods"),
        ("pandas.core.strings.accessor", "StringMethods"),
        ("pandas.core.strings", "StringMethods"),
    ),
    "DatetimeProperties": (
        ("pandas.core.indexes.accessors", "CombinedDatetimelikeProperties"),
        ("pandas.core.indexes.accessors", "DatetimeProperties"),
    ),
    "Index": (("pandas.core.indexes.base", "Index"),),
}
#: Owner name for the functions and classes exported by ``import pandas``.
TOP_LEVEL = "pandas"


def _build_table(dist: metadata.Distribution) -> StubsTable:
    """Parse and resolve.  The cyclic GC is paused meanwhile: building ~120 ASTs
    allocates millions of objects and the collections it triggers would double
    the build time while freeing nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_table_unpaused(dist)
    finally:
        if was_enabled:
            gc.enable()


def _build_table_unpaused(dist: metadata.Distribution) -> StubsTable:
    resolver = _Resolver(_stub_files(dist))
    owners: dict[str, Mapping[str, MemberInfo]] = {}
    for owner, candidates in OWNER_CLASSES.items():
        for module, name in candidates:
            sym = resolver.lookup(module, name)
            if sym.kind == "class":
                owners[owner] = resolver.owner_members(sym)
                break
    if resolver.module("pandas") is not None:
        owners[TOP_LEVEL] = resolver.top_level_members()
    return StubsTable(dist.version, owners)


class _Resolver:
    """Lazy module parser and name resolver over the files of pandas-stubs."""

    def __init__(self, files: Mapping[str, Path]) -> None:
        self._files = files
        self._modules: dict[str, _Module | None] = {}
        self._lookups: dict[tuple[str, str], _Sym] = {}
        self._mros: dict[_Sym, list[_Sym]] = {}
        self._envs: dict[_Sym, dict[_Sym, _Env]] = {}
        self._params: dict[_Sym, list[tuple[str, str]]] = {}
        self._members: dict[_Sym, dict[str, _Member]] = {}
        self._class_kinds: dict[_Sym, frozenset[ResultKind]] = {}

    # ---- modules and names

    def module(self, name: str) -> _Module | None:
        if name not in self._modules:
            path = self._files.get(name)
            try:
                self._modules[name] = None if path is None else _parse_module(name, path, self._files)
            except (OSError, SyntaxError, ValueError):
                self._modules[name] = None
        return self._modules[name]

    def lookup(self, module: str, name: str, depth: int = 0) -> _Sym:
        """Resolve ``name`` as seen from ``module`` (following re-exports)."""
        key = (module, name)
        if key in self._lookups:
            return self._lookups[key]
        sym = self._lookup(module, name, depth)
        self._lookups[key] = sym
        return sym

    def _lookup(self, module: str, name: str, depth: int) -> _Sym:
        if depth > _MAX_DEPTH:
            return _UNKNOWN_SYM
        if module not in self._files:
            return _Sym("ext", "", f"{module}.{name}" if module else name)
        mod = self.module(module)
        if mod is None:
            return _UNKNOWN_SYM
        if name in mod.classes:
            return _Sym("class", module, name)
        if name in mod.functions:
            return _Sym("func", module, name)
        if name in mod.typevars:
            return _Sym("typevar", module, name)
        if name in mod.aliases:
            return _Sym("alias", module, name)
        if name in mod.variables:
            return _Sym("var", module, name)
        if name in mod.imports:
            source, attr = mod.imports[name]
            if attr is None:
                return _Sym("module", source, "") if source in self._files else _Sym("ext", "", source)
            if (source, attr) == (module, name):
                return _UNKNOWN_SYM
            return self.lookup(source, attr, depth + 1)
        for star in mod.star_imports:
            sym = self.lookup(star, name, depth + 1)
            if sym.kind not in ("unknown", "ext"):
                return sym
        if f"{module}.{name}" in self._files:
            return _Sym("module", f"{module}.{name}", "")
        return _UNKNOWN_SYM

    def resolve(self, expr: ast.expr, module: str) -> _Sym:
        """Resolve a Name / dotted Attribute of an annotation."""
        if isinstance(expr, ast.Name):
            sym = self.lookup(module, expr.id)
            if sym.kind == "unknown" and module in self._files:
                mod = self.module(module)
                if mod is not None and expr.id not in mod.imports:
                    return _Sym("ext", "", f"builtins.{expr.id}")
            return sym
        if isinstance(expr, ast.Attribute):
            base = self.resolve(expr.value, module)
            if base.kind == "module":
                return self.lookup(base.module, expr.attr)
            if base.kind == "ext":
                return _Sym("ext", "", f"{base.qual}.{expr.attr}")
        return _UNKNOWN_SYM

    # ---- classes

    def class_def(self, sym: _Sym) -> ast.ClassDef | None:
        mod = self.module(sym.module)
        return None if mod is None else mod.classes.get(sym.name)

    def bases(self, sym: _Sym) -> list[tuple[_Sym, tuple[ast.expr, ...]]]:
        node = self.class_def(sym)
        result = []
        for base in node.bases if node is not None else ():
            args: tuple[ast.expr, ...] = ()
            if isinstance(base, ast.Subscript):
                args = _subscript_args(base)
                base = base.value
            result.append((self.resolve(base, sym.module), args))
        return result

    def type_params(self, sym: _Sym) -> list[tuple[str, str]]:
        """TypeVars of a generic class, in the order its subscript binds them."""
        if sym in self._params:
            return self._params[sym]
        self._params[sym] = []  # cycle guard
        bases = self.bases(sym)
        explicit = [args for base, args in bases
                    if base.kind == "ext" and base.name.rpartition(".")[2] in ("Generic", "Protocol") and args]
        candidates = explicit[0] if explicit else tuple(a for _, args in bases for a in args)
        params: list[tuple[str, str]] = []
        for expr in candidates:
            params.extend(p for p in self._typevars_in(expr, sym.module) if p not in params)
        self._params[sym] = params
        return params

    def _typevars_in(self, expr: ast.expr, module: str) -> list[tuple[str, str]]:
        """TypeVars named in ``expr``, in order of first appearance."""
        found: list[tuple[str, str]] = []
        for node in ast.walk(expr):
            if isinstance(node, ast.Name):
                tv = self.resolve(node, module)
                if tv.kind == "typevar" and (tv.module, tv.name) not in found:
                    found.append((tv.module, tv.name))
        return found

    def mro(self, sym: _Sym) -> list[_Sym]:
        """C3 linearization over the classes of the stubs (external bases skipped)."""
        if sym in self._mros:
            return self._mros[sym]
        self._mros[sym] = [sym]  # cycle guard
        bases = [b for b, _ in self.bases(sym) if b.kind == "class"]
        seqs = [list(self.mro(b)) for b in bases] + [list(bases)]
        result = [sym]
        while True:
            seqs = [s for s in seqs if s]
            if not seqs:
                break
            for seq in seqs:
                head = seq[0]
                if not any(head in s[1:] for s in seqs):
                    break
            else:  # inconsistent hierarchy: fall back to depth-first order
                for seq in seqs:
                    result.extend(c for c in seq if c not in result)
                break
            result.append(head)
            for s in seqs:
                if s[0] == head:
                    del s[0]
        self._mros[sym] = result
        return result

    def envs(self, sym: _Sym) -> dict[_Sym, _Env]:
        """TypeVar bindings of every ancestor as seen from ``sym`` (unbound at ``sym``)."""
        if sym not in self._envs:
            self._envs[sym] = self._walk_envs(sym, {})
        return self._envs[sym]

    def _walk_envs(self, sym: _Sym, top: _Env) -> dict[_Sym, _Env]:
        result: dict[_Sym, _Env] = {sym: top}
        todo = [sym]
        while todo:
            cls = todo.pop(0)
            env = result[cls]
            for base, args in self.bases(cls):
                if base.kind != "class" or base in result:
                    continue
                params = self.type_params(base)
                result[base] = {p: _Binding(a, cls.module, env) for p, a in zip(params, args)}
                todo.append(base)
        return result

    def members(self, sym: _Sym) -> dict[str, _Member]:
        """Members defined in the class body itself."""
        if sym in self._members:
            return self._members[sym]
        node = self.class_def(sym)
        members: dict[str, _Member] = {}
        for stmt in _flatten(node.body) if node is not None else ():
            if isinstance(stmt, ast.FunctionDef):
                decorators = _decorator_names(stmt)
                if any(d.endswith((".setter", ".deleter")) for d in decorators):
                    continue
                member = members.get(stmt.name)
                if member is None or member.attr_type is not None:
                    member = members[stmt.name] = _Member()
                member.defs.append(stmt)
                if any(d.rpartition(".")[2] in ("property", "cached_property") for d in decorators):
                    member.is_property = True
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                target, value = stmt.targets[0].id, stmt.value
                if isinstance(value, ast.Name) and value.id in members:  # ``agg = aggregate``
                    members[target] = members[value.id]
                elif isinstance(value, ast.Call):  # ``str = StrDescriptor()``
                    members[target] = _Member(attr_type=value.func, is_property=True)
            elif (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                  and not (stmt.target.id.startswith("__") and stmt.target.id.endswith("__"))):
                members[stmt.target.id] = _Member(attr_type=stmt.annotation, is_property=True)
        self._members[sym] = members
        return members

    # ---- annotations

    def leaves(self, expr: ast.expr | None, ctx: _Ctx, pinned: Mapping[str, Any], depth: int = 0) -> Iterator[_Leaf]:
        """Expand unions, aliases (except ``pinned`` ones) and TypeVars of an annotation."""
        if expr is None or depth > _MAX_DEPTH:
            yield _Leaf("unknown")
            return
        if isinstance(expr, ast.Constant):
            if expr.value is None:
                yield _Leaf("none")
            elif isinstance(expr.value, str):
                try:
                    parsed = ast.parse(expr.value, mode="eval").body
                except SyntaxError:
                    yield _Leaf("unknown")
                    return
                yield from self.leaves(parsed, ctx, pinned, depth + 1)
            else:
                yield _Leaf("unknown")
            return
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            yield from self.leaves(expr.left, ctx, pinned, depth + 1)
            yield from self.leaves(expr.right, ctx, pinned, depth + 1)
            return
        args: tuple[ast.expr, ...] = ()
        if isinstance(expr, ast.Subscript):
            args = _subscript_args(expr)
            expr = expr.value
        sym = self.resolve(expr, ctx.module)
        if sym.kind == "ext":
            qual = sym.qual
            if qual in _UNION_NAMES or qual in _OPTIONAL_NAMES:
                for arg in args:
                    yield from self.leaves(arg, ctx, pinned, depth + 1)
                if qual in _OPTIONAL_NAMES:
                    yield _Leaf("none")
            elif qual in _LITERAL_NAMES:
                yield _Leaf("literal")
            elif qual in _WRAPPER_NAMES and args:
                yield from self.leaves(args[0], ctx, pinned, depth + 1)
            elif qual in _SELF_NAMES:
                yield _Leaf("self")
            elif qual in _NEVER_NAMES:
                yield _Leaf("never")
            elif qual in _ANY_NAMES:
                yield _Leaf("any")
            elif qual == "builtins.None":
                yield _Leaf("none")
            else:
                yield _Leaf("ext", sym, args, ctx)
        elif sym.kind == "class":
            yield _Leaf("class", sym, args, ctx)
        elif sym.kind == "alias":
            if sym.qual in pinned:
                yield _Leaf("alias", sym)
                return
            mod = self.module(sym.module)
            assert mod is not None
            body = mod.aliases[sym.name]
            env: _Env = {}
            if args:  # a generic alias (``ResamplerGroupBy[NDFrameT]``): bind its TypeVars in order
                params = self._typevars_in(body, sym.module)
                env = {p: _Binding(a, ctx.module, ctx.env) for p, a in zip(params, args)}
            yield from self.leaves(body, _Ctx(sym.module, env, ctx.self_kinds), pinned, depth + 1)
        elif sym.kind == "typevar":
            binding = ctx.env.get((sym.module, sym.name))
            if binding is _ELEMENT:
                yield _Leaf("element")
                return
            if binding is not None:
                bound_ctx = _Ctx(binding.module, binding.env, ctx.self_kinds)
                yield from self.leaves(binding.expr, bound_ctx, pinned, depth + 1)
                return
            mod = self.module(sym.module)
            assert mod is not None
            tv = mod.typevars[sym.name]
            inner = _Ctx(sym.module, {}, ctx.self_kinds)
            if tv.constraints:
                for constraint in tv.constraints:
                    yield from self.leaves(constraint, inner, pinned, depth + 1)
            elif tv.bound is not None:
                yield from self.leaves(tv.bound, inner, pinned, depth + 1)
            else:
                yield _Leaf("any")
        else:
            yield _Leaf("unknown")

    def kinds(self, expr: ast.expr | None, ctx: _Ctx) -> frozenset[ResultKind]:
        """Result kinds of a return annotation (empty for ``Never``)."""
        result: set[ResultKind] = set()
        for leaf in self.leaves(expr, ctx, _ALIAS_KINDS):
            tag = leaf.tag
            if tag == "none":
                result.add(_K.NONE)
            elif tag in ("literal", "element"):
                result.add(_K.SCALAR)
            elif tag == "self":
                result |= ctx.self_kinds
            elif tag == "never":
                pass
            elif tag == "alias":
                result |= _ALIAS_KINDS[leaf.sym.qual]
            elif tag == "ext":
                result |= _external_kinds(leaf.sym.qual)
            elif tag == "class":
                result |= self.class_kinds(leaf.sym, leaf.args, leaf.ctx)
            else:  # any, unknown
                result.add(_K.UNKNOWN)
        return frozenset(result)

    def class_kinds(self, sym: _Sym, args: tuple[ast.expr, ...] = (), ctx: _Ctx | None = None) -> frozenset[ResultKind]:
        """Kind of an instance of a stub class (found through its MRO)."""
        if not args and sym in self._class_kinds:
            return self._class_kinds[sym]
        result = self._class_kinds_uncached(sym, args, ctx)
        if not args:
            self._class_kinds[sym] = result
        return result

    def _class_kinds_uncached(self, sym: _Sym, args: tuple[ast.expr, ...], ctx: _Ctx | None) -> frozenset[ResultKind]:
        envs: dict[_Sym, _Env] | None = None
        self_kinds = ctx.self_kinds if ctx is not None else frozenset({_K.UNKNOWN})
        for cls in self.mro(sym):
            root = _ROOT_KINDS.get(cls.qual)
            if root is not None:
                return root
            if cls.qual in _GENERIC_GROUPBY:
                params = self.type_params(cls)
                frame: frozenset[ResultKind] = frozenset()
                if cls == sym and args and ctx is not None:
                    frame = self.kinds(args[0], ctx)
                elif cls != sym and params:
                    if envs is None:  # bind the leaf's own arguments (Resampler[Self]) before walking up
                        top: _Env = {}
                        if args and ctx is not None:
                            top = {p: _Binding(a, ctx.module, ctx.env) for p, a in zip(self.type_params(sym), args)}
                        envs = self._walk_envs(sym, top) if top else self.envs(sym)
                    binding = envs.get(cls, {}).get(params[0])
                    if binding is not None:
                        frame = self.kinds(binding.expr, _Ctx(binding.module, binding.env, self_kinds))
                mapped = frozenset(_GROUPBY_OF[k] for k in frame if k in _GROUPBY_OF)
                return mapped or frozenset(_GROUPBY_OF.values())
            for base, _ in self.bases(cls):
                if base.kind == "ext":
                    ext = _external_kinds(base.qual)
                    if ext & {_K.SCALAR, _K.NDARRAY}:
                        return ext
        return frozenset({_K.OTHER})

    def key_kinds(self, expr: ast.expr | None, ctx: _Ctx) -> frozenset[KeyKind]:
        """Key shapes a ``__getitem__`` key annotation accepts."""
        result: set[KeyKind] = set()
        for leaf in self.leaves(expr, ctx, {}):
            tag = leaf.tag
            if tag in ("literal", "element"):
                result.add(KeyKind.LABEL)
            elif tag == "any":
                result |= _ALL_KEYS
            elif tag == "ext":
                qual = leaf.sym.qual
                if qual == "builtins.object":
                    result |= _ALL_KEYS
                elif qual in _HASHABLE_NAMES or _external_kinds(qual) == {_K.SCALAR}:
                    result.add(KeyKind.LABEL)
                elif qual in _SEQUENCE_NAMES:
                    result.add(KeyKind.LIST)
                elif qual in _ITERABLE_NAMES:
                    result |= {KeyKind.LIST, KeyKind.SERIES, KeyKind.INDEX, KeyKind.ARRAY}
                elif qual == "builtins.slice":
                    result.add(KeyKind.SLICE)
                elif qual in _CALLABLE_NAMES:
                    result.add(KeyKind.CALLABLE)
                elif _external_kinds(qual) == {_K.NDARRAY}:
                    result.add(KeyKind.ARRAY)
            elif tag == "class":
                if leaf.sym.qual in _LIST_PROTOCOLS:
                    result.add(KeyKind.LIST)
                    continue
                kinds = self.class_kinds(leaf.sym)
                if _K.SERIES in kinds:
                    result.add(KeyKind.SERIES)
                if _K.INDEX in kinds:
                    result.add(KeyKind.INDEX)
                if _K.SCALAR in kinds:
                    result.add(KeyKind.LABEL)
        return frozenset(result)

    # ---- members

    def _self_compatible(self, fn: ast.FunctionDef, ctx: _Ctx, owner: _Sym) -> bool:
        """False for overloads whose ``self`` annotation rules the owner out
        (``self: GroupBy[Series]`` on DataFrameGroupBy)."""
        decorators = {d.rpartition(".")[2] for d in _decorator_names(fn)}
        params = _positional(fn)
        if decorators & {"staticmethod", "classmethod"} or not params or params[0].annotation is None:
            return True
        ancestors = self.mro(owner)
        envs = self.envs(owner)
        bare = _Ctx(ctx.module, {}, ctx.self_kinds)
        for leaf in self.leaves(params[0].annotation, bare, {}):
            if leaf.tag != "class":
                return True  # a protocol or anything else we cannot refute
            if leaf.sym not in ancestors:
                continue
            env = envs.get(leaf.sym, {})
            compatible = True
            for param, arg in zip(self.type_params(leaf.sym), leaf.args):
                binding = env.get(param)
                if binding is None:
                    continue
                bound = self.kinds(binding.expr, _Ctx(binding.module, binding.env, ctx.self_kinds))
                wanted = self.kinds(arg, leaf.ctx or bare)
                if bound and wanted and bound <= _CONTAINERS and wanted <= _CONTAINERS and not bound & wanted:
                    compatible = False
            if compatible:
                return True
        return False

    def _element_ctx(self, fn: ast.FunctionDef, ctx: _Ctx) -> _Ctx:
        """Bind the free TypeVars of the ``self`` annotation to :data:`_ELEMENT`."""
        params = _positional(fn)
        if not params or params[0].annotation is None:
            return ctx
        # Only TypeVars *inside* a subscript are elements (``Iterable[SupportsAdd[_T]]``);
        # a bare ``self: _T`` stands for the receiver itself.
        subscripts: list[ast.expr] = [params[0].annotation]
        free: list[tuple[str, str]] = []
        while subscripts:
            node = subscripts.pop()
            if isinstance(node, ast.BinOp):
                subscripts += [node.left, node.right]
            elif isinstance(node, ast.Subscript):
                free += [tv for tv in self._typevars_in(node.slice, ctx.module) if tv not in ctx.env]
        if not free:
            return ctx
        return _Ctx(ctx.module, {**ctx.env, **{tv: _ELEMENT for tv in free}}, ctx.self_kinds)

    def member_info(self, member: _Member, ctx: _Ctx, owner: _Sym | None, name: str) -> MemberInfo:
        if member.attr_type is not None:
            return MemberInfo(self.kinds(member.attr_type, ctx) or frozenset({_K.UNKNOWN}), is_property=True)
        kinds: set[ResultKind] = set()
        inplace: set[ResultKind] = set()
        by_key: dict[KeyKind, frozenset[ResultKind]] = {}
        elementwise = owner is not None and ctx.self_kinds <= {_K.SERIES, _K.INDEX}
        for fn in member.defs:
            if owner is not None and not self._self_compatible(fn, ctx, owner):
                continue
            fn_ctx = self._element_ctx(fn, ctx) if elementwise else ctx
            returned = self.kinds(fn.returns, fn_ctx) if fn.returns is not None else frozenset({_K.UNKNOWN})
            if not returned:  # ``-> Never``: the overload only exists to reject a call
                continue
            (inplace if _inplace_true(fn) else kinds).update(returned)
            if name == "__getitem__":
                params = _positional(fn)
                if len(params) > 1:
                    for key in self.key_kinds(params[1].annotation, fn_ctx):
                        by_key.setdefault(key, returned)  # the first matching overload wins
        final = frozenset(kinds) or frozenset(inplace) or frozenset({_K.UNKNOWN})
        getitem = tuple(sorted(by_key.items(), key=lambda item: list(KeyKind).index(item[0])))
        return MemberInfo(final, frozenset(inplace), member.is_property, getitem)

    def owner_members(self, owner: _Sym) -> dict[str, MemberInfo]:
        """All members of ``owner`` including inherited ones (first in MRO wins)."""
        self_kinds = self.class_kinds(owner)
        envs = self.envs(owner)
        result: dict[str, MemberInfo] = {}
        for cls in self.mro(owner):
            ctx = _Ctx(cls.module, envs.get(cls, {}), self_kinds)
            for name, member in self.members(cls).items():
                if name.startswith("_") and not name.endswith("__"):
                    continue  # stub-only helpers such as ``_proto_add``
                if name not in result:
                    result[name] = self.member_info(member, ctx, owner, name)
        return result

    def top_level_members(self) -> dict[str, MemberInfo]:
        """Public names of ``import pandas``: functions by return type, classes by instance kind."""
        mod = self.module("pandas")
        assert mod is not None
        names = set(mod.imports) | set(mod.functions) | set(mod.classes) | set(mod.variables)
        result: dict[str, MemberInfo] = {}
        for name in sorted(names):
            if name.startswith("_"):
                continue
            sym = self.lookup("pandas", name)
            ctx = _Ctx(sym.module, {}, frozenset({_K.UNKNOWN}))
            if sym.kind == "func":
                defining = self.module(sym.module)
                assert defining is not None
                result[name] = self.member_info(_Member(defs=defining.functions[sym.name]), ctx, None, name)
            elif sym.kind == "class":
                result[name] = MemberInfo(self.class_kinds(sym))
            elif sym.kind == "var":
                defining = self.module(sym.module)
                assert defining is not None
                result[name] = MemberInfo(self.kinds(defining.variables[sym.name], ctx) or frozenset({_K.UNKNOWN}))
        return result

"""Result types of pandas methods, derived from the installed pandas-stubs.

The interpreter has to know what ``df.dropna()`` or ``pd.read_csv(...)`` returns
(a DataFrame? a Series? ``None`` because of ``inplace=True``?) without running
pandas.  Hand-written tables rot with every pandas release, so the answer is read
from pandas-stubs, the typing project that tracks pandas' API closely.

Why this module looks the way it does:

* **No import of pandas or of the stubs.**  pandas is not a dependency (the code
  under analysis may not even be importable), and ``.pyi`` files cannot be
  imported anyway.  The stubs are found through ``importlib.metadata`` (the
  ``files`` of the ``pandas-stubs`` distribution) and parsed with the stdlib
  :mod:`ast`, which is several times faster than libcst for this read-only job.
* **Only what is needed is parsed.**  Modules are parsed lazily while names are
  resolved (``DataFrame.drop`` lives on ``NDFrame`` in ``core/generic.pyi``,
  ``read_csv`` is re-exported through ``pandas/__init__.pyi`` -> ``io/api.pyi``
  -> ``io/parsers/__init__.pyi`` -> ``io/parsers/readers.pyi``).
* **Types are reduced to a handful of kinds** (:class:`ResultKind`).  The
  analyzer needs "a table", "a column", "a groupby", "an array", not the full
  type; all overloads are kept as a *set* of kinds so that disagreement
  (``Series.apply`` -> Series or DataFrame) stays visible.
* **Generic classes are followed with their type arguments.**  ``GroupBy.mean``
  returns ``NDFrameT``, which is ``DataFrame`` for ``DataFrameGroupBy`` (declared
  as ``GroupBy[DataFrame]``) and ``Series`` for ``SeriesGroupBy``; overloads
  restricted by their ``self`` annotation (``self: GroupBy[Series]``) are
  dropped for owners they cannot apply to.
* **Cached twice.**  The table is stored as JSON in the user cache directory,
  keyed by the pandas-stubs version, the Python version (``sys.version_info``
  branches in the stubs are evaluated for the running interpreter) and a
  fingerprint of this file; and kept in memory per process.

If pandas-stubs is not installed every query answers ``None`` / ``False`` and
callers treat results as unknown.
"""
from __future__ import annotations

import ast
import enum
import functools
import gc
import hashlib
import json
import operator
import os
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator, Mapping, NamedTuple


class ResultKind(enum.Enum):
    """What a pandas call returns, coarsened to what the analyzer distinguishes."""

    DATAFRAME = "DataFrame"
    SERIES = "Series"
    GROUPBY_FRAME = "DataFrameGroupBy"
    GROUPBY_SERIES = "SeriesGroupBy"
    NDARRAY = "ndarray"
    INDEX = "Index"
    SCALAR = "scalar"
    NONE = "None"
    OTHER = "other"  # a known type that is none of the above (tuple, Styler, TextFileReader, ...)
    UNKNOWN = "unknown"  # Any, an unbound TypeVar, a missing annotation


class KeyKind(enum.Enum):
    """The shape of a subscript key, for ``__getitem__`` (``df[key]``)."""

    LABEL = "label"  # a single label: df["a"], s[0]
    LIST = "list"  # a list of labels or booleans: df[["a", "b"]]
    SERIES = "Series"  # a Series, typically a boolean mask: df[df.a > 0]
    INDEX = "Index"  # an Index: df[df.columns[:3]]
    ARRAY = "ndarray"  # a numpy array of positions or booleans
    SLICE = "slice"  # df[1:3]
    CALLABLE = "callable"  # s[lambda s: s > 0]


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """What the stubs say about one method, property or top-level function.

    ``kinds`` is the union over all overloads that a call *without*
    ``inplace=True`` can pick; the overloads with ``inplace: Literal[True]`` are
    kept apart in ``inplace_kinds`` because they usually return ``None`` and
    mutate the receiver.  ``getitem`` maps key shapes to the kinds of the first
    ``__getitem__`` overload accepting them (overload resolution is ordered).
    """

    kinds: frozenset[ResultKind]
    inplace_kinds: frozenset[ResultKind] = frozenset()
    is_property: bool = False
    getitem: tuple[tuple[KeyKind, frozenset[ResultKind]], ...] = ()

    @property
    def has_inplace(self) -> bool:
        return ResultKind.NONE in self.inplace_kinds

    def getitem_kinds(self, key: KeyKind) -> frozenset[ResultKind] | None:
        for kind, result in self.getitem:
            if kind is key:
                return result
        return None

    def to_json(self) -> list[Any]:
        return [
            sorted(k.name for k in self.kinds),
            sorted(k.name for k in self.inplace_kinds),
            self.is_property,
            [[key.name, sorted(k.name for k in kinds)] for key, kinds in self.getitem],
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> "MemberInfo":
        kinds, inplace, is_property, getitem = data
        return cls(
            frozenset(ResultKind[k] for k in kinds),
            frozenset(ResultKind[k] for k in inplace),
            bool(is_property),
            tuple((KeyKind[key], frozenset(ResultKind[k] for k in ks)) for key, ks in getitem),
        )


@dataclass(frozen=True, slots=True)
class StubsTable:
    """The whole derived table: owner name -> member name -> :class:`MemberInfo`."""

    version: str | None
    owners: Mapping[str, Mapping[str, MemberInfo]] = field(default_factory=dict)

    def lookup(self, owner: str, member: str) -> MemberInfo | None:
        members = self.owners.get(owner)
        return None if members is None else members.get(member)


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

_K = ResultKind
_CONTAINERS = frozenset({_K.DATAFRAME, _K.SERIES, _K.GROUPBY_FRAME, _K.GROUPBY_SERIES, _K.INDEX, _K.NDARRAY})
_ALL_KEYS = frozenset(KeyKind)

#: Classes of the stubs whose instances have a fixed kind; subclasses inherit it
#: (DatetimeIndex -> INDEX).  pandas' own scalar types are listed because most
#: of them do not derive from a Python scalar type.
_ROOT_KINDS: dict[str, frozenset[ResultKind]] = {
    "pandas.core.frame.DataFrame": frozenset({_K.DATAFRAME}),
    "pandas.core.series.Series": frozenset({_K.SERIES}),
    "pandas.core.groupby.generic.DataFrameGroupBy": frozenset({_K.GROUPBY_FRAME}),
    "pandas.core.groupby.generic.SeriesGroupBy": frozenset({_K.GROUPBY_SERIES}),
    "pandas.core.indexes.base.Index": frozenset({_K.INDEX}),
    # The common base of DataFrame and Series (bound of NDFrameT).
    "pandas.core.generic.NDFrame": frozenset({_K.DATAFRAME, _K.SERIES}),
    "pandas._libs.tslibs.timestamps.Timestamp": frozenset({_K.SCALAR}),
    "pandas._libs.tslibs.timedeltas.Timedelta": frozenset({_K.SCALAR}),
    "pandas._libs.tslibs.period.Period": frozenset({_K.SCALAR}),
    "pandas._libs.interval.Interval": frozenset({_K.SCALAR}),
    "pandas._libs.missing.NAType": frozenset({_K.SCALAR}),
    "pandas._libs.tslibs.nattype.NaTType": frozenset({_K.SCALAR}),
}
#: Generic groupby bases: the kind depends on the type argument (GroupBy[DataFrame]).
_GENERIC_GROUPBY = frozenset({"pandas.core.groupby.groupby.GroupBy", "pandas.core.groupby.groupby.BaseGroupBy"})
_GROUPBY_OF = {_K.DATAFRAME: _K.GROUPBY_FRAME, _K.SERIES: _K.GROUPBY_SERIES}

#: Alias names of the stubs that are *not* expanded, with the kinds they stand for.
#: Everything else is expanded structurally (``np_ndarray_bool`` -> ``np.ndarray[...]``
#: -> NDARRAY, ``ScalarOrNA`` -> SCALAR | NONE, ``ArrayLike`` -> OTHER | NDARRAY).
_ALIAS_KINDS: dict[str, frozenset[ResultKind]] = {
    # The element type of a Series (bound of S1/S2, so ``Series.__getitem__(int)``,
    # ``Series.mean``).  Literal expansion would add OTHER for the dtype objects
    # and ``list[str]`` it also admits to *describe* a Series' typing; at runtime
    # the element is a scalar.
    "pandas._typing.SeriesDType": frozenset({_K.SCALAR}),
    "pandas._typing.SeriesDTypeNoDateTime": frozenset({_K.SCALAR}),
    "pandas._typing.SeriesDTypeNoStrDateTime": frozenset({_K.SCALAR}),
    # Scalar and its parts expand to SCALAR anyway; pinned so that a change in
    # their definition (they list numpy scalar classes) cannot leak OTHER.
    "pandas._typing.Scalar": frozenset({_K.SCALAR}),
    "pandas._typing.PythonScalar": frozenset({_K.SCALAR}),
    "pandas._typing.PandasScalar": frozenset({_K.SCALAR}),
}

#: Names outside the stubs (builtins, stdlib, numpy) with a kind other than OTHER.
_EXTERNAL_KINDS: dict[str, frozenset[ResultKind]] = {
    **{f"builtins.{n}": frozenset({_K.SCALAR}) for n in ("int", "float", "complex", "bool", "str", "bytes")},
    **{f"datetime.{n}": frozenset({_K.SCALAR}) for n in ("date", "datetime", "time", "timedelta")},
    "decimal.Decimal": frozenset({_K.SCALAR}),
    "fractions.Fraction": frozenset({_K.SCALAR}),
    "numpy.ndarray": frozenset({_K.NDARRAY}),
    "numpy.matrix": frozenset({_K.NDARRAY}),
    "numpy.recarray": frozenset({_K.NDARRAY}),
    "numpy.memmap": frozenset({_K.NDARRAY}),
    "numpy.typing.NDArray": frozenset({_K.NDARRAY}),
    "numpy._typing.NDArray": frozenset({_K.NDARRAY}),
    "types.NoneType": frozenset({_K.NONE}),
    # Returned Hashables are index labels (``idxmax``, ``Series.name``): scalars in practice.
    "typing.Hashable": frozenset({_K.SCALAR}),
    "collections.abc.Hashable": frozenset({_K.SCALAR}),
    "builtins.object": frozenset({_K.UNKNOWN}),
}
#: numpy scalar classes (``numpy.<name>``), SCALAR.
_NUMPY_SCALARS = frozenset(
    "generic number integer signedinteger unsignedinteger inexact floating complexfloating "
    "bool bool_ int_ uint intp uintp int8 int16 int32 int64 uint8 uint16 uint32 uint64 "
    "byte ubyte short ushort intc uintc long ulong longlong ulonglong half single double "
    "longdouble float16 float32 float64 float96 float128 csingle cdouble clongdouble "
    "complex64 complex128 complex192 complex256 datetime64 timedelta64 str_ bytes_ "
    "object_ void character flexible".split()
)
#: Key-shape acceptance of names outside the stubs (for ``__getitem__`` keys).
_SEQUENCE_NAMES = frozenset(
    f"{m}.{n}" for m in ("typing", "collections.abc") for n in ("Sequence", "MutableSequence")
) | {"builtins.list", "typing.List"}
_ITERABLE_NAMES = frozenset(
    f"{m}.{n}" for m in ("typing", "collections.abc") for n in ("Iterable", "Collection", "Container", "Reversible")
)
#: Protocols of the stubs that a plain list satisfies.
_LIST_PROTOCOLS = frozenset({"pandas._typing.SequenceNotStr", "pandas._typing.CovariantList"})

_UNION_NAMES = frozenset({"typing.Union", "typing_extensions.Union"})
_OPTIONAL_NAMES = frozenset({"typing.Optional", "typing_extensions.Optional"})
_LITERAL_NAMES = frozenset({"typing.Literal", "typing_extensions.Literal"})
_WRAPPER_NAMES = frozenset(
    f"{m}.{n}"
    for m in ("typing", "typing_extensions")
    for n in ("Annotated", "ClassVar", "Final", "Required", "NotRequired", "ReadOnly")
)
_SELF_NAMES = frozenset({"typing.Self", "typing_extensions.Self"})
_NEVER_NAMES = frozenset({"typing.Never", "typing.NoReturn", "typing_extensions.Never", "typing_extensions.NoReturn"})
_ANY_NAMES = frozenset({"typing.Any", "typing_extensions.Any"})
_CALLABLE_NAMES = frozenset({"typing.Callable", "collections.abc.Callable"})
_HASHABLE_NAMES = frozenset({"typing.Hashable", "collections.abc.Hashable"})
_TYPEVAR_FACTORIES = frozenset({"TypeVar", "ParamSpec", "TypeVarTuple"})

#: Bump when the JSON layout changes (the source fingerprint covers logic changes).
_SCHEMA = 1
_DIST_NAME = "pandas-stubs"
_MAX_DEPTH = 40


# --------------------------------------------------------------------------- public API


@functools.cache
def table() -> StubsTable:
    """The table for the installed pandas-stubs, from memory, disk cache or a fresh build."""
    dist = _distribution()
    if dist is None:
        return StubsTable(None, {})
    version = dist.version
    path = _cache_file(version)
    if path is not None:
        cached = _read_cache(path, version)
        if cached is not None:
            return cached
    built = _build_table(dist)
    if path is not None:
        _write_cache(path, built)
    return built


def result_kinds(owner: str, method: str) -> frozenset[ResultKind] | None:
    """Possible result kinds of ``owner.method(...)`` called without ``inplace=True``.

    ``owner`` is one of :data:`OWNER_CLASSES` or ``"pandas"`` (top-level functions
    and classes; a class gives the kind of its instances).  ``None`` means the
    stubs do not know the member (or are not installed): treat the result as unknown.
    """
    info = table().lookup(owner, method)
    return None if info is None else info.kinds


def has_inplace(owner: str, method: str) -> bool:
    """True if the stubs have an ``inplace: Literal[True]`` overload returning None."""
    info = table().lookup(owner, method)
    return info is not None and info.has_inplace


def getitem_kinds(owner: str, key: KeyKind) -> frozenset[ResultKind] | None:
    """Result kinds of ``obj[key]`` for an ``owner`` instance and a key of shape ``key``."""
    info = table().lookup(owner, "__getitem__")
    return None if info is None else info.getitem_kinds(key)


def member_info(owner: str, name: str) -> MemberInfo | None:
    """Everything recorded for ``owner.name`` (kinds, inplace kinds, property flag, keys)."""
    return table().lookup(owner, name)


def stubs_version() -> str | None:
    """Version of the installed pandas-stubs, None when it is not installed."""
    return table().version


def build_table() -> StubsTable:
    """Build the table from the stubs, bypassing both caches (tests, benchmarks)."""
    dist = _distribution()
    return StubsTable(None, {}) if dist is None else _build_table(dist)


# --------------------------------------------------------------------------- distribution and disk cache


def _distribution() -> metadata.Distribution | None:
    try:
        return metadata.distribution(_DIST_NAME)
    except metadata.PackageNotFoundError:
        return None


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


def _cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "mllint"
    try:
        return Path.home() / ".cache" / "mllint"
    except RuntimeError:  # no home directory
        return None


@functools.cache
def _fingerprint() -> str:
    """Short hash of this file so that a changed derivation invalidates old caches."""
    try:
        return hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]
    except OSError:
        return f"s{_SCHEMA}"


def _cache_file(version: str) -> Path | None:
    directory = _cache_dir()
    if directory is None:
        return None
    safe = "".join(c if c.isalnum() or c in ".-_" else "_" for c in version)
    py = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return directory / f"pandas-stubs-{safe}-{py}-{_fingerprint()}.json"


def _read_cache(path: Path, version: str) -> StubsTable | None:
    try:
        data = json.loads(path.read_bytes())
        if data.get("schema") != _SCHEMA or data.get("version") != version:
            return None
        owners = {
            owner: {name: MemberInfo.from_json(raw) for name, raw in members.items()}
            for owner, members in data["owners"].items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return StubsTable(version, owners)


def _write_cache(path: Path, built: StubsTable) -> None:
    """Write atomically (temp file + rename); an unwritable cache is silently skipped."""
    data = {
        "schema": _SCHEMA,
        "version": built.version,
        "owners": {o: {n: i.to_json() for n, i in sorted(m.items())} for o, m in built.owners.items()},
    }
    import tempfile  # only needed on a cache miss

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".pandas-stubs-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


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


# --------------------------------------------------------------------------- parsing


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


# --------------------------------------------------------------------------- resolution


class _Sym(NamedTuple):
    """A resolved name.  kind: class, func, alias, typevar, var, module, ext, unknown.

    ``ext`` names live outside the stubs (builtins, typing, numpy); their
    qualified name is ``name`` and ``module`` is empty.
    """

    kind: str
    module: str
    name: str

    @property
    def qual(self) -> str:
        return f"{self.module}.{self.name}" if self.module else self.name


_UNKNOWN_SYM = _Sym("unknown", "", "")


@dataclass(eq=False, slots=True)
class _Binding:
    """A type argument bound to a TypeVar, with the scope it was written in."""

    expr: ast.expr
    module: str
    env: Mapping[tuple[str, str], "_Binding"]


_Env = Mapping[tuple[str, str], _Binding]

#: Binding for a TypeVar that is solved only from the ``self`` annotation of a
#: Series/Index method (``def sum(self: Iterable[SupportsSelfAdd[_T]]) -> _T``):
#: it stands for an element of the receiver, i.e. a scalar.
_ELEMENT = _Binding(ast.Constant(value=None), "", {})


@dataclass(frozen=True, eq=False, slots=True)
class _Ctx:
    """Where an annotation is evaluated: its module, TypeVar bindings, and what ``Self`` is."""

    module: str
    env: _Env
    self_kinds: frozenset[ResultKind]


class _Leaf(NamedTuple):
    """One member of an annotation after unions, aliases and TypeVars are expanded.

    tag: class | ext | none | literal | element | self | never | any | alias (pinned) | unknown
    """

    tag: str
    sym: _Sym = _UNKNOWN_SYM
    args: tuple[ast.expr, ...] = ()
    ctx: _Ctx | None = None


def _subscript_args(node: ast.Subscript) -> tuple[ast.expr, ...]:
    return tuple(node.slice.elts) if isinstance(node.slice, ast.Tuple) else (node.slice,)


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


def _external_kinds(qual: str) -> frozenset[ResultKind]:
    kinds = _EXTERNAL_KINDS.get(qual)
    if kinds is not None:
        return kinds
    module, _, name = qual.rpartition(".")
    if module == "numpy" and name in _NUMPY_SCALARS:
        return frozenset({_K.SCALAR})
    return frozenset({_K.OTHER})

"""Fixed meanings the resolver gives names, and the value types it resolves into.

Types in the stubs are reduced to a handful of kinds (:class:`ResultKind`):
these tables say which classes of the stubs are roots of a kind (subclasses
inherit it), which aliases are *not* expanded, what the names outside the stubs
(builtins, stdlib, numpy, ``typing`` special forms) stand for, and the small
immutable records (:class:`_Sym`, :class:`_Ctx`, :class:`_Leaf`) that resolution
passes around.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Mapping, NamedTuple

from .stubs_kinds import KeyKind, ResultKind

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

#: Recursion guard for alias, re-export and TypeVar chains of the stubs.
_MAX_DEPTH = 40


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


def _external_kinds(qual: str) -> frozenset[ResultKind]:
    kinds = _EXTERNAL_KINDS.get(qual)
    if kinds is not None:
        return kinds
    module, _, name = qual.rpartition(".")
    if module == "numpy" and name in _NUMPY_SCALARS:
        return frozenset({_K.SCALAR})
    return frozenset({_K.OTHER})

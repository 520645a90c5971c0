"""Abstract values: what a variable may hold while the interpreter runs.

Everything the interpreter does not model is :data:`TOP` ("unknown").  Data
values (DataFrame / Series / ndarray) point at the plan nodes that produced them
and carry a schema and a row provenance.  Estimators are the one *mutable*
value, because ``model.fit(...)`` changes the object every alias refers to.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .bounds import DEDUP_STATS, MAX_ITEMS, MAX_NODES, MAX_STATS
from .provenance import Provenance, join_provenance
from .schema import Schema, UNKNOWN_SCHEMA

if TYPE_CHECKING:  # pragma: no cover
    import libcst as cst

    from ..knowledge.sklearn_api import EstimatorInfo
    from ..plan import PlanNode


class DataKind(enum.Enum):
    """What a :class:`Data` value is at run time."""

    FRAME = "DataFrame"
    SERIES = "Series"
    ARRAY = "ndarray"


class SeqKind(enum.Enum):
    """The Python container a literal :class:`Seq` stands for (a slice ``a:b:c`` is one too)."""

    LIST = "list"
    TUPLE = "tuple"
    SET = "set"
    SLICE = "slice"


class Value:
    """Base class of abstract values."""

    __slots__ = ()


class _Top(Value):
    __slots__ = ()

    def __repr__(self) -> str:
        return "TOP"


TOP = _Top()


class TooLarge(Exception):
    """A literal value would exceed its size bound: whoever builds it gets :data:`TOP` instead.

    ``Interpreter.eval`` turns it into TOP, so no oversized value ever exists.
    """


def size_of(value: "Value") -> int:
    """Elements of a value, nested literal elements counted (what a traversal of it costs)."""
    return value.size if isinstance(value, (Seq, DictV)) else 1


def _weight(item: "Value") -> int:
    """What an element adds to its container's size beyond itself: nested elements, and long
    strings by the hundred characters (so that rendering a literal stays bounded too)."""
    if isinstance(item, (Seq, DictV)):
        return item.size
    if type(item) is Const and isinstance(item.value, (str, bytes)):
        return len(item.value) // 100
    return 0


@dataclass(frozen=True, slots=True)
class Const(Value):
    """A literal we know exactly: str, int, float, bool, None, bytes."""

    value: Any


@dataclass(frozen=True, slots=True)
class Seq(Value):
    """A list / tuple / set literal whose elements are values."""

    items: tuple[Value, ...]
    kind: SeqKind = SeqKind.LIST
    size: int = field(default=0, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        size = len(self.items) + 1
        for item in self.items:
            kind = type(item)
            if kind is Seq or kind is DictV:
                size += item.size
            elif kind is Const and type(item.value) is str:
                size += len(item.value) // 100
        if size > MAX_ITEMS:
            raise TooLarge()
        object.__setattr__(self, "size", size)

    def constants(self) -> list[Any] | None:
        """Python values of the items when all are constants, else None."""
        out = []
        for item in self.items:
            if isinstance(item, Const):
                out.append(item.value)
            elif isinstance(item, Seq):
                inner = item.constants()
                if inner is None:
                    return None
                out.append(tuple(inner) if item.kind is SeqKind.TUPLE else inner)
            else:
                return None
        return out


@dataclass(frozen=True, slots=True)
class DictV(Value):
    keys: tuple[Value, ...]
    values: tuple[Value, ...]
    size: int = field(default=0, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        size = len(self.keys) + len(self.values) + 1
        for item in self.keys + self.values:
            size += _weight(item)
        if size > MAX_ITEMS:
            raise TooLarge()
        object.__setattr__(self, "size", size)

    def get(self, key: Any) -> Value | None:
        for k, v in zip(self.keys, self.values):
            if isinstance(k, Const) and k.value == key:
                return v
        return None


@dataclass(frozen=True, slots=True)
class Ref(Value):
    """A resolved import name: module, class or function, e.g. ``pandas.read_csv``."""

    qualname: str


@dataclass(frozen=True, slots=True)
class Data(Value):
    """A DataFrame, Series or ndarray (``kind``).

    ``nodes`` are the plan nodes that produced the value (several after a
    control-flow join).  ``reads`` are the columns an expression read (what a
    boolean mask's condition looked at); ``stats`` records statistics folded
    into the values (for leakage rules), as ``(node-or-None, provenance)``.
    """

    kind: DataKind
    nodes: tuple["PlanNode", ...]
    schema: Schema = UNKNOWN_SCHEMA
    prov: Provenance | None = None
    name: str | None = None
    reads: frozenset[str] = frozenset()
    is_mask: bool = False
    stats: tuple["Statistic", ...] = ()

    def __post_init__(self) -> None:
        if len(self.stats) > DEDUP_STATS or len(self.nodes) > MAX_NODES:
            self._bound()

    def _bound(self) -> None:
        """Bounded by construction: statistics are a set (a merge whose right side derives from
        its left must not double them; repeats below DEDUP_STATS are harmless), at most MAX_STATS
        of them, at most MAX_NODES nodes.

        Past MAX_STATS the rows become unknown: rules compare the statistics of fit and
        evaluation features, and an incomplete list must not look like a missing transform.
        """
        stats = tuple(dict.fromkeys(self.stats))
        if len(stats) > MAX_STATS:
            stats = stats[:MAX_STATS]
            object.__setattr__(self, "prov", None)
        object.__setattr__(self, "stats", stats)
        if len(self.nodes) > MAX_NODES:
            object.__setattr__(self, "nodes", self.nodes[-MAX_NODES:])

    @property
    def node(self) -> "PlanNode | None":
        return self.nodes[-1] if self.nodes else None


class StatisticKind(enum.Enum):
    """What a :class:`Statistic` folded into data stands for."""

    COMPUTED = "computed"         # a number over rows: mean, std, a fitted transformer's parameters, a score
    ENCODING = "encoding"         # get_dummies' categories: the columns it creates depend on the rows
    SELECTION = "selection"       # the columns a fitted feature selector kept (get_support): chosen by its rows


@dataclass(frozen=True, slots=True, eq=False)
class Statistic(Value):
    """A number computed over rows (mean, std, quantile...): remembers the rows it saw.

    ``what`` is for messages; ``kind`` is what rules and transfer functions test.
    """

    what: str
    prov: Provenance | None
    reads: frozenset[str]
    origin: "Any" = None      # the plan node or Site where it was computed
    estimator: "Any" = None   # the fitted estimator whose transform applied it, if any
    learned: bool = True      # False for markers of stateless steps (FunctionTransformer, get_dummies)
    kind: StatisticKind = StatisticKind.COMPUTED
    #: a category-only fit (LabelEncoder, OneHotEncoder): not a leak of values before a split
    #: (``learned`` is False), but re-fit on test rows it can code the same category differently
    categories: bool = False


@dataclass(frozen=True, slots=True)
class GroupBy(Value):
    data: Data
    keys: tuple[str, ...]
    selected: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Accessor(Value):
    """``df.loc`` / ``df.iloc`` / ``s.str`` / ``s.dt``: methods resolve against it."""

    data: Data
    kind: str


@dataclass(frozen=True, slots=True, eq=False)
class Lambda(Value):
    """A lambda with its defining scope: called, its body is evaluated with the arguments bound."""

    node: "cst.Lambda"
    scope: Any = None


@dataclass(eq=False, slots=True)
class Estimator(Value):
    """An scikit-learn (or imbalanced-learn) estimator instance.

    ``steps`` holds the ``(name, estimator)`` steps of a Pipeline or the parts of
    a FeatureUnion; ``branches`` the ``(name, estimator | 'drop' | 'passthrough',
    columns)`` of a ColumnTransformer.  ``fits`` records every fit: the
    provenance of the rows seen and the plan node of the fit.
    """

    qualname: str
    info: "EstimatorInfo | None"
    params: dict[str, Value]
    site: Any                     # a span thunk for the constructor call
    steps: list[tuple[str, "Estimator | Value"]] = field(default_factory=list)
    branches: list[tuple[str, "Estimator | Value", Value]] = field(default_factory=list)
    remainder: "Estimator | Value | None" = None
    fits: list[tuple[Provenance | None, "PlanNode | None"]] = field(default_factory=list)
    fit_schema: Schema | None = None
    estimator_node: "PlanNode | None" = None
    names: list[str] = field(default_factory=list)
    #: a meta-estimator's fitted copy of the estimator it holds (scikit-learn fits clones:
    #: ``search.best_estimator_``, ``rfe.estimator_``); the held one stays unfitted
    fitted_inner: "Estimator | None" = None

    @property
    def class_name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self.info.kinds) if self.info is not None else frozenset()

    @property
    def fitted(self) -> bool:
        return bool(self.fits)


@dataclass(eq=False, slots=True)
class UserFunction(Value):
    """A ``def`` of the analysed code, analysed again at every call site."""

    node: "cst.FunctionDef"
    scope: Any          # the defining scope (closures and globals)
    ast_node: Any       # the aligned stdlib-ast FunctionDef (for positions)


@dataclass(frozen=True, slots=True)
class FoldIndex(Value):
    """Row indices of one side of a cross-validation fold (``for tr, te in kf.split(X)``)."""

    split_id: int
    side: str


@dataclass(frozen=True, slots=True)
class Folds(Value):
    """What ``splitter.split(X)`` returns: an unknown number of (train, test) index pairs.

    ``enumerated``: ``enumerate(kf.split(X))``, whose elements are ``(i, (train, test))``."""

    split_id: int
    enumerated: bool = False


@dataclass(frozen=True, slots=True)
class DataMatrix(Value):
    """A model library's own data container (``lgb.Dataset``, ``xgb.DMatrix``, ``catboost.Pool``).

    It only wraps: the features and the label given to it, unchanged.  Training
    on one fits on those, predicting on one applies the model to its features;
    anything else done with it is unknown.
    """

    features: Value
    label: Value | None


@dataclass(frozen=True, slots=True)
class Prediction(Value):
    """Output of predict / predict_proba: the rows it was computed on and the model."""

    data: Data
    estimator: Estimator


def seq_or_top(items: tuple[Value, ...], kind: SeqKind = SeqKind.LIST) -> Value:
    """A literal sequence, or TOP past its size bound (for callers outside ``Interpreter.eval``)."""
    try:
        return Seq(items, kind)
    except TooLarge:
        return TOP


def join(a: Value, b: Value) -> Value:
    """Least upper bound of two values at a control-flow merge."""
    if a is b:
        return a
    if isinstance(a, (Seq, DictV)) and isinstance(b, (Seq, DictV)) and a.size + b.size > MAX_ITEMS:
        return TOP   # comparing or joining two large literals costs their size: give up first
    if a == b:
        return a
    if isinstance(a, Data) and isinstance(b, Data) and a.kind == b.kind:
        nodes = a.nodes + tuple(n for n in b.nodes if n not in a.nodes)
        return Data(a.kind, nodes, a.schema.join(b.schema), join_provenance(a.prov, b.prov),
                    a.name if a.name == b.name else None, a.reads | b.reads, a.is_mask and b.is_mask,
                    a.stats + tuple(s for s in b.stats if s not in a.stats))
    if isinstance(a, Seq) and isinstance(b, Seq) and len(a.items) == len(b.items) and a.kind == b.kind:
        return Seq(tuple(join(x, y) for x, y in zip(a.items, b.items)), a.kind)
    return TOP

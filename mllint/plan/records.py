"""Typed facts per plan operator: one frozen record per node, checked when it is built.

Each operator has exactly one record type (:data:`INFO_TYPES`); ``Plan.add``
refuses a node whose record does not match its operator, and a misspelt field
is a ``TypeError`` at the line that builds the record.  Records hold what the
rules and views read (``mllint.facts``, ``mllint.render``); how a node is shown
in mlinspect's view is the separate :class:`View`.

Enums whose values are the strings of the JSON view (``mllint explain --format
json``) keep that output stable: ``RowFilter.MASK.value == "mask"``.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .operators import Operator

if TYPE_CHECKING:  # pragma: no cover
    from ..domains.provenance import Provenance
    from ..domains.schema import Schema
    from ..domains.values import Estimator, Statistic
    from .graph import PlanNode
    from .site import Site


@dataclass(frozen=True, slots=True)
class View:
    """mlinspect's presentation of a node: shown or not, and the columns it lists.

    ``columns`` overrides the schema's names (an estimator shows ``[]``, train
    data ``["array"]``); ``None`` means "the schema's columns".
    """

    visible: bool = True
    columns: tuple[str, ...] | None = None


SHOWN = View()
HIDDEN = View(False)


class RowFilter(enum.Enum):
    """How a SELECTION picks rows."""

    MASK = "mask"
    SLICE = "slice"
    QUERY = "query"
    DROPNA = "dropna"
    DROP_DUPLICATES = "drop_duplicates"
    DROP = "drop"
    HEAD = "head"
    TAIL = "tail"
    SAMPLE = "sample"
    NLARGEST = "nlargest"
    NSMALLEST = "nsmallest"
    RESAMPLE = "resample"

    @property
    def drops_rows_by_value(self) -> bool:
        """Filters whose kept rows depend on the values of the rows (not their position)."""
        return self in (RowFilter.MASK, RowFilter.QUERY, RowFilter.DROPNA, RowFilter.DROP_DUPLICATES,
                        RowFilter.NLARGEST, RowFilter.NSMALLEST)


class SplitSide(enum.Enum):
    TRAIN = "train"
    TEST = "test"
    FOLDS = "folds"


class Phase(enum.Enum):
    """Which method of a transformer ran."""

    FIT = "fit"
    TRANSFORM = "transform"
    FIT_TRANSFORM = "fit_transform"
    FIT_RESAMPLE = "fit_resample"

    @property
    def fits(self) -> bool:
        return self is not Phase.TRANSFORM


class EvaluationKind(enum.Enum):
    """How a model's output met the truth: ``model.score``, a metric over predictions,
    cross-validation, or a prediction on its own."""

    SCORE = "score"
    METRIC = "metric"
    CROSS_VALIDATION = "cross_validation"
    PREDICT = "predict"


class NodeInfo:
    """Base of the per-operator records."""

    __slots__ = ()

    @property
    def call_site(self) -> "Site | None":
        """The call that ran the operation when it differs from the node's site (a ``.fit``
        call for a node placed at the estimator's constructor); records that know it override."""
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceInfo(NodeInfo):
    """DATA_SOURCE: where rows enter (``pd.read_csv(path)``, a literal, a constructor)."""

    function: str | None = None
    path: str | None = None
    source_key: str | None = None    # the discovered-columns key of a file whose header was not readable


@dataclass(frozen=True, slots=True, kw_only=True)
class SelectionInfo(NodeInfo):
    """SELECTION: fewer rows, same columns."""

    filter: RowFilter
    reads: frozenset[str] | None = None    # columns the kept rows depend on (None: by position)
    replace: bool = False                   # sampling with replacement (copies of rows)
    bounds: tuple[Any, ...] | None = None  # a positional slice's (start, stop, step)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectionInfo(NodeInfo):
    """PROJECTION: the same rows, fewer columns (``df[["a", "b"]]``, ``df.drop(columns=...)``)."""

    dropped: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ModifyInfo(NodeInfo):
    """PROJECTION_MODIFY: the same rows, values changed or columns added."""

    modifies: tuple[str, ...] | None = None
    reads: frozenset[str] | None = None
    get_dummies: bool = False
    encoded: tuple[str, ...] | None = None    # the columns get_dummies encoded (None: every non-numeric one)


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinInfo(NodeInfo):
    how: str = "inner"
    keys: tuple[Any, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ConcatInfo(NodeInfo):
    """CONCATENATION: rows (or columns) of several inputs."""

    duplicates_rows: bool = False     # rows of one input appear twice (concat of a frame with a subset of itself)
    call: "Site | None" = None

    @property
    def call_site(self) -> "Site | None":
        return self.call


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupByInfo(NodeInfo):
    keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SplitInfo(NodeInfo):
    """TRAIN_TEST_SPLIT: one side of a split (``split_of`` ties the sides of one call together)."""

    side: SplitSide
    split_of: int | None = None
    cross_validation: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class TransformInfo(NodeInfo):
    """TRANSFORMER: a transformer fitted and/or applied (placed at its constructor)."""

    phase: Phase
    learns: bool | None = None        # whether fitting learns statistics of the rows (None: a resampler)
    estimator: "Estimator | None" = None
    call: "Site | None" = None
    resampler: bool = False
    duplicates_rows: bool = False     # an oversampler: copies of rows

    @property
    def call_site(self) -> "Site | None":
        return self.call


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelInputInfo(NodeInfo):
    """TRAIN_DATA / TRAIN_LABELS / TEST_DATA / TEST_LABELS: what a model was given."""

    estimator: "Estimator | None" = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Features:
    """What the rules need about the features a model is fit on or evaluated with."""

    rows: "Provenance | None" = None
    schema: "Schema | None" = None              # when the features are a DataFrame
    statistics: tuple["Statistic", ...] = ()
    lineage: frozenset[str] = frozenset()


NO_FEATURES = Features()


@dataclass(frozen=True, slots=True, kw_only=True)
class FitInfo(NodeInfo):
    """ESTIMATOR: a predictor fitted on features (and labels)."""

    estimator: "Estimator"
    features: Features = NO_FEATURES
    label_lineage: frozenset[str] = frozenset()
    call: "Site | None" = None

    @property
    def call_site(self) -> "Site | None":
        return self.call


@dataclass(frozen=True, slots=True, kw_only=True)
class EvaluationInfo(NodeInfo):
    """SCORE / PREDICT: a model's output computed or compared with the truth.

    A METRIC compares predictions with labels: its model and features are those of
    the PREDICT nodes among its parents (``mllint.facts`` joins them).
    """

    kind: EvaluationKind
    estimator: "Estimator | None" = None
    features: Features = NO_FEATURES
    inputs: tuple["PlanNode", ...] = ()     # the nodes of the evaluated features (to name them)
    method: str | None = None                # predict, predict_proba, ... for PREDICT
    truth: "Provenance | None" = None        # the rows of the labels a METRIC compares with


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownInfo(NodeInfo):
    """UNKNOWN: an operation we do not model; the edges are kept, nothing is guessed."""

    method: str | None = None


#: The one record type of each operator.
INFO_TYPES: dict[Operator, type[NodeInfo]] = {
    Operator.DATA_SOURCE: SourceInfo,
    Operator.SELECTION: SelectionInfo,
    Operator.PROJECTION: ProjectionInfo,
    Operator.PROJECTION_MODIFY: ModifyInfo,
    Operator.JOIN: JoinInfo,
    Operator.CONCATENATION: ConcatInfo,
    Operator.GROUP_BY_AGG: GroupByInfo,
    Operator.TRAIN_TEST_SPLIT: SplitInfo,
    Operator.TRANSFORMER: TransformInfo,
    Operator.ESTIMATOR: FitInfo,
    Operator.SCORE: EvaluationInfo,
    Operator.PREDICT: EvaluationInfo,
    Operator.TRAIN_DATA: ModelInputInfo,
    Operator.TRAIN_LABELS: ModelInputInfo,
    Operator.TEST_DATA: ModelInputInfo,
    Operator.TEST_LABELS: ModelInputInfo,
    Operator.UNKNOWN: UnknownInfo,
}


def info_type_for(operator: Operator) -> type[NodeInfo]:
    return INFO_TYPES[operator]


def default_info(operator: Operator) -> NodeInfo:
    """The record of a node built without facts (only for operators whose fields all have defaults)."""
    return INFO_TYPES[operator]()

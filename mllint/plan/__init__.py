"""The logical plan: the typed contract between the engine and the rules.

The interpreter (``mllint.interpreter``) and the API models (``mllint.library``)
*write* plan nodes; the rules read them only through ``mllint.facts``.  Every
node carries one frozen record of its operator's facts (``records``): a field
that is misspelt fails when the record is built, not silently in a rule.
"""
from .graph import Plan, PlanNode
from .operators import Operator
from .span import Span, SpanThunk
from .records import (ConcatInfo, EvaluationInfo, EvaluationKind, FitInfo, GroupByInfo, JoinInfo, ModelInputInfo,
                      ModifyInfo, NodeInfo, Phase, ProjectionInfo, RowFilter, SelectionInfo, SourceInfo, SplitInfo,
                      SplitSide, TransformInfo, UnknownInfo, View, HIDDEN, NO_FEATURES, SHOWN, Features,
                      info_type_for)
from .site import Site

__all__ = [
    "ConcatInfo", "EvaluationInfo", "EvaluationKind", "Features", "FitInfo", "NO_FEATURES", "GroupByInfo", "HIDDEN", "JoinInfo",
    "ModelInputInfo", "ModifyInfo", "NodeInfo", "Operator", "Phase", "Plan", "PlanNode", "ProjectionInfo",
    "RowFilter", "SHOWN", "SelectionInfo", "Site", "SourceInfo", "Span", "SpanThunk", "SplitInfo", "SplitSide",
    "TransformInfo", "UnknownInfo", "View", "info_type_for",
]

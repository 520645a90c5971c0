"""Plan operators.

Operator names follow mlinspect's ``OperatorType`` so that a statically extracted
plan can be diffed against mlinspect's runtime DAGs (``mllint explain --format
mlinspect``).  PREDICT and UNKNOWN are ours: a prediction is not an mlinspect
operator, and UNKNOWN marks an operation we do not model (the edge is kept, the
value is widened to Top, nothing is guessed).
"""
from __future__ import annotations

import enum


class Operator(enum.Enum):
    DATA_SOURCE = "Data Source"
    SELECTION = "Selection"
    PROJECTION = "Projection"
    PROJECTION_MODIFY = "Projection (Modify)"
    JOIN = "Join"
    CONCATENATION = "Concatenation"
    GROUP_BY_AGG = "Groupby and Aggregate"
    TRAIN_TEST_SPLIT = "Train Test Split"
    TRANSFORMER = "Transformer"
    ESTIMATOR = "Estimator"
    SCORE = "Score"
    TRAIN_DATA = "Train Data"
    TRAIN_LABELS = "Train Labels"
    TEST_DATA = "Test Data"
    TEST_LABELS = "Test Labels"
    PREDICT = "Predict"
    UNKNOWN = "Unknown"

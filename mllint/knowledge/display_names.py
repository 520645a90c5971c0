"""Human-readable operator names, in mlinspect's vocabulary where it has one.

mlinspect (master c2207ef) instruments a fixed set of scikit-learn classes and
names them in its DAG descriptions ("Standard Scaler: fit_transform",
"Decision Tree").  ``MLINSPECT_NAMES`` is that set: an operation on any other
class is invisible to mlinspect, so ``--format mlinspect`` leaves it out, while
our own plan shows it under :func:`display_name`.
"""
from __future__ import annotations

import re

MLINSPECT_TRANSFORMERS: dict[str, str] = {
    "StandardScaler": "Standard Scaler",
    "HashingVectorizer": "Hashing Vectorizer",
    "KBinsDiscretizer": "K-Bins Discretizer",
    "OneHotEncoder": "One-Hot Encoder",
    "SimpleImputer": "Simple Imputer",
    "FunctionTransformer": "Function Transformer",
}

MLINSPECT_ESTIMATORS: dict[str, str] = {
    "DecisionTreeClassifier": "Decision Tree",
    "SGDClassifier": "SGD Classifier",
    "LogisticRegression": "Logistic Regression",
    "KerasClassifier": "Neural Network",
}

#: Transformers whose mlinspect output keeps the input's column names when fed a DataFrame.
MLINSPECT_COLUMN_PRESERVING = frozenset({"SimpleImputer", "FunctionTransformer"})

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def mlinspect_name(class_name: str) -> str | None:
    """mlinspect's name for an instrumented class, None when mlinspect does not see it."""
    return MLINSPECT_TRANSFORMERS.get(class_name) or MLINSPECT_ESTIMATORS.get(class_name)


def display_name(class_name: str) -> str:
    """mlinspect's name when it has one, else the class name split into words."""
    return mlinspect_name(class_name) or _CAMEL.sub(" ", class_name)

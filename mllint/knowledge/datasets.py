"""scikit-learn's dataset generators that return ``(X, y)``, reviewed against the 1.x API reference.

``make_classification(...)`` returns the features and the target of one synthetic source, like
``load_iris(return_X_y=True)``.  Some generators return more when a flag is set
(``make_regression(coef=True)`` adds the coefficients): such a call is unknown, not guessed.
Generators not listed (``make_low_rank_matrix``, ``make_spd_matrix``, ``make_biclusters``...)
return something else and stay unknown.
"""
from __future__ import annotations

#: Generator name -> the keyword flags that, when true, change its result from ``(X, y)``.
XY_GENERATORS: dict[str, tuple[str, ...]] = {
    "make_classification": (),
    "make_regression": ("coef",),
    "make_blobs": ("return_centers",),
    "make_moons": (),
    "make_circles": (),
    "make_gaussian_quantiles": (),
    "make_hastie_10_2": (),
    "make_friedman1": (),
    "make_friedman2": (),
    "make_friedman3": (),
    "make_sparse_uncorrelated": (),
    "make_s_curve": (),
    "make_swiss_roll": (),
    "make_multilabel_classification": ("return_distributions",),
}

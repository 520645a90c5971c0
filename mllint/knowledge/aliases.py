"""Old and moved API names, mapped to the names the knowledge tables describe.

Real notebooks still import from modules scikit-learn removed years ago
(``sklearn.cross_validation`` became ``sklearn.model_selection`` in 0.18 and was
removed in 0.20).  The code means the same functions, so the lookups of the
knowledge tables resolve the old name to the current one; one row per move.
Reviewed against the scikit-learn 0.17-0.22 API references and release notes.

Where the old class took different constructor parameters, :data:`OLD_PARAMS` gives its
positional order (``Imputer(missing_values, strategy, axis)``), and the splitters of
``sklearn.cross_validation`` were not splitters but iterables of ``(train, test)`` index
arrays built from the row count or the labels (:data:`ITERABLE_SPLITTERS`):
``for tr, te in KFold(len(X), n_folds=5)``.
"""
from __future__ import annotations

#: Old module -> the module that took over its public names.
MODULE_ALIASES: dict[str, str] = {
    "sklearn.cross_validation": "sklearn.model_selection",
    "sklearn.grid_search": "sklearn.model_selection",
    "sklearn.learning_curve": "sklearn.model_selection",
}

#: Old dotted name -> the current one, for classes and functions that were moved or renamed.
NAME_ALIASES: dict[str, str] = {
    # 0.20: Imputer -> impute.SimpleImputer (its ``axis`` went: see OLD_PARAMS and library.sklearn_legacy)
    "sklearn.preprocessing.Imputer": "sklearn.impute.SimpleImputer",
    "sklearn.preprocessing.imputation.Imputer": "sklearn.impute.SimpleImputer",
    # 0.17: lda / qda -> discriminant_analysis
    "sklearn.lda.LDA": "sklearn.discriminant_analysis.LinearDiscriminantAnalysis",
    "sklearn.qda.QDA": "sklearn.discriminant_analysis.QuadraticDiscriminantAnalysis",
    # 0.18: GMM -> GaussianMixture, RandomizedPCA -> PCA(svd_solver="randomized")
    "sklearn.mixture.GMM": "sklearn.mixture.GaussianMixture",
    "sklearn.decomposition.RandomizedPCA": "sklearn.decomposition.PCA",
    # 0.21: jaccard_similarity_score -> jaccard_score
    "sklearn.metrics.jaccard_similarity_score": "sklearn.metrics.jaccard_score",
}

#: Old dotted name -> the positional parameters of its constructor, where they differ from the
#: current class's (keyword arguments keep their names; parameters the new class lacks are dropped).
OLD_PARAMS: dict[str, tuple[str, ...]] = {
    "sklearn.preprocessing.Imputer": ("missing_values", "strategy", "axis", "verbose", "copy"),
    "sklearn.preprocessing.imputation.Imputer": ("missing_values", "strategy", "axis", "verbose", "copy"),
    "sklearn.qda.QDA": ("priors", "reg_param"),
    "sklearn.decomposition.RandomizedPCA": ("n_components", "copy", "iterated_power", "whiten", "random_state"),
}

#: ``sklearn.cross_validation`` splitters (removed in 0.20): iterables of ``(train, test)`` folds,
#: by dotted name -> positional parameters.  The first is the row count (``n``) or the array
#: whose rows are split (``y``, ``labels``, ``test_fold``).
ITERABLE_SPLITTERS: dict[str, tuple[str, ...]] = {
    "sklearn.cross_validation.KFold": ("n", "n_folds", "shuffle", "random_state"),
    "sklearn.cross_validation.StratifiedKFold": ("y", "n_folds", "shuffle", "random_state"),
    "sklearn.cross_validation.LabelKFold": ("labels", "n_folds"),
    "sklearn.cross_validation.LeaveOneOut": ("n",),
    "sklearn.cross_validation.LeavePOut": ("n", "p"),
    "sklearn.cross_validation.LeaveOneLabelOut": ("labels",),
    "sklearn.cross_validation.LeavePLabelOut": ("labels", "p"),
    "sklearn.cross_validation.ShuffleSplit": ("n", "n_iter", "test_size", "train_size", "random_state"),
    "sklearn.cross_validation.StratifiedShuffleSplit": ("y", "n_iter", "test_size", "train_size", "random_state"),
    "sklearn.cross_validation.LabelShuffleSplit": ("labels", "n_iter", "test_size", "train_size", "random_state"),
    "sklearn.cross_validation.PredefinedSplit": ("test_fold",),
}


def canonical(qualified_name: str) -> str:
    """The current dotted name of ``qualified_name`` (itself when it did not move)."""
    renamed = NAME_ALIASES.get(qualified_name)
    if renamed is not None:
        return renamed
    module, _, name = qualified_name.rpartition(".")
    moved = MODULE_ALIASES.get(module)
    return f"{moved}.{name}" if moved is not None else qualified_name


def legacy_constructor(qualified_name: str) -> str | None:
    """``iterable_folds`` / ``legacy`` for a class called with its old signature, else None."""
    if qualified_name in ITERABLE_SPLITTERS:
        return "iterable_folds"
    return "legacy" if qualified_name in OLD_PARAMS else None

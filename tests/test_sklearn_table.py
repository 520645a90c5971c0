"""Representative facts of the committed scikit-learn table.

These tests read only the JSON through the loader: scikit-learn is not (and
must not be) importable at analysis time, so they do not import it either.
"""
from __future__ import annotations

import sys

import pytest

from mllint.knowledge.sklearn_api import (
    FUNCTION_KINDS,
    KINDS,
    EstimatorInfo,
    _table,
    lookup_class,
    lookup_function,
    table_versions,
)


def cls(path: str) -> EstimatorInfo:
    info = lookup_class(path)
    assert info is not None, f"{path} missing from the table"
    return info


def test_loading_does_not_import_sklearn() -> None:
    _table()
    assert "sklearn" not in sys.modules
    assert "imblearn" not in sys.modules


def test_versions_recorded() -> None:
    versions = table_versions()
    assert versions.sklearn.count(".") >= 1
    assert versions.imblearn


def test_standard_scaler() -> None:
    info = cls("sklearn.preprocessing.StandardScaler")
    assert info.is_a("transformer")
    assert info.learns_statistics
    assert not info.uses_y
    assert not info.category_only
    assert {"fit", "transform", "fit_transform", "inverse_transform"} <= info.methods
    assert info.params == ("copy", "with_mean", "with_std")


def test_private_and_public_paths_resolve_to_the_same_entry() -> None:
    public = cls("sklearn.preprocessing.StandardScaler")
    private = cls("sklearn.preprocessing._data.StandardScaler")
    assert public is private
    assert public.qualified_name == "sklearn.preprocessing.StandardScaler"


@pytest.mark.parametrize(
    "path",
    [
        "sklearn.impute.SimpleImputer",
        "sklearn.decomposition.PCA",
        "sklearn.feature_selection.SelectKBest",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.CountVectorizer",
        "sklearn.preprocessing.KBinsDiscretizer",
        "sklearn.preprocessing.OneHotEncoder",
        "sklearn.preprocessing.TargetEncoder",
        "sklearn.preprocessing.SplineTransformer",
        "sklearn.impute.MissingIndicator",
    ],
)
def test_data_dependent_transformers_learn_statistics(path: str) -> None:
    info = cls(path)
    assert info.is_a("transformer")
    assert info.learns_statistics


@pytest.mark.parametrize(
    "path",
    [
        "sklearn.preprocessing.FunctionTransformer",
        "sklearn.preprocessing.Normalizer",
        "sklearn.preprocessing.PolynomialFeatures",
        "sklearn.preprocessing.Binarizer",
        "sklearn.feature_extraction.text.HashingVectorizer",
    ],
)
def test_stateless_transformers_learn_nothing(path: str) -> None:
    info = cls(path)
    assert info.is_a("transformer")
    assert not info.learns_statistics


def test_transformers_by_methods_only() -> None:
    # Neither inherits TransformerMixin; their methods make them transformers.
    assert cls("sklearn.feature_extraction.text.TfidfVectorizer").is_a("transformer")
    assert cls("sklearn.pipeline.Pipeline").is_a("transformer")


@pytest.mark.parametrize(
    "path",
    [
        "sklearn.feature_selection.SelectKBest",
        "sklearn.preprocessing.TargetEncoder",
        "sklearn.feature_selection.RFE",
    ],
)
def test_supervised_transformers_use_y(path: str) -> None:
    assert cls(path).uses_y


@pytest.mark.parametrize(
    "path",
    [
        "sklearn.preprocessing.OneHotEncoder",
        "sklearn.preprocessing.OrdinalEncoder",
        "sklearn.preprocessing.LabelEncoder",
        "sklearn.preprocessing.LabelBinarizer",
        "sklearn.preprocessing.MultiLabelBinarizer",
    ],
)
def test_category_only_encoders(path: str) -> None:
    info = cls(path)
    assert info.category_only
    assert info.learns_statistics


def test_label_encoder_fits_on_labels_alone() -> None:
    info = cls("sklearn.preprocessing.LabelEncoder")
    assert info.fit_params == ("y",)
    assert not info.uses_y


def test_logistic_regression() -> None:
    info = cls("sklearn.linear_model.LogisticRegression")
    assert info.kinds == {"classifier"}
    assert info.uses_y
    assert info.learns_statistics
    assert {"fit", "predict", "predict_proba", "decision_function", "score"} <= info.methods
    assert info.fit_params[:2] == ("X", "y")


def test_regressor_and_clusterer() -> None:
    assert cls("sklearn.ensemble.RandomForestRegressor").is_a("regressor")
    kmeans = cls("sklearn.cluster.KMeans")
    assert kmeans.is_a("clusterer")
    assert not kmeans.uses_y
    assert "fit_predict" in kmeans.methods


def test_splitters() -> None:
    kfold = cls("sklearn.model_selection.KFold")
    assert kfold.kinds == {"splitter"}
    assert "split" in kfold.methods
    assert not kfold.learns_statistics
    assert not kfold.uses_y
    assert cls("sklearn.model_selection.StratifiedKFold").uses_y
    assert cls("sklearn.model_selection.GroupKFold").uses_groups
    for name in ("TimeSeriesSplit", "ShuffleSplit", "LeaveOneOut"):
        assert cls(f"sklearn.model_selection.{name}").is_a("splitter")


@pytest.mark.parametrize(
    "name", ["GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV"]
)
def test_search_cvs(name: str) -> None:
    info = cls(f"sklearn.model_selection.{name}")
    assert info.is_a("search")
    assert info.is_a("meta")
    assert info.estimator_params == ("estimator",)


def test_smote_is_a_resampler() -> None:
    info = cls("imblearn.over_sampling.SMOTE")
    assert info.is_a("resampler")
    assert "fit_resample" in info.methods
    assert info.uses_y
    assert cls("imblearn.under_sampling.RandomUnderSampler").is_a("resampler")


def test_pipelines_and_composites() -> None:
    pipe = cls("sklearn.pipeline.Pipeline")
    assert pipe.kinds == {"meta", "transformer"}
    assert pipe.estimator_params == ("steps",)
    assert "transform" in pipe.conditional_methods
    assert "fit" not in pipe.conditional_methods
    assert cls("sklearn.pipeline.FeatureUnion").is_a("meta")
    assert cls("sklearn.compose.ColumnTransformer").kinds == {"meta", "transformer"}
    ttr = cls("sklearn.compose.TransformedTargetRegressor")
    assert ttr.is_a("meta") and ttr.is_a("regressor")
    # imbalanced-learn's Pipeline is a different class, found under its own path.
    imb_pipe = cls("imblearn.pipeline.Pipeline")
    assert imb_pipe is not pipe
    assert "fit_resample" in imb_pipe.conditional_methods
    assert not imb_pipe.is_a("resampler")


def test_unknown_names() -> None:
    assert lookup_class("sklearn.preprocessing.NoSuchScaler") is None
    assert lookup_class("StandardScaler") is None
    assert lookup_class("sklearn.model_selection.train_test_split") is None
    assert lookup_function("sklearn.preprocessing.StandardScaler") is None


def test_train_test_split_and_cross_validation() -> None:
    tts = lookup_function("sklearn.model_selection.train_test_split")
    assert tts is not None and tts.kind == "split"
    assert tts.params[0] == "*arrays"
    assert lookup_function("sklearn.model_selection._split.train_test_split") is tts
    for name in (
        "cross_val_score",
        "cross_validate",
        "cross_val_predict",
        "learning_curve",
        "validation_curve",
        "permutation_test_score",
    ):
        info = lookup_function(f"sklearn.model_selection.{name}")
        assert info is not None and info.kind == "cross_validation", name
        assert info.params[:3] == ("estimator", "X", "y")


def test_preprocessing_functions() -> None:
    scale = lookup_function("sklearn.preprocessing.scale")
    normalize = lookup_function("sklearn.preprocessing.normalize")
    assert scale is not None and scale.kind == "preprocessing" and scale.learns_statistics
    assert normalize is not None and not normalize.learns_statistics


def test_factories_metrics_resampling_datasets() -> None:
    expected = {
        "sklearn.pipeline.make_pipeline": "pipeline_factory",
        "sklearn.pipeline.make_union": "pipeline_factory",
        "sklearn.compose.make_column_transformer": "pipeline_factory",
        "sklearn.compose.make_column_selector": "column_selector",
        "sklearn.metrics.accuracy_score": "metric",
        "sklearn.metrics.roc_auc_score": "metric",
        "sklearn.metrics.get_scorer": "metric",
        "sklearn.utils.resample": "resample",
        "sklearn.utils.shuffle": "shuffle",
        "sklearn.datasets.load_iris": "dataset",
        "sklearn.datasets.fetch_openml": "dataset",
        "sklearn.datasets.make_classification": "dataset",
    }
    for path, kind in expected.items():
        info = lookup_function(path)
        assert info is not None and info.kind == kind, path
    accuracy = lookup_function("sklearn.metrics.accuracy_score")
    roc_auc = lookup_function("sklearn.metrics.roc_auc_score")
    assert accuracy is not None and accuracy.params[:2] == ("y_true", "y_pred")
    assert roc_auc is not None and roc_auc.params[:2] == ("y_true", "y_score")


def test_table_only_uses_declared_kinds() -> None:
    table = _table()
    for info in table.classes.values():
        assert info.kinds <= KINDS, info.qualified_name
    for function in table.functions.values():
        assert function.kind in FUNCTION_KINDS, function.qualified_name


def test_every_path_of_an_entry_resolves_to_it() -> None:
    table = _table()
    for info in set(table.classes.values()):
        for module in info.modules:
            assert lookup_class(f"{module}.{info.name}") is info

"""Models beyond scikit-learn (``knowledge.extra_estimators``, ``knowledge.native_models``,
``library.model_libraries``): every table entry is fitted, applied and scored like a scikit-learn model.

The reference is the issue's example: ``RandomForestClassifier().fit(pd.get_dummies(train[...]), y)``
then ``predict`` on a test frame encoded separately gives an ML303 and an ML202; any other model in its
place must give the same two.
"""
from __future__ import annotations

import pytest

from mllint.checker import check_analysis
from mllint.domains.values import TOP, Const, DataKind, DataMatrix, Estimator
from mllint.knowledge.estimator_methods import ESTIMATOR_PACKAGES, PROTOCOL_METHODS
from mllint.knowledge.extra_estimators import EXTRA_CLASSES
from mllint.knowledge.native_models import BOOSTERS, FORMULA_MODELS, NATIVE_CLASSES, NATIVE_FUNCTIONS
from mllint.knowledge.sklearn_api import KINDS, FUNCTION_KINDS, lookup_class, lookup_function
from mllint.library.model_libraries import formula_terms
from mllint.plan import EvaluationKind
from mllint.settings import Settings

from helpers import O, data, estimator, nodes_of, one, run

_PROGRAM = '''
import pandas as pd
{imports}
train = pd.read_csv("train.csv", names=["Pclass", "Sex", "SibSp", "Survived"])
test = pd.read_csv("test.csv", names=["Pclass", "Sex", "SibSp"])
y = train["Survived"]
features = ["Pclass", "Sex", "SibSp"]
X = pd.get_dummies(train[features])
X_test = pd.get_dummies(test[features])
model = {model}
model.fit(X, y)
predictions = model.predict(X_test)
'''


def _codes(tmp_path, imports: str, model: str) -> list[tuple[int, str]]:
    analysis = run(tmp_path, _PROGRAM.format(imports=imports, model=model))
    return [(f.line, f.code) for f in check_analysis(analysis, Settings())]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> list[tuple[int, str]]:
    found = _codes(tmp_path_factory.mktemp("rf"), "from sklearn.ensemble import RandomForestClassifier",
                   "RandomForestClassifier()")
    assert {code for _, code in found} == {"ML303", "ML202"}
    return found


_ROWS = [(module, row["name"]) for row in EXTRA_CLASSES for module in row["modules"]]
_KERAS = [(module, row["name"]) for row in NATIVE_CLASSES if row["protocol"] == "keras" for module in row["modules"]]


@pytest.mark.parametrize("module, name", _ROWS, ids=[f"{m}.{n}" for m, n in _ROWS])
def test_every_scikit_learn_style_row_is_fitted_and_applied_like_a_random_forest(tmp_path, reference, module, name):
    assert _codes(tmp_path, f"from {module} import {name}", f"{name}()") == reference


@pytest.mark.parametrize("module, name", _KERAS, ids=[f"{m}.{n}" for m, n in _KERAS])
def test_every_keras_model_row_is_fitted_in_place_and_applied(tmp_path, reference, module, name):
    constructor = "Sequential([Dense(8), Dense(1)])" if name == "Sequential" else "Model(inputs, outputs)"
    imports = f"from {module} import {name}\nfrom keras.layers import Dense, Input\n" \
              "inputs = Input(shape=(3,))\noutputs = Dense(1)(inputs)"
    found = _codes(tmp_path, imports, constructor)
    shift = 3   # the three lines of imports above
    assert found == [(line + shift, code) for line, code in reference]


@pytest.mark.parametrize("alias, call", [
    ("import lightgbm as lgb", "lgb.LGBMClassifier(n_estimators=50)"),
    ("import xgboost as xgb", "xgb.XGBClassifier()"),
    ("import catboost as cb", "cb.CatBoostClassifier(verbose=0)"),
    ("import tensorflow as tf", "tf.keras.wrappers.scikit_learn.KerasClassifier(build_fn=None)"),
    ("import skorch", "skorch.NeuralNetClassifier(None)"),
])
def test_module_aliases_resolve(tmp_path, reference, alias, call):
    assert _codes(tmp_path, alias, call) == reference


def test_rows_are_well_formed():
    for row in EXTRA_CLASSES + NATIVE_CLASSES + list(BOOSTERS.values()):
        assert set(row["kinds"]) <= KINDS, row["name"]
        assert row.get("protocol", "sklearn") in PROTOCOL_METHODS, row["name"]
    for row in NATIVE_FUNCTIONS:
        assert row["kind"] in FUNCTION_KINDS
        for module in row["modules"]:
            assert lookup_function(f"{module}.{row['name']}") is not None
    assert {"lightgbm", "xgboost", "catboost", "keras", "tensorflow", "scikeras", "skorch",
            "statsmodels"} <= ESTIMATOR_PACKAGES


def test_catboost_fit_keywords_and_eval_set(tmp_path):
    analysis = run(tmp_path, '''
        import pandas as pd
        from catboost import CatBoostClassifier
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("d.csv", names=["a", "city", "y"])
        X_tr, X_te, y_tr, y_te = train_test_split(df[["a", "city"]], df["y"])
        model = CatBoostClassifier(iterations=100)
        model.fit(X_tr, y_tr, cat_features=["city"], eval_set=(X_te, y_te), verbose=False)
        proba = model.predict_proba(X_te)
    ''')
    assert estimator(analysis, "model").fitted
    one(analysis.plan, O.PREDICT, "Cat Boost Classifier: predict_proba")


def test_a_catboost_pool_stands_for_its_features_and_label(tmp_path):
    analysis = run(tmp_path, '''
        import pandas as pd
        from catboost import CatBoostRegressor, Pool
        df = pd.read_csv("d.csv", names=["a", "b", "y"])
        pool = Pool(df[["a", "b"]], label=df["y"])
        model = CatBoostRegressor().fit(pool)
    ''')
    assert isinstance(analysis.env["pool"], DataMatrix)
    fit = one(analysis.plan, O.ESTIMATOR)
    assert fit.info.label_lineage == {"y"} and fit.info.features.lineage == {"a", "b"}


# -- keras ----------------------------------------------------------------------------------------------
def test_keras_fit_trains_in_place_and_returns_a_history(tmp_path):
    analysis = run(tmp_path, '''
        import pandas as pd
        from tensorflow import keras
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("d.csv", names=["a", "b", "y"])
        X_tr, X_te, y_tr, y_te = train_test_split(df[["a", "b"]], df["y"])
        model = keras.Sequential()
        model.add(keras.layers.Dense(1))
        compiled = model.compile(optimizer="adam", loss="mse")
        history = model.fit(X_tr, y_tr, validation_data=(X_te, y_te), validation_split=0.1, epochs=5)
        pred = model.predict(X_te)
        loss = model.evaluate(x=X_te, y=y_te)
    ''')
    assert analysis.env["history"] is TOP and analysis.env["compiled"] == Const(None)
    assert estimator(analysis, "model").fitted
    predict = one(analysis.plan, O.PREDICT, "Sequential: predict")
    assert one(analysis.plan, O.ESTIMATOR) in analysis.plan.parents(predict)
    score = one(analysis.plan, O.SCORE, "Sequential")
    assert score.info.kind is EvaluationKind.SCORE
    assert data(analysis, "pred").prov == data(analysis, "X_te").prov


def test_a_keras_autoencoder_has_no_label(tmp_path):
    analysis = run(tmp_path, '''
        import pandas as pd
        from keras.models import Sequential
        df = pd.read_csv("d.csv", names=["a", "b"])
        ae = Sequential()
        ae.fit(df[["a", "b"]].values, df[["a", "b"]].values, epochs=3)
        x = df[["a", "b"]].values
        ae.fit(x[0:100], x[0:100], epochs=3)
    ''')
    fits = nodes_of(analysis.plan, O.ESTIMATOR)
    assert len(fits) == 2 and all(f.info.label_lineage == frozenset() for f in fits)
    assert not nodes_of(analysis.plan, O.TRAIN_LABELS)
    assert not check_analysis(analysis, Settings())


def test_tf_keras_sequential_and_functional_model(tmp_path):
    analysis = run(tmp_path, '''
        import pandas as pd
        import tensorflow as tf
        df = pd.read_csv("d.csv", names=["a", "b", "y"])
        seq = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        seq.fit(df[["a", "b"]], df["y"])
        inputs = tf.keras.Input(shape=(2,))
        net = tf.keras.models.Model(inputs=inputs, outputs=tf.keras.layers.Dense(1)(inputs))
        net.fit(x=df[["a", "b"]], y=df["y"], epochs=3)
    ''')
    assert len(nodes_of(analysis.plan, O.ESTIMATOR)) == 2
    assert estimator(analysis, "seq").fitted and estimator(analysis, "net").fitted


def test_a_loaded_keras_model_is_unknown(tmp_path):
    analysis = run(tmp_path, '''
        import pandas as pd
        from keras.models import load_model
        df = pd.read_csv("d.csv", names=["a", "b"])
        model = load_model("model.h5")
        pred = model.predict(df)
    ''')
    assert analysis.env["model"] is TOP and not nodes_of(analysis.plan, O.PREDICT)


def test_keras_wrapper_fit_returns_a_history(tmp_path):
    analysis = run(tmp_path, '''
        import pandas as pd
        from keras.wrappers.scikit_learn import KerasRegressor
        df = pd.read_csv("d.csv", names=["a", "b", "y"])
        reg = KerasRegressor(build_fn=None, epochs=3)
        history = reg.fit(df[["a", "b"]], df["y"])
        score = reg.score(df[["a", "b"]], df["y"])
    ''')
    assert analysis.env["history"] is TOP and estimator(analysis, "reg").fitted
    one(analysis.plan, O.SCORE, "Keras Regressor")


# -- statsmodels -----------------------------------------------------------------------------------------------
def test_statsmodels_label_comes_first_and_fit_returns_results_that_predict(tmp_path):
    analysis = run(tmp_path, '''
        import pandas as pd
        import statsmodels.api as sm
        df = pd.read_csv("d.csv", names=["a", "b", "y"])
        X = sm.add_constant(df[["a", "b"]])
        model = sm.OLS(df["y"], X)
        results = model.fit()
        pred = results.predict(X)
        logit = sm.Logit(df["y"], X).fit(disp=0)
        glm = sm.GLM(df["y"], X, family=sm.families.Binomial()).fit()
    ''')
    assert data(analysis, "X").schema.names == ("const", "a", "b")
    fits = nodes_of(analysis.plan, O.ESTIMATOR)
    assert [f.description for f in fits] == ["OLS", "Logit", "GLM"]
    assert all(f.info.label_lineage == {"y"} and f.info.features.lineage == {"a", "b"} for f in fits)
    assert not estimator(analysis, "model").fitted and estimator(analysis, "results").fitted
    one(analysis.plan, O.PREDICT, "OLS: predict")


def test_add_constant_keeps_rows_and_prepends_a_column(tmp_path):
    analysis = run(tmp_path, '''
        import pandas as pd
        from statsmodels.tools import add_constant
        df = pd.read_csv("d.csv", names=["a", "b"])
        first = add_constant(df)
        last = add_constant(df["a"], prepend=False)
    ''')
    assert data(analysis, "first").schema.names == ("const", "a", "b")
    assert data(analysis, "first").prov == data(analysis, "df").prov
    last = data(analysis, "last")
    assert last.kind is DataKind.FRAME and last.schema.names == ("a", "const")


def test_formula_terms():
    assert formula_terms("price ~ rooms + area") == ("price", ("rooms", "area"))
    assert formula_terms("np.log(price) ~ rooms") == (None, ("rooms",))
    assert formula_terms("y ~ C(sex) + age") == ("y", None)
    assert formula_terms("y ~ a * b") == ("y", None)
    assert formula_terms("no tilde") == (None, None)


def test_every_formula_function_builds_its_model_class():
    for name, class_name in FORMULA_MODELS.items():
        assert lookup_function(f"statsmodels.formula.api.{name}").kind == "formula_model"
        assert lookup_class(f"statsmodels.api.{class_name}").protocol == "statsmodels_model"


def test_formula_api_label_features_and_rows(tmp_path):
    analysis = run(tmp_path, '''
        import pandas as pd
        import statsmodels.formula.api as smf
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("d.csv", names=["rooms", "area", "sex", "price"])
        train, test = train_test_split(df)
        res = smf.ols("price ~ rooms + area", data=train).fit()
        pred = res.predict(test)
        other = smf.logit(formula="price ~ C(sex) + rooms", data=train).fit()
    ''')
    first, second = nodes_of(analysis.plan, O.ESTIMATOR)
    assert first.info.label_lineage == {"price"} and first.info.features.lineage == {"rooms", "area"}
    assert first.info.features.rows == data(analysis, "train").prov
    assert second.info.label_lineage == {"price"} and second.info.features.lineage == frozenset()
    predict = one(analysis.plan, O.PREDICT)
    assert predict.info.features.lineage == {"rooms", "area"} and predict.provenance == data(analysis, "test").prov
    assert isinstance(analysis.env["res"], Estimator)


# -- native boosting APIs ----------------------------------------------------------------------------------
@pytest.mark.parametrize("library, alias, matrix, train", [
    ("lightgbm", "lgb", "lgb.Dataset(X_tr, label=y_tr)", "lgb.train({}, dtrain, 100, valid_sets=[dtrain])"),
    ("xgboost", "xgb", "xgb.DMatrix(X_tr, y_tr)", "xgb.train({}, dtrain, 10, evals=[(dtrain, 'train')])"),
])
def test_native_train_fits_a_booster_on_the_matrix(tmp_path, library, alias, matrix, train):
    analysis = run(tmp_path, f'''
        import pandas as pd
        import {library} as {alias}
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("d.csv", names=["a", "b", "y"])
        X_tr, X_te, y_tr, y_te = train_test_split(df[["a", "b"]], df["y"])
        dtrain = {matrix}
        booster = {train}
        p1 = booster.predict(X_te)
        p2 = booster.predict({alias}.{"Dataset" if library == "lightgbm" else "DMatrix"}(X_te))
        cv = {alias}.cv({{}}, dtrain, 10)
    ''')
    fit = one(analysis.plan, O.ESTIMATOR, "Booster")
    assert fit.info.label_lineage == {"y"} and fit.info.features.rows == data(analysis, "X_tr").prov
    predictions = nodes_of(analysis.plan, O.PREDICT)
    assert len(predictions) == 2 and all(p.provenance == data(analysis, "X_te").prov for p in predictions)
    cv = one(analysis.plan, O.SCORE, f"{library}.cv")
    assert cv.info.kind is EvaluationKind.CROSS_VALIDATION


def test_a_booster_is_not_constructible(tmp_path):
    analysis = run(tmp_path, '''
        import pandas as pd
        import lightgbm as lgb
        booster = lgb.Booster(model_file="model.txt")
        pred = booster.predict(pd.read_csv("test.csv"))
    ''')
    assert analysis.env["booster"] is TOP and not nodes_of(analysis.plan, O.PREDICT)

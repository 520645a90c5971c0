"""scikit-learn / imbalanced-learn: estimator graphs, fit/transform expansion, scores, provenance."""
from __future__ import annotations

from mllint.plan import EvaluationKind
from mllint.domains.values import DataKind, Estimator, Statistic

from helpers import (O, data, estimator, nodes_of, one, origin_set, parent_ids, parent_ops, run,
                     source_named)

PRELUDE = """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline, FeatureUnion
from sklearn.compose import ColumnTransformer, make_column_transformer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.impute import SimpleImputer
from sklearn.decomposition import PCA
from sklearn.feature_selection import SelectKBest
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier
df = pd.read_csv("x.csv", names=["age", "income", "sex", "label"])
X = df[["age", "income", "sex"]]
y = df["label"]
X_train, X_test, y_train, y_test = train_test_split(X, y)
"""
# line numbers of the prelude: df at 11, split at 14; line 15 is blank, user code starts at line 16


def _split(a):
    """(train X node, test X node, train y node, test y node, split id)."""
    x_tr, x_te, y_tr, y_te = nodes_of(a.plan, O.TRAIN_TEST_SPLIT)[:4]
    return x_tr, x_te, y_tr, y_te, x_tr.info.split_of


def _src(a):
    return source_named(a.plan, "x.csv")


# -- plain estimators ---------------------------------------------------------------------------

def test_fit_score_predict_of_a_classifier(tmp_path):
    a = run(tmp_path, PRELUDE + """
clf = DecisionTreeClassifier(max_depth=3)
clf.fit(X_train, y_train)
acc = clf.score(X_test, y_test)
pred = clf.predict(X_test)
""")
    x_tr, x_te, y_tr, y_te, split = _split(a)
    train_data = one(a.plan, O.TRAIN_DATA)
    train_labels = one(a.plan, O.TRAIN_LABELS)
    fit = one(a.plan, O.ESTIMATOR)
    assert fit.description == "Decision Tree"
    assert parent_ids(a.plan, train_data) == [x_tr.id]
    assert parent_ids(a.plan, train_labels) == [y_tr.id]
    assert parent_ids(a.plan, fit) == [train_data.id, train_labels.id]
    # the fit nodes sit at the estimator's constructor (line 16), like mlinspect's
    assert fit.span.start_line == train_data.span.start_line == 16

    test_data, test_labels, score = one(a.plan, O.TEST_DATA), one(a.plan, O.TEST_LABELS), one(a.plan, O.SCORE)
    assert parent_ids(a.plan, test_data) == [x_te.id]
    assert parent_ids(a.plan, test_labels) == [y_te.id]
    assert parent_ids(a.plan, score) == [fit.id, test_data.id, test_labels.id]
    assert score.description == "Decision Tree"
    assert score.span.start_line == 18
    assert isinstance(a.env["acc"], Statistic)

    predict = one(a.plan, O.PREDICT)
    assert predict.description == "Decision Tree: predict" and predict.info.method == "predict"
    assert parent_ids(a.plan, predict) == [x_te.id, fit.id]
    assert origin_set(data(a, "pred")) == {(_src(a).id, ((split, "test"),))}

    clf = estimator(a, "clf")
    assert clf.estimator_node is fit
    assert [origin_set(prov) for prov, _ in clf.fits] == [{(_src(a).id, ((split, "train"),))}]
    assert clf.fits[0][1] is fit
    assert clf.fit_schema.names == ("age", "income", "sex")
    assert fit.info.features.schema.names == ("age", "income", "sex")
    assert fit.info.label_lineage == frozenset({"label"})


def test_fit_returns_the_estimator(tmp_path):
    a = run(tmp_path, PRELUDE + """
model = LogisticRegression().fit(X_train, y_train)
p = model.predict_proba(X_test)
""")
    model = estimator(a, "model")
    assert model.class_name == "LogisticRegression" and model.fitted
    predict = one(a.plan, O.PREDICT)
    assert predict.description == "Logistic Regression: predict_proba"
    assert one(a.plan, O.ESTIMATOR).id in parent_ids(a.plan, predict)


def test_transformer_fit_transform_then_transform(tmp_path):
    a = run(tmp_path, PRELUDE + """
sc = StandardScaler()
Xtr = sc.fit_transform(X_train)
Xte = sc.transform(X_test)
""")
    x_tr, x_te, _, _, split = _split(a)
    fit_t = one(a.plan, O.TRANSFORMER, "Standard Scaler: fit_transform")
    tr_t = one(a.plan, O.TRANSFORMER, "Standard Scaler: transform")
    assert parent_ids(a.plan, fit_t) == [x_tr.id]
    assert parent_ids(a.plan, tr_t) == [x_te.id]
    assert fit_t.info.phase.value == "fit_transform" and tr_t.info.phase.value == "transform"
    assert fit_t.info.learns is True
    Xtr, Xte = data(a, "Xtr"), data(a, "Xte")
    assert Xtr.kind == Xte.kind is DataKind.ARRAY
    assert origin_set(Xte) == {(_src(a).id, ((split, "test"),))}
    sc = estimator(a, "sc")
    assert len(sc.fits) == 1 and origin_set(sc.fits[0][0]) == {(_src(a).id, ((split, "train"),))}
    # each side carries the transformer's mark: the statistic learned on the train rows by the fit node
    for value, phase in ((Xtr, "fit_transform"), (Xte, "transform")):
        assert [s.what for s in value.stats] == [f"StandardScaler.{phase}"]
        mark = value.stats[0]
        assert origin_set(mark.prov) == {(_src(a).id, ((split, "train"),))}
        assert mark.reads == frozenset({"age", "income", "sex"})
        assert mark.origin is fit_t
        assert mark.estimator is sc
        assert mark.learned is True


def test_separate_fit_then_transform(tmp_path):
    a = run(tmp_path, PRELUDE + """
imp = SimpleImputer()
imp.fit(X_train)
Z = imp.transform(X_test)
""")
    fit_node = one(a.plan, O.TRANSFORMER, "Simple Imputer: fit")
    assert fit_node.info.phase.value == "fit"
    transform = one(a.plan, O.TRANSFORMER, "Simple Imputer: transform")
    assert parent_ids(a.plan, transform) == [_split(a)[1].id]


# -- composites ---------------------------------------------------------------------------------

def test_pipeline_fit_score_predict_expansion(tmp_path):
    a = run(tmp_path, PRELUDE + """
ct = ColumnTransformer([("num", StandardScaler(), ["age", "income"]),
                        ("cat", OneHotEncoder(), ["sex"])])
pipe = Pipeline([("prep", ct), ("clf", DecisionTreeClassifier())])
pipe.fit(X_train, y_train)
acc = pipe.score(X_test, y_test)
pred = pipe.predict(X_test)
""")
    x_tr, x_te, y_tr, y_te, split = _split(a)
    # fit side: per-branch projection -> transformer, then concatenation -> train data -> estimator
    num_fit = one(a.plan, O.TRANSFORMER, "Standard Scaler: fit_transform")
    cat_fit = one(a.plan, O.TRANSFORMER, "One-Hot Encoder: fit_transform")
    assert parent_ops(a.plan, num_fit) == [O.PROJECTION]
    assert a.plan.parents(num_fit)[0].description == "to ['age', 'income']"
    assert parent_ids(a.plan, a.plan.parents(num_fit)[0]) == [x_tr.id]
    assert a.plan.parents(cat_fit)[0].description == "to ['sex']"
    concat_fit = [c for c in nodes_of(a.plan, O.CONCATENATION) if parent_ids(a.plan, c) == [num_fit.id, cat_fit.id]]
    assert len(concat_fit) == 1
    train_data = one(a.plan, O.TRAIN_DATA)
    assert parent_ids(a.plan, train_data) == [concat_fit[0].id]
    fit = one(a.plan, O.ESTIMATOR)
    assert parent_ids(a.plan, one(a.plan, O.TRAIN_LABELS)) == [y_tr.id]

    # transform side, once for score and once for predict, each fed by the test split
    num_tr = nodes_of(a.plan, O.TRANSFORMER)
    assert [n.description for n in num_tr].count("Standard Scaler: transform") == 2
    assert [n.description for n in num_tr].count("One-Hot Encoder: transform") == 2
    for node in num_tr:
        if node.info.phase.value == "transform":
            assert parent_ids(a.plan, a.plan.parents(node)[0]) == [x_te.id]
    test_data = one(a.plan, O.TEST_DATA)
    assert parent_ops(a.plan, test_data) == [O.CONCATENATION]
    score = one(a.plan, O.SCORE)
    assert parent_ids(a.plan, score) == [fit.id, test_data.id, one(a.plan, O.TEST_LABELS).id]
    predict = one(a.plan, O.PREDICT)
    assert fit.id in parent_ids(a.plan, predict)
    assert O.CONCATENATION in parent_ops(a.plan, predict)

    pipe = estimator(a, "pipe")
    assert [name for name, _ in pipe.steps] == ["prep", "clf"]
    assert [name for name, _, _ in pipe.steps[0][1].branches] == ["num", "cat"]
    assert origin_set(pipe.fits[0][0]) == {(_src(a).id, ((split, "train"),))}
    final = pipe.steps[1][1]
    assert final.estimator_node is fit and final.fitted


def test_make_pipeline_step_names_and_expansion(tmp_path):
    a = run(tmp_path, PRELUDE + """
pipe = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression())
pipe.fit(X_train, y_train)
""")
    pipe = estimator(a, "pipe")
    assert pipe.class_name == "Pipeline"
    assert [n for n, _ in pipe.steps] == ["simpleimputer", "standardscaler", "logisticregression"]
    imp = one(a.plan, O.TRANSFORMER, "Simple Imputer: fit_transform")
    sc = one(a.plan, O.TRANSFORMER, "Standard Scaler: fit_transform")
    assert parent_ids(a.plan, imp) == [_split(a)[0].id]
    assert parent_ids(a.plan, sc) == [imp.id]
    assert parent_ids(a.plan, one(a.plan, O.TRAIN_DATA)) == [sc.id]
    assert one(a.plan, O.ESTIMATOR).description == "Logistic Regression"
    # imputer keeps a DataFrame's column names (mlinspect's convention)
    assert imp.columns == ["age", "income", "sex"]


def test_make_column_transformer_with_remainder_estimator(tmp_path):
    a = run(tmp_path, PRELUDE + """
ct = make_column_transformer((OneHotEncoder(), ["sex"]), remainder=StandardScaler())
Z = ct.fit_transform(X_train)
""")
    x_tr = _split(a)[0]
    ohe = one(a.plan, O.TRANSFORMER, "One-Hot Encoder: fit_transform")
    rest = one(a.plan, O.TRANSFORMER, "Standard Scaler: fit_transform")
    assert a.plan.parents(ohe)[0].description == "to ['sex']"
    assert parent_ids(a.plan, rest) == [x_tr.id]
    concat = one(a.plan, O.CONCATENATION)
    assert parent_ids(a.plan, concat) == [ohe.id, rest.id]
    assert data(a, "Z").nodes == (concat,)
    ct = estimator(a, "ct")
    assert ct.class_name == "ColumnTransformer"
    # the remainder saw the columns no branch named
    assert ct.remainder.fit_schema.names == ("age", "income")


def test_column_transformer_passthrough_and_drop_remainder(tmp_path):
    a = run(tmp_path, PRELUDE + """
keep = ColumnTransformer([("num", StandardScaler(), ["age"])], remainder="passthrough")
A = keep.fit_transform(X_train)
drop = ColumnTransformer([("num", StandardScaler(), ["age"]), ("gone", "drop", ["sex"])])
B = drop.fit_transform(X_train)
""")
    x_tr = _split(a)[0]
    concat_keep, concat_drop = nodes_of(a.plan, O.CONCATENATION)
    assert x_tr.id in parent_ids(a.plan, concat_keep)          # passthrough: untouched columns flow on
    assert x_tr.id not in parent_ids(a.plan, concat_drop)
    assert parent_ops(a.plan, concat_drop) == [O.TRANSFORMER]
    assert "to ['sex']" not in [n.description for n in nodes_of(a.plan, O.PROJECTION)]


def test_feature_union_fit_and_transform_sides(tmp_path):
    a = run(tmp_path, PRELUDE + """
fu = FeatureUnion([("pca", PCA()), ("kb", SelectKBest())])
A = fu.fit_transform(X_train, y_train)
B = fu.transform(X_test)
""")
    x_tr, x_te = _split(a)[:2]
    assert [n.description for n in nodes_of(a.plan, O.TRANSFORMER)] == [
        "PCA: fit_transform", "Select K Best: fit_transform", "PCA: transform", "Select K Best: transform"]
    fit_concat, tr_concat = nodes_of(a.plan, O.CONCATENATION)
    assert fit_concat.description == tr_concat.description == "FeatureUnion"
    assert [p.description for p in a.plan.parents(fit_concat)] == ["PCA: fit_transform",
                                                                    "Select K Best: fit_transform"]
    for node in a.plan.parents(fit_concat):
        assert parent_ids(a.plan, node) == [x_tr.id]
    for node in a.plan.parents(tr_concat):
        assert parent_ids(a.plan, node) == [x_te.id]
    assert data(a, "B").nodes == (tr_concat,)


def test_nested_pipeline_in_column_transformer(tmp_path):
    a = run(tmp_path, PRELUDE + """
num = make_pipeline(SimpleImputer(), StandardScaler())
ct = ColumnTransformer([("num", num, ["age", "income"]), ("cat", OneHotEncoder(), ["sex"])])
Z = ct.fit_transform(X_train)
""")
    imp = one(a.plan, O.TRANSFORMER, "Simple Imputer: fit_transform")
    sc = one(a.plan, O.TRANSFORMER, "Standard Scaler: fit_transform")
    assert a.plan.parents(imp)[0].description == "to ['age', 'income']"
    assert parent_ids(a.plan, sc) == [imp.id]
    concat = one(a.plan, O.CONCATENATION)
    assert parent_ids(a.plan, concat) == [sc.id, one(a.plan, O.TRANSFORMER, "One-Hot Encoder: fit_transform").id]


def test_pipeline_named_steps_access(tmp_path):
    a = run(tmp_path, PRELUDE + """
pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())])
pipe.fit(X_train, y_train)
clf = pipe.named_steps["clf"]
first = pipe[0]
""")
    assert estimator(a, "clf").class_name == "LogisticRegression"
    assert estimator(a, "clf").estimator_node is one(a.plan, O.ESTIMATOR)
    assert estimator(a, "first").class_name == "StandardScaler"


# -- provenance -----------------------------------------------------------------------------------

def test_split_provenance_on_each_side(tmp_path):
    a = run(tmp_path, PRELUDE)
    src = _src(a)
    split = _split(a)[4]
    assert origin_set(data(a, "X")) == {(src.id, ())}
    assert origin_set(data(a, "X_train")) == origin_set(data(a, "y_train")) == {(src.id, ((split, "train"),))}
    assert origin_set(data(a, "X_test")) == origin_set(data(a, "y_test")) == {(src.id, ((split, "test"),))}
    assert {o.side for o in data(a, "X_test").prov.origins} == {"test"}


def test_nested_splits_compose(tmp_path):
    a = run(tmp_path, PRELUDE + """
X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.25)
model = LogisticRegression().fit(X_fit, y_fit)
""")
    src = _src(a)
    outer = _split(a)[4]
    inner_nodes = nodes_of(a.plan, O.TRAIN_TEST_SPLIT)[4:]
    inner = inner_nodes[0].info.split_of
    assert inner != outer
    assert parent_ids(a.plan, inner_nodes[0]) == [_split(a)[0].id]
    assert origin_set(data(a, "X_fit")) == {(src.id, ((outer, "train"), (inner, "train")))}
    assert origin_set(data(a, "X_val")) == {(src.id, ((outer, "train"), (inner, "test")))}
    assert origin_set(data(a, "y_val")) == {(src.id, ((outer, "train"), (inner, "test")))}
    fits = estimator(a, "model").fits
    assert origin_set(fits[0][0]) == {(src.id, ((outer, "train"), (inner, "train")))}


def test_fit_on_whole_data_records_unsplit_rows(tmp_path):
    a = run(tmp_path, PRELUDE + """
sc = StandardScaler().fit(X)
""")
    assert origin_set(estimator(a, "sc").fits[0][0]) == {(_src(a).id, ())}


def test_fits_accumulate_per_fit_call(tmp_path):
    a = run(tmp_path, PRELUDE + """
clf = LogisticRegression()
clf.fit(X_train, y_train)
clf.fit(X_test, y_test)
""")
    split = _split(a)[4]
    fits = estimator(a, "clf").fits
    assert [origin_set(p) for p, _ in fits] == [{(_src(a).id, ((split, "train"),))},
                                                {(_src(a).id, ((split, "test"),))}]
    assert len(nodes_of(a.plan, O.ESTIMATOR)) == 2


def test_concat_of_train_and_test_has_both_origins(tmp_path):
    a = run(tmp_path, PRELUDE + """
both = pd.concat([X_train, X_test])
""")
    split = _split(a)[4]
    assert origin_set(data(a, "both")) == {(_src(a).id, ((split, "train"),)), (_src(a).id, ((split, "test"),))}


# -- cross-validation and search ------------------------------------------------------------------

def test_cross_val_score(tmp_path):
    a = run(tmp_path, PRELUDE + """
from sklearn.model_selection import cross_val_score
scores = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), X, y, cv=5)
""")
    score = one(a.plan, O.SCORE)
    assert score.description == "cross_val_score"
    assert score.info.kind is EvaluationKind.CROSS_VALIDATION
    assert [p.description for p in a.plan.parents(score)] == ["to ['age', 'income', 'sex']", "to ['label']"]
    assert origin_set(score.info.features.rows) == {(_src(a).id, ())}
    assert isinstance(a.env["scores"], Statistic)
    assert isinstance(score.info.estimator, Estimator)
    assert score.info.estimator.class_name == "Pipeline"
    assert nodes_of(a.plan, O.ESTIMATOR) == []          # clones are fit, not this object


def test_cross_validate_on_train_side(tmp_path):
    a = run(tmp_path, PRELUDE + """
from sklearn.model_selection import cross_validate
res = cross_validate(LogisticRegression(), X_train, y_train)
""")
    score = one(a.plan, O.SCORE, "cross_validate")
    assert origin_set(score.info.features.rows) == {(_src(a).id, ((_split(a)[4], "train"),))}


def test_grid_search_fit_score_predict(tmp_path):
    a = run(tmp_path, PRELUDE + """
from sklearn.model_selection import GridSearchCV
gs = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression()), {"logisticregression__C": [1, 10]})
gs.fit(X_train, y_train)
s = gs.score(X_test, y_test)
best = gs.best_estimator_
""")
    x_tr, x_te, y_tr, y_te, split = _split(a)
    sc_fit = one(a.plan, O.TRANSFORMER, "Standard Scaler: fit_transform")
    assert parent_ids(a.plan, sc_fit) == [x_tr.id]
    fit = one(a.plan, O.ESTIMATOR, "Logistic Regression")
    score = one(a.plan, O.SCORE, "Logistic Regression")
    assert fit.id in parent_ids(a.plan, score)
    # the search also scores its candidates by an internal cross-validation over the train rows
    cv = one(a.plan, O.SCORE, "GridSearchCV (internal cross-validation)")
    assert cv.info.kind is EvaluationKind.CROSS_VALIDATION
    assert parent_ids(a.plan, cv) == [x_tr.id, y_tr.id]
    assert origin_set(cv.info.features.rows) == {(_src(a).id, ((split, "train"),))}
    sc_tr = one(a.plan, O.TRANSFORMER, "Standard Scaler: transform")
    assert parent_ids(a.plan, sc_tr) == [x_te.id]
    gs = estimator(a, "gs")
    assert "search" in gs.kinds and gs.fitted
    assert origin_set(gs.fits[0][0]) == {(_src(a).id, ((split, "train"),))}
    assert estimator(a, "best").class_name == "Pipeline"


def test_grid_search_of_a_plain_classifier(tmp_path):
    a = run(tmp_path, PRELUDE + """
from sklearn.model_selection import GridSearchCV
gs = GridSearchCV(LogisticRegression(), {"C": [1, 10]})
gs.fit(X_train, y_train)
""")
    fit = one(a.plan, O.ESTIMATOR)
    assert parent_ids(a.plan, one(a.plan, O.TRAIN_DATA)) == [_split(a)[0].id]
    gs = estimator(a, "gs")
    # scikit-learn fits a clone: the estimator given stays unfitted, best_estimator_ is the fitted copy
    assert not gs.params["estimator"].fits
    gs_inner = gs.fitted_inner
    assert gs_inner.estimator_node is fit
    assert origin_set(gs_inner.fits[-1][0]) == {(_src(a).id, ((_split(a)[4], "train"),))}


# -- resampling -------------------------------------------------------------------------------------

def test_smote_fit_resample(tmp_path):
    a = run(tmp_path, PRELUDE + """
from imblearn.over_sampling import SMOTE
sm = SMOTE(random_state=0)
X_res, y_res = sm.fit_resample(X_train, y_train)
clf = LogisticRegression().fit(X_res, y_res)
""")
    x_tr, _, y_tr, _, split = _split(a)
    node = one(a.plan, O.TRANSFORMER, "SMOTE: fit_resample")
    assert node.info.phase.value == "fit_resample" and node.info.resampler is True
    assert parent_ids(a.plan, node) == [x_tr.id, y_tr.id]
    X_res, y_res = data(a, "X_res"), data(a, "y_res")
    assert X_res.nodes == (node,) and y_res.nodes == (node,)
    assert X_res.schema.names == ("age", "income", "sex")
    assert origin_set(X_res) == {(_src(a).id, ((split, "train"),))}
    assert parent_ids(a.plan, one(a.plan, O.TRAIN_DATA)) == [node.id]
    assert parent_ids(a.plan, one(a.plan, O.TRAIN_LABELS)) == [node.id]
    sm = estimator(a, "sm")
    assert "resampler" in sm.kinds and sm.fits[0][1] is node


def test_resampler_skipped_on_predict_in_imblearn_pipeline(tmp_path):
    a = run(tmp_path, PRELUDE + """
from imblearn.pipeline import Pipeline as ImbPipeline
from imblearn.over_sampling import RandomOverSampler
ip = ImbPipeline([("ros", RandomOverSampler()), ("clf", LogisticRegression())])
ip.fit(X_train, y_train)
pred = ip.predict(X_test)
""")
    predict = one(a.plan, O.PREDICT)
    assert parent_ids(a.plan, predict) == [_split(a)[1].id, one(a.plan, O.ESTIMATOR).id]


# -- unknowns -------------------------------------------------------------------------------------

def test_unknown_estimator_class_is_not_guessed(tmp_path):
    a = run(tmp_path, PRELUDE + """
from mypackage import MagicModel
m = MagicModel()
m.fit(X_train, y_train)
""")
    assert nodes_of(a.plan, O.ESTIMATOR) == []
    assert nodes_of(a.plan, O.TRAIN_DATA) == []
    assert not isinstance(a.env["m"], Estimator)


def test_predictions_feed_metrics(tmp_path):
    a = run(tmp_path, PRELUDE + """
from sklearn.metrics import accuracy_score
clf = LogisticRegression().fit(X_train, y_train)
acc = accuracy_score(y_test, clf.predict(X_test))
""")
    metric = one(a.plan, O.SCORE, "accuracy_score")
    assert metric.info.kind is EvaluationKind.METRIC
    assert parent_ids(a.plan, metric) == [_split(a)[3].id, one(a.plan, O.PREDICT).id]
    assert origin_set(metric.info.truth) == {(_src(a).id, ((_split(a)[4], "test"),))}

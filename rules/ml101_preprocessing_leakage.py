"""ML101: a data-dependent fit or row statistic saw rows that are later used for evaluation."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.plan import EvaluationKind
from mllint.rule import Rule, RuleContext


class PreprocessingLeakage(Rule):
    code = "ML101"
    name = "preprocessing-leakage"
    summary = "A preprocessing step learned from rows that are later used to evaluate the model."
    severity = Severity.ERROR
    what = """
Finds a data-dependent fit (scaler, imputer, feature selector, vectorizer, decomposition,
binning, target encoder) or a row statistic (mean, median, std, quantile, min/max, group
aggregate) computed on rows that later include evaluation rows — because the split happens
afterwards, or because the whole data set is handed to cross-validation — when its result
feeds the features a model is trained on.
"""
    why = """
The statistic carries information about the test rows into training: the model is evaluated
on data it has, in a small way, already seen, so the reported score is optimistic and will not
hold on new data.  Fit preprocessing on the training rows only, or put it inside a `Pipeline`
so that cross-validation refits it on each training fold.
"""
    example = """
X_scaled = StandardScaler().fit_transform(X)          # learns mean/std of all rows
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y)
model = SVR().fit(X_train, y_train)
model.score(X_test, y_test)
"""
    use_instead = """
X_train, X_test, y_train, y_test = train_test_split(X, y)
model = make_pipeline(StandardScaler(), SVR()).fit(X_train, y_train)
model.score(X_test, y_test)
"""
    invalid = (
        """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
df = pd.read_csv("concrete.csv", names=["cement", "water", "age_days", "strength"])
X = df.drop(columns=["strength"])
X_scaled = StandardScaler().fit_transform(X)  # error
X_train, X_test, y_train, y_test = train_test_split(X_scaled, df["strength"])
print(SVR().fit(X_train, y_train).score(X_test, y_test))
""",
        """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
df = pd.read_csv("pima.csv")
for col in ["glucose", "bmi"]:
    df[col] = df[col].fillna(df[col].mean())  # error
print(cross_val_score(LogisticRegression(), df.drop(columns="outcome"), df["outcome"]).mean())
""",
        """\
import pandas as pd
from sklearn.linear_model import Ridge
df = pd.read_csv("sales.csv")
df["x"] = (df["x"] - df["x"].mean()) / df["x"].std()  # error
train, test = df[:800], df[800:]
model = Ridge().fit(train[["x"]], train["y"])
print(model.score(test[["x"]], test["y"]))
""",
    )
    valid = (
        """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
df = pd.read_csv("concrete.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="strength"), df["strength"])
scaler = StandardScaler().fit(X_train)
model = SVR().fit(scaler.transform(X_train), y_train)
print(model.score(scaler.transform(X_test), y_test))
""",
        """\
import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
df = pd.read_csv("housing.csv")
df["log_area"] = np.log1p(df["area"])
df = df.fillna(0)
print(cross_val_score(make_pipeline(StandardScaler(), Ridge()), df.drop(columns="price"), df["price"]))
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        facts = ctx.facts
        # scores and metrics first: a finding names the scoring of a model before a bare prediction
        for evaluation in sorted(facts.evaluations, key=lambda e: e.kind is EvaluationKind.PREDICT):
            if evaluation.kind is EvaluationKind.CROSS_VALIDATION:
                fit, targets, how = None, list(evaluation.rows.origins) if evaluation.rows else [], "cross-validation"
            else:
                fit = facts.fit_before(evaluation)
                if fit is None:
                    continue
                # a prediction evaluates when it is on held-out rows of a split (its metric, print or
                # plot is hand-written); a prediction on a new file (a Kaggle test set) scores nothing
                targets = facts.held_out(evaluation.rows, fit) if evaluation.kind is EvaluationKind.PREDICT \
                    else facts.unseen(evaluation.rows, fit)
                how = "evaluation"
            if not targets:
                continue
            stats = evaluation.feature_stats if fit is None else fit.feature_stats
            for stat in stats:
                if not stat.learned or stat.prov is None:
                    continue
                if not any(seen.covers(target) for seen in stat.prov.origins for target in targets):
                    continue
                site = facts.stat_site(stat)
                what = facts.stat_text(stat)
                model = facts.estimator_name(evaluation.estimator)
                if how == "cross-validation":
                    message = (f"{what} learns from all rows that {facts.code(evaluation.site, 40)} later splits "
                               f"into validation folds ({facts.at(evaluation.site)}): fit it inside a "
                               f"Pipeline so each fold refits it")
                else:
                    use = "predicted by" if evaluation.kind is EvaluationKind.PREDICT else "used to score"
                    message = (f"{what} learns from rows that include the evaluation rows "
                               f"{facts.name_of(evaluation.inputs)} {use} {model} on "
                               f"{facts.at(evaluation.site)}: fit it on the training rows only")
                related = [(evaluation.site, "evaluated here")] + facts.stat_helper_notes(stat)
                if fit is not None:
                    related.append((fit.site, "model trained here"))
                yield self.finding(ctx, facts.statement_span(site), message, related)


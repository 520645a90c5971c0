"""ML303: categories encoded separately for training and for test / prediction data."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.domains.values import StatisticKind
from mllint.plan import EvaluationKind
from mllint.rule import Rule, RuleContext


class SeparateEncoding(Rule):
    code = "ML303"
    name = "separate-category-encoding"
    summary = "get_dummies is applied to training and test data separately: their columns can differ."
    severity = Severity.ERROR
    what = """
Finds `pd.get_dummies` (one-hot encoding by pandas) called separately on the training data and
on the data the model is evaluated on or applied to.
"""
    why = """
Each call creates one column per category *present in that data*: a category missing from the
test data, or a new one, gives the two frames different columns, in a different order — the
model then reads the wrong columns, silently.  Encode with a fitted `OneHotEncoder` (in a
`Pipeline`), or encode once before splitting.
"""
    example = """
X_train = pd.get_dummies(train)
X_test = pd.get_dummies(test)
"""
    use_instead = """
encoder = OneHotEncoder(handle_unknown="ignore").fit(train)
X_train, X_test = encoder.transform(train), encoder.transform(test)
"""
    invalid = (
        """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
train = pd.read_csv("mushrooms_train.csv")
test = pd.read_csv("mushrooms_test.csv")
y_train = train.pop("poisonous")
X_train = pd.get_dummies(train)
X_test = pd.get_dummies(test)  # error
clf = LogisticRegression().fit(X_train, y_train)
predictions = clf.predict(X_test)
""",
    )
    valid = (
        """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
df = pd.read_csv("mushrooms.csv")
X = pd.get_dummies(df.drop(columns="poisonous"))
X_train, X_test, y_train, y_test = train_test_split(X, df["poisonous"])
print(LogisticRegression().fit(X_train, y_train).score(X_test, y_test))
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        facts = ctx.facts
        for evaluation in facts.evaluations:
            if evaluation.kind not in (EvaluationKind.SCORE, EvaluationKind.PREDICT):   # a metric is reported at its predict
                continue
            fit = facts.fit_before(evaluation)
            if fit is None:
                continue
            trained = {id(s.origin) for s in fit.feature_stats if s.kind is StatisticKind.ENCODING}
            applied = [s for s in evaluation.feature_stats if s.kind is StatisticKind.ENCODING]
            if not trained or not applied or any(id(s.origin) in trained for s in applied):
                continue
            site = facts.stat_site(applied[-1])
            message = (f"`{facts.code(site, 50)}` encodes the evaluation data separately from the training data "
                       f"encoded on {facts.at(facts.stat_site(next(s for s in fit.feature_stats if s.kind is StatisticKind.ENCODING)))}: "
                       f"the dummy columns can differ; use a fitted OneHotEncoder")
            yield self.finding(ctx, facts.statement_span(site), message,
                               [(evaluation.site, "model applied here")])

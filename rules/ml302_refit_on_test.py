"""ML302: a transformer or a statistic is (re)fit on evaluation data."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.plan import EvaluationKind
from mllint.rule import Rule, RuleContext


class RefitOnTest(Rule):
    code = "ML302"
    name = "refit-on-test-data"
    summary = "A transformer is fit, or a statistic computed, on test or prediction data."
    severity = Severity.ERROR
    what = """
Finds a transformer `fit` / `fit_transform`, or a row statistic (mean, median, ...), computed on
the rows a model is evaluated on, instead of reusing what was learned on the training rows.
"""
    why = """
Re-fitting on the test set makes the test features use different parameters from the training
features (the test set is scaled by its own mean, say) and lets test-set information into the
evaluation.  Fit once on the training data and only `transform` the test data.
"""
    example = """
X_train = MinMaxScaler().fit_transform(X_train)
X_test = MinMaxScaler().fit_transform(X_test)     # refit on the test rows
"""
    use_instead = """
scaler = MinMaxScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
"""
    invalid = (
        """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC
df = pd.read_csv("seeds.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="variety"), df["variety"])
X_train = MinMaxScaler().fit_transform(X_train)
X_test = MinMaxScaler().fit_transform(X_test)  # error
print(SVC().fit(X_train, y_train).score(X_test, y_test))
""",
        """\
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
df = pd.read_csv("houses.csv")
train, test = train_test_split(df)
train = train.fillna(train.mean())
test = test.fillna(test.mean())  # error
model = Ridge().fit(train.drop(columns="price"), train["price"])
print(model.score(test.drop(columns="price"), test["price"]))
""",
    )
    valid = (
        """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC
df = pd.read_csv("seeds.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="variety"), df["variety"])
scaler = MinMaxScaler().fit(X_train)
print(SVC().fit(scaler.transform(X_train), y_train).score(scaler.transform(X_test), y_test))
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        facts = ctx.facts
        for evaluation in facts.evaluations:
            if evaluation.kind is EvaluationKind.CROSS_VALIDATION:
                continue
            fit = facts.fit_before(evaluation)
            held = facts.unseen(evaluation.rows, fit) if fit is not None else []
            if not held:
                continue
            for stat in evaluation.feature_stats:
                if not (stat.learned or stat.categories) or stat.prov is None:
                    continue
                # the statistic saw only evaluation rows: each of its origins lies inside the held-out rows
                if not all(any(h.covers(o) for h in held) for o in stat.prov.origins):
                    continue
                site = facts.stat_site(stat)
                message = (f"{facts.stat_text(stat)} learns from the evaluation rows themselves: reuse what was "
                           f"fit on the training rows (transform only) instead of fitting again")
                yield self.finding(ctx, facts.statement_span(site), message,
                                   [(evaluation.site, "evaluated here")] + facts.stat_helper_notes(stat))

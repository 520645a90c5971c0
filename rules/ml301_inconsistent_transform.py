"""ML301: a model is applied to features that skipped transformations its training features had."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.plan import EvaluationKind
from mllint.rule import Rule, RuleContext


class InconsistentTransform(Rule):
    code = "ML301"
    name = "train-test-transform-mismatch"
    summary = "Test or prediction features did not go through the fitted transformations of the training features."
    severity = Severity.ERROR
    what = """
Finds a model evaluated or applied (`score`, `predict`, a metric on its predictions) on
features that did not pass through the same fitted transformers as the features it was
trained on — a scaler applied to the training data and forgotten on the test data, or a
different scaler instance fitted on the test data.
"""
    why = """
The model then sees inputs on a different scale or encoding from the ones it learned on: its
predictions are wrong, usually silently.  Apply the *fitted* transformer to new data with
`transform`, or put transformer and model in one `Pipeline`.
"""
    example = """
X_train_s = scaler.fit_transform(X_train)
reg = SGDRegressor().fit(X_train_s, y_train)
reg.score(X_test, y_test)                 # X_test was never scaled
"""
    use_instead = """
reg = make_pipeline(StandardScaler(), SGDRegressor()).fit(X_train, y_train)
reg.score(X_test, y_test)
"""
    invalid = (
        """\
import pandas as pd
from sklearn.linear_model import SGDRegressor
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
df = pd.read_csv("power_plant.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="PE"), df["PE"])
scaler = StandardScaler()
reg = SGDRegressor().fit(scaler.fit_transform(X_train), y_train)
print(reg.score(X_test, y_test))  # error
""",
    )
    valid = (
        """\
import pandas as pd
from sklearn.linear_model import SGDRegressor
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
df = pd.read_csv("power_plant.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="PE"), df["PE"])
scaler = StandardScaler()
reg = SGDRegressor().fit(scaler.fit_transform(X_train), y_train)
print(reg.score(scaler.transform(X_test), y_test))
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """One finding per set of test features that missed the transformers (the first model
        applied to them; the other uses are related places)."""
        facts = ctx.facts
        found: dict[tuple, list] = {}
        for evaluation in facts.evaluations:
            if evaluation.kind not in (EvaluationKind.SCORE, EvaluationKind.PREDICT) or evaluation.estimator is None:   # metrics: their predict
                continue
            fit = facts.fit_before(evaluation)
            if fit is None or evaluation.rows is None:   # unknown evaluation features: nothing to compare
                continue
            # a transformer of a column that is not among the features (the target's LabelEncoder) is no step
            trained = {id(s.estimator): s for s in fit.feature_stats if s.estimator is not None
                       and (not s.reads or s.reads & fit.feature_lineage)}
            applied = {id(s.estimator) for s in evaluation.feature_stats if s.estimator is not None}
            refit = {s.estimator.class_name for s in evaluation.feature_stats if s.estimator is not None}
            # a transformer of the same class re-fit on these rows: that is ML302's finding, not a missed step
            missing = [s for key, s in trained.items() if key not in applied and s.estimator.class_name not in refit]
            if not missing:
                continue
            key = (tuple(sorted(id(s.estimator) for s in missing)), tuple(n.id for n in evaluation.inputs))
            if key in found:
                found[key][1].append((evaluation.site, "also applied here"))
                continue
            names = ", ".join(facts.estimator_name(s.estimator) for s in missing)
            what = "scored" if evaluation.kind is not EvaluationKind.PREDICT else "applied"
            message = (f"{facts.estimator_name(evaluation.estimator)} was trained on features transformed by "
                       f"{names}, but is {what} here on features that did not go through the fitted "
                       f"transformer: apply it with .transform() or use a Pipeline")
            found[key] = [(evaluation.site, message), [(fit.site, "trained on transformed features here")]]
        for (site, message), related in found.values():
            yield self.finding(ctx, facts.statement_span(site), message, related)

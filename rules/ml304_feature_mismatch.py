"""ML304: the feature columns differ (set or order) between fit and predict / score."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.plan import EvaluationKind
from mllint.rule import Rule, RuleContext


class FeatureMismatch(Rule):
    code = "ML304"
    name = "feature-columns-mismatch"
    summary = "A model is applied to columns that differ in set or order from the ones it was fit on."
    severity = Severity.ERROR
    what = """
Finds a model fit on a DataFrame whose columns are known and then scored or applied to a
DataFrame whose known columns are a different set or in a different order.
"""
    why = """
scikit-learn models read features by position: swapped columns feed prices into the weight
learned for weeks, and the predictions are wrong without any error.  Select the prediction
features with the same column list as the training features.
"""
    example = """
gbr.fit(train[["price", "promo", "week"]], train["units"])
gbr.predict(future[["week", "price", "promo"]])
"""
    use_instead = """
FEATURES = ["price", "promo", "week"]
gbr.fit(train[FEATURES], train["units"])
gbr.predict(future[FEATURES])
"""
    invalid = (
        """\
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor
train = pd.read_csv("demand_train.csv")
future = pd.read_csv("demand_future.csv")
gbr = GradientBoostingRegressor().fit(train[["price", "promo", "week"]], train["units"])
future["units"] = gbr.predict(future[["week", "price", "promo"]])  # error
""",
    )
    valid = (
        """\
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor
FEATURES = ["price", "promo", "week"]
train = pd.read_csv("demand_train.csv")
future = pd.read_csv("demand_future.csv")
gbr = GradientBoostingRegressor().fit(train[FEATURES], train["units"])
future["units"] = gbr.predict(future[FEATURES])
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """One finding per wrong feature list (the first model that gets it; the others are related)."""
        facts = ctx.facts
        found: dict[tuple, list] = {}
        for evaluation in facts.evaluations:
            if evaluation.kind not in (EvaluationKind.SCORE, EvaluationKind.PREDICT) or evaluation.features is None:
                continue
            fit = facts.fit_before(evaluation)
            if fit is None or fit.features is None or fit.features.open or evaluation.features.open:
                continue
            trained, applied = list(fit.features.names), list(evaluation.features.names)
            if trained == applied:
                continue
            key = (tuple(trained), tuple(applied), tuple(n.id for n in evaluation.inputs))
            if key in found:
                found[key][1].append((evaluation.site, "also applied here"))
                continue
            if set(trained) == set(applied):
                problem = f"in a different order ({', '.join(applied)} instead of {', '.join(trained)})"
            else:
                extra, missing = sorted(set(applied) - set(trained)), sorted(set(trained) - set(applied))
                parts = ([f"missing {', '.join(missing)}"] if missing else []) + \
                        ([f"extra {', '.join(extra)}"] if extra else [])
                problem = "with different columns (" + "; ".join(parts) + ")"
            message = (f"{facts.estimator_name(fit.estimator)} was fit on columns {', '.join(trained)} but gets "
                       f"them here {problem}: select the same feature list")
            found[key] = [(evaluation.site, message), [(fit.site, "fit here")]]
        for (site, message), related in found.values():
            yield self.finding(ctx, facts.statement_span(site), message, related)

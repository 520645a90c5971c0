"""ML202: a sensitive attribute, or a column derived from it, is a model feature."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.rule import Rule, RuleContext


class SensitiveFeature(Rule):
    code = "ML202"
    name = "sensitive-feature"
    summary = "A sensitive column, or one derived from it, is among the model's features."
    severity = Severity.WARNING
    what = """
Finds a model fit whose features include a sensitive column (age, sex, race, marital status,
...) or a column derived from one — one-hot columns from `get_dummies`, the outputs of a
`ColumnTransformer` branch that encodes it, a `remainder="passthrough"` that lets it through.
"""
    why = """
A model that uses a protected attribute can discriminate directly, and is often unlawful to
deploy.  Even when it is intended (for a fairness-aware method, say), it should be a visible
decision rather than an accident of `remainder="passthrough"` or `pd.get_dummies(df)`.
"""
    example = """
X = pd.get_dummies(df[["priors_count", "race"]])
LogisticRegression().fit(X, y)
"""
    use_instead = """
X = pd.get_dummies(df[["priors_count"]])
LogisticRegression().fit(X, y)
"""
    invalid = (
        """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("recidivism.csv")
X = pd.get_dummies(df[["priors_count", "race"]])
model = LogisticRegression().fit(X, df["two_year_recid"])  # error
""",
        """\
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
df = pd.read_csv("credit.csv")
prep = make_column_transformer((OneHotEncoder(), ["purpose", "housing"]), remainder="passthrough")
model = make_pipeline(prep, RandomForestClassifier())
model.fit(df[["purpose", "housing", "marital_status", "amount"]], df["risk"])  # error
""",
    )
    valid = (
        """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("recidivism.csv")
X = pd.get_dummies(df[["priors_count", "c_charge_degree"]])
model = LogisticRegression().fit(X, df["two_year_recid"])
""",
        """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("cars.csv")
LogisticRegression().fit(df[["mileage", "page_views"]], df["sold"])
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        facts = ctx.facts
        terms = ctx.settings.sensitive
        for fit in facts.fits:
            if fit.features is not None:
                hits = terms.columns_in(fit.features.columns)
            else:
                hits = terms.select(fit.feature_lineage)
            hits = [h for h in hits if h not in fit.label_lineage]
            if not hits:
                continue
            names = ", ".join(f"`{c}`" for c in hits)
            message = (f"{facts.estimator_name(fit.estimator)} is fit on the sensitive feature(s) {names}: "
                       f"remove them unless their use is intended and reviewed")
            yield self.finding(ctx, facts.statement_span(fit.site), message, columns=hits)

"""ML201: a row filter whose condition reads a sensitive column."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.plan import EvaluationInfo, SelectionInfo
from mllint.rule import Rule, RuleContext


class SensitiveFilter(Rule):
    code = "ML201"
    name = "sensitive-row-filter"
    summary = "A row filter reads a sensitive column and may change who is in the data."
    severity = Severity.WARNING
    what = """
Finds a row selection whose condition reads a sensitive column (age, sex, race, ...) or a
column derived from one — a boolean mask, `query`, `loc`, `isin`, `between`,
`dropna(subset=...)`, `nlargest` — when the selected rows go on to train or evaluate a model.
Exploratory filters whose result no model sees are not reported.
"""
    why = """
Filtering on a protected attribute changes the composition of the groups the model learns
from and is evaluated on — often silently removing a minority group.  Make sure the filter is
intended, and check group sizes before and after it.
"""
    example = """
df = df[df.gender.isin(["M", "F"])]
"""
    use_instead = """
# keep every group; if the filter is really needed, record why and check the group ratios
df = df[df.income.notna()]
"""
    invalid = (
        """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("loans.csv")
df = df[df.gender.isin(["M", "F"])]  # error
LogisticRegression().fit(df[["income", "debt"]], df["approved"])
""",
        """\
import pandas as pd
from sklearn.neighbors import KNeighborsClassifier
df = pd.read_csv("members.csv")
adults = df.query("age >= 25 and age < 65")  # error
KNeighborsClassifier().fit(adults[["visits", "spend"]], adults["churn"])
""",
        """\
import pandas as pd
from sklearn.tree import DecisionTreeClassifier
df = pd.read_csv("people.csv")
known = df.dropna(subset=["MaritalStatus"])  # error
DecisionTreeClassifier().fit(known[["income"]], known["default"])
""",
    )
    valid = (
        """\
import pandas as pd
from sklearn.linear_model import LinearRegression
df = pd.read_csv("taxi.csv")
df = df[(df.fare_amount > 0) & (df.trip_distance < 100)]
df = df.dropna(subset=["passenger_count"])
df = df[df["usage"] > 3]
LinearRegression().fit(df[["trip_distance"]], df["fare_amount"])
""",
        """\
import pandas as pd
df = pd.read_csv("survey.csv")
young = df[df["age"] < 30]           # exploration only: no model learns from it
print(young["income"].mean())
""",
        """\
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
df = pd.read_csv("passengers.csv", names=["age", "fare", "pclass"])
known = df[df["age"].notnull()]       # split on age only to impute age: every row is kept
unknown = df[df["age"].isnull()]
imputer = RandomForestRegressor().fit(known[["fare", "pclass"]], known["age"])
df.loc[df["age"].isnull(), "age"] = imputer.predict(unknown[["fare", "pclass"]])
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        facts = ctx.facts
        for node in facts.plan.nodes():
            if not isinstance(node.info, SelectionInfo) or not facts.feeds_a_model(node):
                continue
            hits = ctx.settings.sensitive.select(node.info.reads or ())
            if not hits or _splits_to_impute(facts, node, hits):
                continue
            names = ", ".join(f"`{c}`" for c in hits)
            message = (f"this row filter reads the sensitive column(s) {names}: it may change the share of each "
                       f"group in the data; check that it is intended")
            yield self.finding(ctx, facts.node_span(node), message, columns=hits)


def _splits_to_impute(facts, node, hits) -> bool:
    """``known = df[df.Age.notnull()]`` / ``unknown = df[df.Age.isnull()]`` to train a model of ``Age``
    and fill it back: the selection feeds the fit or the predictions of a model whose label is the
    sensitive column it reads, so it keeps every row in the end (DESIGN: not an ML201)."""
    imputers = [fit for fit in facts.fits if fit.label_lineage & set(hits)]
    if not imputers:
        return False
    downstream = facts.descendants(node)
    ids = {d.id for d in downstream}
    estimators = [fit.estimator for fit in imputers]
    return any(fit.node.id in ids for fit in imputers) or any(
        isinstance(d.info, EvaluationInfo) and any(d.info.estimator is e for e in estimators) for d in downstream)

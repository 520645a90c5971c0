"""ML104: the label, or a column derived from it, is among the features."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.plan import Operator
from mllint.rule import Rule, RuleContext


class TargetLeakage(Rule):
    code = "ML104"
    name = "target-leakage"
    summary = "The label, or a column computed from it, is among the model's features."
    severity = Severity.ERROR
    what = """
Finds a model fit whose feature columns include the label column, or a column whose lineage
goes back to the label (a flag computed from it, a copy of it).  It uses column lineage, so
`drop(columns=[label])` removes the label, and an unknown (open) schema reports nothing.
"""
    why = """
A model that sees the answer among its inputs learns to copy it: it scores perfectly in
evaluation and is useless in production, where the label is not known yet.
"""
    example = """
X = df                    # still holds "charges"
y = df["charges"]
RandomForestRegressor().fit(X, y)
"""
    use_instead = """
X = df.drop(columns=["charges"])
y = df["charges"]
RandomForestRegressor().fit(X, y)
"""
    invalid = (
        """\
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
df = pd.read_csv("insurance.csv", usecols=["bmi", "children", "charges"])
rf = RandomForestRegressor().fit(df, df["charges"])  # error
""",
        """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("claims.csv", names=["amount", "days", "approved"])
df["approved_flag"] = df["approved"] == "yes"
X = df.drop(columns=["approved"])
LogisticRegression().fit(X, df["approved"])  # error
""",
    )
    valid = (
        """\
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
df = pd.read_csv("insurance.csv", usecols=["bmi", "children", "charges"])
rf = RandomForestRegressor().fit(df.drop(columns=["charges"]), df["charges"])
""",
        """\
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
df = pd.read_csv("insurance.csv")
rf = RandomForestRegressor().fit(df.iloc[:, :-1], df["charges"])   # unknown columns: nothing to say
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """One finding per set of features that carries the label (its first fit; later fits on the
        same features are related places)."""
        facts = ctx.facts
        found: dict[tuple, list] = {}
        for fit in facts.fits:
            label = fit.label_lineage
            if not label:
                continue
            named = fit.features is not None
            if named:
                leaking = [c.name for c in fit.features.columns if c.lineage & label]
            else:   # an array: the columns have no names, only the lineage of what they were computed from
                leaking = sorted(fit.feature_lineage & label)
            if not leaking:
                continue
            story = _story(facts, fit)
            key = (tuple(leaking), tuple(sorted(label)))
            if key in found:
                found[key][1].append((fit.site, "also fit on these features here"))
                continue
            names = ", ".join(f"`{c}`" for c in leaking)
            source = ", ".join(f"`{c}`" for c in sorted(label))
            carried = f"feature(s) {names} taken or computed from the label {source}" if named else \
                f"features computed from the label {source}"
            message = f"{facts.estimator_name(fit.estimator)} is fit with {carried}: drop them from the features"
            found[key] = [(fit.site, message), story]
        for (leaking, _), ((site, message), related) in found.items():
            yield self.finding(ctx, facts.statement_span(site), message, related, columns=leaking)


def _story(facts, fit) -> list:
    """Where the features that carry the label were built and where the label was taken."""
    notes = []
    for parent in facts.plan.parents(fit.node):
        text = {Operator.TRAIN_DATA: "features built here", Operator.TRAIN_LABELS: "label taken here"}.get(
            parent.operator)
        if text is None:
            continue
        source = _before_splits(facts, parent)
        if source is not None and source.site is not None:
            notes.append((source.site, text))
    return notes


def _before_splits(facts, node):
    """The node that built a fit's input, looking past the splits it went through."""
    seen = 0
    current = node
    while seen < 64:
        parents = facts.plan.parents(current)
        if not parents:
            return None
        current = parents[0]
        if current.operator is not Operator.TRAIN_TEST_SPLIT:
            return current
        seen += 1
    return None

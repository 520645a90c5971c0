"""ML203 (off by default): a row-dropping operation on data that carries sensitive columns."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.plan import JoinInfo, RowFilter, SelectionInfo
from mllint.rule import Rule, RuleContext

_ROW_DROPPING_FILTERS = frozenset({RowFilter.MASK, RowFilter.QUERY, RowFilter.DROPNA, RowFilter.DROP_DUPLICATES,
                                   RowFilter.NLARGEST, RowFilter.NSMALLEST, RowFilter.DROP})


class RowDropOnSensitiveData(Rule):
    code = "ML203"
    name = "row-drop-on-sensitive-data"
    summary = "Rows are dropped from data that carries sensitive columns; group ratios may shift."
    severity = Severity.INFO
    default_enabled = False
    what = """
Finds operations that drop rows — an inner join, `dropna()`, a boolean filter, `query`,
`drop_duplicates` — applied to data that carries sensitive columns, whatever the condition
reads, when the rows go on to train or evaluate a model.  These are the places mlinspect's `NoBiasIntroducedFor` check measures.  Off by
default: select it with `--extend-select ML203`.
"""
    why = """
A filter on an innocent-looking column (income, a date, missing values) can remove one group
far more than another, skewing the training data.  Review the group ratios before and after
such steps.  Filters that read the sensitive column itself are ML201.
"""
    example = """
applications = applications[applications["loan_amount"] > 10000]   # data has a `race` column
"""
    use_instead = """
before = applications["race"].value_counts(normalize=True)
applications = applications[applications["loan_amount"] > 10000]
after = applications["race"].value_counts(normalize=True)   # compare, and document the decision
"""
    invalid = (
        """\
import pandas as pd
from sklearn.tree import DecisionTreeClassifier
df = pd.read_csv("mortgages.csv", names=["loan_amount", "race", "approved"])
df = df[df["loan_amount"] > 10000]  # error
df = df.dropna()  # error
DecisionTreeClassifier().fit(df[["loan_amount"]], df["approved"])
""",
    )
    valid = (
        """\
import pandas as pd
from sklearn.tree import DecisionTreeClassifier
df = pd.read_csv("mortgages.csv", names=["loan_amount", "income", "approved"])
df = df[df["loan_amount"] > 10000]
DecisionTreeClassifier().fit(df[["loan_amount"]], df["approved"])
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        facts = ctx.facts
        terms = ctx.settings.sensitive
        for node in facts.plan.nodes():
            if not facts.feeds_a_model(node):
                continue
            info = node.info
            if isinstance(info, SelectionInfo):
                if info.filter not in _ROW_DROPPING_FILTERS:
                    continue
                if terms.select(info.reads or ()):
                    continue   # ML201's business
                inputs = [p.schema for p in facts.plan.parents(node) if p.schema is not None]
            elif isinstance(info, JoinInfo):
                if info.how != "inner":
                    continue
                inputs = [p.schema for p in facts.plan.parents(node) if p.schema is not None]
            else:
                continue
            carried = terms.columns_in(c for schema in inputs for c in schema.columns)
            if not carried:
                continue
            names = ", ".join(f"`{c}`" for c in carried)
            message = (f"this step drops rows from data with the sensitive column(s) {names}: check the group "
                       f"ratios before and after it")
            yield self.finding(ctx, facts.node_span(node), message, columns=carried)

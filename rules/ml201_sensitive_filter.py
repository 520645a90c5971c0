"""ML201: a row filter whose condition reads a sensitive column."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.model import Operator
from mllint.rule import Rule, RuleContext


class SensitiveFilter(Rule):
    code = "ML201"
    name = "sensitive-row-filter"
    summary = "A row filter reads a sensitive column and may change who is in the data."
    severity = Severity.WARNING
    what = """
Finds a row selection whose condition reads a sensitive column (age, sex, race, ...) or a
column derived from one: a boolean mask, `query`, `loc`, `isin`, `between`,
`dropna(subset=...)`, `nlargest`.
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
df = pd.read_csv("loans.csv")
df = df[df.gender.isin(["M", "F"])]  # error
""",
        """\
import pandas as pd
df = pd.read_csv("members.csv")
adults = df.query("age >= 25 and age < 65")  # error
""",
        """\
import pandas as pd
df = pd.read_csv("people.csv")
known = df.dropna(subset=["MaritalStatus"])  # error
""",
    )
    valid = (
        """\
import pandas as pd
df = pd.read_csv("taxi.csv")
df = df[(df.fare_amount > 0) & (df.trip_distance < 100)]
df = df.dropna(subset=["passenger_count"])
usage = df[df["usage"] > 3]
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        facts = ctx.facts
        for node in facts.plan.nodes():
            if node.operator is not Operator.SELECTION:
                continue
            hits = ctx.settings.sensitive.select(node.details.get("reads", ()))
            if not hits:
                continue
            names = ", ".join(f"`{c}`" for c in hits)
            message = (f"this row filter reads the sensitive column(s) {names}: it may change the share of each "
                       f"group in the data; check that it is intended")
            yield self.finding(ctx, facts.node_span(node), message, columns=hits)

"""ML102: evaluation rows were also training rows."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.plan import (ConcatInfo, EvaluationInfo, EvaluationKind, Operator, RowFilter, SelectionInfo,
                         TransformInfo)
from mllint.rule import Rule, RuleContext


#: operators after which copies of a row are gone: a group-by aggregate makes one row per group
_COLLAPSES_ROWS = frozenset({Operator.GROUP_BY_AGG})


class OverlapLeakage(Rule):
    code = "ML102"
    name = "train-test-overlap"
    summary = "The model is evaluated on rows it was trained on, or rows were duplicated before the split."
    severity = Severity.ERROR
    what = """
Finds a model that is fit on data containing the rows it is later evaluated on (fit on the
whole data set, scored on its test split), and oversampling / augmentation / duplication
(`SMOTE`, `RandomOverSampler`, `resample(replace=True)`) done before the train/test split, which
puts copies of the same rows on both sides.
"""
    why = """
A model scored on rows it has memorised looks far better than it is.  Duplicated or synthetic
rows made before the split end up in both the training and the test set, with the same effect.
Split first; fit and oversample on the training side only.
"""
    example = """
X_train, X_test, y_train, y_test = train_test_split(X, y)
clf = LogisticRegression().fit(X, y)          # trained on all rows, test rows included
clf.score(X_test, y_test)
"""
    use_instead = """
X_train, X_test, y_train, y_test = train_test_split(X, y)
clf = LogisticRegression().fit(X_train, y_train)
clf.score(X_test, y_test)
"""
    invalid = (
        """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
df = pd.read_csv("banknotes.csv")
X, y = df[["variance", "skewness"]], df["forged"]
X_train, X_test, y_train, y_test = train_test_split(X, y)
clf = LogisticRegression().fit(X, y)  # error
print(clf.score(X_test, y_test))
""",
        """\
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
df = pd.read_csv("stroke.csv")
X, y = SMOTE().fit_resample(df.drop(columns="stroke"), df["stroke"])  # error
X_train, X_test, y_train, y_test = train_test_split(X, y)
print(DecisionTreeClassifier().fit(X_train, y_train).score(X_test, y_test))
""",
    )
    valid = (
        """\
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
df = pd.read_csv("stroke.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="stroke"), df["stroke"])
X_res, y_res = SMOTE().fit_resample(X_train, y_train)
model = DecisionTreeClassifier().fit(X_res, y_res)
print(model.score(X_train, y_train), model.score(X_test, y_test))
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        facts = ctx.facts
        for evaluation in sorted(facts.evaluations, key=lambda e: e.kind is EvaluationKind.PREDICT):
            if evaluation.kind is EvaluationKind.CROSS_VALIDATION or evaluation.rows is None:
                continue
            fit = facts.fit_before(evaluation)
            if fit is None or fit.rows is None:
                continue
            overlapping = [t for t in evaluation.rows.origins for f in fit.rows.origins
                           if f.covers(t) and facts.test_steps_beyond(t, f)]
            if not overlapping:
                continue
            model = facts.estimator_name(fit.estimator)
            verb = "predicts" if evaluation.kind is EvaluationKind.PREDICT else "is scored on"
            message = (f"{model} is trained on rows that include the test rows it {verb} "
                       f"({facts.at(evaluation.site)}): fit it on the training split only")
            yield self.finding(ctx, facts.statement_span(fit.site), message,
                               [(evaluation.site, "scored on held-out rows that were in its training data")])
        for node in facts.plan.nodes():
            info = node.info
            duplicates = ((isinstance(info, (ConcatInfo, TransformInfo)) and info.duplicates_rows) or
                          (isinstance(info, SelectionInfo) and info.filter is RowFilter.RESAMPLE and info.replace))
            if not duplicates:
                continue
            splits = [d for d in facts.descendants(node, stop=_COLLAPSES_ROWS)
                      if d.operator is Operator.TRAIN_TEST_SPLIT or facts.split_like_selection(d.id)
                      or (isinstance(d.info, EvaluationInfo) and d.info.kind is EvaluationKind.CROSS_VALIDATION)]
            if not splits:
                continue
            site = node.call_site
            if isinstance(info, ConcatInfo):
                advice = "concatenate distinct rows only, or drop the duplicates before splitting"
            else:
                advice = "oversample the training split only"
            message = (f"`{facts.code(site, 50)}` duplicates or synthesises rows before the split on "
                       f"{facts.at(splits[0].site)}: copies of the same rows land in both the "
                       f"training and the test set; {advice}")
            yield self.finding(ctx, facts.statement_span(site), message,
                               [(splits[0].site, "split after oversampling")])

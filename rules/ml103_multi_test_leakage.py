"""ML103: the same test rows score several candidates to choose among them."""
from __future__ import annotations

from typing import Iterator

from mllint.findings import Finding, Severity
from mllint.domains.provenance import Origin
from mllint.plan import EvaluationKind
from mllint.rule import Rule, RuleContext


class MultiTestLeakage(Rule):
    code = "ML103"
    name = "test-set-reuse"
    summary = "The test set is used to choose among candidate models or hyper-parameters."
    severity = Severity.WARNING
    what = """
Finds a test set that scores several candidate models or hyper-parameter values — in a loop
over candidates or over a dict of models — with no untouched hold-out evaluated once at the end.
"""
    why = """
Picking the candidate that does best on the test set tunes the model to that test set: its score
is no longer an unbiased estimate.  Choose on a validation split or with cross-validation
(`GridSearchCV`), and touch the test set once, for the final model.
"""
    example = """
for depth in range(1, 12):
    tree = DecisionTreeRegressor(max_depth=depth).fit(X_train, y_train)
    errors.append(mean_squared_error(y_test, tree.predict(X_test)))
"""
    use_instead = """
search = GridSearchCV(DecisionTreeRegressor(), {"max_depth": range(1, 12)}).fit(X_train, y_train)
mean_squared_error(y_test, search.predict(X_test))
"""
    invalid = (
        """\
import pandas as pd
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor
df = pd.read_csv("auto_mpg.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="mpg"), df["mpg"])
errors = []
for depth in range(1, 12):
    tree = DecisionTreeRegressor(max_depth=depth).fit(X_train, y_train)
    errors.append(mean_squared_error(y_test, tree.predict(X_test)))  # error
print(min(errors))
""",
        """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
df = pd.read_csv("iris.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="species"), df["species"])
models = {"logreg": LogisticRegression(), "svm": SVC()}
for name, model in models.items():
    model.fit(X_train, y_train)
    print(name, model.score(X_test, y_test))  # error
""",
    )
    invalid += (
        """\
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
df = pd.read_csv("churn.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="churn"), df["churn"])
logreg = LogisticRegression().fit(X_train, y_train)
forest = RandomForestClassifier().fit(X_train, y_train)
best = logreg if logreg.score(X_test, y_test) > forest.score(X_test, y_test) else forest  # error
""",
    )
    valid = (
        """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor
df = pd.read_csv("auto_mpg.csv")
X_rest, X_test, y_rest, y_test = train_test_split(df.drop(columns="mpg"), df["mpg"])
X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest)
scores = []
for depth in range(1, 12):
    scores.append(DecisionTreeRegressor(max_depth=depth).fit(X_train, y_train).score(X_val, y_val))
best = DecisionTreeRegressor(max_depth=5).fit(X_rest, y_rest)
print(best.score(X_test, y_test))
""",
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        facts = ctx.facts
        evaluations = [e for e in facts.evaluations if e.kind in (EvaluationKind.SCORE, EvaluationKind.METRIC)]
        yield from self._compared_candidates(ctx, evaluations)
        found: dict[tuple, list] = {}   # one finding per candidate loop and test rows; other scorings related
        for evaluation in evaluations:
            if not evaluation.in_loop:
                continue
            fit = facts.fit_before(evaluation)
            if fit is None or not fit.node.in_loop:
                continue
            # cross-validation folds test different rows on every pass: that is not test-set reuse
            held = [o for o in facts.unseen(evaluation.rows, fit) if not facts.in_cv_fold(o)]
            if not held:
                continue
            if self._untouched_hold_out(facts, evaluations, held):
                continue
            key = (id(fit.site.node) if fit.site is not None else fit.node.id,
                   tuple(sorted((o.source, o.path) for o in held)), tuple(sorted(fit.label_lineage)))
            if key in found:
                found[key][1].append((evaluation.site, "also scored on the same test rows"))
                found[key][2] += 1
                continue
            message = (f"the test rows {facts.name_of(evaluation.inputs)} score "
                       f"a different candidate on every pass of this loop: choosing among them tunes the model "
                       f"to the test set; keep a validation split for the choice, or use cross-validation")
            found[key] = [(evaluation.site, message), [(fit.site, "candidate fit in the loop")], 1, evaluation]
        for (site, message), related, count, first in found.values():
            if count == 1 and first.node.loop_passes > 1:
                continue   # the passes fit models for different labels, not candidates for one
            yield self.finding(ctx, facts.statement_span(site), message, related)

    def _compared_candidates(self, ctx: RuleContext, evaluations) -> Iterator[Finding]:
        """Outside loops: several models scored on the same test rows and their scores compared."""
        facts = ctx.facts
        by_site: dict = {}
        for evaluation in evaluations:
            site = evaluation.node.compared_at
            fit = facts.fit_before(evaluation)
            if site is None or fit is None or evaluation.in_loop:
                continue
            held = tuple(sorted((o for o in facts.unseen(evaluation.rows, fit) if not facts.in_cv_fold(o)),
                                key=lambda o: (o.source, o.path)))
            if held:
                by_site.setdefault((id(site.node), held), []).append((evaluation, site))
        for group in by_site.values():
            models = {id(e.estimator) for e, _ in group}
            if len(models) < 2:
                continue
            evaluation, site = group[0]
            message = (f"the scores of {len(models)} candidate models on the same test rows "
                       f"{facts.name_of(evaluation.inputs)} are compared here to choose among them: the test set "
                       f"becomes part of model selection; compare on a validation split or with cross-validation")
            yield self.finding(ctx, facts.statement_span(site), message,
                               [(e.site, "candidate scored on the test rows") for e, _ in group])

    @staticmethod
    def _untouched_hold_out(facts, evaluations, held) -> bool:
        """Another evaluation, outside any loop, on held-out rows provably disjoint from the looped
        ones: another file, or the other side of a split the looped rows went through.  A second
        random re-split of the same rows is no hold-out: its test rows overlap the ones used to choose."""
        for other in evaluations:
            if other.in_loop or other.rows is None:
                continue
            other_fit = facts.fit_before(other)
            for origin in facts.unseen(other.rows, other_fit):
                if all(_disjoint(facts, origin, h) for h in held):
                    return True
        return False


def _disjoint(facts, a: Origin, b: Origin) -> bool:
    """Rows that cannot overlap: other sources, opposite sides of one split on a shared path, or the
    two halves of a manual split (``df[:800]`` / ``df[800:]``)."""
    if a.source != b.source:
        return True
    for (split_a, side_a), (split_b, side_b) in zip(a.path, b.path):
        if split_a != split_b:
            return side_a == side_b == "rows" and facts.split_like_selection(split_a) \
                and facts.split_like_selection(split_b)
        if side_a != side_b:
            return side_a in ("train", "test") and side_b in ("train", "test")
    return False

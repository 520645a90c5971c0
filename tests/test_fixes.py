"""Fixes (mllint/fixes): each rewrite on real files, and ``mllint check --fix / --diff / --unsafe-fixes`` end to end.

For every fix: the rewritten code parses, mllint's own re-analysis no longer reports that
finding and reports nothing new, and every line outside the edited statement(s) is byte-
identical.  The CLI runs as ``python -m mllint check`` in a subprocess, in a project built in
``tmp_path`` (with a pyproject.toml, so that no configuration above it leaks in).
"""
from __future__ import annotations

import ast
import difflib
import json
import os
import stat
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from mllint.engine.analysis import analyze
from mllint.fixes import Applicability, Fix, TextEdit, fix_text, fixes_for_text, minimal_edits
from mllint.fixes.apply import reported_findings
from mllint.fixes.registry import FIXABLE_CODES, fixers
from mllint.settings import Settings


@dataclass(frozen=True)
class Case:
    name: str
    code: str                    # the rule whose finding is fixed
    source: str
    applicability: Applicability
    changed: frozenset[int]      # 1-based lines of the original that the fix may touch
    expect: str                  # a line of the fixed text


ML104_SELECTION = Case("ml104-selection", "ML104", """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("claims.csv", names=["amount", "days", "approved"])
df["approved_flag"] = df["approved"] == "yes"
model = LogisticRegression().fit(df[["amount", "approved_flag", "days"]], df["approved"])
print(model.score(df[["amount", "days"]], df["approved"]))
""", Applicability.SAFE, frozenset({5}),
    'model = LogisticRegression().fit(df[["amount", "days"]], df["approved"])')

ML104_DROP = Case("ml104-drop", "ML104", """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("claims.csv", names=["amount", "days", "approved"])
df["approved_flag"] = df["approved"] == "yes"
X = df.drop(columns=["approved"])  # the features
LogisticRegression().fit(X, df["approved"])
""", Applicability.UNSAFE, frozenset({5}), 'X = df.drop(columns=["approved", "approved_flag"])  # the features')

ML104_DROP_IN_FIT = Case("ml104-drop-string-in-fit", "ML104", """\
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
df = pd.read_csv('insurance.csv', usecols=['bmi', 'children', 'charges'])
df['charges_high'] = df['charges'] > 10000
rf = RandomForestRegressor().fit(df.drop(columns='charges'), df['charges'])
""", Applicability.SAFE, frozenset({5}),
    "rf = RandomForestRegressor().fit(df.drop(columns=['charges', 'charges_high']), df['charges'])")

ML104_DROP_AXIS = Case("ml104-drop-axis-trailing-comma", "ML104", """\
import pandas as pd
from sklearn.linear_model import LinearRegression
df = pd.read_csv("houses.csv", names=["rooms", "area", "price"])
df["price_per_room"] = df["price"] / df["rooms"]
model = LinearRegression().fit(df.drop(["price",], axis=1), df["price"])
""", Applicability.SAFE, frozenset({5}),
    'model = LinearRegression().fit(df.drop(["price", "price_per_room",], axis=1), df["price"])')

ML302_REFIT = Case("ml302-fit-transform", "ML302", """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC
df = pd.read_csv("seeds.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="variety"), df["variety"])
scaler = MinMaxScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.fit_transform(X_test)   # fit again
print(SVC().fit(X_train, y_train).score(X_test, y_test))
""", Applicability.SAFE, frozenset({9}), "X_test = scaler.transform(X_test)   # fit again")

ML302_FIT_THEN_TRANSFORM = Case("ml302-fit-statement", "ML302", """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
df = pd.read_csv("seeds.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="variety"), df["variety"])
scaler = StandardScaler().fit(X_train)
model = SVC().fit(scaler.transform(X_train), y_train)
scaler.fit(X_test)
print(model.score(scaler.transform(X_test), y_test))
""", Applicability.SAFE, frozenset({9}), "print(model.score(scaler.transform(X_test), y_test))")

ML302_ENCODER_USED_LATER = Case("ml302-encoder", "ML302", """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OrdinalEncoder
from sklearn.tree import DecisionTreeClassifier
df = pd.read_csv("cars.csv", names=["make", "body", "price_band"])
X_train, X_test, y_train, y_test = train_test_split(df[["make", "body"]], df["price_band"])
encoder = OrdinalEncoder()
X_train = encoder.fit_transform(X_train)
X_test = encoder.fit_transform(X_test)
print(DecisionTreeClassifier().fit(X_train, y_train).score(X_test, y_test))
""", Applicability.UNSAFE, frozenset({9}), "X_test = encoder.transform(X_test)")

ML302_IN_HELPER = Case("ml302-in-a-helper", "ML302", """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def evaluate(df):
    X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="variety"), df["variety"])
    scaler = StandardScaler()
    X_train = scaler.fit_transform(X_train)
    X_test = scaler.fit_transform(X_test)
    return SVC().fit(X_train, y_train).score(X_test, y_test)


print(evaluate(pd.read_csv("seeds.csv")))
""", Applicability.UNSAFE, frozenset({11}), "    X_test = scaler.transform(X_test)")

ML101_PIPELINE = Case("ml101-pipeline", "ML101", """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

df = pd.read_csv("concrete.csv", names=["cement", "water", "slag", "strength"])
X = df.drop(columns=["strength"])
X_scaled = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_scaled, df["strength"], random_state=0)
model = SVR().fit(X_train, y_train)
print(model.score(X_test, y_test))
""", Applicability.UNSAFE, frozenset({5, 8, 9, 10}), "model = make_pipeline(StandardScaler(), SVR()).fit(X_train, y_train)")

CASES = [ML104_SELECTION, ML104_DROP, ML104_DROP_IN_FIT, ML104_DROP_AXIS, ML302_REFIT, ML302_FIT_THEN_TRANSFORM,
         ML302_ENCODER_USED_LATER, ML302_IN_HELPER, ML101_PIPELINE]


def codes_of(text: str, path: Path) -> Counter:
    analysis = analyze(text, path=str(path))
    assert analysis.ok, analysis.error
    return Counter(f.code for f in reported_findings(analysis, Settings()))


def touched_lines(before: str, after: str) -> set[int]:
    """1-based lines of ``before`` that are not kept byte for byte (an insertion counts as touching the line
    it is inserted before)."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(keepends=True), after.splitlines(keepends=True),
                                      autojunk=False)
    touched: set[int] = set()
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            touched.update(range(i1 + 1, i2 + 1) if i2 > i1 else {i1 + 1})
    return touched


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_fix_removes_its_finding_and_keeps_every_other_line(case: Case, tmp_path: Path):
    path = tmp_path / "pipeline.py"
    path.write_text(case.source, encoding="utf-8")
    before = codes_of(case.source, path)
    assert before[case.code] == 1, before
    fixes = [fix for finding, fix in fixes_for_text(case.source, str(path), Settings()) if finding.code == case.code]
    assert len(fixes) == 1
    fix = fixes[0]
    assert fix.applicability is case.applicability
    fixed = fix.apply(case.source)
    ast.parse(fixed)
    assert case.expect in fixed.splitlines()
    after = codes_of(fixed, path)
    assert after[case.code] == 0
    assert not after - before, f"new findings: {after - before}"
    assert touched_lines(case.source, fixed) <= case.changed


@pytest.mark.parametrize("source", [
    # no literal feature list anywhere: nothing mechanical to change
    """\
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
df = pd.read_csv("insurance.csv", usecols=["bmi", "children", "charges"])
rf = RandomForestRegressor().fit(df, df["charges"])
""",
    # two transformers without names: which fit to reuse is not in the code
    """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC
df = pd.read_csv("seeds.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="variety"), df["variety"])
X_train = MinMaxScaler().fit_transform(X_train)
X_test = MinMaxScaler().fit_transform(X_test)
print(SVC().fit(X_train, y_train).score(X_test, y_test))
""",
], ids=["ml104-no-literal", "ml302-unnamed"])
def test_no_fix_where_the_rewrite_is_not_mechanical(source: str, tmp_path: Path):
    path = tmp_path / "pipeline.py"
    path.write_text(source, encoding="utf-8")
    assert sum(codes_of(source, path).values()) == 1
    assert fixes_for_text(source, str(path), Settings()) == []


def test_the_cheap_list_of_fixable_codes_is_the_registry():
    assert FIXABLE_CODES == set(fixers())


def test_minimal_edits_keep_unchanged_lines_and_a_missing_final_newline():
    before = "a = 1\nb = 2\nc = 3"
    after = "a = 1\nb = 20\nc = 3"
    edits = minimal_edits(before, after)
    assert edits == (TextEdit(6, 12, "b = 20\n"),)
    fix = Fix("ML000", 2, "t", Applicability.SAFE, edits)
    assert fix.apply(before) == after
    assert minimal_edits(before, before) == ()


VALIDATION_AND_TEST_REFITS = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("seeds.csv")
X, y = df.drop(columns=["variety"]), df["variety"]
X_train, X_rest, y_train, y_rest = train_test_split(X, y, test_size=0.4)
X_val, X_test, y_val, y_test = train_test_split(X_rest, y_rest, test_size=0.5)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_val = sc.fit_transform(X_val)
X_test = sc.fit_transform(X_test)
clf = LogisticRegression().fit(X_train, y_train)
print(clf.score(X_val, y_val), clf.score(X_test, y_test))
"""


@pytest.mark.parametrize("tail, unsafe", [("", False), ("print(sc.mean_)\n", True)],
                         ids=["only-transforms-later", "fitted-state-read-later"])
def test_refits_on_validation_and_test_rows_are_both_fixed(tail: str, unsafe: bool, tmp_path: Path):
    """The transformer is only transformed with afterwards: safe; its fitted mean read afterwards: unsafe."""
    source = VALIDATION_AND_TEST_REFITS + tail
    path = tmp_path / "pipeline.py"
    path.write_text(source, encoding="utf-8")
    assert codes_of(source, path) == Counter({"ML302": 2})
    if unsafe:
        assert fix_text(source, str(path), Settings(), unsafe=False).applied == ()
    result = fix_text(source, str(path), Settings(), unsafe=unsafe)
    assert [f.applicability for f in result.applied] == [Applicability.UNSAFE if unsafe else Applicability.SAFE] * 2
    assert codes_of(result.text, path) == Counter()
    assert touched_lines(source, result.text) == {12, 13}


def test_a_finding_silenced_by_noqa_is_not_fixed(tmp_path: Path):
    source = ML302_REFIT.source.replace("# fit again", "# noqa: ML302")
    path = tmp_path / "pipeline.py"
    path.write_text(source, encoding="utf-8")
    assert fix_text(source, str(path), Settings(), unsafe=True).applied == ()


def test_fix_text_applies_several_fixes_one_after_the_other(tmp_path: Path):
    source = ML302_REFIT.source.replace(
        "print(SVC()", 'df["variety_code"] = df["variety"].astype("category").cat.codes\n'
        'SVC().fit(df[["variety_code", "area"]], df["variety"])\nprint(SVC()')
    path = tmp_path / "pipeline.py"
    path.write_text(source, encoding="utf-8")
    assert codes_of(source, path) == Counter({"ML302": 1, "ML104": 1})
    result = fix_text(source, str(path), Settings(), unsafe=False)
    assert sorted(f.code for f in result.applied) == ["ML104", "ML302"]
    assert codes_of(result.text, path) == Counter()
    assert 'SVC().fit(df[["area"]], df["variety"])' in result.text


# -- the command line ------------------------------------------------------------------------------------------
def mllint(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mllint", "check", "--no-cache", *args], cwd=str(cwd), input=stdin,
                          capture_output=True, text=True, timeout=180)


def test_check_marks_fixable_findings_and_counts_them(project: Path):
    (project / "safe.py").write_text(ML302_REFIT.source, encoding="utf-8")
    (project / "unsafe.py").write_text(ML101_PIPELINE.source, encoding="utf-8")
    result = mllint(project)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if " ML302 " in line][0].startswith("safe.py:9:1: ML302 [*] ")
    assert "[*]" not in [line for line in lines if " ML101 " in line][0]
    assert lines[-2:] == ["Found 2 findings.", "[*] 1 fixable with the `--fix` option "
                          "(1 hidden fix can be enabled with the `--unsafe-fixes` option)."]
    assert (project / "safe.py").read_text(encoding="utf-8") == ML302_REFIT.source   # check alone writes nothing


def test_json_output_gives_each_findings_fix_applicability_and_a_cached_run_the_same(project: Path):
    (project / "safe.py").write_text(ML302_REFIT.source, encoding="utf-8")
    (project / "unsafe.py").write_text(ML101_PIPELINE.source, encoding="utf-8")
    leaky = Path(__file__).resolve().parent.parent / "examples" / "leaky_pipeline.py"
    (project / "none.py").write_bytes(leaky.read_bytes())   # its ML104 (array features) has no fix
    runs = []
    for _ in range(2):   # the second run answers from the cache: the applicability is cached with the report
        result = subprocess.run([sys.executable, "-m", "mllint", "check", "--output-format", "json"], cwd=project,
                                capture_output=True, text=True, timeout=180)
        assert result.returncode == 1, result.stderr
        runs.append({(item["path"], item["code"]): item["fix"] for item in json.loads(result.stdout)})
    assert runs[0] == runs[1]
    assert runs[0][("safe.py", "ML302")] == {"applicability": "safe"}
    assert runs[0][("unsafe.py", "ML101")] == {"applicability": "unsafe"}
    assert runs[0][("none.py", "ML104")] is None


def test_fix_writes_the_safe_fixes_only_and_reports_what_remains(project: Path):
    safe, unsafe = project / "safe.py", project / "unsafe.py"
    safe.write_text(ML302_REFIT.source, encoding="utf-8")
    unsafe.write_text(ML101_PIPELINE.source, encoding="utf-8")
    os.chmod(safe, 0o640)
    result = mllint(project, "--fix")
    assert result.returncode == 1, result.stderr               # the ML101 finding remains
    assert safe.read_text(encoding="utf-8") == ML302_REFIT.source.replace(
        "scaler.fit_transform(X_test)", "scaler.transform(X_test)")
    assert stat.S_IMODE(safe.stat().st_mode) == 0o640
    assert unsafe.read_text(encoding="utf-8") == ML101_PIPELINE.source
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines if " ML" in line] == ["unsafe.py"]
    assert "Found 2 findings (1 fixed, 1 remaining)." in lines
    assert not [p for p in os.listdir(project) if p.startswith(".mllint-fix-")]


def test_unsafe_fixes_are_applied_with_the_flag(project: Path):
    target = project / "unsafe.py"
    target.write_text(ML101_PIPELINE.source, encoding="utf-8")
    result = mllint(project, "--fix", "--unsafe-fixes", "unsafe.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["Found 1 finding (1 fixed, 0 remaining)."]
    assert ML101_PIPELINE.expect in target.read_text(encoding="utf-8").splitlines()
    assert mllint(project, "unsafe.py").returncode == 0


def test_diff_prints_what_fix_would_change_and_writes_nothing(project: Path):
    target = project / "safe.py"
    target.write_text(ML302_REFIT.source, encoding="utf-8")
    result = mllint(project, "--diff", "safe.py")
    assert result.returncode == 1
    assert target.read_text(encoding="utf-8") == ML302_REFIT.source
    assert result.stdout.startswith("--- safe.py\n+++ safe.py\n@@ ")
    changed = [line for line in result.stdout.splitlines() if line[:1] and line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-X_test = scaler.fit_transform(X_test)   # fit again",
                       "+X_test = scaler.transform(X_test)   # fit again"]
    assert result.stderr.strip() == "Would fix 1 finding."
    # standard output holds the diff alone, whatever the output format
    assert mllint(project, "--diff", "--output-format", "json", "safe.py").stdout == result.stdout
    # nothing to change: exit 0, even though a finding (with an unsafe fix only) remains
    (project / "unsafe.py").write_text(ML101_PIPELINE.source, encoding="utf-8")
    quiet = mllint(project, "--diff", "unsafe.py")
    assert (quiet.returncode, quiet.stdout) == (0, "")
    assert mllint(project, "--diff", "--unsafe-fixes", "unsafe.py").returncode == 1


def test_fix_never_writes_through_a_symbolic_link(project: Path, tmp_path_factory: pytest.TempPathFactory):
    outside = tmp_path_factory.mktemp("outside") / "target.py"
    outside.write_text(ML302_REFIT.source, encoding="utf-8")
    (project / "linked.py").symlink_to(outside)
    result = mllint(project, "--fix")
    assert result.returncode == 1
    assert outside.read_text(encoding="utf-8") == ML302_REFIT.source
    assert (project / "linked.py").is_symlink()
    assert "linked.py: note: not fixed: is a symbolic link" in result.stderr.splitlines()
    assert "[*]" not in result.stdout   # --fix cannot fix it, so it is not announced as fixable


def test_fix_leaves_a_read_only_file_alone(project: Path):
    target = project / "frozen.py"
    target.write_text(ML302_REFIT.source, encoding="utf-8")
    target.chmod(0o444)
    result = mllint(project, "--fix", "frozen.py")
    assert result.returncode == 1
    assert target.read_text(encoding="utf-8") == ML302_REFIT.source
    assert "frozen.py: note: not fixed: the file is read-only" in result.stderr.splitlines()


def test_fix_on_standard_input_prints_the_fixed_text(project: Path):
    result = mllint(project, "--fix", "-", "--stdin-filename", "pipe.py", stdin=ML302_REFIT.source)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ML302_REFIT.source.replace("scaler.fit_transform(X_test)", "scaler.transform(X_test)")
    assert "Found 1 finding (1 fixed, 0 remaining)." in result.stderr.splitlines()
    assert not (project / "pipe.py").exists()


def test_fix_keeps_windows_line_endings(project: Path):
    target = project / "crlf.py"
    target.write_bytes(ML302_REFIT.source.replace("\n", "\r\n").encode("utf-8"))
    assert mllint(project, "--fix", "crlf.py").returncode == 0
    assert target.read_bytes() == ML302_REFIT.source.replace(
        "scaler.fit_transform(X_test)", "scaler.transform(X_test)").replace("\n", "\r\n").encode("utf-8")


def notebook_of(*cells: str, indent: int | None = 1) -> bytes:
    """A notebook (a markdown cell, then code cells) as Jupyter writes it (or compact, with ``indent=None``)."""
    items = [{"cell_type": "markdown", "metadata": {}, "source": ["# Seeds ✓"]}]
    items += [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
               "source": cell.splitlines(keepends=True)} for cell in cells]
    notebook = {"cells": items, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                           "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    return (json.dumps(notebook, indent=indent, ensure_ascii=False) + "\n").encode("utf-8")


def cells_of(data: bytes) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(data)["cells"] if c["cell_type"] == "code"]


def split_cells(source: str, *first_lines: int) -> list[str]:
    """``source`` cut into cells starting at the given 1-based lines (the first cell starts at line 1)."""
    lines = source.splitlines(keepends=True)
    bounds = [0, *[n - 1 for n in first_lines], len(lines)]
    return ["".join(lines[a:b]).rstrip("\n") for a, b in zip(bounds, bounds[1:])]


def test_fix_rewrites_the_cell_of_a_notebook_and_keeps_the_rest_of_the_json(project: Path):
    cells = split_cells(ML302_REFIT.source, 5, 9)
    target = project / "nb.ipynb"
    target.write_bytes(notebook_of(*cells))
    result = mllint(project, "nb.ipynb")
    assert "nb.ipynb:cell 3:1:1: ML302 [*] " in result.stdout
    result = mllint(project, "--fix", "nb.ipynb")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Found 1 finding (1 fixed, 0 remaining)." in result.stdout.splitlines()
    fixed_cells = cells[:2] + [cells[2].replace("scaler.fit_transform(X_test)", "scaler.transform(X_test)")]
    assert target.read_bytes() == notebook_of(*fixed_cells)   # only that cell's source changed


def test_the_pipeline_fix_edits_two_cells_of_a_notebook(project: Path):
    cells = split_cells(ML101_PIPELINE.source, 6)
    target = project / "nb.ipynb"
    target.write_bytes(notebook_of(*cells))
    assert mllint(project, "--fix", "nb.ipynb").returncode == 1             # an unsafe fix only
    assert cells_of(target.read_bytes()) == cells
    result = mllint(project, "--fix", "--unsafe-fixes", "nb.ipynb")
    assert result.returncode == 0, result.stdout + result.stderr
    new_cells = cells_of(target.read_bytes())
    assert new_cells[0] == cells[0] + "\nfrom sklearn.pipeline import make_pipeline"
    assert ML101_PIPELINE.expect in new_cells[1].splitlines()
    assert json.loads(target.read_bytes())["cells"][0] == json.loads(notebook_of(*cells))["cells"][0]


def test_a_notebook_whose_json_layout_cannot_be_kept_is_not_fixed(project: Path):
    target = project / "nb.ipynb"
    target.write_bytes(notebook_of(*split_cells(ML302_REFIT.source, 5, 9), indent=None))
    before = target.read_bytes()
    result = mllint(project, "--fix", "nb.ipynb")
    assert result.returncode == 1
    assert target.read_bytes() == before
    assert "[*]" not in result.stdout and "fixable" not in result.stdout   # no fix is offered for it at all
    assert "ML302" in result.stdout and "Found 1 finding." in result.stdout.splitlines()

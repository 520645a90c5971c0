"""`mllint explain` pictures mark the nodes findings point at, at the line of the operation.

Every test runs the real command in a subprocess on files written to disk (or on the shipped
example), and reads the expected lines from the file's own text: the line of the ``.fit`` /
``fit_transform`` call, not of the estimator's constructor.  In notebooks the pictures say
``cell N:line`` (N counts code cells, as ``mllint check`` does).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import mllint_cli, write

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LEAKY = EXAMPLES / "leaky_pipeline.py"

#: The model is built on one line and fit on a later one: the picture shows the fit's line.
SPLIT_FIT = '''\
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("d.csv")
X = df[["a", "b"]]
y = df["t"]
X = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = Pipeline([("clf", LogisticRegression())])

model.fit(X_train, y_train)
print(model.score(X_test, y_test))
'''


def line_of(text: str, needle: str) -> int:
    """1-based line of the one line of ``text`` holding ``needle``."""
    found = [number for number, line in enumerate(text.split("\n"), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def explain(path: Path, *options: str, cwd: Path | None = None):
    result = mllint_cli("explain", str(path), *options, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def dot_nodes(dot: str) -> dict[str, tuple[str, str]]:
    """node name -> (label, the rest of its attributes), from the DOT text."""
    nodes = {}
    for match in re.finditer(r'^  (n\d+) \[label=("(?:[^"\\]|\\.)*")(.*)\];$', dot, re.M):
        nodes[match.group(1)] = (json.loads(match.group(2)), match.group(3))
    return nodes


def mermaid_nodes(chart: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r'^    (n\d+)\W{1,2}"(.*)"\W{1,2}$', chart, re.M)}


def mermaid_finding_class(chart: str) -> set[str]:
    return set(re.findall(r"^    class (n\d+) finding$", chart, re.M))


# -- the shipped example --------------------------------------------------------------------------
def test_dot_marks_the_harmful_statements_of_the_leaky_example():
    source = LEAKY.read_text(encoding="utf-8")
    scaler_line = line_of(source, ".fit_transform(")
    fit_line = line_of(source, ".fit(")
    nodes = dot_nodes(explain(LEAKY, "--format", "dot", cwd=EXAMPLES))
    marked = {name: (label, attributes) for name, (label, attributes) in nodes.items() if "ML" in label}
    assert len(marked) == 2, nodes
    by_code = {label.split("\n")[0]: label for label, _ in marked.values()}
    assert set(by_code) == {"ML101", "ML104"}
    assert f"transform: Standard Scaler: fit_transform (line {scaler_line})" in by_code["ML101"]
    assert f"fit: Logistic Regression (line {fit_line})" in by_code["ML104"]
    for _, attributes in marked.values():
        assert 'color="#d62728"' in attributes and "penwidth=3" in attributes
    for name, (label, attributes) in nodes.items():
        if name not in marked:
            assert "#d62728" not in attributes and not re.search(r"\bML\d{3}\b", label)


def test_mermaid_marks_the_same_nodes_with_the_finding_class():
    source = LEAKY.read_text(encoding="utf-8")
    chart = explain(LEAKY, "--format", "mermaid", cwd=EXAMPLES)
    nodes = mermaid_nodes(chart)
    marked = {name for name, label in nodes.items() if re.match(r"ML\d{3}<br/>", label)}
    assert marked == mermaid_finding_class(chart) and len(marked) == 2
    assert "classDef finding stroke:#d62728" in chart
    labels = sorted(nodes[name] for name in marked)
    assert labels == [f"ML101<br/>transform: Standard Scaler: fit_transform (line {line_of(source, '.fit_transform(')})",
                      f"ML104<br/>fit: Logistic Regression (line {line_of(source, '.fit(')})"]


def test_text_lists_the_findings_under_the_plan_and_no_findings_drops_them():
    source = LEAKY.read_text(encoding="utf-8")
    out = explain(LEAKY, cwd=EXAMPLES)
    plan, _, listing = out.partition("\nfindings: ")
    assert "ESTIMATOR" in plan and "ML1" not in plan
    lines = listing.splitlines()
    assert lines[0] == "2"
    scaler = re.search(rf"^  {line_of(source, '.fit_transform(')}:1 ML101 .* \(node #(\d+)\)$", listing, re.M)
    assert scaler is not None, listing
    assert re.search(rf"^#{scaler.group(1)}\s.*TRANSFORMER\s+Standard Scaler: fit_transform$", plan, re.M)
    assert re.search(rf"^      {line_of(source, 'model.score(')}:1 evaluated here$", listing, re.M)
    assert re.search(rf"^  {line_of(source, '.fit(')}:1 ML104 ", listing, re.M)
    plain = explain(LEAKY, "--no-findings", cwd=EXAMPLES)
    assert plain.rstrip("\n") == plan.rstrip("\n") and "findings" not in plain
    chart = explain(LEAKY, "--format", "mermaid", "--no-findings", cwd=EXAMPLES)
    assert "ML1" not in chart and not mermaid_finding_class(chart)


def test_json_and_mlinspect_stay_the_plan_alone():
    for fmt in ("json", "mlinspect"):
        default = explain(LEAKY, "--format", fmt, cwd=EXAMPLES)
        assert default == explain(LEAKY, "--format", fmt, "--no-findings", cwd=EXAMPLES)
        assert default == explain(LEAKY, "--format", fmt, "--findings", cwd=EXAMPLES)
        assert "ML101" not in default


# -- the operation's line ------------------------------------------------------------------------
def test_pictures_show_the_fit_line_and_mlinspect_keeps_the_constructor(tmp_path):
    path = write(tmp_path, SPLIT_FIT)
    fit_line, built_line = line_of(SPLIT_FIT, "model.fit("), line_of(SPLIT_FIT, "LogisticRegression())")
    assert fit_line != built_line
    chart = explain(path, "--format", "mermaid", cwd=tmp_path)
    labels = list(mermaid_nodes(chart).values())
    assert f"fit: Logistic Regression (line {fit_line})" in labels
    # what the model was given is given by the fit call too
    assert f"train data (line {fit_line})" in labels and f"train labels (line {fit_line})" in labels
    assert not any(f"(line {built_line})" in label for label in labels)
    dot = explain(path, "--format", "dot", cwd=tmp_path)
    assert any(label.startswith(f"fit: Logistic Regression (line {fit_line})")
               for label, _ in dot_nodes(dot).values())
    # mlinspect places an estimator at its constructor (compare_plans depends on it)
    document = json.loads(explain(path, "--format", "mlinspect", cwd=tmp_path))
    (estimator,) = [n for n in document["nodes"] if n["operator_type"] == "ESTIMATOR"]
    assert estimator["code_reference"]["lineno"] == built_line


# -- settings and noqa decide the findings, as for mllint check ------------------------------------
def test_the_files_settings_and_noqa_decide_what_is_marked(tmp_path):
    write(tmp_path, '[project]\nname = "p"\n[tool.mllint]\nignore = ["ML104"]\n', "pyproject.toml")
    shutil.copytree(EXAMPLES / "data", tmp_path / "data")
    source = LEAKY.read_text(encoding="utf-8")
    path = tmp_path / "leaky.py"
    path.write_text(source, encoding="utf-8")
    chart = explain(path, "--format", "mermaid", cwd=tmp_path)
    codes = re.findall(r"(ML\d{3})<br/>", chart)
    assert codes == ["ML101"]
    path.write_text(source.replace(".fit_transform(features)", ".fit_transform(features)  # noqa: ML101"),
                    encoding="utf-8")
    chart = explain(path, "--format", "mermaid", cwd=tmp_path)
    assert not re.findall(r"ML\d{3}<br/>", chart) and not mermaid_finding_class(chart)
    assert explain(path, cwd=tmp_path).rstrip().endswith("findings: none")


# -- notebooks -------------------------------------------------------------------------------------
def notebook(cells: list[tuple[str, str]]) -> str:
    return json.dumps({"cells": [{"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True),
                                  **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                                 for kind, text in cells],
                       "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)


def test_notebook_pictures_say_cell_and_line(tmp_path):
    imports, body = SPLIT_FIT.split("\ndf = ")
    prepare, model = ("df = " + body).split("\nX_train, ")
    model = "X_train, " + model
    cells = [("markdown", "# Title\n"), ("code", imports), ("markdown", "Data"), ("code", prepare),
             ("code", model)]
    path = write(tmp_path, notebook(cells), "nb.ipynb")
    scaler_line = line_of(prepare, ".fit_transform(")
    fit_line = line_of(model, "model.fit(")
    chart = explain(path, "--format", "mermaid", cwd=tmp_path)
    labels = mermaid_nodes(chart)
    assert f"ML101<br/>transform: Standard Scaler: fit_transform (cell 2:{scaler_line})" in labels.values()
    assert f"fit: Logistic Regression (cell 3:{fit_line})" in labels.values()
    assert not any("(line " in label for label in labels.values())
    dot = explain(path, "--format", "dot", cwd=tmp_path)
    assert any(label.startswith(f"ML101\ntransform: Standard Scaler: fit_transform (cell 2:{scaler_line})")
               for label, _ in dot_nodes(dot).values())
    text = explain(path, cwd=tmp_path)
    assert re.search(rf"^  cell 2:{scaler_line}:1 ML101 .*\(node #\d+\)$", text, re.M)
    assert re.search(rf"^      cell 3:{line_of(model, 'model.score(')}:1 evaluated here$", text, re.M)


# -- images ------------------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_images_carry_the_marks(tmp_path, fmt):
    target = tmp_path / f"plan.{fmt}"
    result = mllint_cli("explain", str(LEAKY), "--format", fmt, "--output", str(target), cwd=EXAMPLES)
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    if fmt == "svg":
        text = data.decode("utf-8")
        assert "ML101" in text and "ML104" in text and "#d62728" in text
    else:
        assert data.startswith(b"\x89PNG\r\n\x1a\n")

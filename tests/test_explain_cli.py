"""`mllint explain` end to end, in a subprocess, on files in tmp_path."""
from __future__ import annotations

import json
import re

import pytest

from helpers import mllint_cli, write

PIPELINE = '''\
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

FEATURES = ["age", "hours", "education", "sex"]
TARGET = "income"

raw = pd.read_csv("adult.csv")
raw = raw.dropna()
raw = raw[raw["age"] > 18]
X = raw[FEATURES]
y = raw[TARGET]

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)

preprocess = ColumnTransformer([
    ("num", Pipeline([("impute", SimpleImputer()), ("scale", StandardScaler())]), ["age", "hours"]),
    ("cat", OneHotEncoder(handle_unknown="ignore"), ["education", "sex"]),
])
model = Pipeline([("prep", preprocess), ("clf", LogisticRegression())])
model.fit(X_train, y_train)

accuracy = model.score(X_test, y_test)
predictions = model.predict(X_test)
print(accuracy)
print(predictions[:5])
'''


@pytest.fixture()
def pipeline(tmp_path):
    (tmp_path / "adult.csv").write_text("age,hours,education,sex,income\n39,40,Bachelors,Male,0\n")
    path = write(tmp_path, PIPELINE)
    assert len(PIPELINE.splitlines()) == 30
    return path


def explain(path, fmt: str | None = None, cwd=None):
    args = ["explain", str(path)] + (["--format", fmt] if fmt else [])
    return mllint_cli(*args, cwd=cwd)


def explain_plain(path, fmt: str) -> str:
    result = mllint_cli("explain", str(path), "--format", fmt, "--no-findings")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_text_format(pipeline):
    result = explain(pipeline, "text")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    # one line per node: id, line:column, operator, description
    assert re.search(r"#0 .*\b12:7\s+DATA_SOURCE\s+adult\.csv$", out, re.M)
    assert re.search(r"\b13:7\s+SELECTION\s+dropna$", out, re.M)
    assert len(re.findall(r"\b18:36\s+TRAIN_TEST_SPLIT\s+\((Train|Test) Data\)$", out, re.M)) == 4
    assert re.search(r"\b24:49\s+ESTIMATOR\s+Logistic Regression$", out, re.M)
    assert re.search(r"\b27:12\s+SCORE\s+Logistic Regression$", out, re.M)
    # row selections (dropna #1, the mask #3) narrow the rows before the split
    assert "rows adult.csv -> rows kept by #1 -> rows kept by #3 -> test of split #6" in out
    assert re.search(r"^\s+from #0; columns \[age, hours, education, sex, income\]; rows adult\.csv -> rows kept by #1$",
                     out, re.M)
    # slicing the predictions narrows their rows too
    assert re.search(r"\bSELECTION\s+slice \[:5\]\n.*; rows adult\.csv -> rows kept by #1 -> rows kept by #3 "
                     r"-> test of split #6 -> rows kept by #35$", out, re.M)
    assert "Standard Scaler: fit_transform" in out and "One-Hot Encoder: transform" in out
    # the header line of the CSV beside the script gave the columns
    assert "age, hours, education, sex, income" in out


def test_default_format_is_text(pipeline):
    default, text = explain(pipeline), explain(pipeline, "text")
    assert default.returncode == 0 and default.stdout == text.stdout


def test_json_format_is_node_link(pipeline):
    result = explain(pipeline, "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["directed"] is True and doc["multigraph"] is False
    assert doc["graph"]["error"] is None
    ids = {node["id"] for node in doc["nodes"]}
    assert len(ids) == len(doc["nodes"])
    assert doc["links"] and all(link["source"] in ids and link["target"] in ids for link in doc["links"])
    by_op: dict[str, list[dict]] = {}
    for node in doc["nodes"]:
        by_op.setdefault(node["operator"], []).append(node)
    (source,) = by_op["DATA_SOURCE"]
    assert source["description"] == "adult.csv"
    assert source["columns"] == ["age", "hours", "education", "sex", "income"]
    assert source["span"][0] == 12
    assert {n["side"] for n in by_op["TRAIN_TEST_SPLIT"]} == {"train", "test"}
    assert len(by_op["ESTIMATOR"]) == 1 and len(by_op["SCORE"]) == 1 and len(by_op["PREDICT"]) == 1
    dropna = [n for n in by_op["SELECTION"] if n.get("filter") == "dropna"][0]
    mask = [n for n in by_op["SELECTION"] if n.get("filter") == "mask"][0]
    assert mask["reads"] == ["age"]
    # each row selection narrows the provenance with a row step; its own provenance is the narrowed one
    assert dropna["provenance"] == [[source["id"], [[dropna["id"], "rows"]]]]
    assert mask["provenance"] == [[source["id"], [[dropna["id"], "rows"], [mask["id"], "rows"]]]]
    test_side = [n for n in by_op["TRAIN_TEST_SPLIT"] if n["side"] == "test"][0]
    assert test_side["provenance"] == [[source["id"], [[dropna["id"], "rows"], [mask["id"], "rows"],
                                                       [by_op["TRAIN_TEST_SPLIT"][0]["id"], "test"]]]]
    # the graph is acyclic and every link goes forward
    assert all(link["source"] < link["target"] for link in doc["links"])


def test_json_can_be_loaded_by_networkx(pipeline):
    nx = pytest.importorskip("networkx")
    doc = json.loads(explain(pipeline, "json").stdout)
    try:
        graph = nx.node_link_graph(doc, edges="links")
    except TypeError:   # networkx < 3.4
        graph = nx.node_link_graph(doc)
    assert nx.is_directed_acyclic_graph(graph)
    assert graph.number_of_nodes() == len(doc["nodes"])


def test_mlinspect_format(pipeline):
    result = explain(pipeline, "mlinspect")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {"nodes", "edges"}
    ids = {n["node_id"] for n in doc["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in doc["edges"])
    ops = [n["operator_type"] for n in doc["nodes"]]
    for op in ("DATA_SOURCE", "SELECTION", "PROJECTION", "TRAIN_TEST_SPLIT", "TRANSFORMER", "CONCATENATION",
               "TRAIN_DATA", "TRAIN_LABELS", "ESTIMATOR", "TEST_DATA", "TEST_LABELS", "SCORE"):
        assert op in ops, op
    assert "PREDICT" not in ops and "UNKNOWN" not in ops      # not mlinspect operators
    source = next(n for n in doc["nodes"] if n["operator_type"] == "DATA_SOURCE")
    assert source["description"] == "adult.csv"
    assert source["code_reference"] == {"lineno": 12, "col_offset": 6, "end_lineno": 12,
                                        "end_col_offset": 30}
    descriptions = {n["description"] for n in doc["nodes"]}
    assert {"Standard Scaler: fit_transform", "Simple Imputer: fit_transform", "One-Hot Encoder: transform",
            "Logistic Regression", "(Train Data)", "(Test Data)", "dropna"} <= descriptions


def test_dot_format(pipeline):
    result = explain(pipeline, "dot")
    assert result.returncode == 0, result.stderr
    out = result.stdout.strip()
    assert out.startswith("digraph plan {") and out.endswith("}")
    assert "source: adult.csv (line 12)" in out
    assert "shape=cylinder" in out and "shape=diamond" in out and "shape=box3d" in out
    assert " -> " in out


def test_mermaid_format(pipeline):
    result = explain(pipeline, "mermaid")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("flowchart")
    assert '[("source: adult.csv (line 12)")]' in out                  # data source: cylinder
    assert '{{"split: (Train Data) (line 18)"}}' in out                # split: hexagon
    # estimator fit: subroutine box, at the line of `model.fit(...)` (built on line 24), marked with the
    # finding about the sensitive feature it is fit on
    assert '[["ML202<br/>fit: Logistic Regression (line 25)"]]' in out
    assert '[["fit: Logistic Regression (line 25)"]]' in explain_plain(pipeline, "mermaid")
    assert '(["score: Logistic Regression (line 27)"])' in out          # score: stadium
    assert " --> " in out
    assert "class n" in out and "classDef source" in out


def test_syntax_error_exit_2_one_line(tmp_path):
    path = write(tmp_path, "import pandas as pd\nx = 1\ny = = 2\nz = 3\n", name="broken.py")
    for fmt in ("text", "mermaid", "dot"):
        result = explain(path, fmt)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "broken.py" in lines[0] and "line 3" in lines[0]


def test_syntax_error_json_still_reports(tmp_path):
    path = write(tmp_path, "import pandas as pd\ndef f(:\n    pass\n", name="broken.py")
    result = explain(path, "json")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    doc = json.loads(result.stdout)
    assert doc["graph"]["error"] and "line 2" in doc["graph"]["error"]
    assert doc["nodes"] == []


def test_missing_file_exit_2(tmp_path):
    result = explain(tmp_path / "nope.py")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_file_without_ml_code(tmp_path):
    path = write(tmp_path, "print('hello')\n", name="plain.py")
    result = explain(path)
    assert result.returncode == 0
    assert "no pandas / scikit-learn operations found" in result.stdout


def _notebook(tmp_path, cells, name="analysis.ipynb"):
    nb = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": source,
             **({"execution_count": None, "outputs": []} if kind == "code" else {})}
            for kind, source in cells
        ],
    }
    path = tmp_path / name
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def test_notebook_with_magics(tmp_path):
    path = _notebook(tmp_path, [
        ("code", ["%matplotlib inline\n", "import pandas as pd\n", "df = pd.read_csv('nb.csv')\n"]),
        ("markdown", "# Cleaning"),
        ("code", ["!pip install something\n", "clean = df.dropna()\n", "clean.head()"]),
        ("code", ["%%time\n", "small = clean.sample(frac=0.1)\n"]),
        ("code", ["%%bash\n", "echo df = pd.read_csv('shell.csv')\n"]),
        ("code", ["from sklearn.model_selection import train_test_split\n",
                  "train, test = train_test_split(clean)"]),
    ])
    result = explain(path, "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    ops = [(n["operator"], n["description"]) for n in doc["nodes"]]
    assert ("DATA_SOURCE", "nb.csv") in ops and ("SELECTION", "dropna") in ops
    assert ("SELECTION", "sample") in ops                      # %%time runs its body as Python
    assert ("DATA_SOURCE", "shell.csv") not in ops             # %%bash is not Python
    assert [op for op, _ in ops].count("TRAIN_TEST_SPLIT") == 2
    text = explain(path, "text")
    assert text.returncode == 0 and "nb.csv" in text.stdout and "dropna" in text.stdout


def test_broken_notebook_is_one_line_error(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json", encoding="utf-8")
    result = explain(path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_help_and_version():
    version = mllint_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("mllint ")
    bad = mllint_cli("explain", "x.py", "--format", "pdf")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr

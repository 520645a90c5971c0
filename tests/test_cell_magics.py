"""Cells hidden in ``get_ipython().run_cell_magic(...)`` strings (mllint.engine.cell_magics).

Converted notebooks keep a ``%%time`` cell as one call whose last argument is the cell's text;
the text runs as Python, so it is analysed in place and its findings point at the characters
of the literal that hold the code.
"""
from __future__ import annotations

import ast
from pathlib import Path

from mllint.checker import check_source
from mllint.engine.cell_magics import MAX_DEPTH, _mapper
from mllint.engine.positions import PositionIndex
from mllint.engine.source import cell_to_python
from mllint.plan import Operator
from mllint.settings import Settings

from helpers import nodes_of, run, write

HEAD = ("import pandas as pd\n"
        "from sklearn.preprocessing import StandardScaler\n"
        "from sklearn.model_selection import train_test_split\n"
        "from sklearn.linear_model import LogisticRegression\n")
LEAK = ("df = pd.read_csv('data.csv')\\n"
        "X = StandardScaler().fit_transform(df.drop(columns='y'))\\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, df['y'])\\n")
FIT = "model = LogisticRegression().fit(X_train, y_train)\nprint(model.score(X_test, y_test))\n"


def findings(tmp_path: Path, code: str):
    path = write(tmp_path, code)
    analysis, found = check_source(path.read_text(), str(path), Settings())
    assert analysis.error is None, analysis.error
    return analysis, found


def test_time_cell_is_analysed_with_positions_in_the_literal(tmp_path: Path) -> None:
    call = f"get_ipython().run_cell_magic('time', '', \"{LEAK}\")\n"
    analysis, found = findings(tmp_path, HEAD + call + FIT)
    assert [(f.code, f.span.start_line) for f in found] == [("ML101", 5)]
    # the statement ``X = ...`` starts right after the first ``\n`` escape of the literal
    assert found[0].span.start_col == call.index("X = ")
    source = nodes_of(analysis.plan, Operator.DATA_SOURCE)[0]
    assert (source.span.start_line, source.span.start_col) == (5, call.index("pd.read_csv"))


def test_writefile_and_bash_cells_are_not_analysed(tmp_path: Path) -> None:
    for magic in ("writefile', 'model.py", "bash', '"):
        code = HEAD + f"get_ipython().run_cell_magic('{magic}', \"{LEAK}\")\nprint(X_train)\n"
        analysis, found = findings(tmp_path, code)
        assert found == []
        assert not nodes_of(analysis.plan, Operator.DATA_SOURCE)


def test_capture_chains_and_ipython_syntax_inside_the_cell(tmp_path: Path) -> None:
    body = "%%time\\n!pip install x\\n%matplotlib inline\\n" + LEAK
    code = HEAD + f"get_ipython().run_cell_magic('capture', 'out', \"{body}\")\n" + FIT
    _, found = findings(tmp_path, code)
    assert [(f.code, f.span.start_line) for f in found] == [("ML101", 5)]


def test_escapes_and_triple_quoted_literal_map_back_exactly(tmp_path: Path) -> None:
    body = ("'''\n"
            "df = pd.read_csv(\\'data.csv\\')  # a \\\\ and a \\t\n"
            "X = StandardScaler().fit_transform(df.drop(columns=\"y\"))\n"
            "X_train, X_test, y_train, y_test = train_test_split(X, df['y'])\n'''")
    code = HEAD + f"get_ipython().run_cell_magic('time', '', {body})\n" + FIT
    analysis, found = findings(tmp_path, code)
    assert [(f.code, f.span.start_line, f.span.start_col) for f in found] == [("ML101", 7, 0)]
    source = nodes_of(analysis.plan, Operator.DATA_SOURCE)[0]
    line = code.split("\n")[5]
    assert line.startswith("df = pd.read_csv(\\'")
    assert (source.span.start_line, source.span.start_col, source.span.end_col) == (6, 5, line.index(")") + 1)


def test_line_magics_time_runs_the_statement_and_others_are_no_ops(tmp_path: Path) -> None:
    code = (HEAD + "get_ipython().run_line_magic('matplotlib', 'inline')\n"
            f"get_ipython().run_cell_magic('time', '', \"{LEAK}\")\n"
            "get_ipython().run_line_magic('time', 'model = LogisticRegression().fit(X_train, y_train)')\n"
            "print(model.score(X_test, y_test))\n")
    analysis, found = findings(tmp_path, code)
    assert [f.code for f in found] == ["ML101"]
    fit = nodes_of(analysis.plan, Operator.ESTIMATOR)[0]
    assert (fit.span.start_line, fit.span.start_col) == (7, code.split("\n")[6].index("LogisticRegression"))
    # options of %timeit are not Python: the statement stays unknown
    code = code.replace("('time', 'model", "('timeit', '-n 1 model")
    assert findings(tmp_path, code)[1] == []


def test_shadowed_get_ipython_is_an_ordinary_call(tmp_path: Path) -> None:
    code = HEAD + "get_ipython = print\n" + f"get_ipython().run_cell_magic('time', '', \"{LEAK}\")\n" + FIT
    analysis, found = findings(tmp_path, code)
    assert found == [] and not nodes_of(analysis.plan, Operator.DATA_SOURCE)


def test_broken_cell_stays_unknown(tmp_path: Path) -> None:
    code = HEAD + "get_ipython().run_cell_magic('time', '', 'df = pd.read_csv(')\nprint(1)\n"
    analysis = run(tmp_path, code)
    assert not nodes_of(analysis.plan, Operator.DATA_SOURCE)


def test_nesting_is_bounded(tmp_path: Path) -> None:
    inner = "df = pd.read_csv(\"data.csv\")"
    for _ in range(MAX_DEPTH + 1):
        inner = "get_ipython().run_cell_magic('time', '', " + repr(inner) + ")"
    analysis = run(tmp_path, HEAD + inner + "\n")
    assert not nodes_of(analysis.plan, Operator.DATA_SOURCE)
    inner = "df = pd.read_csv(\"data.csv\")"
    for _ in range(MAX_DEPTH):
        inner = "get_ipython().run_cell_magic('time', '', " + repr(inner) + ")"
    analysis = run(tmp_path, HEAD + inner + "\n")
    (source,) = nodes_of(analysis.plan, Operator.DATA_SOURCE)
    line = (HEAD + inner).split("\n")[4]
    assert (source.span.start_line, source.span.start_col) == (5, line.index("pd.read_csv"))


def test_dedented_cell_keeps_its_columns() -> None:
    value = "\n    x = 1\n    y = 2"
    code = f"get_ipython().run_cell_magic('time', '', {value!r})"
    literal = ast.parse(code).body[0].value.args[2]
    lines, indent, undented = cell_to_python(value)
    assert lines == ["", "x = 1", "y = 2"] and indent == 4
    to_outer = _mapper(literal, PositionIndex([code]), value, indent, undented)
    assert to_outer(3, 0) == (1, code.index("y = 2"))


def test_unreadable_literal_has_no_map() -> None:
    code = "f('abc')"
    literal = ast.parse(code).body[0].value.args[0]
    assert _mapper(literal, PositionIndex([code]), "abd", 0, ()) is None


def test_timeit_names_stay_inside_the_cell(tmp_path: Path) -> None:
    code = HEAD + f"get_ipython().run_cell_magic('timeit', '-n 1', \"{LEAK}\")\nprint(X_train)\n"
    analysis = run(tmp_path, code)
    assert nodes_of(analysis.plan, Operator.TRAIN_TEST_SPLIT) and "X_train" not in analysis.env


def _cells(count: int) -> str:
    return "".join(f"get_ipython().run_cell_magic('time', '', 'x{i} = {i}')\n" for i in range(count))


def test_cell_count_and_budget_are_bounded(monkeypatch) -> None:
    from mllint.engine import cell_magics
    from mllint.interpreter.budget import Budget

    code = _cells(5)
    tree = ast.parse(code)
    monkeypatch.setattr(cell_magics, "MAX_CELLS", 2)
    found = cell_magics.find_hidden_cells(code, tree, PositionIndex(code.split("\n")), Budget())
    assert len(found.cells) == 2 and "more than 2 hidden notebook cells" in found.notes[0]
    budget = Budget(max_work=10)
    found = cell_magics.find_hidden_cells(code, tree, PositionIndex(code.split("\n")), budget)
    assert not found.cells and "budget" in found.notes[0] and budget.work == 0

"""Valid Python that LibCST 1.9 rejects is analysed, not reported as a syntax or internal error.

Each form goes through ``analyze()`` (and the notebook case through a real ``mllint check``
subprocess): the file must parse, keep its line numbers, and still show the finding that the
code around the odd form holds, at the right line (and cell / column for notebooks).
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
from pathlib import Path

import libcst as cst
import pytest

from mllint.engine.analysis import analyze
from mllint.checker import check_analysis
from mllint.engine import parsing
from mllint.engine.parsing import MAX_STRING_RUN, join_string_runs, parse_code, space_keywords
from mllint.settings import Settings
from test_lsp_server import client, diagnostics_where, has, start, the  # noqa: F401  (pytest-lsp fixture)
from samples import STATISTIC_LEAK

pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")   # ``1if``: CPython warns, accepts

# One ML101 (a statistic computed before the split) at line LEAK_LINE + the number of lines put in front.
LEAK = STATISTIC_LEAK
LEAK_LINE = 4


def _findings(code: str, tmp_path: Path, name: str = "pipeline.py"):
    path = tmp_path / name
    path.write_text(code, encoding="utf-8")
    analysis = analyze(path.read_text(encoding="utf-8"), path=str(path))
    assert analysis.error is None, analysis.error
    assert not [note for note in analysis.notes if "internal error" in note], analysis.notes
    return analysis, check_analysis(analysis, Settings())


def _with_prefix(prefix: str) -> str:
    """LEAK with ``prefix`` (valid Python CPython accepts) as its first statements."""
    assert ast.parse(prefix)
    return prefix + LEAK


def _leak_lines(findings) -> list[int]:
    return [f.span.start_line for f in findings if f.code == "ML101"]


# -- 1. thousands of implicitly concatenated string literals -------------------------------------------

@pytest.mark.parametrize("layout", ["parenthesised", "one_line", "backslashes", "statement"])
def test_ten_thousand_concatenated_literals_are_analysed(tmp_path, layout):
    parts = ["'ab'"] * 10_000
    literal = {"parenthesised": "(" + "\n".join(parts) + ")",
               "one_line": " ".join(parts),
               "backslashes": " \\\n".join(parts),
               "statement": None}[layout]
    prefix = (" \\\n".join(parts) + "\n") if literal is None else f"s = {literal}\n"
    code = _with_prefix(prefix)
    with pytest.raises(Exception):   # what LibCST does with it on its own
        cst.parse_module(code)
    started = time.perf_counter()
    analysis, findings = _findings(code, tmp_path)
    assert time.perf_counter() - started < 20
    assert _leak_lines(findings) == [prefix.count("\n") + LEAK_LINE]
    assert any("string literals were joined" in note for note in analysis.notes)


def test_three_thousand_literals_libcst_accepts_do_not_stop_the_interpreter(tmp_path):
    """LibCST nests one ConcatenatedString per literal: walking 3,000 of them used to end the analysis."""
    prefix = "s = (" + "\n".join(["'ab'"] * 3000) + ")\n"
    assert cst.parse_module(prefix)
    analysis, findings = _findings(_with_prefix(prefix), tmp_path)
    assert _leak_lines(findings) == [3000 + LEAK_LINE]
    assert not [note for note in analysis.notes if "stopped" in note], analysis.notes


def test_joined_literal_keeps_value_and_statement_lines():
    parts = ["'a'", '"\\n"', "r'\\d'", "u'é'"] * (MAX_STRING_RUN // 2)
    code = "x = 1\nif x:\n    s = (" + "\n        ".join(parts) + ")  # end\n    t = s\n"
    joined = join_string_runs(code)
    assert joined is not None and joined.count("\n") == code.count("\n")
    before, after = ast.parse(code), ast.parse(joined)
    assert ast.dump(before) == ast.dump(after)
    assert [(n.lineno, n.end_lineno, n.col_offset) for n in ast.walk(before) if isinstance(n, ast.stmt)] == \
           [(n.lineno, n.end_lineno, n.col_offset) for n in ast.walk(after) if isinstance(n, ast.stmt)]
    assert "# end" in joined


def test_literals_next_to_an_fstring_are_joined_on_its_side():
    run = "\n".join(["'a'"] * (MAX_STRING_RUN + 1))
    code = f"y = 1\ns = ({run}\nf'{{y}}'\n{run})\n"
    joined = join_string_runs(code)
    assert joined is not None
    assert ast.dump(ast.parse(joined)) == ast.dump(ast.parse(code))
    assert cst.parse_module(joined)


def test_short_runs_are_left_alone():
    code = "s = (" + " ".join(["'a'"] * MAX_STRING_RUN) + ")\n"
    assert join_string_runs(code) is None


# -- 2. keywords glued to the next token --------------------------------------------------------------

GLUED = [
    "f = lambda x: -1 if x < 0 else(1 if x > 0 else 0)\n",       # the Kaggle form (corpus: 2 scripts, 2 notebooks)
    "v = 1 if(lambda: 1) else 2\n",
    "v = not(1 if True else 0)\n",
    "v = 1 in(1 if True else [0])\n",
    "v = 1 is(1 if True else 0)\n",
    "v = 1 or(lambda: 1)\n",
    "v = 1 and(1 if True else 0)\n",
    "v = [a for a in(1 if True else [0])]\n",
    "v = [a for a in [1] if(1 if True else 0)]\n",
    "def g():\n    return(1 if True else 0)\n",
    "def g():\n    yield(lambda: 1)\n",
    "assert(1 if True else 0)\n",
    "while(0 if True else 1):\n    pass\n",
    "if(1 if True else 0):\n    pass\nelif(lambda: 0):\n    pass\n",
    "v = 1 not in(1 if True else [0])\n",
    "v = 1 is not(1 if True else 0)\n",
    # accepted by LibCST already; must stay accepted (and unchanged in meaning)
    "v = 1if True else 2\n",
    "print(1)if True else 0\n",
    "v = 1if True else(2)\n",
    "v = not(True)\n",
    "v = lambda:(1)\n",
    "v = 'a'if True else'b'\n",
    "v = [1for a in [2]]\n",
]


@pytest.mark.parametrize("prefix", GLUED, ids=[g.split("\n")[0] for g in GLUED])
def test_keyword_glued_to_a_token_is_analysed(tmp_path, prefix):
    code = _with_prefix(prefix)
    analysis, findings = _findings(code, tmp_path)
    assert _leak_lines(findings) == [prefix.count("\n") + LEAK_LINE]
    assert analysis.notes == []


def test_spacing_keeps_lines_and_line_starts():
    code = "x = [a for a in(1 if b else 0)]\nif(lambda: 1):\n    y = 1if x else(2)\n"
    spaced = space_keywords(code)
    assert spaced is not None
    assert ast.dump(ast.parse(spaced)) == ast.dump(ast.parse(code))
    for old, new in zip(code.split("\n"), spaced.split("\n")):
        assert len(old) - len(old.lstrip()) == len(new) - len(new.lstrip())
        assert new.lstrip().startswith(old.lstrip()[:2])
    assert cst.parse_module(spaced)


def test_glued_keyword_inside_a_string_is_not_touched():
    code = "s = 'else(1 if a else 0)'\nv = 1 if b else(1 if a else 0)\n"
    parsed = parse_code(code)
    assert parsed.error is None
    assert parsed.code.split("\n")[0] == code.split("\n")[0]


# -- 4. anything else LibCST rejects: the statement is left out, the rest analysed --------------------

def test_a_statement_libcst_rejects_is_left_out_with_a_note(tmp_path):
    # 10,000 f-strings: their value is not known, so they cannot be joined, and LibCST gives up
    prefix = "import os\nbanner = " + " ".join(["f'{os.sep}'"] * 10_000) + "\n"
    analysis, findings = _findings(_with_prefix(prefix), tmp_path)
    assert _leak_lines(findings) == [2 + LEAK_LINE]
    assert [note for note in analysis.notes if "1 statement(s) LibCST cannot parse" in note and "line 2" in note]


def test_real_syntax_errors_are_still_reported():
    parsed = parse_code("x = (1,\n")
    assert parsed.module is None and parsed.error.startswith("syntax error at line 1")


# -- 3. notebook cells that start with a space --------------------------------------------------------

def _notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                  "source": cell} for cell in cells],
                       "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5})


LEAK_CELLS = (
    "import pandas as pd\nfrom sklearn.linear_model import Ridge",
    # pasted with two spaces in front of every line, and a less indented comment: IPython runs it
    '\n  df = pd.read_csv("sales.csv")\n# prepare\n  df["x"] = (df["x"] - df["x"].mean()) / df["x"].std()',
    "train, test = df[:800], df[800:]\nmodel = Ridge().fit(train[['x']], train['y'])\n"
    "print(model.score(test[['x']], test['y']))",
)


def test_indented_notebook_cell_is_dedented_and_columns_map_back(tmp_path):
    analysis, findings = _findings(_notebook(*LEAK_CELLS), tmp_path, "nb.ipynb")
    [finding] = [f for f in findings if f.code == "ML101"]
    source = analysis.source
    assert source.code_cell_position(finding.span.start_line) == (2, 4)
    assert finding.span.start_col == 0
    assert source.cell_column(finding.span.start_line, finding.span.start_col) == 2
    comment_line = source.cells[1].first_line + 2
    assert source.text.split("\n")[comment_line - 1] == "# prepare"
    assert source.cell_column(comment_line, 0) == 0      # the line IPython left as it was
    from mllint.render import RENDERERS
    assert " cell 2:4:3 " in RENDERERS["text"](analysis)   # explain shows the cell's own column


def test_mllint_check_reports_the_indented_cell_at_its_cell_line_and_column(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n", encoding="utf-8")
    (tmp_path / "nb.ipynb").write_text(_notebook(*LEAK_CELLS), encoding="utf-8")
    text = subprocess.run([sys.executable, "-m", "mllint", "check", "--no-cache", "nb.ipynb"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert text.returncode == 1, text.stdout + text.stderr
    assert "nb.ipynb:cell 2:4:3: ML101" in text.stdout
    result = subprocess.run([sys.executable, "-m", "mllint", "check", "--no-cache", "--output-format", "json",
                             "nb.ipynb"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    [finding] = [f for f in json.loads(result.stdout) if f["code"] == "ML101"]
    assert (finding["cell"], finding["cell_line"], finding["start_column"]) == (2, 4, 3)


def test_the_pipeline_fix_declines_code_libcst_rejects():
    """The editor's rewrite works on the user's own text (never the normalised copy): no fix, no crash."""
    from lsp_server.pipeline_fix import pipeline_fix

    code = _with_prefix("f = lambda x: -1 if x < 0 else(1 if x > 0 else 0)\n")
    assert pipeline_fix(code, None, 1 + LEAK_LINE, Settings()) is None


def test_automagic_lines_that_are_not_python_are_blanked(tmp_path):
    """IPython runs ``pip install x`` / ``cd ../input`` without ``%`` (automagic is on by default)."""
    cells = ("pip install -q xgboost\ncd ../input\nls data/", *LEAK_CELLS,
             "run = 3\nls -la\nrun (1,\n     2)\nif run:\n    pip install x\n")
    analysis, findings = _findings(_notebook(*cells), tmp_path, "nb.ipynb")
    lines = analysis.source.text.split("\n")
    assert lines[:3] == ["", "", ""]   # "ls data/" is not Python either
    last = analysis.source.cells[-1].first_line
    assert lines[last - 1:last + 5] == ["run = 3", "ls -la", "run (1,", "     2)", "if run:", "    pass"]
    [finding] = [f for f in findings if f.code == "ML101"]
    assert analysis.source.code_cell_position(finding.span.start_line) == (3, 4)


async def test_language_server_places_the_indented_cell_finding_at_its_column(client, tmp_path):  # noqa: F811
    """The server's notebook diagnostics use the cell's own columns (the removed indent added back)."""
    from lsprotocol import types

    await start(client, "visual-studio-code", tmp_path)
    notebook = tmp_path / "nb.ipynb"
    cell_uris = [f"vscode-notebook-cell:{notebook}#W{i}sZmlsZQ" for i in range(len(LEAK_CELLS))]
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=notebook.as_uri(), notebook_type="jupyter-notebook", version=1,
            cells=[types.NotebookCell(kind=types.NotebookCellKind.Code, document=u) for u in cell_uris]),
        cell_text_documents=[types.TextDocumentItem(uri=u, language_id="python", version=1, text=t)
                             for u, t in zip(cell_uris, LEAK_CELLS)]))
    diagnostic = the(await diagnostics_where(client, cell_uris[1], has("ML101"), "ML101 in the indented cell"),
                     "ML101")
    assert diagnostic.range.start == types.Position(3, 2)
    assert diagnostic.range.end.character == len(LEAK_CELLS[1].split("\n")[3])


def test_statements_sharing_a_line_stay_in_one_chunk():
    from mllint.engine.parsing import _statement_chunks

    code = "# head\nx = (1,\n     2); y = 3\n@dec\ndef f():\n    pass\nz = 1; w = 2\n"
    assert _statement_chunks(code, ast.parse(code)) == [(1, 1), (2, 3), (4, 6), (7, 8)]


# -- statements LibCST would take too long to parse ------------------------------------------------
def _generated_formula(terms: int, depth: int) -> str:
    """Genetic-programming output: one function returning a long sum of deeply nested terms."""
    term = "(data['a'] * 2.0)"
    for _ in range(depth):
        term = f"(({term}) + (data['b']))"
    body = " +\n            ".join(f"0.04*np.tanh({term})" for _ in range(terms))
    return f"def formula(data):\n    return ({body})\n"


COSTLY_PIPELINE = """\
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("data.csv")
X = StandardScaler().fit_transform(df[["a", "b"]])
{formula}
X_train, X_test, y_train, y_test = train_test_split(X, df["y"])
model = LogisticRegression().fit(X_train, y_train)
print(model.score(X_test, y_test))
"""


def test_a_statement_too_costly_for_libcst_is_left_out_and_the_rest_analysed():
    source = COSTLY_PIPELINE.format(formula=_generated_formula(terms=120, depth=30))
    started = time.process_time()
    analysis = analyze(source, "gp.py")
    assert time.process_time() - started < 5        # LibCST alone needs several seconds for the formula
    assert analysis.error is None
    [note] = [n for n in analysis.notes if "longer to parse than the budget allows" in n]
    assert "lines 9-" in note
    findings = check_analysis(analysis, Settings())
    assert [(f.code, f.span.start_line) for f in findings] == [("ML101", 8)]


def test_long_ordinary_statements_are_not_left_out():
    formula = _generated_formula(terms=60, depth=2)      # long (over the size looked at) but shallow
    assert len(formula) > parsing.COSTLY_STATEMENT_CHARS
    analysis = analyze(COSTLY_PIPELINE.format(formula=formula), "gp.py")
    assert not [n for n in analysis.notes if "longer to parse" in n]
    assert "formula" in analysis.env


def test_the_parse_estimate_grows_with_nesting_and_chain_length():
    def estimate(code: str) -> float:
        tree = ast.parse(code)
        return parsing.estimated_parse_seconds(tree.body[0], code)
    shallow, deep = _generated_formula(20, 5), _generated_formula(20, 40)
    short_chain = "x = " + " + ".join(["a"] * 200) + "\n"
    long_chain = "x = " + " + ".join(["a"] * 2000) + "\n"
    assert estimate(deep) > 10 * estimate(shallow)
    assert estimate(long_chain) > 50 * estimate(short_chain)
    assert estimate(deep) == estimate(deep)

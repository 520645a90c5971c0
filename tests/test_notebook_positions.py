"""Notebook findings in ``github`` / ``sarif`` / ``json`` output point at the ``.ipynb`` file's own lines.

A notebook is stored as JSON, so the line GitHub shows an annotation on is a line of that JSON
text: the one holding the string of the cell's ``source`` with the flagged code.  Each test
writes a real notebook to disk (as Jupyter writes it: ``indent=1``; or minified, or with CRLF,
or with one string per cell), runs ``mllint check`` in a subprocess, and checks every reported
position against the file's text: the reported line really holds the flagged source line's
JSON string, and the column is where that code starts in it.  Text output keeps ``cell N``,
where N counts code cells only (nbqa's numbering).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import mllint_cli

IMPORTS = ["import pandas as pd\n", "from sklearn.linear_model import LogisticRegression\n",
           "from sklearn.model_selection import train_test_split\n",
           "from sklearn.preprocessing import StandardScaler\n"]
PREPARE = ["df = pd.read_csv(\"d.csv\")\n", "X = df[[\"a\", \"b\"]]\n", "y = df[\"t\"]\n",
           "X = StandardScaler().fit_transform(X)\n"]
MODEL = ["X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n",
         "m = LogisticRegression().fit(X_train, y_train)\n", "print(m.score(X_test, y_test))"]


def code(source) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": [text]}


def notebook(cells: list[dict]) -> dict:
    return {"cells": cells, "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


#: the leak (ML101) is in code cell 2 (the 4th cell of the file), line 4; the model in code cell 3
LEAKY_CELLS = [markdown("# Churn\n"), code(IMPORTS), markdown("Load and scale"), code(PREPARE),
               markdown("## Model"), code(MODEL)]


def write_notebook(folder: Path, cells: list[dict], *, indent: int | None = 1, newline: str = "\n",
                   name: str = "nb.ipynb", ensure_ascii: bool = True) -> Path:
    path = folder / name
    text = json.dumps(notebook(cells), indent=indent, ensure_ascii=ensure_ascii) + "\n"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def file_lines(path: Path) -> list[str]:
    """The file's lines, split on the line breaks a JSON file may use (CRLF, CR, LF)."""
    return re.split(r"\r\n|\r|\n", path.read_text(encoding="utf-8"))


def cell_line(path: Path, code_cell: int, line: int) -> str:
    """Line ``line`` (1-based) of code cell ``code_cell`` (1-based, code cells only), from the JSON."""
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    source = cells[code_cell - 1]["source"]
    return ("".join(source) if isinstance(source, list) else source).split("\n")[line - 1]


def check(path: Path, fmt: str, *extra: str):
    result = mllint_cli("check", "--no-cache", "--output-format", fmt, *extra, path.name, cwd=path.parent)
    assert result.returncode == 1, result.stderr
    return result.stdout


def assert_points_at(path: Path, line: int, column: int, code_cell: int, cell_line_number: int, cell_column: int):
    """The file's line ``line`` holds the JSON string of that cell line, and ``column`` is where the code
    at ``cell_column`` of it is written (escapes such as ``\\"`` counted as they are in the file)."""
    text = cell_line(path, code_cell, cell_line_number)
    stored = file_lines(path)[line - 1]
    spellings = (True, False)       # non-ASCII written as \u00e9 (json's default) or as itself (Jupyter's)
    assert any(json.dumps(text, ensure_ascii=a)[1:-1] in stored for a in spellings), (stored, text)
    rest = stored[column - 1:]
    assert any(rest.startswith(json.dumps(text[cell_column - 1:], ensure_ascii=a)[1:-1]) for a in spellings), \
        (rest, text[cell_column - 1:])


@pytest.mark.parametrize("layout", ["jupyter", "minified", "crlf"])
def test_sarif_points_at_the_json_line_of_the_flagged_code(tmp_path, layout):
    options = {"jupyter": {}, "minified": {"indent": None}, "crlf": {"newline": "\r\n"}}[layout]
    path = write_notebook(tmp_path, LEAKY_CELLS, **options)
    document = json.loads(check(path, "sarif"))
    (result,) = document["runs"][0]["results"]
    assert result["ruleId"] == "ML101"
    assert result["message"]["text"].startswith("cell 2, line 4: ")
    region = result["locations"][0]["physicalLocation"]["region"]
    if layout == "minified":
        assert region["startLine"] == 1
    else:
        assert region["startLine"] > 4 + 1    # past the cells before: not the joined-code line
    assert_points_at(path, region["startLine"], region["startColumn"], 2, 4, 1)
    assert region["endLine"] == region["startLine"] and region["endColumn"] > region["startColumn"]
    related = {r["message"]["text"]: r["physicalLocation"]["region"] for r in result["relatedLocations"]}
    assert set(related) == {"cell 3, line 3: evaluated here", "cell 3, line 2: model trained here"}
    assert_points_at(path, related["cell 3, line 3: evaluated here"]["startLine"],
                     related["cell 3, line 3: evaluated here"]["startColumn"], 3, 3, 1)
    assert_points_at(path, related["cell 3, line 2: model trained here"]["startLine"],
                     related["cell 3, line 2: model trained here"]["startColumn"], 3, 2, 1)


def test_github_annotation_points_at_the_json_line(tmp_path):
    path = write_notebook(tmp_path, LEAKY_CELLS)
    (line,) = check(path, "github").splitlines()
    match = re.match(r"::error file=nb\.ipynb,line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=ML101::"
                     r"ML101 cell 2, line 4: ", line)
    assert match, line
    start, column, end, end_column = map(int, match.groups())
    assert_points_at(path, start, column, 2, 4, 1)
    assert end == start and end_column > column
    # the annotation's line of the file is the one of that source string, as a person sees it in the file
    assert file_lines(path)[start - 1].strip().rstrip(",") == json.dumps(PREPARE[3])


def test_single_string_sources_point_at_that_one_line_with_the_exact_column(tmp_path):
    """A cell whose ``source`` is one string: every line of the cell is on that JSON line; the column
    counts the escaped newlines and quotes before the code."""
    cells = [code("".join(IMPORTS)), markdown("text"), code("".join(PREPARE)), code("".join(MODEL))]
    path = write_notebook(tmp_path, cells)
    document = json.loads(check(path, "sarif"))
    (result,) = document["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    stored = file_lines(path)[region["startLine"] - 1]
    assert stored.lstrip().startswith('"source": "df = pd.read_csv(\\"d.csv\\")\\nX = ')
    assert stored[region["startColumn"] - 1:].startswith("X = StandardScaler().fit_transform(X)\\n")
    end = stored[region["endColumn"] - 1:]
    assert end.startswith("\\n"), end     # the region ends after the flagged call, before the newline


def test_escapes_and_non_ascii_before_the_code_and_a_dedented_cell(tmp_path):
    """Columns count code points of the file's text: ``\\u00e9`` (ensure_ascii) is six characters
    there, ``é`` one; an indented cell (IPython dedents it) keeps its own columns."""
    prepare = ["df = pd.read_csv(\"d.csv\")\n", "X = df[[\"a\", \"b\"]]\n", "y = df[\"t\"]\n",
               "note = \"café\"; X = StandardScaler().fit_transform(X)\n"]
    indented = ["  " + line for line in MODEL]
    for ensure_ascii in (True, False):
        path = write_notebook(tmp_path, [code(IMPORTS), code(prepare), code(indented)], ensure_ascii=ensure_ascii,
                              name=f"nb{int(ensure_ascii)}.ipynb")
        (item,) = json.loads(check(path, "json"))
        assert (item["cell"], item["cell_line"], item["start_column"]) == (2, 4, len('note = "café"; ') + 1)
        assert_points_at(path, item["file_line"], item["file_column"], 2, 4, item["start_column"])
        stored = file_lines(path)[item["file_line"] - 1]
        assert ("\\u00e9" in stored) is ensure_ascii
        assert stored[item["file_column"] - 1:].startswith("X = StandardScaler()")
        evaluated = next(r for r in item["related"] if r["message"] == "evaluated here")
        # the cell's own column 3 (after its two spaces of indent), on the line of that string
        assert (evaluated["cell"], evaluated["cell_line"], evaluated["start_column"]) == (3, 3, 3)
        assert_points_at(path, evaluated["file_line"], evaluated["file_column"], 3, 3, 3)
        sarif = json.loads(check(path, "sarif"))["runs"][0]["results"][0]
        region = sarif["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (item["file_line"], item["file_column"])


def test_a_string_holding_two_lines_and_a_line_split_over_two_strings(tmp_path):
    """Jupyter writes one string per line, other tools do not: the line of the file is the one of the
    string where the flagged line starts."""
    prepare = ["df = pd.read_csv(\"d.csv\")\nX = df[[\"a\", \"b\"]]\n", "y = df[\"t\"]\n", "X = Standard",
               "Scaler().fit_transform(X)\n"]
    path = write_notebook(tmp_path, [code(IMPORTS), code(prepare), code(MODEL)])
    document = json.loads(check(path, "sarif"))
    (result,) = document["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert file_lines(path)[region["startLine"] - 1].strip() == '"X = Standard",'
    related = {r["message"]["text"]: r["physicalLocation"]["region"] for r in result["relatedLocations"]}
    assert_points_at(path, related["cell 3, line 2: model trained here"]["startLine"],
                     related["cell 3, line 2: model trained here"]["startColumn"], 3, 2, 1)


def test_json_output_gives_the_cell_position_and_the_file_position(tmp_path):
    path = write_notebook(tmp_path, LEAKY_CELLS)
    (item,) = json.loads(check(path, "json"))
    assert (item["cell"], item["cell_line"], item["start_column"]) == (2, 4, 1)
    assert_points_at(path, item["file_line"], item["file_column"], 2, 4, 1)
    assert item["file_end_line"] == item["file_line"] and item["file_end_column"] > item["file_column"]
    for related in item["related"]:
        assert_points_at(path, related["file_line"], related["file_column"], related["cell"], related["cell_line"], 1)


def test_python_files_report_the_same_file_position_as_their_line(tmp_path):
    source = "".join(IMPORTS + PREPARE + MODEL)
    (tmp_path / "leak.py").write_text(source, encoding="utf-8")
    result = mllint_cli("check", "--no-cache", "--output-format", "json", "leak.py", cwd=tmp_path)
    (item,) = json.loads(result.stdout)
    assert item["cell"] is None
    assert (item["file_line"], item["file_column"]) == (item["start_line"], item["start_column"]) == (8, 1)


def test_text_keeps_cell_numbers_that_count_code_cells(tmp_path):
    path = write_notebook(tmp_path, LEAKY_CELLS)
    out = check(path, "text")
    assert out.splitlines()[0].startswith("nb.ipynb:cell 2:4:1: ML101 ")
    assert "    nb.ipynb:cell 3:3:1: evaluated here" in out


def test_cached_reports_keep_the_file_positions(tmp_path):
    """A second run answers from the cache (reports read back field by field): same positions."""
    path = write_notebook(tmp_path, LEAKY_CELLS)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "nb"\n', encoding="utf-8")
    runs = [mllint_cli("check", "--output-format", "sarif", path.name, cwd=tmp_path) for _ in range(2)]
    assert (tmp_path / ".mllint_cache").is_dir()
    regions = [json.loads(r.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
               for r in runs]
    assert regions[0] == regions[1]
    assert_points_at(path, regions[1]["startLine"], regions[1]["startColumn"], 2, 4, 1)


def test_standard_input_notebook_is_mapped_from_the_bytes_read(tmp_path):
    path = write_notebook(tmp_path, LEAKY_CELLS)
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "mllint", "check", "--no-cache", "--output-format", "github", "-",
                             "--stdin-filename", "nb.ipynb"], input=path.read_text(encoding="utf-8"),
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    match = re.match(r"::error file=nb\.ipynb,line=(\d+),col=(\d+),", result.stdout)
    assert match, result.stdout + result.stderr
    assert_points_at(path, int(match.group(1)), int(match.group(2)), 2, 4, 1)


def test_nbformat_3_worksheets_and_input(tmp_path):
    """Old notebooks keep cells in ``worksheets`` and the code in ``input``: mapped the same way."""
    cells = [{"cell_type": "markdown", "source": ["# Old\n"]}] + [
        {"cell_type": "code", "input": source, "language": "python", "outputs": [], "metadata": {}}
        for source in (IMPORTS, PREPARE, MODEL)]
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({"worksheets": [{"cells": cells}], "metadata": {}, "nbformat": 3, "nbformat_minor": 0},
                               indent=1), encoding="utf-8")
    (item,) = json.loads(check(path, "json"))
    assert (item["cell"], item["cell_line"]) == (2, 4)
    stored = file_lines(path)[item["file_line"] - 1]
    assert stored.strip().rstrip(",") == json.dumps(PREPARE[3])
    assert stored[item["file_column"] - 1:].startswith("X = StandardScaler()")


# -- the scan itself, against the json module, on generated notebooks ------------------------------
from hypothesis import given, settings as hypothesis_settings, strategies as st  # noqa: E402

from mllint.engine.notebook_lines import notebook_lines  # noqa: E402

_LINE_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=12)
_SOURCE = st.lists(st.tuples(_LINE_TEXT, st.sampled_from(["\n", "\r\n", ""])), max_size=5)


@hypothesis_settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(cells=st.lists(st.tuples(st.sampled_from(["code", "markdown"]), _SOURCE, st.booleans()), max_size=5),
       indent=st.sampled_from([None, 1, 2]), ensure_ascii=st.booleans(), crlf=st.booleans())
def test_every_cell_line_maps_to_the_file_line_of_its_string(cells, indent, ensure_ascii, crlf):
    """For any notebook: each line of each code cell maps to the file line whose text holds the JSON
    string the line starts in, at the column where the line's text is written."""
    document = {"cells": [{"cell_type": kind, "metadata": {}, "source": [t + end for t, end in parts] if as_list
                           else "".join(t + end for t, end in parts)} for kind, parts, as_list in cells],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(document, indent=indent, ensure_ascii=ensure_ascii)
    if crlf:
        text = text.replace("\n", "\r\n")
    mapped = notebook_lines(text.encode("utf-8"))
    assert mapped is not None
    file_text_lines = re.split(r"\r\n|\r|\n", text)
    for index, (kind, parts, as_list) in enumerate(cells):
        if kind != "code":
            continue
        strings = [t + end for t, end in parts if t + end] if as_list else ["".join(t + end for t, end in parts)]
        joined = "".join(strings)
        starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", joined)]
        for number, start in enumerate(starts, 1):
            position = mapped.position(index, number, 0)
            assert position is not None
            offset = 0
            for string in strings:              # the part of the line written in the string it starts in
                if offset <= start < offset + len(string):
                    segment = re.split(r"\r\n|\r|\n", string[start - offset:])[0]
                    break
                offset += len(string)
            else:
                segment = ""                      # the empty line after a final line break
            rest = file_text_lines[position[0] - 1][position[1] - 1:]
            assert rest.startswith(json.dumps(segment, ensure_ascii=ensure_ascii)[1:-1]), (rest, segment)
            middle = len(segment) // 2           # a column inside the line: where that character is written
            line, column = mapped.position(index, number, middle)
            assert line == position[0]
            rest = file_text_lines[line - 1][column - 1:]
            assert rest.startswith(json.dumps(segment[middle:], ensure_ascii=ensure_ascii)[1:-1]), (rest, segment)

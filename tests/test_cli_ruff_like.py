"""The flags and behaviours a ruff user expects of ``mllint check``, each through the real CLI in a subprocess.

--statistics, --show-source / --output-format full, -q / -s / -v, --color, "All checks passed!",
--extend-ignore, missing paths (E902) and syntax errors (E999) as findings.  Expected values
come from the run itself where possible (e.g. carets are checked against the columns the json
format reports), so that the tests follow the analysis instead of freezing its messages.
"""
from __future__ import annotations

import json
import re

import pytest
from test_check_cli import (CLEAN, LEAK, NB_CELLS, SENSITIVE, findings, mllint, notebook,
                            run_on_tty, write)

from mllint.rules import rule_by_code

ANSI = "\x1b["


def json_items(project, *args):
    result = mllint(project, "--no-cache", "--output-format", "json", *args)
    return json.loads(result.stdout)


# -- statistics ------------------------------------------------------------------------------------
def test_statistics_counts_per_code_most_frequent_first(project):
    write(project, "a.py", LEAK)
    write(project, "b.py", LEAK)
    write(project, "c.py", SENSITIVE)
    items = json_items(project)
    expected = {}
    for item in items:
        expected[item["code"]] = expected.get(item["code"], 0) + 1
    assert expected.get("ML101") == 2 and expected.get("ML201") == 1, expected   # the fixtures do their job
    result = mllint(project, "--no-cache", "--statistics")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == f"Found {sum(expected.values())} findings."        # the summary follows, as in ruff
    rows = [line.split("\t") for line in lines[:-1]]
    assert [(int(r[0]), r[1].strip()) for r in rows] == sorted(((n, c) for c, n in expected.items()),
                                                       key=lambda x: (-x[0], x[1]))
    for row in rows:
        rule = rule_by_code(row[1].strip())
        assert [cell.strip() for cell in row[2:]] == [rule.name, rule.url()]
    assert not findings(result.stdout)
    quiet = mllint(project, "--no-cache", "--statistics", "-q")
    assert quiet.stdout.splitlines() == lines[:-1]


def test_statistics_as_json(project):
    write(project, "a.py", LEAK)
    result = mllint(project, "--no-cache", "--statistics", "--output-format", "json", ".", "missing.py")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data == [{"code": "E902", "name": "io-error", "count": 1, "url": None},
                    {"code": "ML101", "name": rule_by_code("ML101").name, "count": 1,
                     "url": rule_by_code("ML101").url()}]


def test_statistics_of_a_clean_run_is_empty(project):
    write(project, "a.py", CLEAN)
    result = mllint(project, "--no-cache", "--statistics")
    assert result.returncode == 0 and result.stdout == ""


# -- show source -----------------------------------------------------------------------------------
def _snippet(stdout: str) -> tuple[str, str, str]:
    lines = stdout.splitlines()
    source_line = next(line for line in lines if re.match(r"^\d+ \| ", line))
    caret_line = lines[lines.index(source_line) + 1]
    docs = next(line for line in lines if "= docs: " in line)
    return source_line, caret_line, docs


@pytest.mark.parametrize("flags", [("--show-source",), ("--output-format", "full")])
def test_show_source_puts_carets_under_the_reported_columns(project, flags):
    # the finding's span starts after some indentation-free prefix: put it inside a call on its line
    code = LEAK.replace('df["x"] = (df["x"] - df["x"].mean()) / df["x"].std()',
                        'df["x"] = (df["x"] - df["x"].mean()) / df["x"].std()  # scaled')
    write(project, "leak.py", code)
    item = json_items(project, "leak.py")[0]
    result = mllint(project, "--no-cache", *flags, "leak.py")
    assert result.returncode == 1
    source_line, caret_line, docs = _snippet(result.stdout)
    text = code.splitlines()[item["start_line"] - 1]
    assert source_line == f"{item['start_line']} | {text}"
    gutter = " " * len(str(item["start_line"]))
    start = item["start_column"] - 1
    end = item["end_column"] - 1 if item["end_line"] == item["start_line"] else len(text)
    assert caret_line == f"{gutter} | {' ' * start}{'^' * (end - start)} {item['code']}"
    assert docs.strip() == f"= docs: {rule_by_code(item['code']).url()}"
    assert result.stdout.splitlines()[0].startswith(f"leak.py:{item['start_line']}:{item['start_column']}: ML101 ")
    assert result.stdout.rstrip().splitlines()[-1] == "Found 1 finding."


@pytest.mark.parametrize("indent", ["", "    "])
def test_show_source_in_a_notebook_shows_the_cell_line(project, indent):
    """A cell indented as a whole (IPython dedents it) is shown as written, carets under the cell columns."""
    cells = [c if isinstance(c, tuple) or i != 2 else "\n".join(indent + line for line in c.splitlines())
             for i, c in enumerate(NB_CELLS)]
    write(project, "nb.ipynb", notebook(*cells))
    item = json_items(project, "nb.ipynb")[0]
    result = mllint(project, "--no-cache", "--output-format", "full", "nb.ipynb")
    source_line, caret_line, _ = _snippet(result.stdout)
    code_cells = [c for c in cells if isinstance(c, str)]
    cell_text = code_cells[item["cell"] - 1].splitlines()[item["cell_line"] - 1]
    assert cell_text.startswith(indent + "df")                          # the finding is in the indented cell
    assert source_line == f"{item['cell_line']} | {cell_text}"
    start = item["start_column"] - 1
    assert caret_line.index("^") - caret_line.index("|") - 2 == start == len(indent)


def test_show_source_escapes_control_characters_and_keeps_the_carets_aligned(project):
    code = LEAK.replace('df["x"]', 'df["\x1bx"]')
    write(project, "leak.py", code)
    item = json_items(project, "leak.py")[0]
    result = mllint(project, "--no-cache", "--show-source", "leak.py")
    assert "\x1b" not in result.stdout
    source_line, caret_line, _ = _snippet(result.stdout)
    text = code.splitlines()[item["start_line"] - 1]
    escaped = text.replace("\x1b", "\\x1b")
    assert source_line.endswith(" | " + escaped)
    start = item["start_column"] - 1
    end = item["end_column"] - 1 if item["end_line"] == item["start_line"] else len(text)
    prefix = text[:start].replace("\x1b", "\\x1b")
    marked = text[start:end].replace("\x1b", "\\x1b")
    assert caret_line.endswith(" | " + " " * len(prefix) + "^" * len(marked) + " ML101")


# -- loudness ----------------------------------------------------------------------------------------
def test_all_checks_passed_on_a_clean_text_run_only(project):
    write(project, "a.py", CLEAN)
    clean = mllint(project, "--no-cache")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "All checks passed!\n", "")
    assert mllint(project, "--no-cache", "--output-format", "json").stdout.strip() == "[]"
    assert mllint(project, "--no-cache", "--output-format", "github").stdout == ""


def test_quiet_prints_findings_without_summary(project):
    write(project, "a.py", LEAK)
    write(project, "b.py", CLEAN)
    loud = mllint(project, "--no-cache")
    quiet = mllint(project, "--no-cache", "-q")
    assert quiet.returncode == 1
    assert quiet.stdout.splitlines() == [line for line in loud.stdout.splitlines() if not line.startswith("Found")]
    assert findings(quiet.stdout) == [("a.py", "ML101")]
    clean = mllint(project, "--no-cache", "--quiet", "b.py")
    assert (clean.returncode, clean.stdout) == (0, "")


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_silent_prints_nothing_but_keeps_the_exit_status(project, fmt):
    write(project, "a.py", LEAK)
    write(project, "b.py", "import pandas as pd\nx = (\n")
    result = mllint(project, "--no-cache", "-s", "--output-format", fmt)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "")


def test_verbose_logs_configuration_files_and_cache_on_stderr(project):
    write(project, "a.py", LEAK)
    write(project, "b.py", CLEAN)
    plain = mllint(project)
    first = mllint(project, "-v")
    assert first.stdout == plain.stdout                    # results are untouched
    assert f"mllint: configuration: {project / 'pyproject.toml'}" in first.stderr.splitlines()
    assert "mllint: 2 files to check" in first.stderr
    assert "mllint: checked a.py (cached)" in first.stderr     # the plain run filled the cache
    (project / "b.py").write_text(CLEAN + "print(1)\n", encoding="utf-8")
    second = mllint(project, "--verbose")
    assert "mllint: checked b.py (analysed)" in second.stderr
    assert re.search(r"^mllint: checked 2 files in \d+\.\d\d s \(1 from the cache, 1 analysed\)$",
                     second.stderr, re.M), second.stderr
    no_cache = mllint(project, "-v", "--no-cache")
    assert "no cache" in no_cache.stderr and "(0 from the cache, 2 analysed)" in no_cache.stderr


def test_quiet_and_verbose_exclude_each_other(project):
    result = mllint(project, "-q", "-v")
    assert result.returncode == 2 and "not allowed" in result.stderr


# -- colour --------------------------------------------------------------------------------------------
def test_color_always_and_never(project):
    write(project, "a.py", LEAK)
    assert ANSI in mllint(project, "--no-cache", "--color", "always").stdout
    assert ANSI not in mllint(project, "--no-cache").stdout          # auto, not a terminal
    code, out, _ = run_on_tty(project, "--no-cache", "--color", "never", "a.py")
    assert code == 1 and "ML101" in out and ANSI not in out
    code, out, _ = run_on_tty(project, "--no-cache", "a.py")
    assert ANSI in out


def test_color_auto_follows_force_color_and_no_color(project):
    write(project, "a.py", LEAK)
    assert ANSI in mllint(project, "--no-cache", env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert ANSI not in mllint(project, "--no-cache", env={"FORCE_COLOR": ""}).stdout
    assert ANSI not in mllint(project, "--no-cache", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert ANSI in mllint(project, "--no-cache", "--color", "always", env={"NO_COLOR": "1"}).stdout


# -- extend-ignore ---------------------------------------------------------------------------------------
def test_extend_ignore_adds_to_the_configured_ignore(project):
    write(project, "pyproject.toml", '[tool.mllint]\nignore = ["ML2"]\n')
    write(project, "a.py", LEAK)
    write(project, "b.py", SENSITIVE)
    assert {code for _, code in findings(mllint(project, "--no-cache").stdout)} == {"ML101"}
    both = mllint(project, "--no-cache", "--extend-ignore", "ML101")
    assert (both.returncode, findings(both.stdout)) == (0, [])
    # --ignore replaces the configured list, --extend-ignore does not
    assert {code for _, code in findings(mllint(project, "--no-cache", "--ignore", "ML101").stdout)} == {"ML201"}
    bad = mllint(project, "--no-cache", "--extend-ignore", "ML9O9")
    assert bad.returncode == 2 and "ML9O9" in bad.stderr


# -- files that cannot be analysed -------------------------------------------------------------------------
def test_a_missing_path_is_e902_and_the_run_goes_on(project):
    write(project, "a.py", LEAK)
    result = mllint(project, "--no-cache", "missing.py", "a.py", "missing_folder")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert "missing.py:1:1: E902 No such file or directory (os error 2)" in lines
    assert "missing_folder:1:1: E902 No such file or directory (os error 2)" in lines
    assert ("a.py", "ML101") in findings(result.stdout)
    assert lines[-1] == "Found 3 findings."
    only_missing = mllint(project, "--no-cache", "missing.py")
    assert only_missing.returncode == 1 and only_missing.stderr == ""


def test_a_syntax_error_is_e999_at_its_position(project):
    write(project, "bad.py", "import pandas as pd\nx = (\n")
    write(project, "nb.ipynb", notebook("import pandas as pd", "y = 1\nx = (\n"))
    result = mllint(project, "--no-cache", "bad.py", "nb.ipynb")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"bad\.py:2:5: E999 SyntaxError: .+", lines[0]), lines
    assert re.fullmatch(r"nb\.ipynb:cell 2:2:5: E999 SyntaxError: .+", lines[1]), lines
    assert result.stderr == ""


def test_e902_and_e999_in_json_github_and_sarif(project):
    write(project, "bad.py", "import pandas as pd\nx = (\n")
    items = json_items(project, "bad.py", "missing.py")
    assert [(i["path"], i["code"], i["start_line"], i["start_column"]) for i in items] == [
        ("bad.py", "E999", 2, 5), ("missing.py", "E902", 1, 1)]
    github = mllint(project, "--no-cache", "--output-format", "github", "bad.py", "missing.py").stdout.splitlines()
    assert github[0].startswith("::error file=bad.py,line=2,col=5,") and "E999 SyntaxError" in github[0]
    assert github[1].startswith("::error file=missing.py,line=1,col=1,") and "E902 No such file" in github[1]
    sarif = json.loads(mllint(project, "--no-cache", "--output-format", "sarif", "bad.py", "missing.py").stdout)
    assert [(r["ruleId"], r["level"]) for r in sarif["runs"][0]["results"]] == [("E999", "error"), ("E902", "error")]

"""`mllint check` end to end: the installed command in a subprocess, on scripts and notebooks in tmp_path.

Every test builds a small project in ``tmp_path`` (always with a pyproject.toml, so that no
configuration above the temporary folder can leak in), runs
``python -m mllint check ...`` with that folder as the working directory and checks the
exit status next to the output: 0 clean, 1 findings, 2 usage / configuration error.

Notebooks and flake8: ``nbqa flake8 nb.ipynb`` runs the mllint flake8 plugin on a notebook
and reports ``nb.ipynb:cell_2:2:1: ML101 ...`` -- the same cell numbering (code cells
only) as ``mllint check``'s ``nb.ipynb:cell 2:2:1``.  That test skips when nbqa is not
installed (``pip install -e '.[test]'`` installs it).

The SARIF output is validated against the SARIF 2.1.0 JSON schema shipped next to this file
(``sarif-schema-2.1.0.json``; origin and license in ``sarif-schema-2.1.0.SOURCE.txt``).
"""
from __future__ import annotations

import importlib.util
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from samples import STATISTIC_LEAK

HERE = Path(__file__).resolve().parent
SARIF_SCHEMA = HERE / "sarif-schema-2.1.0.json"

# One ML101 (a statistic computed before the split), nothing else.
LEAK = STATISTIC_LEAK
LEAK_LINE, LEAK_EVAL_LINE, LEAK_FIT_LINE = 4, 7, 6

# One ML201 (a row filter on a sensitive column), nothing else.
SENSITIVE = """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("loans.csv")
df = df[df.gender.isin(["M", "F"])]
LogisticRegression().fit(df[["income", "debt"]], df["approved"])
"""

# ML203 is off by default: nothing unless selected; two ML203 when selected.
ROW_DROP = """\
import pandas as pd
from sklearn.tree import DecisionTreeClassifier
df = pd.read_csv("mortgages.csv", names=["loan_amount", "race", "approved"])
df = df[df["loan_amount"] > 10000]
df = df.dropna()
DecisionTreeClassifier().fit(df[["loan_amount"]], df["approved"])
"""

# Two findings in one file (ML101, then ML202: "age_days" is a sensitive column by default).
TWO_IN_ONE = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
df = pd.read_csv("concrete.csv", names=["cement", "water", "age_days", "strength"])
X = df.drop(columns=["strength"])
X_scaled = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_scaled, df["strength"])
print(SVR().fit(X_train, y_train).score(X_test, y_test))
"""

CLEAN = """\
import pandas as pd
from sklearn.linear_model import Ridge
df = pd.read_csv("sales.csv")
train, test = df[:800], df[800:]
model = Ridge().fit(train[["x"]], train["y"])
print(model.score(test[["x"]], test["y"]))
"""

FINDING = re.compile(r"^(?P<path>\S.*?):(?:cell (?P<cell>\d+):)?(?P<line>\d+):(?P<col>\d+): (?P<code>ML\d{3}) (?P<msg>.+)$")


# -- helpers --------------------------------------------------------------------------------------
def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def notebook(*cells: str | tuple[str, str]) -> str:
    """nbformat 4 JSON; a plain string is a code cell, ``("markdown", text)`` a markdown cell."""
    out = []
    for cell in cells:
        kind, source = cell if isinstance(cell, tuple) else ("code", cell)
        item = {"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True)}
        if kind == "code":
            item.update(execution_count=None, outputs=[])
        out.append(item)
    return json.dumps({"cells": out, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                 "language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)


# A markdown cell first: cells are numbered among code cells (like nbqa's cell_N).
NB_CELLS = (
    ("markdown", "# Sales model"),
    "%matplotlib inline\n!pip install x\nimport pandas as pd\nfrom sklearn.linear_model import Ridge",
    'df = pd.read_csv("sales.csv")\ndf["x"] = (df["x"] - df["x"].mean()) / df["x"].std()',
    'train, test = df[:800], df[800:]\nmodel = Ridge().fit(train[["x"]], train["y"])\n'
    'print(model.score(test[["x"]], test["y"]))',
)
LEAK_NB = notebook(*NB_CELLS)


def mllint(cwd: Path, *args: str, stdin: str | None = None, env: dict | None = None,
           timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mllint", "check", *args], cwd=str(cwd), input=stdin,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def findings(stdout: str) -> list[tuple[str, str]]:
    """``(path, code)`` of each finding line of the text format."""
    return [(m["path"], m["code"]) for m in map(FINDING.match, stdout.splitlines()) if m]


def reported_paths(stdout: str) -> set[str]:
    return {path for path, _ in findings(stdout)}


def as_json(result: subprocess.CompletedProcess) -> list[dict]:
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def sarif_of(result: subprocess.CompletedProcess) -> dict:
    return json.loads(result.stdout)


def run_on_tty(cwd: Path, *args: str, stream: str = "stdout", env: dict | None = None) -> tuple[int, str, str]:
    """Run with stdout (or stderr) on a pseudo-terminal; returns (exit, terminal text, other stream)."""
    master, slave = pty.openpty()
    other = subprocess.PIPE
    process = subprocess.Popen([sys.executable, "-m", "mllint", "check", *args], cwd=str(cwd),
                               stdout=slave if stream == "stdout" else other,
                               stderr=slave if stream == "stderr" else other,
                               stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:          # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    rest = (process.stderr if stream == "stdout" else process.stdout).read()
    code = process.wait(timeout=120)
    return code, b"".join(chunks).decode(), rest.decode()


# -- discovery ---------------------------------------------------------------------------------------
def test_recurses_into_folders_and_takes_only_py_and_ipynb(project):
    write(project, "leak.py", LEAK)
    write(project, "src/pkg/deep/leak.py", LEAK)
    write(project, "notebooks/nb.ipynb", LEAK_NB)
    write(project, "notes/leak.txt", LEAK)
    write(project, "notes/leak.pyi", LEAK)
    write(project, "notes/leak.py.bak", LEAK)
    result = mllint(project, "--no-cache")
    assert result.returncode == 1, result.stderr
    assert reported_paths(result.stdout) == {"leak.py", "src/pkg/deep/leak.py", "notebooks/nb.ipynb"}
    # the default path is the current folder
    assert mllint(project, "--no-cache", ".").stdout == result.stdout
    # a folder argument recurses from there
    sub = mllint(project, "--no-cache", "src")
    assert sub.returncode == 1
    assert reported_paths(sub.stdout) == {"src/pkg/deep/leak.py"}


DEFAULT_EXCLUDED = (".venv", "venv", "build", ".git", "__pycache__", "node_modules", "demo.egg-info",
                    "src/build", "src/.venv")


def test_default_excludes_are_skipped(project):
    write(project, "src/leak.py", LEAK)
    for folder in DEFAULT_EXCLUDED:
        write(project, f"{folder}/leak.py", LEAK)
        write(project, f"{folder}/nb.ipynb", LEAK_NB)
    result = mllint(project, "--no-cache")
    assert result.returncode == 1, result.stderr
    assert reported_paths(result.stdout) == {"src/leak.py"}


def test_exclude_and_extend_exclude_from_pyproject(project):
    write(project, "pyproject.toml", '[tool.mllint]\nextend-exclude = ["generated", "*_draft.py"]\n')
    write(project, "leak.py", LEAK)
    write(project, "generated/leak.py", LEAK)
    write(project, "src/old_draft.py", LEAK)
    write(project, "venv/leak.py", LEAK)
    result = mllint(project, "--no-cache")
    assert result.returncode == 1, result.stderr
    assert reported_paths(result.stdout) == {"leak.py"}     # extend-exclude keeps the defaults (venv)

    # exclude replaces the defaults: venv is checked again, "generated" is not
    write(project, "pyproject.toml", '[tool.mllint]\nexclude = ["generated"]\n')
    result = mllint(project, "--no-cache")
    assert reported_paths(result.stdout) == {"leak.py", "src/old_draft.py", "venv/leak.py"}


def test_exclude_and_extend_exclude_flags(project):
    write(project, "pyproject.toml", '[tool.mllint]\nextend-exclude = ["generated"]\n')
    for name in ("leak.py", "generated/leak.py", "scratch/leak.py", "vendor/leak.py", "venv/leak.py"):
        write(project, name, LEAK)
    result = mllint(project, "--no-cache", "--extend-exclude", "scratch,vendor")
    assert result.returncode == 1, result.stderr
    assert reported_paths(result.stdout) == {"leak.py"}     # the flag adds to the pyproject list
    result = mllint(project, "--no-cache", "--exclude", "scratch")
    assert reported_paths(result.stdout) == {"leak.py", "vendor/leak.py", "venv/leak.py"}
    result = mllint(project, "--no-cache", "--exclude", "scratch", "--extend-exclude", "vendor,venv")
    assert reported_paths(result.stdout) == {"leak.py"}
    everything_excluded = mllint(project, "--no-cache", "--exclude", "*.py")
    assert everything_excluded.returncode == 0, everything_excluded.stdout
    assert everything_excluded.stdout.strip() == "All checks passed!"


def test_an_explicitly_named_excluded_file_is_still_checked(project):
    write(project, "pyproject.toml", '[tool.mllint]\nextend-exclude = ["generated"]\n')
    write(project, "generated/leak.py", LEAK)
    write(project, "venv/leak.py", LEAK)
    assert mllint(project, "--no-cache").returncode == 0
    result = mllint(project, "--no-cache", "generated/leak.py", "venv/leak.py")
    assert result.returncode == 1, result.stderr
    assert reported_paths(result.stdout) == {"generated/leak.py", "venv/leak.py"}
    flag = mllint(project, "--no-cache", "--extend-exclude", "*.py", "generated/leak.py")
    assert flag.returncode == 1
    assert reported_paths(flag.stdout) == {"generated/leak.py"}


# -- rule selection --------------------------------------------------------------------------------------
@pytest.fixture()
def two_rules(project: Path) -> Path:
    write(project, "leak.py", LEAK)
    write(project, "filter.py", SENSITIVE)
    return project


def codes(stdout: str) -> set[str]:
    return {code for _, code in findings(stdout)}


def test_select_ignore(two_rules):
    everything = mllint(two_rules, "--no-cache")
    assert everything.returncode == 1
    assert codes(everything.stdout) == {"ML101", "ML201"}
    only = mllint(two_rules, "--no-cache", "--select", "ML2")
    assert only.returncode == 1
    assert codes(only.stdout) == {"ML201"}
    assert codes(mllint(two_rules, "--no-cache", "--select", "ml101").stdout) == {"ML101"}   # case-insensitive
    ignored = mllint(two_rules, "--no-cache", "--ignore", "ML201")
    assert codes(ignored.stdout) == {"ML101"}
    none = mllint(two_rules, "--no-cache", "--ignore", "ML1,ML2")
    assert none.returncode == 0, none.stdout
    assert none.stdout.strip() == "All checks passed!"
    # the most specific entry wins
    assert codes(mllint(two_rules, "--no-cache", "--ignore", "ML", "--select", "ML101").stdout) == {"ML101"}


def test_select_and_ignore_from_pyproject_with_cli_override(two_rules):
    write(two_rules, "pyproject.toml", '[tool.mllint]\nignore = ["ML101"]\n')
    result = mllint(two_rules, "--no-cache")
    assert result.returncode == 1
    assert codes(result.stdout) == {"ML201"}
    write(two_rules, "pyproject.toml", '[tool.mllint]\nselect = ["ML101"]\n')
    assert codes(mllint(two_rules, "--no-cache").stdout) == {"ML101"}
    assert codes(mllint(two_rules, "--no-cache", "--select", "ML201").stdout) == {"ML201"}


def test_extend_select_turns_on_ml203(project):
    write(project, "drop.py", ROW_DROP)
    write(project, "leak.py", LEAK)
    default = mllint(project, "--no-cache", "drop.py")
    assert default.returncode == 0, default.stdout
    assert "ML203" not in default.stdout
    result = mllint(project, "--no-cache", "--extend-select", "ML203")
    assert result.returncode == 1
    assert findings(result.stdout).count(("drop.py", "ML203")) == 2
    assert ("leak.py", "ML101") in findings(result.stdout)          # extend, not replace
    write(project, "pyproject.toml", '[tool.mllint]\nextend-select = ["ML203"]\n')
    assert findings(mllint(project, "--no-cache", "drop.py").stdout).count(("drop.py", "ML203")) == 2


def test_per_file_ignores_flag(project):
    write(project, "leak.py", LEAK)
    write(project, "tests/test_leak.py", LEAK)
    write(project, "scripts/leak.py", LEAK)
    result = mllint(project, "--no-cache", "--per-file-ignores", "tests/*:ML101")
    assert result.returncode == 1
    assert reported_paths(result.stdout) == {"leak.py", "scripts/leak.py"}
    # repeatable, prefixes, several codes
    result = mllint(project, "--no-cache", "--per-file-ignores", "tests/*:ML1", "--per-file-ignores",
                    "scripts/*:ML2,ML101")
    assert reported_paths(result.stdout) == {"leak.py"}
    # a basename glob
    result = mllint(project, "--no-cache", "--per-file-ignores", "*leak.py:ML")
    assert result.returncode == 0, result.stdout
    # a non-matching glob ignores nothing
    assert len(findings(mllint(project, "--no-cache", "--per-file-ignores", "docs/*:ML").stdout)) == 3


def test_per_file_ignores_from_pyproject(project):
    write(project, "pyproject.toml", '[tool.mllint.per-file-ignores]\n"tests/*" = ["ML1"]\n"*.ipynb" = ["ML101"]\n')
    write(project, "leak.py", LEAK)
    write(project, "tests/test_leak.py", LEAK)
    write(project, "nb.ipynb", LEAK_NB)
    result = mllint(project, "--no-cache")
    assert result.returncode == 1
    assert reported_paths(result.stdout) == {"leak.py"}
    # the flag adds to the table
    result = mllint(project, "--no-cache", "--per-file-ignores", "leak.py:ML101")
    assert result.returncode == 0, result.stdout


# -- exit status ---------------------------------------------------------------------------------
def test_exit_status_clean_findings_and_exit_zero(project):
    write(project, "clean.py", CLEAN)
    clean = mllint(project, "--no-cache", "clean.py")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.strip() == "All checks passed!" and clean.stderr == ""
    write(project, "leak.py", LEAK)
    dirty = mllint(project, "--no-cache")
    assert dirty.returncode == 1
    zero = mllint(project, "--no-cache", "--exit-zero")
    assert zero.returncode == 0
    assert zero.stdout == dirty.stdout       # still reported
    for fmt in ("json", "sarif", "github"):
        assert mllint(project, "--no-cache", "--output-format", fmt).returncode == 1, fmt
        assert mllint(project, "--no-cache", "--output-format", fmt, "clean.py").returncode == 0, fmt


@pytest.mark.parametrize("args, message", [
    (("--no-such-flag",), "--no-such-flag"),
    (("--output-format", "xml"), "xml"),
    (("--jobs", "many"), "many"),
    (("--select", "XY101"), "XY101"),
    (("--ignore", "E501"), "E501"),
    (("--extend-select", "ML1O1"), "ML1O1"),
    (("--per-file-ignores", "no-colon"), "no-colon"),
])
def test_usage_errors_exit_2(project, args, message):
    write(project, "leak.py", LEAK)
    result = mllint(project, "--no-cache", *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr
    assert "ML101" not in result.stdout


@pytest.mark.parametrize("table, key", [
    ('[tool.mllint]\nselct = ["ML1"]\n', "selct"),
    ('[tool.mllint]\nexclude = "build"\n', "exclude"),
    ('[tool.mllint]\nextend-exclude = [1]\n', "extend-exclude"),
    ('[tool.mllint]\nselect = ["E501"]\n', "select"),
    ('[tool.mllint]\ndata-headers = "yes"\n', "data-headers"),
    ('[tool.mllint]\nper-file-ignores = ["tests/*"]\n', "per-file-ignores"),
    ('[tool.mllint]\nsensitive-columns = "race"\n', "sensitive-columns"),
])
def test_invalid_configuration_exits_2_naming_the_key(project, table, key):
    write(project, "leak.py", LEAK)
    write(project, "pyproject.toml", table)
    result = mllint(project, "--no-cache")
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert re.search(rf"\b{re.escape(key)}\b", result.stderr), result.stderr
    assert "pyproject.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout.strip() == ""


def test_broken_pyproject_exits_2(project):
    write(project, "leak.py", LEAK)
    write(project, "pyproject.toml", "[tool.mllint\nselect = ['ML1']\n")
    result = mllint(project, "--no-cache")
    assert result.returncode == 2
    assert "pyproject.toml" in result.stderr


# -- standard input ----------------------------------------------------------------------------------
def test_stdin_with_stdin_filename(project):
    write(project, "src/job.py", CLEAN)              # the buffer differs from the file on disk
    result = mllint(project, "--no-cache", "-", "--stdin-filename", "src/job.py", stdin=LEAK)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"src/job.py:{LEAK_LINE}:1: ML101 ")
    assert f"    src/job.py:{LEAK_EVAL_LINE}:1: " in result.stdout
    clean = mllint(project, "--no-cache", "-", "--stdin-filename", "src/job.py", stdin=CLEAN)
    assert clean.returncode == 0 and clean.stdout.strip() == "All checks passed!"
    # per-file-ignores see the given name
    ignored = mllint(project, "--no-cache", "-", "--stdin-filename", "src/job.py", "--per-file-ignores",
                     "src/*:ML101", stdin=LEAK)
    assert ignored.returncode == 0, ignored.stdout
    # json carries the name
    data = as_json(mllint(project, "--output-format", "json", "-", "--stdin-filename", "src/job.py", stdin=LEAK))
    assert [(d["path"], d["code"]) for d in data] == [("src/job.py", "ML101")]
    assert not (project / ".mllint_cache").exists() or not any((project / ".mllint_cache").rglob("*.json"))


def test_stdin_notebook(project):
    result = mllint(project, "--no-cache", "-", "--stdin-filename", "nb.ipynb", stdin=LEAK_NB)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("nb.ipynb:cell 2:2:1: ML101 ")


# -- text ------------------------------------------------------------------------------------------------
def test_text_format(project):
    write(project, "leak.py", LEAK)
    result = mllint(project, "--no-cache", "--output-format", "text", "leak.py")
    assert result.returncode == 1
    lines = result.stdout.rstrip("\n").split("\n")
    assert re.match(rf"^leak\.py:{LEAK_LINE}:1: ML101 \S", lines[0]), lines[0]
    related = lines[1:-1]
    assert related and all(line.startswith("    leak.py:") for line in related)
    assert {int(line.split(":")[1]) for line in related} == {LEAK_EVAL_LINE, LEAK_FIT_LINE}
    assert lines[-1] == "Found 1 finding."
    assert "\x1b" not in result.stdout                     # no colour when not a terminal
    assert result.stderr == ""
    # the default format is text
    assert mllint(project, "--no-cache", "leak.py").stdout == result.stdout


def test_text_counts_findings(two_rules):
    result = mllint(two_rules, "--no-cache")
    assert result.stdout.rstrip().splitlines()[-1] == "Found 2 findings."
    assert len(findings(result.stdout)) == 2


def test_text_colour_only_on_a_terminal(project):
    write(project, "leak.py", LEAK)
    code, out, _ = run_on_tty(project, "--no-cache", "leak.py", env={"NO_COLOR": ""})
    assert code == 1
    assert "\x1b[" in out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out).replace("\r\n", "\n")
    assert plain.startswith(f"leak.py:{LEAK_LINE}:1: ML101 ")
    code, out, _ = run_on_tty(project, "--no-cache", "leak.py", env={"NO_COLOR": "1"})
    assert code == 1
    assert "\x1b[" not in out and "ML101" in out


def test_progress_bar_only_on_a_terminal(project):
    for number in range(25):
        write(project, f"pkg/m{number:02d}.py", CLEAN)
    piped = mllint(project, "--no-cache", "--jobs", "1")
    assert piped.returncode == 0 and piped.stderr == ""
    code, err, out = run_on_tty(project, "--no-cache", "--jobs", "1", stream="stderr")
    assert code == 0
    assert "25/25" in err
    assert out.strip() == "All checks passed!"


# -- json ------------------------------------------------------------------------------------------------
JSON_KEYS = {"code", "message", "path", "start_line", "start_column", "end_line", "end_column", "cell",
             "cell_line", "related", "rule", "url"}


def test_json_format(project):
    write(project, "leak.py", LEAK)
    result = mllint(project, "--no-cache", "--output-format", "json", "leak.py")
    assert result.returncode == 1
    data = as_json(result)
    assert len(data) == 1
    item = data[0]
    assert JSON_KEYS <= set(item)
    assert item["code"] == "ML101"
    assert item["path"] == "leak.py"
    assert (item["start_line"], item["start_column"], item["end_line"]) == (LEAK_LINE, 1, LEAK_LINE)
    assert item["end_column"] > item["start_column"]
    assert item["cell"] is None and item["cell_line"] is None
    assert item["rule"] == "preprocessing-leakage"
    assert item["url"].startswith("https://") and "ML101" in item["url"]
    assert item["message"] and "\n" not in item["message"]
    assert {r["start_line"] for r in item["related"]} == {LEAK_EVAL_LINE, LEAK_FIT_LINE}
    for related in item["related"]:
        assert related["path"] == "leak.py" and related["message"]
        assert {"start_line", "start_column", "end_line", "end_column"} <= set(related)
    clean = mllint(project, "--no-cache", "--output-format", "json", "--ignore", "ML")
    assert clean.returncode == 0 and json.loads(clean.stdout) == []


def test_json_rule_names_match_mllint_rules(two_rules):
    listing = subprocess.run([sys.executable, "-m", "mllint", "rules"], capture_output=True, text=True, check=True)
    names = dict(line.split()[:2] for line in listing.stdout.splitlines() if line.startswith("ML"))
    data = as_json(mllint(two_rules, "--no-cache", "--output-format", "json"))
    assert {d["code"] for d in data} == {"ML101", "ML201"}
    for item in data:
        assert item["rule"] == names[item["code"]]


# -- github ------------------------------------------------------------------------------------------------
GITHUB = re.compile(r"^::(?P<level>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),"
                    r"endLine=\d+,endColumn=\d+,title=(?P<title>ML\d{3})::(?P<message>ML\d{3} .+)$")


def test_github_format(two_rules):
    result = mllint(two_rules, "--no-cache", "--output-format", "github")
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    matches = [GITHUB.match(line) for line in lines]
    assert all(matches), lines
    by_code = {m["title"]: m for m in matches}
    assert set(by_code) == {"ML101", "ML201"}
    assert by_code["ML101"]["level"] == "error"
    assert (by_code["ML101"]["file"], by_code["ML101"]["line"], by_code["ML101"]["col"]) == ("leak.py", "4", "1")
    assert by_code["ML101"]["message"].startswith("ML101 ")
    assert by_code["ML201"]["file"] == "filter.py"
    assert "Found" not in result.stdout


def test_github_escapes_property_values(project):
    write(project, "a,b.py", LEAK)
    result = mllint(project, "--no-cache", "--output-format", "github")
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=a%2Cb.py,line=4,")


# -- sarif -----------------------------------------------------------------------------------------------
def sarif_validator():
    import jsonschema   # in the `test` extra

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid_sarif(document: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_sarif_schema_catches_invalid_documents():
    """The shipped schema really validates (so that the next tests can fail)."""
    validator = sarif_validator()
    assert not list(validator.iter_errors({"version": "2.1.0", "runs": []}))
    assert list(validator.iter_errors({"version": "2.0.0", "runs": []}))
    assert list(validator.iter_errors({"version": "2.1.0", "runs": [{"results": []}]}))          # no tool
    bad_region = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]}
    assert list(validator.iter_errors(bad_region))


def test_sarif_validates_against_the_official_schema(project):
    write(project, "leak.py", LEAK)
    write(project, "src/filter.py", SENSITIVE)
    write(project, "nb.ipynb", LEAK_NB)
    result = mllint(project, "--no-cache", "--output-format", "sarif")
    assert result.returncode == 1, result.stderr
    document = sarif_of(result)
    assert_valid_sarif(document)
    assert len(document["runs"][0]["results"]) == 3
    clean = mllint(project, "--no-cache", "--output-format", "sarif", "--ignore", "ML")
    assert clean.returncode == 0
    assert_valid_sarif(sarif_of(clean))
    assert sarif_of(clean)["runs"][0]["results"] == []


def test_sarif_what_github_code_scanning_needs(project):
    write(project, "leak.py", LEAK)
    write(project, "src/filter.py", SENSITIVE)
    document = sarif_of(mllint(project, "--no-cache", "--output-format", "sarif"))
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "mllint" and driver["version"]
    listing = subprocess.run([sys.executable, "-m", "mllint", "rules"], capture_output=True, text=True, check=True)
    all_codes = [line.split()[0] for line in listing.stdout.splitlines() if line.startswith("ML")]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == all_codes
    for rule in rules:
        assert rule["shortDescription"]["text"].strip()
        assert rule["help"]["text"].strip()
        assert rule["help"].get("markdown", "x").strip()
        assert rule["helpUri"].startswith("https://")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"

    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert set(by_rule) == {"ML101", "ML201"}
    for rule_id, result in by_rule.items():
        assert rules[result["ruleIndex"]]["id"] == rule_id
        assert result["message"]["text"]
        fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
        assert isinstance(fingerprint, str) and fingerprint
    leak = by_rule["ML101"]
    location = leak["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "leak.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == LEAK_LINE and location["region"]["startColumn"] == 1
    assert by_rule["ML201"]["locations"][0]["physicalLocation"]["artifactLocation"] == \
        {"uri": "src/filter.py", "uriBaseId": "%SRCROOT%"}
    related = leak["relatedLocations"]
    assert {r["physicalLocation"]["region"]["startLine"] for r in related} == {LEAK_EVAL_LINE, LEAK_FIT_LINE}
    assert len({r["id"] for r in related}) == len(related)
    for item in related:
        assert item["physicalLocation"]["artifactLocation"] == {"uri": "leak.py", "uriBaseId": "%SRCROOT%"}
        assert item["message"]["text"]


def test_sarif_uris_are_relative_to_the_project_root_from_a_subfolder(project):
    write(project, "src/sub/leak.py", LEAK)
    result = mllint(project / "src", "--no-cache", "--output-format", "sarif", ".")
    assert result.returncode == 1, result.stderr
    run = sarif_of(result)["runs"][0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/sub/leak.py"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"


def fingerprints(document: dict) -> list[tuple[str, str, int]]:
    return [(r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in document["runs"][0]["results"]]


def test_sarif_fingerprints_survive_unrelated_edits(project):
    path = write(project, "leak.py", LEAK)
    write(project, "filter.py", SENSITIVE)
    before = fingerprints(sarif_of(mllint(project, "--output-format", "sarif")))
    assert len(before) == 2
    path.write_text("\n" + LEAK, encoding="utf-8")
    after = fingerprints(sarif_of(mllint(project, "--output-format", "sarif")))
    assert [(rule, hash_) for rule, hash_, _ in after] == [(rule, hash_) for rule, hash_, _ in before]
    moved = {rule: line for rule, _, line in after}
    assert moved["ML101"] == LEAK_LINE + 1       # the line did move
    # the fingerprint depends on the flagged code: a different leak gets a different one
    path.write_text(LEAK.replace('df["x"].mean()', 'df["x"].median()'), encoding="utf-8")
    changed = {rule: hash_ for rule, hash_, _ in fingerprints(sarif_of(mllint(project, "--output-format", "sarif")))}
    assert changed["ML101"] != dict((r, h) for r, h, _ in before)["ML101"]


# -- notebooks -------------------------------------------------------------------------------------------
def test_notebook_text_and_json(project):
    write(project, "nb.ipynb", LEAK_NB)
    text = mllint(project, "--no-cache", "nb.ipynb")
    assert text.returncode == 1, text.stderr
    assert text.stderr == ""                                   # magics cause no error
    lines = text.stdout.splitlines()
    assert re.match(r"^nb\.ipynb:cell 2:2:1: ML101 \S", lines[0]), lines[0]
    assert "    nb.ipynb:cell 3:3:1: " in text.stdout         # related places in cell coordinates
    assert "    nb.ipynb:cell 3:2:1: " in text.stdout
    data = as_json(mllint(project, "--no-cache", "--output-format", "json", "nb.ipynb"))
    assert len(data) == 1
    item = data[0]
    assert (item["code"], item["path"], item["cell"], item["cell_line"], item["start_column"]) == \
        ("ML101", "nb.ipynb", 2, 2, 1)
    assert {(r["cell"], r["cell_line"]) for r in item["related"]} == {(3, 3), (3, 2)}
    github = mllint(project, "--no-cache", "--output-format", "github", "nb.ipynb")
    assert GITHUB.match(github.stdout.strip())
    assert "cell 2" in github.stdout


def test_notebook_magics_never_cause_errors(project):
    write(project, "magic.ipynb", notebook(
        "%matplotlib inline\n!pip install x\n%load_ext autoreload\n%autoreload 2\nimport pandas as pd",
        "%%bash\necho hi\nfor i in 1 2; do echo $i; done",
        "files = !ls\ndf = pd.read_csv('a.csv')\ndf?\n%time y = df.shape",
        "%%time\nprint(df.head())",
        "%pip install scikit-learn\ndf.describe??",
    ))
    result = mllint(project, "--no-cache")
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "All checks passed!", "")


def test_noqa_inside_a_notebook_cell(project):
    cells = list(NB_CELLS)
    cells[2] = cells[2] + "  # noqa: ML101"
    write(project, "quiet.ipynb", notebook(*cells))
    cells[2] = NB_CELLS[2] + "  # noqa: ML2"
    write(project, "other_code.ipynb", notebook(*cells))
    cells[2] = NB_CELLS[2] + "  # noqa"
    write(project, "bare.ipynb", notebook(*cells))
    result = mllint(project, "--no-cache")
    assert result.returncode == 1
    assert reported_paths(result.stdout) == {"other_code.ipynb"}


def test_broken_notebook_reports_one_error_and_the_run_goes_on(project):
    write(project, "a_broken.ipynb", '{"cells": [ oops')
    write(project, "leak.py", LEAK)
    write(project, "z_nb.ipynb", LEAK_NB)
    result = mllint(project, "--no-cache", "--jobs", "1")
    assert result.returncode != 0
    error_lines = result.stderr.strip().splitlines()
    assert len(error_lines) == 1, result.stderr
    assert error_lines[0].startswith("a_broken.ipynb:")
    assert "json" in error_lines[0].lower() and "Traceback" not in result.stderr
    assert reported_paths(result.stdout) == {"leak.py", "z_nb.ipynb"}
    alone = mllint(project, "--no-cache", "a_broken.ipynb")
    assert alone.returncode != 0 and alone.stdout.strip() == ""
    assert len(alone.stderr.strip().splitlines()) == 1


# -- suppression ---------------------------------------------------------------------------------------------
def test_noqa_comments_in_scripts(project):
    lines = LEAK.splitlines()

    def variant(name: str, comment: str) -> None:
        changed = list(lines)
        changed[LEAK_LINE - 1] += comment
        write(project, name, "\n".join(changed) + "\n")

    variant("bare.py", "  # noqa")
    variant("code.py", "  # noqa: ML101")
    variant("prefix.py", "  # noqa: ML1")
    variant("other.py", "  # noqa: ML2, E501")
    result = mllint(project, "--no-cache")
    assert result.returncode == 1
    assert reported_paths(result.stdout) == {"other.py"}


@pytest.mark.parametrize("where", ["top", "middle", "bottom"])
def test_file_level_mllint_noqa_skips_the_file(project, where):
    lines = LEAK.splitlines()
    position = {"top": 0, "middle": 3, "bottom": len(lines)}[where]
    lines.insert(position, "# mllint: noqa")
    write(project, "skipped.py", "\n".join(lines) + "\n")
    write(project, "leak.py", LEAK)
    result = mllint(project, "--no-cache")
    assert result.returncode == 1
    assert reported_paths(result.stdout) == {"leak.py"}
    alone = mllint(project, "--no-cache", "skipped.py")
    assert alone.returncode == 0 and alone.stdout.strip() == "All checks passed!"


def test_file_level_noqa_in_a_notebook(project):
    write(project, "nb.ipynb", notebook(*NB_CELLS, "# mllint: noqa"))
    result = mllint(project, "--no-cache")
    assert result.returncode == 0, result.stdout


# -- jobs and cache -------------------------------------------------------------------------------------------
@pytest.fixture()
def several(project: Path) -> Path:
    write(project, "a/leak.py", LEAK)
    write(project, "b/filter.py", SENSITIVE)
    write(project, "c/nb.ipynb", LEAK_NB)
    write(project, "d/clean.py", CLEAN)
    write(project, "e/leak2.py", LEAK)
    write(project, "f/two.py", TWO_IN_ONE)
    return project


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_jobs_1_and_2_give_the_same_output(several, fmt):
    one = mllint(several, "--no-cache", "--jobs", "1", "--output-format", fmt)
    two = mllint(several, "--no-cache", "--jobs", "2", "--output-format", fmt)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert one.stdout.strip()
    default = mllint(several, "--no-cache", "--output-format", fmt)
    assert default.stdout == one.stdout


def cached_reports(project: Path) -> list[Path]:
    return sorted(p for p in (project / ".mllint_cache").rglob("*.json"))


def test_cache_gives_the_same_output_and_is_git_ignored(several):
    first = mllint(several, "--jobs", "2")
    assert first.returncode == 1
    folder = several / ".mllint_cache"
    assert folder.is_dir()
    ignore = (folder / ".gitignore").read_text(encoding="utf-8")
    assert "*" in ignore.split()
    assert len(cached_reports(several)) == 6
    assert [code for path, code in findings(first.stdout) if path == "f/two.py"] == ["ML101", "ML202"]
    second = mllint(several, "--jobs", "2")
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    assert mllint(several, "--jobs", "1").stdout == first.stdout
    for fmt in ("json", "sarif"):
        assert mllint(several, "--output-format", fmt).stdout == mllint(several, "--no-cache",
                                                                         "--output-format", fmt).stdout
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=several, check=True)
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=several,
                                capture_output=True, text=True, check=True).stdout
        assert ".mllint_cache" not in status and "a/leak.py" in status


def reseal(entry: Path, edit) -> None:
    """Change a cache entry's JSON with ``edit`` and seal it again with this user's key (as mllint would)."""
    from mllint.cli.cache_secret import load_secret
    from mllint.cli.result_cache import seal, unseal

    secret = load_secret(os.environ["MLLINT_CACHE_KEY_DIR"])
    payload = unseal(secret, entry.stem, entry.read_bytes())
    assert payload is not None
    data = json.loads(payload)
    edit(data)
    entry.write_bytes(seal(secret, entry.stem, json.dumps(data).encode()))


def test_cache_is_read_on_the_second_run(project):
    write(project, "leak.py", LEAK)
    mllint(project)
    reports = cached_reports(project)
    assert len(reports) == 1
    reseal(reports[0], lambda data: data["findings"][0].update(message="served from the cache"))
    assert "served from the cache" in mllint(project).stdout
    assert "served from the cache" not in mllint(project, "--no-cache").stdout


def test_editing_a_file_invalidates_its_cached_result(project):
    path = write(project, "model.py", LEAK)
    first = mllint(project)
    assert first.returncode == 1
    path.write_text(CLEAN, encoding="utf-8")
    second = mllint(project)
    assert second.returncode == 0, second.stdout
    assert second.stdout.strip() == "All checks passed!"
    path.write_text(LEAK, encoding="utf-8")
    third = mllint(project)
    assert (third.returncode, third.stdout) == (1, first.stdout)


def test_changing_the_settings_invalidates_the_cache(project):
    write(project, "leak.py", LEAK)
    assert mllint(project).returncode == 1
    assert mllint(project, "--ignore", "ML101").returncode == 0
    write(project, "pyproject.toml", '[tool.mllint]\nignore = ["ML1"]\n')
    assert mllint(project).returncode == 0
    write(project, "pyproject.toml", "[tool.mllint]\n")
    assert mllint(project).returncode == 1


def test_no_cache_writes_no_cache_folder(several):
    result = mllint(several, "--no-cache", "--jobs", "2")
    assert result.returncode == 1
    assert not (several / ".mllint_cache").exists()
    assert not any(p.name == ".mllint_cache" for p in several.rglob("*"))


def test_cache_folder_is_at_the_project_root(several):
    result = mllint(several / "a", ".")
    assert result.returncode == 1
    assert (several / ".mllint_cache" / ".gitignore").is_file()
    assert not (several / "a" / ".mllint_cache").exists()


# -- nbqa ------------------------------------------------------------------------------------------------------
@pytest.mark.skipif(importlib.util.find_spec("nbqa") is None,
                    reason="nbqa is not installed (it is in the `test` extra: pip install -e '.[test]')")
def test_nbqa_flake8_runs_the_plugin_on_notebooks(project):
    """Documented use: `nbqa flake8 nb.ipynb` reports mllint's findings with nbqa's cell numbering."""
    write(project, "nb.ipynb", LEAK_NB)
    cells = list(NB_CELLS)
    cells[2] += "  # noqa: ML101"
    write(project, "quiet.ipynb", notebook(*cells))

    def nbqa(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "nbqa", "flake8", *args], cwd=str(project),
                              capture_output=True, text=True, timeout=120)

    result = nbqa("nb.ipynb")
    assert result.returncode == 1, result.stdout + result.stderr
    ml_lines = [line for line in result.stdout.splitlines() if re.search(r": ML\d{3} ", line)]
    assert len(ml_lines) == 1, result.stdout
    assert ml_lines[0].startswith("nb.ipynb:cell_2:2:1: ML101 ")
    # the same place as `mllint check`
    assert mllint(project, "--no-cache", "nb.ipynb").stdout.startswith("nb.ipynb:cell 2:2:1: ML101 ")
    quiet = nbqa("quiet.ipynb", "--select", "ML")
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert "ML101" not in quiet.stdout

"""End-to-end tests of the flake8 plugin: the real flake8, in a subprocess, on files in tmp_path."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

LEAKY = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

df = pd.read_csv("concrete.csv")
X = df.drop(columns=["strength"])
X_scaled = StandardScaler().fit_transform(X){noqa}
X_train, X_test, y_train, y_test = train_test_split(X_scaled, df["strength"])
model = SVR().fit(X_train, y_train)
print(model.score(X_test, y_test))
"""
LEAK_LINE = 8

# line 4: income, line 5: sex, line 6: zip_code; every filter feeds the model fit on line 7
SENSITIVE = """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("people.csv")
df = df[df["income"] > 10]
df = df[df["sex"] == "F"]
df = df[df["zip_code"] == "123"]
LogisticRegression().fit(df[["x"]], df["y"])
"""

# a filter on a non-sensitive column of data carrying `race` (line 4), feeding a model
ROW_DROP = """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("mortgages.csv", names=["loan_amount", "race", "income", "approved"])
df = df[df["loan_amount"] > 10000]
LogisticRegression().fit(df[["income"]], df["approved"])
"""


def flake8(tmp_path: Path, *args: str, stdin: str | None = None) -> tuple[list[str], str]:
    """Run the real flake8 in ``tmp_path``; return (stdout lines, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "flake8", *args], cwd=tmp_path, input=stdin,
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout.splitlines(), proc.stderr


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def ml(lines: list[str]) -> list[tuple[str, int, int, str]]:
    """(path, line, col, code) of every ML finding in flake8's default output."""
    found = []
    for line in lines:
        path, row, col, rest = line.split(":", 3)
        code = rest.split()[0]
        if code.startswith("ML"):
            found.append((path, int(row), int(col), code))
    return found


# --- the basic finding and its format ------------------------------------------------------------

def test_leaking_script_reports_one_ml101_at_the_fit_transform_line(tmp_path):
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=""))
    out, err = flake8(tmp_path, "pipeline.py")
    assert ml(out) == [("pipeline.py", LEAK_LINE, 1, "ML101")]
    line = [o for o in out if " ML101 " in o][0]
    assert line.startswith(f"pipeline.py:{LEAK_LINE}:1: ML101 ")
    assert "StandardScaler().fit_transform(X)" in line
    assert err == ""


def test_exit_status_is_1_with_a_finding_and_0_without(tmp_path):
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=""))
    write(tmp_path, "clean.py", "x = 1\n")
    assert subprocess.run([sys.executable, "-m", "flake8", "--select=ML", "pipeline.py"], cwd=tmp_path,
                          capture_output=True).returncode == 1
    assert subprocess.run([sys.executable, "-m", "flake8", "--select=ML", "clean.py"], cwd=tmp_path,
                          capture_output=True).returncode == 0


# --- noqa, ignore, per-file-ignores ---------------------------------------------------------------

@pytest.mark.parametrize("comment, reported", [
    ("  # noqa", False),
    ("  # noqa: ML101", False),
    ("  # noqa: ML1", False),
    ("  # noqa:ML101,E501", False),
    ("  # noqa: E501", True),
    ("  # noqa: ML102", True),
])
def test_noqa(tmp_path, comment, reported):
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=comment))
    out, _ = flake8(tmp_path, "--select=ML", "pipeline.py")
    assert ml(out) == ([("pipeline.py", LEAK_LINE, 1, "ML101")] if reported else [])


def test_extend_ignore(tmp_path):
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=""))
    out, _ = flake8(tmp_path, "--extend-ignore", "ML101", "pipeline.py")
    assert ml(out) == []
    out, _ = flake8(tmp_path, "--extend-ignore", "ML2", "pipeline.py")
    assert ml(out) == [("pipeline.py", LEAK_LINE, 1, "ML101")]


def test_per_file_ignores_on_the_command_line(tmp_path):
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=""))
    write(tmp_path, "other.py", LEAKY.format(noqa=""))
    out, _ = flake8(tmp_path, "--per-file-ignores=other.py:ML1", "pipeline.py", "other.py")
    assert ml(out) == [("pipeline.py", LEAK_LINE, 1, "ML101")]


@pytest.mark.parametrize("config_name", ["setup.cfg", ".flake8", "tox.ini"])
def test_per_file_ignores_in_flake8_config(tmp_path, config_name):
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=""))
    write(tmp_path, "other.py", LEAKY.format(noqa=""))
    write(tmp_path, config_name, "[flake8]\nper-file-ignores =\n    pipeline.py: ML101\n")
    out, _ = flake8(tmp_path, "pipeline.py", "other.py")
    assert ml(out) == [("other.py", LEAK_LINE, 1, "ML101")]


# --- stdin, parallel runs ------------------------------------------------------------------------

def test_stdin_with_display_name(tmp_path):
    out, err = flake8(tmp_path, "-", "--stdin-display-name", "pipeline.py", stdin=LEAKY.format(noqa=""))
    assert not (tmp_path / "pipeline.py").exists()
    assert ml(out) == [("pipeline.py", LEAK_LINE, 1, "ML101")]
    assert err == ""


def test_stdin_text_wins_over_the_file_on_disk(tmp_path):
    # editors pipe unsaved buffers: the plugin must analyse what it is given, not re-read the file
    write(tmp_path, "pipeline.py", "x = 1\n")
    out, _ = flake8(tmp_path, "-", "--stdin-display-name", "pipeline.py", stdin=LEAKY.format(noqa=""))
    assert ml(out) == [("pipeline.py", LEAK_LINE, 1, "ML101")]
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=""))
    out, _ = flake8(tmp_path, "-", "--stdin-display-name", "pipeline.py", stdin="x = 1\n")
    assert ml(out) == []


def test_parallel_jobs_report_the_same_as_one_job(tmp_path):
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=""))
    write(tmp_path, "sens.py", SENSITIVE)
    write(tmp_path, "clean.py", "x = 1\n")
    expected = [("pipeline.py", LEAK_LINE, 1, "ML101"), ("sens.py", 5, 1, "ML201")]
    one, _ = flake8(tmp_path, "-j", "1", "pipeline.py", "sens.py", "clean.py")
    two, err = flake8(tmp_path, "-j", "2", "pipeline.py", "sens.py", "clean.py")
    assert sorted(ml(one)) == expected
    assert sorted(ml(two)) == expected
    assert sorted(two) == sorted(one)
    assert err == ""


# --- input that is not ML code -------------------------------------------------------------------

def test_syntax_error_gives_e999_only(tmp_path):
    write(tmp_path, "bad.py", "import pandas as pd\ndf = pd.read_csv('x.csv'\ndef f(:\n    pass\n")
    out, err = flake8(tmp_path, "--select=E999,ML", "bad.py")
    assert [o.split()[1] for o in out] == ["E999"]
    assert out[0].startswith("bad.py:")
    assert ml(out) == []
    assert "Traceback" not in err


def test_file_without_ml_code(tmp_path):
    write(tmp_path, "plain.py", """\
        import os

        def main(path):
            data = [line.strip() for line in open(path)]
            data = [d for d in data if d]
            return os.path.basename(path), len(data)
        """)
    out, err = flake8(tmp_path, "--select=ML", "plain.py")
    assert out == []
    assert err == ""


OWN_CLASSES = """\
import pandas as pd
import sklearn


class Table:
    def __getitem__(self, key):
        return self

    def __eq__(self, other):
        return self

    def fillna(self, value):
        return self

    def mean(self):
        return 0.0

    def dropna(self, subset=None):
        return self

    def query(self, expr):
        return self


class Scaler:
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X

    def fit_transform(self, X, y=None):
        return X

    def score(self, X, y):
        return 1.0


SVR = Scaler


def split(X, y):
    return X, X, y, y


df = Table()
"""

LIBRARIES = """\
import pandas as pd
from sklearn.model_selection import train_test_split as split
from sklearn.preprocessing import StandardScaler as Scaler
from sklearn.svm import SVR
df = pd.read_csv("people.csv")
"""

SAME_CALLS = """\
df = df.fillna(df.mean())
df = df.dropna(subset=["sex"])
adults = df.query("age >= 25")
women = df[df["gender"] == "F"]
X = Scaler().fit_transform(women)
X_train, X_test, y_train, y_test = split(X, women["target"])
model = SVR().fit(X_train, y_train)
print(model.score(X_test, y_test), Scaler().fit(X_train).transform(X_test))
"""


def test_same_method_names_on_own_classes_are_not_findings(tmp_path):
    write(tmp_path, "own.py", OWN_CLASSES + SAME_CALLS)
    out, err = flake8(tmp_path, "--select=ML", "--extend-select=ML203", "own.py")
    assert out == []
    assert err == ""


def test_same_calls_on_pandas_and_sklearn_are_findings(tmp_path):
    # the counterpart of the test above: the very same calls on real library objects are reported
    write(tmp_path, "lib.py", LIBRARIES + SAME_CALLS)
    out, _ = flake8(tmp_path, "--select=ML", "lib.py")
    found = ml(out)
    assert ("lib.py", 6, 1, "ML101") in found      # df.fillna(df.mean()) before the split
    assert ("lib.py", 7, 1, "ML201") in found      # dropna(subset=["sex"])
    assert ("lib.py", 10, 1, "ML101") in found     # Scaler().fit_transform before the split


# --- ML203: off by default -----------------------------------------------------------------------

@pytest.mark.parametrize("args, reported", [
    ((), False),
    (("--select=ML",), False),
    (("--extend-select=ML",), False),
    (("--extend-select", "ML203"), True),
    (("--select", "ML203"), True),
    (("--select=ML2",), True),
    (("--select=ML,ML203",), True),
    (("--extend-select=ML203", "--extend-ignore=ML203"), False),
])
def test_ml203_only_when_selected_explicitly(tmp_path, args, reported):
    write(tmp_path, "drop.py", ROW_DROP)
    out, _ = flake8(tmp_path, *args, "drop.py")
    assert ml(out) == ([("drop.py", 4, 1, "ML203")] if reported else [])


# --- sensitive columns ---------------------------------------------------------------------------

def test_default_sensitive_columns(tmp_path):
    write(tmp_path, "sens.py", SENSITIVE)
    out, _ = flake8(tmp_path, "--select=ML", "sens.py")
    assert ml(out) == [("sens.py", 5, 1, "ML201")]
    assert "`sex`" in out[0]


def test_ml_sensitive_columns_replaces_the_defaults(tmp_path):
    write(tmp_path, "sens.py", SENSITIVE)
    out, _ = flake8(tmp_path, "--select=ML", "--ml-sensitive-columns=income", "sens.py")
    assert ml(out) == [("sens.py", 4, 1, "ML201")]
    assert "`income`" in out[0]


def test_ml_extend_sensitive_columns_adds_to_the_defaults(tmp_path):
    write(tmp_path, "sens.py", SENSITIVE)
    out, _ = flake8(tmp_path, "--select=ML", "--ml-extend-sensitive-columns=zip_code", "sens.py")
    assert ml(out) == [("sens.py", 5, 1, "ML201"), ("sens.py", 6, 1, "ML201")]


def test_ml_sensitive_columns_comma_separated(tmp_path):
    write(tmp_path, "sens.py", SENSITIVE)
    out, _ = flake8(tmp_path, "--select=ML", "--ml-sensitive-columns=income,zip_code", "sens.py")
    assert ml(out) == [("sens.py", 4, 1, "ML201"), ("sens.py", 6, 1, "ML201")]


@pytest.mark.parametrize("config_name", ["setup.cfg", ".flake8"])
def test_sensitive_columns_from_flake8_config(tmp_path, config_name):
    write(tmp_path, "sens.py", SENSITIVE)
    write(tmp_path, config_name, "[flake8]\nml-sensitive-columns = income\n")
    out, _ = flake8(tmp_path, "--select=ML", "sens.py")
    assert ml(out) == [("sens.py", 4, 1, "ML201")]
    write(tmp_path, config_name, "[flake8]\nml-extend-sensitive-columns = zip_code, income\n")
    out, _ = flake8(tmp_path, "--select=ML", "sens.py")
    assert ml(out) == [("sens.py", 4, 1, "ML201"), ("sens.py", 5, 1, "ML201"), ("sens.py", 6, 1, "ML201")]


def test_pyproject_sensitive_columns(tmp_path):
    write(tmp_path, "sens.py", SENSITIVE)
    write(tmp_path, "pyproject.toml", '[tool.mllint]\nsensitive-columns = ["income"]\n')
    out, _ = flake8(tmp_path, "--select=ML", "sens.py")
    assert ml(out) == [("sens.py", 4, 1, "ML201")]


def test_pyproject_extend_sensitive_columns(tmp_path):
    write(tmp_path, "sens.py", SENSITIVE)
    write(tmp_path, "pyproject.toml", '[tool.mllint]\nextend-sensitive-columns = ["zip_code"]\n')
    out, _ = flake8(tmp_path, "--select=ML", "sens.py")
    assert ml(out) == [("sens.py", 5, 1, "ML201"), ("sens.py", 6, 1, "ML201")]


def test_pyproject_found_from_a_subfolder(tmp_path):
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    write(tmp_path, "src/pkg/sens.py", SENSITIVE)
    write(tmp_path, "pyproject.toml", '[tool.mllint]\nsensitive-columns = ["income"]\n')
    out, _ = flake8(tmp_path, "--select=ML", "src/pkg/sens.py")
    assert ml(out) == [("src/pkg/sens.py", 4, 1, "ML201")]


def test_stdin_reads_pyproject_of_the_working_folder(tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.mllint]\nsensitive-columns = ["income"]\n')
    out, _ = flake8(tmp_path, "--select=ML", "-", "--stdin-display-name", "sens.py", stdin=SENSITIVE)
    assert ml(out) == [("sens.py", 4, 1, "ML201")]


def test_flake8_option_overrides_pyproject_sensitive_columns(tmp_path):
    write(tmp_path, "sens.py", SENSITIVE)
    write(tmp_path, "pyproject.toml", '[tool.mllint]\nsensitive-columns = ["income"]\n')
    out, _ = flake8(tmp_path, "--select=ML", "--ml-sensitive-columns=zip_code", "sens.py")
    assert ml(out) == [("sens.py", 6, 1, "ML201")]


def test_pyproject_ignore(tmp_path):
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=""))
    write(tmp_path, "sens.py", SENSITIVE)
    write(tmp_path, "pyproject.toml", '[tool.mllint]\nignore = ["ML2"]\n')
    out, _ = flake8(tmp_path, "--select=ML", "pipeline.py", "sens.py")
    assert ml(out) == [("pipeline.py", LEAK_LINE, 1, "ML101")]


@pytest.mark.parametrize("select, expected", [
    ('["ML1"]', [("pipeline.py", LEAK_LINE, 1, "ML101")]),
    # ML2 selects ML203 explicitly too: the filters on lines 4 and 6 drop rows of data known (from
    # line 5) to carry the sensitive column `sex`
    ('["ML2"]', [("sens.py", 4, 1, "ML203"), ("sens.py", 5, 1, "ML201"), ("sens.py", 6, 1, "ML203")]),
    ('["ML101", "ML201"]', [("pipeline.py", LEAK_LINE, 1, "ML101"), ("sens.py", 5, 1, "ML201")]),
])
def test_pyproject_select(tmp_path, select, expected):
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=""))
    write(tmp_path, "sens.py", SENSITIVE)
    write(tmp_path, "pyproject.toml", f"[tool.mllint]\nselect = {select}\n")
    out, _ = flake8(tmp_path, "--select=ML", "pipeline.py", "sens.py")
    assert ml(out) == expected


def test_pyproject_select_most_specific_wins(tmp_path):
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=""))
    write(tmp_path, "sens.py", SENSITIVE)
    write(tmp_path, "pyproject.toml", '[tool.mllint]\nselect = ["ML"]\nignore = ["ML1"]\n')
    out, _ = flake8(tmp_path, "--select=ML", "pipeline.py", "sens.py")
    assert ml(out) == [("sens.py", 5, 1, "ML201")]
    write(tmp_path, "pyproject.toml", '[tool.mllint]\nignore = ["ML1"]\nextend-select = ["ML101"]\n')
    out, _ = flake8(tmp_path, "--select=ML", "pipeline.py", "sens.py")
    assert ml(out) == [("pipeline.py", LEAK_LINE, 1, "ML101"), ("sens.py", 5, 1, "ML201")]


@pytest.mark.parametrize("table, key", [
    ("bogus = 1", "bogus"),
    ('select = "ML1"', "select"),
    ('ignore = ["E501"]', "ignore"),
    ('sensitive-match = "fuzzy"', "sensitive-match"),
])
def test_invalid_pyproject_is_ml001_on_line_1_and_one_line_on_stderr(tmp_path, table, key):
    write(tmp_path, "pipeline.py", LEAKY.format(noqa=""))
    write(tmp_path, "pyproject.toml", f"[tool.mllint]\n{table}\n")
    proc = subprocess.run([sys.executable, "-m", "flake8", "pipeline.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("mllint: ") and "pyproject.toml" in lines[0] and key in lines[0]
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1   # the run fails: nothing was checked
    assert ml(proc.stdout.splitlines()) == [("pipeline.py", 1, 1, "ML001")]
    assert key in proc.stdout and "pyproject.toml" in proc.stdout


def test_invalid_pyproject_does_not_stop_other_plugins(tmp_path):
    write(tmp_path, "pipeline.py", "import os\n")
    write(tmp_path, "pyproject.toml", "[tool.mllint]\nbogus = 1\n")
    out, err = flake8(tmp_path, "pipeline.py")
    assert [o.split()[1] for o in out] == ["ML001", "F401"]
    assert "bogus" in err


# --- sensitive-name token matching ----------------------------------------------------------------

@pytest.mark.parametrize("column, sensitive", [
    ("age_group", True),
    ("Sex_male", True),
    ("MaritalStatus", True),
    ("native-country", True),
    ("page", False),
    ("mileage", False),
    ("usage", False),
])
def test_token_matching(tmp_path, column, sensitive):
    write(tmp_path, "tok.py", f"""\
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("data.csv")
        sub = df[df["{column}"] > 1]
        LogisticRegression().fit(sub[["x"]], sub["y"])
        """)
    out, _ = flake8(tmp_path, "--select=ML", "tok.py")
    assert ml(out) == ([("tok.py", 4, 1, "ML201")] if sensitive else [])
    if sensitive:
        assert f"`{column}`" in out[0]

"""Configuration discovery as ruff does it, the same on every surface.

A project with nested pyproject.toml files (tmp_path):

    pyproject.toml            [tool.mllint] ignore = ["ML202"]
    top.py                    -> the root's table
    mid/pyproject.toml        [project] only: passed over
    mid/middle.py             -> the root's table
    mid/sub/pyproject.toml    [tool.mllint] sensitive-columns = ["income"], data-headers = false
    mid/sub/deep.py           -> the sub-folder's table (the root's ignore does not apply: no merging)

``mllint check`` from several working folders, the real flake8 in a subprocess, ``mllint
explain`` and the language server (pytest-lsp) must agree on each file.
"""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers import mllint_cli
from mllint.config_discovery import CONFIG_ERROR_CODE, ConfigResolver
from mllint.rules import rule_codes
from mllint.settings import ConfigError
from test_lsp_server import CLIENTS, client, codes, diagnostics_where, has, open_doc, start  # noqa: F401 - fixture

#: line 4: a filter on `income`, line 5: a filter on `age`, line 6: a fit on income and age.
LOANS = """\
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("loans.csv")
df = df[df.income > 1000]
df = df[df.age >= 18]
LogisticRegression().fit(df[["income", "age"]], df["approved"])
"""
#: (code, line) expected per file: the root's table (default terms, ML202 ignored) and the sub-folder's
#: (only `income` is sensitive; ML202 is not ignored there); without configuration: both on `age`.
UNDER_ROOT = [("ML201", 5)]
UNDER_SUB = [("ML201", 4), ("ML202", 6)]
DEFAULTS = [("ML201", 5), ("ML202", 6)]
EXPECTED = {"top.py": UNDER_ROOT, "mid/middle.py": UNDER_ROOT, "mid/sub/deep.py": UNDER_SUB}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "mid" / "sub").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.mllint]\nignore = ["ML202"]\n', encoding="utf-8")
    (root / "mid" / "pyproject.toml").write_text('[project]\nname = "mid"\n', encoding="utf-8")
    (root / "mid" / "sub" / "pyproject.toml").write_text(
        '[tool.mllint]\nsensitive-columns = ["income"]\ndata-headers = false\n', encoding="utf-8")
    for name in EXPECTED:
        (root / name).write_text(LOANS, encoding="utf-8")
    return root


def check_json(cwd: Path, *args: str) -> dict[str, list[tuple[str, int]]]:
    """``mllint check --output-format json`` from ``cwd``: (code, line) per file, keyed relative to the project."""
    result = mllint_cli("check", "--no-cache", "--output-format", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    found: dict[str, list[tuple[str, int]]] = {}
    for item in json.loads(result.stdout):
        absolute = os.path.normpath(os.path.join(cwd, item["path"]))
        found.setdefault(absolute, []).append((item["code"], item["start_line"]))
    return {path: sorted(items) for path, items in found.items()}


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def flake8_ml(cwd: Path, *args: str) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for line in flake8(cwd, "--select=ML", *args).stdout.splitlines():
        path, row, _col, rest = line.split(":", 3)
        found.setdefault(os.path.normpath(os.path.join(cwd, path)), []).append((rest.split()[0], int(row)))
    return {path: sorted(items) for path, items in found.items()}


def expected(project: Path) -> dict[str, list[tuple[str, int]]]:
    return {str(project / name): items for name, items in EXPECTED.items()}


# --- the resolver ---------------------------------------------------------------------------------

def test_nearest_pyproject_with_a_table_wins_and_one_without_is_passed_over(project):
    resolver = ConfigResolver(rule_codes)
    assert resolver.for_path(str(project / "top.py")).config_file == str(project / "pyproject.toml")
    assert resolver.for_path(str(project / "mid" / "middle.py")).config_file == str(project / "pyproject.toml")
    deep = resolver.for_path(str(project / "mid" / "sub" / "deep.py"))
    assert deep.config_file == str(project / "mid" / "sub" / "pyproject.toml")
    assert deep.settings.sensitive.terms == ("income",) and deep.settings.ignore == ()   # no merging
    assert deep.settings.project_root == str(project / "mid" / "sub")   # per-file-ignores are relative to it


def test_an_unparsable_pyproject_on_the_way_is_an_error_naming_it(project):
    broken = project / "mid" / "pyproject.toml"
    broken.write_text("[project\nname = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read") as info:
        ConfigResolver(rule_codes).for_path(str(project / "mid" / "middle.py"))
    assert str(broken) in str(info.value)
    # below the nearest table the broken file is never reached
    assert ConfigResolver(rule_codes).for_path(str(project / "mid" / "sub" / "deep.py")).settings.ignore == ()


def test_clear_sees_a_table_added_later(project):
    resolver = ConfigResolver(rule_codes)
    middle = str(project / "mid" / "middle.py")
    assert resolver.for_path(middle).config_file == str(project / "pyproject.toml")
    (project / "mid" / "pyproject.toml").write_text('[tool.mllint]\nignore = ["ML1"]\n', encoding="utf-8")
    assert resolver.for_path(middle).config_file == str(project / "pyproject.toml")   # cached per folder
    resolver.clear()
    assert resolver.for_path(middle).config_file == str(project / "mid" / "pyproject.toml")


# --- every surface gives a file the same settings --------------------------------------------------

@pytest.mark.parametrize("cwd", [".", "mid", "mid/sub"])
def test_check_from_any_working_folder_gives_each_file_its_own_configuration(project, cwd):
    folder = project / cwd
    paths = [os.path.relpath(project / name, folder) for name in EXPECTED]
    assert check_json(folder, *paths) == expected(project)


def test_check_of_the_whole_project_and_flake8_agree(project):
    assert check_json(project) == expected(project)
    assert flake8_ml(project, ".") == expected(project)
    assert flake8_ml(project / "mid" / "sub", "deep.py", "../middle.py") == {
        str(project / "mid" / "sub" / "deep.py"): UNDER_SUB, str(project / "mid" / "middle.py"): UNDER_ROOT}


def test_explain_uses_the_configuration_of_the_file(project):
    for name in ("top.py", "mid/sub/deep.py"):
        (project / name).with_name("loans.csv").write_text("income,age,debt,approved\n1,2,3,4\n", encoding="utf-8")
    outputs = {}
    for cwd in (project, project / "mid" / "sub"):
        for name in ("top.py", "mid/sub/deep.py"):
            result = mllint_cli("explain", os.path.relpath(project / name, cwd), cwd=cwd)
            assert result.returncode == 0, result.stderr
            outputs.setdefault(name, set()).add(result.stdout)
    assert all(len(texts) == 1 for texts in outputs.values()), outputs   # the same from every working folder
    assert "columns [income, age, debt, approved]" in next(iter(outputs["top.py"]))
    assert "columns [income, age, debt, approved]" not in next(iter(outputs["mid/sub/deep.py"]))   # data-headers off
    isolated = mllint_cli("explain", "--isolated", "mid/sub/deep.py", cwd=project)
    assert "columns [income, age, debt, approved]" in isolated.stdout


def test_a_cached_result_is_not_reused_for_a_file_whose_configuration_changed(project):
    run = lambda: mllint_cli("check", "--output-format", "json", "mid/sub/deep.py", cwd=project)  # noqa: E731
    first = json.loads(run().stdout)
    assert sorted((f["code"], f["start_line"]) for f in first) == UNDER_SUB
    (project / "mid" / "sub" / "pyproject.toml").write_text('[tool.mllint]\nignore = ["ML2"]\n', encoding="utf-8")
    assert json.loads(run().stdout) == []


# --- the flags ------------------------------------------------------------------------------------

def test_config_flag_uses_that_file_for_every_file(project, tmp_path):
    other = tmp_path / "ci.toml"
    other.write_text('[tool.mllint]\nsensitive-columns = ["income"]\nignore = ["ML202"]\n', encoding="utf-8")
    found = check_json(project, "--config", str(other))
    assert found == {str(project / name): [("ML201", 4)] for name in EXPECTED}
    result = mllint_cli("explain", "--config", str(other), "mid/sub/deep.py", cwd=project)
    assert result.returncode == 0, result.stderr
    (tmp_path / "empty.toml").write_text('[tool.black]\n', encoding="utf-8")
    result = mllint_cli("check", "--config", str(tmp_path / "empty.toml"), cwd=project)
    assert result.returncode == 2 and "no [tool.mllint] table" in result.stderr
    result = mllint_cli("check", "--config", str(tmp_path / "missing.toml"), cwd=project)
    assert result.returncode == 2 and "missing.toml" in result.stderr


def test_isolated_ignores_every_configuration_file(project):
    found = check_json(project / "mid", "--isolated", "..")
    assert found == {str(project / name): DEFAULTS for name in EXPECTED}
    result = mllint_cli("check", "--isolated", "--config", str(project / "pyproject.toml"), cwd=project)
    assert result.returncode == 2 and "cannot be used together" in result.stderr


def test_command_line_flags_override_each_files_configuration(project):
    # --ignore replaces each table's ignore list, --extend-select adds to each file's selection
    assert check_json(project, "--ignore", "ML201") == {str(project / name): [("ML202", 6)] for name in EXPECTED}
    assert check_json(project, "--extend-select", "ML101") == expected(project)
    assert check_json(project, "--select", "ML201") == {
        str(project / name): [item for item in items if item[0] == "ML201"] for name, items in EXPECTED.items()}


def test_per_file_ignores_are_relative_to_the_pyproject_that_defines_them(project):
    sub = project / "mid" / "sub"
    (sub / "pyproject.toml").write_text('[tool.mllint]\nsensitive-columns = ["income"]\n'
                                        '[tool.mllint.per-file-ignores]\n"nested/*" = ["ML2"]\n', encoding="utf-8")
    (sub / "nested").mkdir()
    (sub / "nested" / "n.py").write_text(LOANS, encoding="utf-8")
    (project / "nested").mkdir()
    (project / "nested" / "n.py").write_text(LOANS, encoding="utf-8")
    found = check_json(project)
    assert str(sub / "nested" / "n.py") not in found
    assert found[str(project / "nested" / "n.py")] == UNDER_ROOT   # the root's table has no such glob
    assert found[str(sub / "deep.py")] == UNDER_SUB


def test_show_settings_names_the_file_and_the_resolved_values(project):
    result = mllint_cli("check", "--show-settings", "mid/sub/deep.py", "--extend-select", "ML203", cwd=project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"config file: {project / 'mid' / 'sub' / 'pyproject.toml'}" in lines
    assert 'sensitive-columns = ["income"]' in lines
    assert "data-headers = false" in lines and "ignore = []" in lines
    assert 'extend-select = ["ML203"]' in lines          # the flags are applied
    assert any(line.startswith("exclude = [") and '".git"' in line for line in lines)
    assert any(line.startswith("per-file-ignores = ") for line in lines)
    assert 'sensitive-match = "tokens"' in lines and any(line.startswith("select = ") for line in lines)
    middle = mllint_cli("check", "--show-settings", "middle.py", cwd=project / "mid")
    assert f"config file: {project / 'pyproject.toml'}" in middle.stdout.splitlines()
    assert 'ignore = ["ML202"]' in middle.stdout.splitlines()
    isolated = mllint_cli("check", "--isolated", "--show-settings", "mid/sub/deep.py", cwd=project)
    assert "config file: none" in isolated.stdout.splitlines() and isolated.returncode == 0
    missing = mllint_cli("check", "--show-settings", "nope.py", cwd=project)
    assert missing.returncode == 2 and "nope.py" in missing.stderr


# --- invalid configuration fails loudly everywhere --------------------------------------------------

BAD_KEY = '[tool.mllint]\nsensitive-column = ["income"]\n'
DID_YOU_MEAN = "did you mean 'sensitive-columns'?"


def test_invalid_configuration_fails_check_and_explain_with_did_you_mean(project):
    bad = project / "mid" / "sub" / "pyproject.toml"
    bad.write_text(BAD_KEY, encoding="utf-8")
    for args in (("check",), ("check", "mid/sub/deep.py"), ("explain", "mid/sub/deep.py")):
        result = mllint_cli(*args, cwd=project)
        assert result.returncode == 2, (args, result.stdout)
        assert result.stderr.strip() == \
            f"mllint: unknown key 'sensitive-column' in [tool.mllint] of {bad}; {DID_YOU_MEAN}"
    assert mllint_cli("check", "--no-cache", "top.py", cwd=project).returncode == 1   # other tables still work
    bad.write_text('[tool.mllint]\nselect = ["ML1O1"]\n', encoding="utf-8")
    result = mllint_cli("check", cwd=project)
    assert result.returncode == 2 and "'ML1O1'" in result.stderr and "did you mean 'ML101'?" in result.stderr


def test_flake8_reports_an_invalid_configuration_as_ml001_on_line_1_of_each_file_under_it(project):
    bad = project / "mid" / "sub" / "pyproject.toml"
    bad.write_text(BAD_KEY, encoding="utf-8")
    (project / "mid" / "sub" / "clean.py").write_text("import os\nprint(os.sep)\n", encoding="utf-8")
    for args in ((), ("--select=ML",)):
        proc = flake8(project, *args, "mid/sub/deep.py", "mid/sub/clean.py", "top.py")
        assert proc.returncode == 1
        lines = proc.stdout.splitlines()
        ml001 = [line for line in lines if f" {CONFIG_ERROR_CODE} " in line]
        assert sorted(line.split(":")[:3] for line in ml001) == [["mid/sub/clean.py", "1", "1"],
                                                                 ["mid/sub/deep.py", "1", "1"]]
        assert all(str(bad) in line and "'sensitive-column'" in line and DID_YOU_MEAN in line for line in ml001)
        assert not [line for line in lines if line.startswith("mid/sub/") and f" {CONFIG_ERROR_CODE} " not in line
                    and " ML" in line]                                        # nothing checked with other settings
        assert any(line.startswith("top.py:5:") and " ML201 " in line for line in lines)   # the root's table works
        assert "sensitive-column" in proc.stderr     # on stderr too (once per flake8 process)


def test_flake8_extend_default_ignore_does_not_hide_ml001(project):
    (project / "mid" / "sub" / "pyproject.toml").write_text(BAD_KEY, encoding="utf-8")
    proc = flake8(project, "--extend-select=ML203", "mid/sub/deep.py")
    assert proc.returncode == 1 and f"mid/sub/deep.py:1:1: {CONFIG_ERROR_CODE} " in proc.stdout


def test_mllint_rule_ml001_documents_the_code(project):
    result = mllint_cli("rule", CONFIG_ERROR_CODE)
    assert result.returncode == 0 and "[tool.mllint]" in result.stdout
    assert CONFIG_ERROR_CODE not in mllint_cli("rules").stdout


# --- the language server ----------------------------------------------------------------------------

@pytest.mark.parametrize("spec", CLIENTS)
async def test_language_server_applies_the_configuration_of_each_document(client: LanguageClient, spec,  # noqa: F811
                                                                         project):
    await start(client, spec, project)
    deep = open_doc(client, project / "mid" / "sub" / "deep.py", LOANS)
    top = open_doc(client, project / "top.py", LOANS)
    found = await diagnostics_where(client, deep, has("ML202"), "the sub-folder's table")
    assert codes(found) == [(code, line - 1) for code, line in UNDER_SUB]
    found = await diagnostics_where(client, top, has("ML201"), "the root's table")
    assert codes(found) == [(code, line - 1) for code, line in UNDER_ROOT]


@pytest.mark.parametrize("spec", CLIENTS)
async def test_language_server_shows_an_invalid_configuration_as_an_error(client: LanguageClient, spec,  # noqa: F811
                                                                         project):
    bad = project / "mid" / "sub" / "pyproject.toml"
    bad.write_text(BAD_KEY, encoding="utf-8")
    await start(client, spec, project)
    deep = open_doc(client, project / "mid" / "sub" / "deep.py", LOANS)
    other = open_doc(client, project / "mid" / "sub" / "other.py", LOANS)
    top = open_doc(client, project / "top.py", LOANS)
    for uri in (deep, other):
        found = await diagnostics_where(client, uri, has(CONFIG_ERROR_CODE, 0), "ML001 on line 1")
        assert len(found) == 1
        assert found[0].severity == types.DiagnosticSeverity.Error
        assert str(bad) in found[0].message and DID_YOU_MEAN in found[0].message
    await diagnostics_where(client, top, has("ML201", 4), "the root's table still applies")
    deadline = time.monotonic() + 10
    while not client.messages and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    errors = [m for m in client.messages if m.type == types.MessageType.Error]
    assert len(errors) == 1 and "sensitive-column" in errors[0].message   # one message, not one per document

    # fixed on disk: the watched-files notification brings the findings back
    bad.write_text('[tool.mllint]\nsensitive-columns = ["income"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=bad.as_uri(), type=types.FileChangeType.Changed)]))
    found = await diagnostics_where(client, deep, has("ML202"), "the findings once the table is fixed")
    assert codes(found) == [(code, line - 1) for code, line in UNDER_SUB]


async def test_language_server_shows_an_invalid_configuration_on_the_notebooks_first_cell(
        client: LanguageClient, project):  # noqa: F811
    (project / "mid" / "sub" / "pyproject.toml").write_text(BAD_KEY, encoding="utf-8")
    await start(client, "visual-studio-code", project)
    notebook = project / "mid" / "sub" / "analysis.ipynb"
    cell_uris = [f"vscode-notebook-cell:{notebook}#W{i}sZmlsZQ" for i in range(2)]
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=notebook.as_uri(), notebook_type="jupyter-notebook", version=1,
            cells=[types.NotebookCell(kind=types.NotebookCellKind.Code, document=u) for u in cell_uris]),
        cell_text_documents=[types.TextDocumentItem(uri=u, language_id="python", version=1, text=t)
                             for u, t in zip(cell_uris, LOANS.split("df = df[df.age"))]))
    found = await diagnostics_where(client, cell_uris[0], has(CONFIG_ERROR_CODE, 0), "ML001 on the first cell")
    assert len(found) == 1 and found[0].severity == types.DiagnosticSeverity.Error
    assert DID_YOU_MEAN in found[0].message

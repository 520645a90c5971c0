"""File-level noqa comments of mllint, ruff and flake8, and warnings for unknown ML codes in noqa comments.

Through the real CLI in a subprocess, and through ``mllint.noqa.kept`` (the language server's
path) on real findings of the real checker.  The fixture file has an ML101 and an ML202 (see
test_check_cli.TWO_IN_ONE), so that "the file is skipped" and "one code is ignored" differ.
"""
from __future__ import annotations

import pytest
from test_check_cli import TWO_IN_ONE, findings, mllint, notebook, write

from mllint import analyze
from mllint.checker import check_analysis
from mllint.noqa import file_noqa, kept, noqa_warnings
from mllint.rules import rule_codes
from mllint.settings import Settings

BOTH = {"ML101", "ML202"}


@pytest.fixture()
def project(tmp_path):
    """An empty project: a pyproject.toml without [tool.mllint] stops the upward configuration search."""
    write(tmp_path, "pyproject.toml", "[project]\nname = 'demo'\nversion = '0'\n")
    return tmp_path


def codes_reported(project, text: str) -> tuple[set[str], str]:
    write(project, "two.py", text)
    result = mllint(project, "--no-cache", "two.py")
    assert result.returncode in (0, 1), result.stderr
    return {code for _, code in findings(result.stdout)}, result.stderr


def test_the_fixture_has_both_codes(project):
    assert codes_reported(project, TWO_IN_ONE)[0] == BOTH


@pytest.mark.parametrize("comment", ["# mllint: noqa", "# ruff: noqa", "# flake8: noqa", "#flake8:noqa",
                                     "# RUFF: NOQA", "# flake8= noqa"])
def test_file_level_comments_without_codes_skip_the_file(project, comment):
    codes, stderr = codes_reported(project, comment + "\n" + TWO_IN_ONE)
    assert codes == set() and stderr == ""


@pytest.mark.parametrize("comment", ["# ruff: noqa: ML101", "# mllint: noqa: ML101", "# ruff: noqa: ML1, E501",
                                     "# mllint: noqa:ML10"])
def test_ruff_and_mllint_comments_with_codes_ignore_those_codes_in_the_file(project, comment):
    codes, stderr = codes_reported(project, TWO_IN_ONE + comment + "\n")
    assert codes == {"ML202"} and stderr == ""


def test_flake8_comment_with_codes_does_nothing_and_warns(project):
    codes, stderr = codes_reported(project, "# flake8: noqa: ML101\n" + TWO_IN_ONE)
    assert codes == BOTH
    assert stderr.splitlines() == [
        "two.py:1:1: warning: `# flake8: noqa` with codes is ignored (as flake8 ignores it); "
        "use `# ruff: noqa: CODES` or `# mllint: noqa: CODES` for a file-wide ignore of some codes"]


def test_unknown_ml_code_in_a_noqa_comment_warns_once_per_comment(project):
    lines = TWO_IN_ONE.splitlines()
    lines[0] += "  # noqa: ML999, E501, ML1"
    lines[1] += "  # noqa: ML998,ML997"
    lines.append("# ruff: noqa: MLX")
    text = "\n".join(lines) + "\n"
    codes, stderr = codes_reported(project, text)
    assert codes == BOTH
    column0 = lines[0].index("#") + 1
    column1 = lines[1].index("#") + 1
    assert stderr.splitlines() == [
        f"two.py:1:{column0}: warning: unknown rule code ML999 in noqa comment",
        f"two.py:2:{column1}: warning: unknown rule codes ML998, ML997 in noqa comment",
        f"two.py:{len(lines)}:1: warning: unknown rule code MLX in noqa comment"]
    # the warning comes back from the cache too
    write(project, "two.py", text)
    first = mllint(project, "two.py")
    second = mllint(project, "two.py")
    assert first.stderr == second.stderr == stderr


def test_known_codes_prefixes_and_other_tools_codes_do_not_warn(project):
    lines = TWO_IN_ONE.splitlines()
    lines[0] += "  # noqa: E501, F401, ML1, ML, ML202"
    lines[1] += "  # noqa"
    _, stderr = codes_reported(project, "\n".join(lines) + "\n")
    assert stderr == ""


def test_noqa_warning_in_a_notebook_names_the_cell(project):
    write(project, "nb.ipynb", notebook("import pandas as pd", "x = 1\ny = 2  # noqa: ML777"))
    result = mllint(project, "--no-cache", "nb.ipynb")
    assert result.returncode == 0
    assert result.stderr.splitlines() == ["nb.ipynb:cell 2:2:8: warning: unknown rule code ML777 in noqa comment"]


# -- the language server's path: mllint.noqa.kept on the checker's findings --------------------------------
@pytest.mark.parametrize("extra, expected", [
    ("", BOTH),
    ("# ruff: noqa: ML202\n", {"ML101"}),
    ("# mllint: noqa: ML2\n", {"ML101"}),
    ("# flake8: noqa: ML202\n", BOTH),
    ("# flake8: noqa\n", set()),
    ("# ruff: noqa\n", set()),
])
def test_kept_applies_the_same_file_level_rules(tmp_path, extra, expected):
    text = TWO_IN_ONE + extra
    path = tmp_path / "two.py"
    path.write_text(text, encoding="utf-8")
    analysis = analyze(text, path=str(path))
    found = check_analysis(analysis, Settings())
    assert {f.code for f in found} == BOTH
    assert {f.code for f in kept(found, text)} == expected


def test_file_noqa_and_noqa_warnings_parse_what_they_report():
    lines = ["x = 1  # noqa: ML999", "# ruff: noqa: ML101", "# flake8: noqa: E501"]
    parsed = file_noqa(lines)
    assert [(c.tool, c.codes, c.line) for c in parsed.comments] == [("ruff", ("ML101",), 2),
                                                                   ("flake8", ("E501",), 3)]
    assert parsed.codes == ("ML101",) and not parsed.skips_file
    assert [(w.line, w.column) for w in noqa_warnings(lines, rule_codes())] == [(1, 7), (3, 0)]

"""The rule pages in docs/rules and the README's rules table are generated from the rules and must be
current; the CLI prints and writes them."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mllint.cli.docs import TABLE_END, TABLE_START, with_rules_table, write_rule_docs
from mllint.rules import all_rules, off_by_default, rule_codes

REPO = Path(__file__).resolve().parent.parent


def test_committed_rule_docs_are_current(tmp_path):
    for written in write_rule_docs(str(tmp_path)):
        name = Path(written).name
        committed = REPO / "docs" / "rules" / name
        assert committed.is_file(), f"docs/rules/{name} missing: run `mllint docs`"
        assert committed.read_text(encoding="utf-8") == Path(written).read_text(encoding="utf-8"), \
            f"docs/rules/{name} is stale: run `mllint docs`"


def test_readme_rules_table_is_current():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert TABLE_START in text and TABLE_END in text, "README.md lost its rules-table markers"
    assert with_rules_table(text, all_rules()) == text, "README.md's rules table is stale: run `mllint docs`"


def test_readme_table_lists_every_rule_and_its_default():
    table = with_rules_table(f"{TABLE_START}\n{TABLE_END}\n", all_rules())
    rows = [line for line in table.splitlines() if line.startswith("| [ML")]
    assert [row.split("]")[0][3:] for row in rows] == list(rule_codes())
    for code, row in zip(rule_codes(), rows):
        assert ("(off by default)" in row) is (code in off_by_default()), row
        assert f"(docs/rules/{code}.md)" in row


def test_readme_table_needs_both_markers():
    with pytest.raises(ValueError, match="rules-table"):
        with_rules_table(f"# x\n{TABLE_START}\n", all_rules())


def _mllint(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "mllint", *args], capture_output=True, text=True, timeout=60,
                          cwd=cwd)


def test_docs_command_regenerates_the_readme_table(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# p\n\n{TABLE_START}\n| stale |\n{TABLE_END}\n\nmore\n", encoding="utf-8")
    result = _mllint("docs", "--output", "site/rules", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "README.md" in result.stdout.splitlines()
    text = readme.read_text(encoding="utf-8")
    assert "| stale |" not in text and text.endswith(f"{TABLE_END}\n\nmore\n")
    assert "| [ML101](site/rules/ML101.md) |" in text and (tmp_path / "site" / "rules" / "ML101.md").is_file()


def test_docs_command_leaves_a_readme_without_markers(tmp_path):
    (tmp_path / "README.md").write_text("# mine\n", encoding="utf-8")
    result = _mllint("docs", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "README.md").read_text(encoding="utf-8") == "# mine\n"
    result = _mllint("docs", "--readme", "README.md", cwd=tmp_path)
    assert result.returncode == 2 and "rules-table" in result.stderr


def test_rules_lists_every_rule():
    result = _mllint("rules")
    assert result.returncode == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert list(lines) == list(rule_codes())
    assert "ML203" in off_by_default()
    for code, line in lines.items():
        assert ("off by default" in line) is (code in off_by_default()), line


def test_rule_prints_its_documentation():
    result = _mllint("rule", "ML302")
    assert result.returncode == 0
    for heading in ("# ML302 refit-on-test-data", "## What it does", "## Why is this bad?", "## Example",
                    "## Use instead"):
        assert heading in result.stdout


def test_unknown_rule_is_a_usage_error():
    result = _mllint("rule", "ML999")
    assert result.returncode == 2 and "unknown rule" in result.stderr and "Traceback" not in result.stderr

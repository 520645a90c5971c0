"""The rule pages in docs/rules are generated from the rules and must be current; the CLI prints them."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mllint.docs import write_rule_docs

REPO = Path(__file__).resolve().parent.parent


def test_committed_rule_docs_are_current(tmp_path):
    for written in write_rule_docs(str(tmp_path)):
        name = Path(written).name
        committed = REPO / "docs" / "rules" / name
        assert committed.is_file(), f"docs/rules/{name} missing: run `mllint docs`"
        assert committed.read_text(encoding="utf-8") == Path(written).read_text(encoding="utf-8"), \
            f"docs/rules/{name} is stale: run `mllint docs`"


def _mllint(*args):
    return subprocess.run([sys.executable, "-m", "mllint", *args], capture_output=True, text=True, timeout=60)


def test_rules_lists_every_rule():
    result = _mllint("rules")
    assert result.returncode == 0
    codes = [line.split()[0] for line in result.stdout.splitlines()]
    assert codes == ["ML101", "ML102", "ML103", "ML104", "ML201", "ML202", "ML203", "ML301", "ML302", "ML303",
                     "ML304"]
    assert "off by default" in next(line for line in result.stdout.splitlines() if line.startswith("ML203"))


def test_rule_prints_its_documentation():
    result = _mllint("rule", "ML302")
    assert result.returncode == 0
    for heading in ("# ML302 refit-on-test-data", "## What it does", "## Why is this bad?", "## Example",
                    "## Use instead"):
        assert heading in result.stdout


def test_unknown_rule_is_a_usage_error():
    result = _mllint("rule", "ML999")
    assert result.returncode == 2 and "unknown rule" in result.stderr and "Traceback" not in result.stderr

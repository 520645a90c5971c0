"""Every rule's own VALID / INVALID examples, run through the real checker.

In an INVALID example the lines ending with ``# error`` are exactly where the
rule must report; a VALID example must give the rule nothing to say.
"""
from __future__ import annotations

import pytest

from mllint.checker import check_analysis
from mllint.engine.analysis import analyze
from mllint.rule import expected_lines
from pathlib import Path

from mllint.rules import all_rules, off_by_default
from mllint.settings import Settings

RULES = all_rules()
EVERYTHING = Settings(select=("ML",), extend_select=tuple(sorted(off_by_default())))
RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


def _cases(kind: str):
    for rule in RULES:
        for index, example in enumerate(getattr(rule, kind)):
            yield pytest.param(rule, example, id=f"{rule.code}-{kind}-{index}")


def _lines(tmp_path, rule, example: str) -> list[int]:
    path = tmp_path / "example.py"
    path.write_text(example, encoding="utf-8")
    analysis = analyze(example, path=str(path))
    assert analysis.ok, analysis.error
    return sorted(f.line for f in check_analysis(analysis, EVERYTHING) if f.code == rule.code)


def test_every_rule_has_examples_and_docs():
    # one rule per module, its code in the module's name (rules/mlNNN_short_name.py)
    modules = sorted(path.name.split("_")[0].upper() for path in RULES_DIR.glob("ml[0-9]*_*.py"))
    assert [r.code for r in RULES] == modules
    for rule in RULES:
        assert rule.invalid and rule.valid, rule.code
        assert all(expected_lines(example) for example in rule.invalid), rule.code
        for section in (rule.name, rule.summary, rule.what, rule.why, rule.example, rule.use_instead):
            assert section.strip(), rule.code


@pytest.mark.parametrize("rule, example", list(_cases("invalid")))
def test_invalid_examples_are_reported_on_the_marked_lines(tmp_path, rule, example):
    assert _lines(tmp_path, rule, example) == expected_lines(example)


@pytest.mark.parametrize("rule, example", list(_cases("valid")))
def test_valid_examples_are_not_reported(tmp_path, rule, example):
    assert _lines(tmp_path, rule, example) == []

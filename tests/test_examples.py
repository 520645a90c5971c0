"""The shipped examples say what the README says they say, through the real command line."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def check(name: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mllint", "check", "--no-cache", name],
                          cwd=EXAMPLES, capture_output=True, text=True, timeout=120)


def test_the_leaky_example_shows_its_two_findings():
    result = check("leaky_pipeline.py")
    assert result.returncode == 1, result.stderr
    codes = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("leaky_pipeline.py:")]
    assert codes == ["ML101", "ML104"], result.stdout


def test_the_clean_example_has_none():
    result = check("churn_pipeline.py")
    assert result.returncode == 0 and "ML" not in result.stdout, result.stdout + result.stderr

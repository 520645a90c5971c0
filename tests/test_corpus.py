"""Corpus run as a test: zero crashes and zero budget hits over real code.

Runs ``benchmarks/corpus_run.py --force`` in a subprocess over the running Python's standard
library (every file parsed and interpreted, not just those mentioning an ML library), the
labelled cases (../shared/bench/cases, when present) and Debian's scikit-learn examples (when
fetched to the default path by benchmarks/fetch_corpus.sh).  ``MLLINT_DEBUG=1`` is set by the
script, so an internal error raises and counts as a crash instead of becoming a note; a file
that runs past the watchdog counts as a crash too (a hang).

Wall time per file is reported but not asserted (``--max-seconds 0``): it depends on the machine
and on what else runs; the analysis budget is what bounds it, and a budget hit fails the test.

Marked slow (about 1.5 minutes on 2 cores); the marker is a label, it runs by default and in
``.ci/run``.  Deselect with ``-m "not slow"``.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "corpus_run.py"


@pytest.mark.slow
def test_corpus_has_no_crash_and_no_budget_hit(tmp_path: Path) -> None:
    out = tmp_path / "corpus.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--force", "--max-seconds", "0", "--timeout", "60",
         "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=900)
    assert out.exists(), f"corpus run produced no figures (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    figures = json.loads(out.read_text(encoding="utf-8"))
    overall = figures["overall"]
    names = [corpus["name"] for corpus in figures["corpora"]]
    assert "stdlib" in names
    stdlib = next(c for c in figures["corpora"] if c["name"] == "stdlib")
    assert stdlib["files"] > 500 and stdlib["analysed"] > 0.9 * stdlib["files"], stdlib["files"]

    crashes = "\n".join(f"{c['file']}:\n{c['traceback'][-2000:]}" for c in overall["crash_reports"][:5])
    assert overall["crashes"] == 0, f"{overall['crashes']} crashes:\n{crashes}"
    assert overall["budget_hits"] == 0, f"files over the analysis budget: {overall['budget_files']}"
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"

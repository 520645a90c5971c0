"""mlinspect's checks, reproduced statically on the plan benchmark (../shared/bench/plans).

* ML202 with mlinspect's illegal feature names (age, gender, race; whole-name matching)
  reports exactly the columns of ``checks.NoIllegalFeatures``.
* ML201 and ML203 together point at every node that ``checks.NoBiasIntroducedFor``
  reports as failing (entries marked ``nan_artefact`` excepted), with that pipeline's
  sensitive columns configured.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mllint.engine.analysis import analyze
from mllint.checker import check_analysis
from mllint.sensitive import SensitiveTerms
from mllint.settings import Settings

from helpers import SHARED, SHARED_MISSING

PLANS = SHARED / "bench" / "plans"
PIPELINES = sorted(p.parent for p in PLANS.glob("*/pipeline.py") if (p.parent / "oracle.json").is_file())

pytestmark = pytest.mark.skipif(not PIPELINES, reason=SHARED_MISSING)


def _findings(folder: Path, terms: SensitiveTerms):
    script = folder / "pipeline.py"
    analysis = analyze(script.read_bytes(), path=str(script))
    assert analysis.ok, analysis.error
    settings = Settings(select=("ML2",), extend_select=("ML203",), sensitive=terms)
    return check_analysis(analysis, settings)


@pytest.mark.parametrize("folder", PIPELINES, ids=lambda p: p.name)
def test_ml202_matches_no_illegal_features(folder):
    oracle = json.loads((folder / "oracle.json").read_text())["checks"]["NoIllegalFeatures"]
    terms = SensitiveTerms(tuple(oracle["illegal_feature_set"]), exact=True)
    reported = {c for f in _findings(folder, terms) if f.code == "ML202" for c in f.columns}
    assert reported == set(oracle["illegal_features"])


@pytest.mark.parametrize("folder", PIPELINES, ids=lambda p: p.name)
def test_ml201_ml203_cover_no_bias_introduced_failures(folder):
    oracle = json.loads((folder / "oracle.json").read_text())["checks"]["NoBiasIntroducedFor"]
    terms = SensitiveTerms(tuple(oracle["sensitive_columns"]), exact=True)
    flagged = {f.line for f in _findings(folder, terms) if f.code in ("ML201", "ML203")}
    failing = {n["lineno"] for n in oracle["failing_nodes"] if not n.get("nan_artefact")}
    assert failing <= flagged, f"not flagged: {sorted(failing - flagged)}"


def test_the_benchmark_has_failures_to_find():
    """Guard: the coverage test above must not pass vacuously."""
    failing = [n for folder in PIPELINES
               for n in json.loads((folder / "oracle.json").read_text())["checks"]["NoBiasIntroducedFor"]["failing_nodes"]
               if not n.get("nan_artefact")]
    illegal = [c for folder in PIPELINES
               for c in json.loads((folder / "oracle.json").read_text())["checks"]["NoIllegalFeatures"]["illegal_features"]]
    assert len(failing) >= 2 and len(illegal) >= 2

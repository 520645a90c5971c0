"""Golden plan tests: each ``[case]`` of ``tests/golden/*.test`` pins the exact plan (and findings).

Why: the engine is about to be refactored (typed plan, API models behind a registry) and the
plan must come out identical.  The unit tests assert on chosen facts; these pin everything
``mllint explain --format text`` prints, so any drift shows up as a readable diff.

Format of a ``.test`` file (owned by ``golden_format.py``; see ``tests/golden/README.md``)::

    -- comments before the first case
    [case descriptive_name]
    import pandas as pd
    df = pd.read_csv("data/train.csv")
    [file data/train.csv]        (optional: written next to case.py, with a pyproject.toml fence)
    id,age,label
    [out]
    <exact `mllint explain case.py --format text` output>
    [findings]                   (optional: `mllint check` findings, "LINE:COL CODE message", sorted)
    2:6 ML101 ...
        5:1 related place        (a finding's related places, indented under it)

Trailing whitespace and trailing blank lines of a section do not matter.  Outputs are produced
in-process through ``mllint.cli.main.main`` (explain) and ``check_command.check_file`` with the
settings ``mllint check`` builds; :func:`test_cli_subprocess_matches_in_process` keeps that path
honest against the real command.  ``pytest tests/test_golden.py --update-golden`` rewrites the
expected sections of failing cases in place (generate expectations this way, never by hand).
"""
from __future__ import annotations

import contextlib
import difflib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from golden_format import Case, GoldenFile, parse, rewrite

GOLDEN_DIR = Path(__file__).parent / "golden"
FENCE = "[project]\nname = \"golden-case\"\n"


def _load(path: Path) -> GoldenFile:
    return parse(path.read_text(encoding="utf-8"), str(path))


def _all_cases() -> list[tuple[Path, Case]]:
    return [(path, case) for path in sorted(GOLDEN_DIR.glob("*.test")) for case in _load(path).cases]


CASES = _all_cases()


# -- producing the outputs ------------------------------------------------------------------------
def write_case(case: Case, folder: Path) -> Path:
    """case.py and the case's data files in ``folder``; a pyproject.toml fences data reads to it
    when the case has files (the fence is the nearest project marker: check_file's root too)."""
    from mllint.settings import find_pyproject

    for name, content in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    if case.files:
        (folder / "pyproject.toml").write_text(FENCE, encoding="utf-8")
    found = find_pyproject(str(folder))
    assert found is None or Path(found).parent == folder, f"a stray {found} would configure this case"
    script = folder / "case.py"
    script.write_text(case.source, encoding="utf-8")
    return script


def explain_text(script: Path) -> str:
    """What ``mllint explain SCRIPT --format text`` prints (its own ``main``, in this process)."""
    from mllint.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["explain", str(script), "--format", "text", "--no-findings"])
    assert status == 0, f"mllint explain failed ({status}): {err.getvalue()}"
    return out.getvalue()


def findings_text(script: Path) -> str:
    """The findings ``mllint check`` reports on SCRIPT when run in its folder: one
    ``LINE:COL CODE message`` line each (related places indented under it), sorted."""
    from mllint.cli.check_command import check_file
    from mllint.rules import rule_codes
    from mllint.config_discovery import load_settings
    from mllint.settings import find_pyproject

    folder = str(script.parent)
    settings = load_settings(folder, rule_codes=rule_codes)
    pyproject = find_pyproject(folder)
    settings = settings.with_overrides(project_root=os.path.dirname(pyproject) if pyproject else folder)
    report = check_file(str(script), settings, script.read_bytes())
    assert report.error is None, report.error
    groups = []
    for finding in report.findings:
        loc = finding.location
        lines = [f"{loc.line}:{loc.column} {finding.code} {finding.message}"]
        lines += [f"    {r.location.line}:{r.location.column} {r.message}" for r in finding.related]
        groups.append(((loc.line, loc.column, finding.code, finding.message), lines))
    return "\n".join(line for _, lines in sorted(groups) for line in lines)


def actual_outputs(case: Case, folder: Path) -> dict[str, str]:
    """The case's actual ``out`` (and ``findings``, when it has that section)."""
    script = write_case(case, folder)
    actual = {"out": explain_text(script)}
    if case.expected("findings") is not None:
        actual["findings"] = findings_text(script)
    return actual


def mismatches(case: Case, actual: dict[str, str]) -> str:
    """A unified diff (expected vs actual) per differing section; empty when the case passes."""
    from golden_format import normalize

    diffs = []
    for kind, text in actual.items():
        expected = normalize(case.expected(kind) or "")
        got = normalize(text)
        if expected != got:
            diffs.append("\n".join(difflib.unified_diff(expected, got, f"expected [{kind}]", f"actual [{kind}]",
                                                        lineterm="")))
    return "\n".join(diffs)


# -- the golden cases -----------------------------------------------------------------------------
@pytest.mark.parametrize("path, case", CASES, ids=[f"{p.name}::{c.name}" for p, c in CASES])
def test_golden(path: Path, case: Case, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    check_case(path, case, tmp_path, update=request.config.getoption("--update-golden"))


def check_case(path: Path, case: Case, folder: Path, update: bool) -> None:
    """Fail with a diff when the case's outputs differ, or (``update``) rewrite its expectations."""
    actual = actual_outputs(case, folder)
    diff = mismatches(case, actual)
    if not diff:
        return
    if update:
        _update(path, case.name, actual)
        return
    pytest.fail(f"{path.name}:{case.line}: case {case.name} differs "
                f"(rerun with --update-golden to accept):\n{diff}", pytrace=False)


def _update(path: Path, name: str, actual: dict[str, str]) -> None:
    """Rewrite one case's expected sections in place (re-read first: earlier cases of the same
    file may have been rewritten in this run)."""
    golden = _load(path)
    path.write_text(rewrite(golden, {name: actual}).render(), encoding="utf-8")


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 45


# -- the machinery itself -----------------------------------------------------------------------
def test_cli_subprocess_matches_in_process(tmp_path: Path) -> None:
    """The real ``mllint explain`` gives byte for byte what the in-process path gives."""
    case = next(c for _, c in CASES if c.files)   # one with a data file: the fence is exercised too
    script = write_case(case, tmp_path)
    done = subprocess.run([sys.executable, "-m", "mllint", "explain", str(script), "--format", "text", "--no-findings"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == explain_text(script)


@pytest.mark.parametrize("path", sorted(GOLDEN_DIR.glob("*.test")), ids=lambda p: p.name)
def test_rewrite_round_trips(path: Path) -> None:
    """Parsing and rendering, or rewriting every case with its own expectations, changes no byte."""
    text = path.read_text(encoding="utf-8")
    golden = parse(text, str(path))
    assert golden.render() == text
    same = {c.name: {k: c.expected(k) for k in ("out", "findings") if c.expected(k) is not None}
            for c in golden.cases}
    assert rewrite(golden, same).render() == text


SAMPLE = """\
-- a comment
[case tiny]
import pandas as pd
df = pd.read_csv("a.csv", names=["x", "y"])
[out]
this is not the plan

[findings]

[case untouched]
import pandas as pd
[out]
also wrong
"""


def test_wrong_expectation_fails_with_diff_and_update_fixes_it(tmp_path: Path) -> None:
    """A deliberately wrong expectation gives a unified diff; rewriting fixes only that case."""
    sample = tmp_path / "sample.test"
    sample.write_text(SAMPLE, encoding="utf-8")
    golden = _load(sample)
    case = golden.cases[0]
    for name in ("run", "update"):
        (tmp_path / name).mkdir()
    with pytest.raises(pytest.fail.Exception) as failure:
        check_case(sample, case, tmp_path / "run", update=False)
    diff = str(failure.value)
    assert "case tiny differs" in diff and "--- expected [out]\n+++ actual [out]\n" in diff
    assert "\n-this is not the plan\n" in diff and "\n+#0 " in diff
    assert "[findings]" not in diff   # the case is clean: its empty findings section holds
    assert sample.read_text(encoding="utf-8") == SAMPLE   # failing is not rewriting
    check_case(sample, case, tmp_path / "update", update=True)
    actual = actual_outputs(case, tmp_path / "run")
    fixed = sample.read_text(encoding="utf-8")
    assert fixed.startswith("-- a comment\n[case tiny]\nimport pandas as pd\n")
    assert fixed.endswith("\n[findings]\n\n[case untouched]\nimport pandas as pd\n[out]\nalso wrong\n")
    assert not mismatches(_load(sample).cases[0], actual)


def test_parser_rejects_malformed_files() -> None:
    from golden_format import GoldenFormatError

    for text in ("stray\n[case a]\nx\n[out]\n", "[case a]\nx\n", "[case a]\n[out]\n[case a]\n[out]\n",
                 "[case a]\n[out]\n[file x.csv]\n"):
        with pytest.raises(GoldenFormatError):
            parse(text)
